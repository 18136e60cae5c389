#include "rules/fraud.h"

#include <algorithm>

#include "common/status.h"

namespace huanxin::fraud {

v1::FraudRules DefaultRules() {
  v1::FraudRules r;
  r.set_price_spike_pct(130);
  r.set_price_spike_window(20);
  r.set_price_spike_min_sales(5);
  r.set_terminal_velocity_max(20);
  r.set_terminal_velocity_window_s(600);
  r.set_shared_identity_consumers(3);
  r.set_merchant_burst_multiple(5);
  r.set_merchant_burst_min(30);
  r.set_merchant_burst_min_history_hours(24);
  r.set_odd_hours_enabled(false);
  r.set_odd_hours_start(0);
  r.set_odd_hours_end(6);
  return r;
}

absl::Status ValidateRules(const v1::FraudRules& r) {
  auto range = [](const char* field, int64_t v, int64_t lo, int64_t hi) {
    return v < lo || v > hi ? FieldError(field, "is out of range") : absl::OkStatus();
  };
  for (absl::Status s : {range("fraud.price_spike_pct", r.price_spike_pct(), 100, 10000),
                         range("fraud.price_spike_window", r.price_spike_window(), 1, 200),
                         range("fraud.price_spike_min_sales", r.price_spike_min_sales(), 1,
                               r.price_spike_window()),
                         range("fraud.terminal_velocity_max", r.terminal_velocity_max(), 1, 100000),
                         range("fraud.terminal_velocity_window_s",
                               r.terminal_velocity_window_s(), 1, 86400),
                         range("fraud.shared_identity_consumers", r.shared_identity_consumers(),
                               2, 1000),
                         range("fraud.merchant_burst_multiple", r.merchant_burst_multiple(), 1, 1000),
                         range("fraud.merchant_burst_min", r.merchant_burst_min(), 1, 1000000),
                         range("fraud.merchant_burst_min_history_hours",
                               r.merchant_burst_min_history_hours(), 1, 168),
                         range("fraud.odd_hours_start", r.odd_hours_start(), 0, 23),
                         range("fraud.odd_hours_end", r.odd_hours_end(), 0, 24)}) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

namespace {

// The median of `v` (the lower of the two middles' mean for an even count, in whole fen).
int64_t Median(std::vector<int64_t> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool InOddHours(const v1::FraudRules& r, int hour) {
  if (r.odd_hours_start() <= r.odd_hours_end()) {
    return hour >= r.odd_hours_start() && hour < r.odd_hours_end();
  }
  return hour >= r.odd_hours_start() || hour < r.odd_hours_end();  // spans midnight
}

}  // namespace

std::vector<std::string> SoftCheck(const v1::FraudRules& r, const Signals& s) {
  std::vector<std::string> fired;
  if (static_cast<int>(s.sku_prices_fen.size()) >= r.price_spike_min_sales() &&
      // price > median * pct / 100, in integers
      static_cast<__int128>(s.price_fen) * 100 >
          static_cast<__int128>(Median(s.sku_prices_fen)) * r.price_spike_pct()) {
    fired.push_back(kPriceSpike);
  }
  if (s.terminal_recent >= r.terminal_velocity_max()) fired.push_back(kTerminalVelocity);
  if (s.shared_identity_rank >= r.shared_identity_consumers()) fired.push_back(kSharedIdentity);
  // last hour > multiple * usual hourly rate, in integers (rate = usual / hours). The usual
  // rate: the prior week over the hours of history in it, once there are the minimum hours
  // (0 in rules recorded before 2025.2, read as 1); before, merchant_burst_min an hour.
  const bool has_history =
      s.merchant_history_hours >= std::max(1, r.merchant_burst_min_history_hours());
  const int64_t usual = has_history ? s.merchant_prior_week : r.merchant_burst_min();
  const int64_t hours = has_history ? s.merchant_history_hours : 1;
  if (s.merchant_last_hour >= r.merchant_burst_min() &&
      s.merchant_last_hour * hours > r.merchant_burst_multiple() * usual) {
    fired.push_back(kMerchantBurst);
  }
  if (r.odd_hours_enabled() && InOddHours(r, s.shanghai_hour)) fired.push_back(kOddHours);
  return fired;
}

}  // namespace huanxin::fraud
