#include "ledger/fraud_memory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "rules/version.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

constexpr int kMaxTerminalTimes = 1000;  // more than any sane terminal_velocity_max
constexpr int kMaxConsumersPerIdentity = 64;
constexpr int kMinuteBuckets = 60;
constexpr int kHourBuckets = 192;  // 8 days
constexpr int64_t kNanosPerMinute = 60'000'000'000;

template <typename M>
absl::StatusOr<M> GetOrEmpty(const StateReader& state, const std::string& key) {
  HX_ASSIGN_OR_RETURN(auto raw, state.Raw(Cf::kState, key));
  M m;
  if (raw.has_value() && !m.ParseFromString(*raw)) return absl::DataLossError("corrupt " + key);
  return m;
}

// (kind, ref) of each identifier a consumer was seen with.
std::vector<std::pair<const char*, std::string>> Identifiers(const v1::ConsumerRefs& refs) {
  std::vector<std::pair<const char*, std::string>> out;
  if (!refs.device_ref().empty()) out.emplace_back("device", refs.device_ref());
  if (!refs.phone_ref().empty()) out.emplace_back("phone", refs.phone_ref());
  if (!refs.bank_card_ref().empty()) out.emplace_back("card", refs.bank_card_ref());
  return out;
}

struct Activity {
  int64_t last_hour = 0;
  int64_t prior_week = 0;
  int64_t history_hours = 0;  // see fraud::Signals::merchant_history_hours
};

Activity Count(const internal::MerchantActivity& a, int64_t minute) {
  Activity out;
  for (int i = 0; i < a.minute_of_size(); ++i) {
    if (a.minute_of(i) > minute - kMinuteBuckets && a.minute_of(i) <= minute) out.last_hour += a.minutes(i);
  }
  // The prior week: the 168 clock hours before the one the last hour starts in (that one is
  // in neither, so no redemption counts in both and the burst does not raise its own mean).
  const int64_t hour = (minute - kMinuteBuckets + 1) / 60;
  // History starts at the oldest hour the ring still holds a redemption for: a bucket stays
  // until a redemption 192 hours after its own takes the slot, so a merchant that sold more
  // than a week ago keeps its full week. Derived from the ring alone, as replay rebuilds it.
  int64_t oldest = hour;
  for (int i = 0; i < a.hour_of_size(); ++i) {
    if (a.hours(i) > 0) oldest = std::min(oldest, a.hour_of(i));
    if (a.hour_of(i) >= hour - 168 && a.hour_of(i) < hour) out.prior_week += a.hours(i);
  }
  out.history_hours = std::clamp<int64_t>(hour - oldest, 0, 168);
  return out;
}

}  // namespace

absl::StatusOr<RulesInForce> CurrentRules(const StateReader& state) {
  HX_ASSIGN_OR_RETURN(auto raw, state.Raw(Cf::kState, keys::kFraudRules));
  RulesInForce out;
  if (!raw.has_value()) {
    out.rules = fraud::DefaultRules();
    out.version = absl::StrCat(kRuleSetVersion, "+default-rules");
    return out;
  }
  internal::FraudRulesState s;
  if (!s.ParseFromString(*raw)) return absl::DataLossError("corrupt fraud rules");
  out.rules = s.rules();
  out.version = absl::StrCat(kRuleSetVersion, "+rules@", s.seq());
  return out;
}

absl::StatusOr<fraud::Signals> Gather(const StateReader& state, const v1::FraudRules& rules,
                                      const internal::Redeem& r, const v1::Voucher& voucher,
                                      absl::Time now) {
  fraud::Signals s;
  s.price_fen = r.purchase().price_fen();
  if (!r.purchase().sku().empty()) {
    HX_ASSIGN_OR_RETURN(auto history,
                        GetOrEmpty<internal::PriceHistory>(state, keys::SkuPrices(r.purchase().sku())));
    s.sku_prices_fen.assign(history.prices_fen().begin(), history.prices_fen().end());
  }
  const int64_t now_ns = absl::ToUnixNanos(now);
  HX_ASSIGN_OR_RETURN(auto times, GetOrEmpty<internal::RecentTimes>(
                                      state, keys::Terminal(r.merchant_id(), r.terminal_id())));
  const int64_t since = now_ns - rules.terminal_velocity_window_s() * 1'000'000'000;
  s.terminal_recent = static_cast<int>(
      std::count_if(times.nanos().begin(), times.nanos().end(), [&](int64_t t) { return t > since; }));
  // The payer is the claimant (checked before), so the claimant's rank among each
  // identifier's consumers is what counts, over the identifiers given at the till and at
  // the claim; an identifier not seen yet would rank next.
  HX_ASSIGN_OR_RETURN(auto claimant, GetOrEmpty<v1::ConsumerRefs>(
                                         state, keys::VoucherRefs(voucher.voucher_id())));
  auto identifiers = Identifiers(r.payer());
  for (auto& id : Identifiers(claimant)) identifiers.push_back(std::move(id));
  for (const auto& [kind, ref] : identifiers) {
    HX_ASSIGN_OR_RETURN(auto set, GetOrEmpty<internal::ConsumerSet>(
                                      state, keys::Identity(voucher.program_id(), kind, ref)));
    const auto& refs = set.consumer_refs();
    auto it = std::find(refs.begin(), refs.end(), voucher.consumer_ref());
    const int rank = static_cast<int>(it - refs.begin()) + 1;
    s.shared_identity_rank = std::max(s.shared_identity_rank, rank);
  }
  HX_ASSIGN_OR_RETURN(auto activity, GetOrEmpty<internal::MerchantActivity>(
                                         state, keys::MerchantActivity(r.merchant_id())));
  const Activity counted = Count(activity, now_ns / kNanosPerMinute);
  s.merchant_last_hour = counted.last_hour + 1;  // this one included
  s.merchant_prior_week = counted.prior_week;
  s.merchant_history_hours = counted.history_hours;
  s.shanghai_hour = static_cast<int>(
      absl::ToCivilHour(now, absl::FixedTimeZone(8 * 3600)).hour());
  return s;
}

absl::Status RememberIdentity(const StateReader& state, StateWriter& w,
                              const std::string& program_id, const v1::ConsumerRefs& refs) {
  for (const auto& [kind, ref] : Identifiers(refs)) {
    const std::string key = keys::Identity(program_id, kind, ref);
    HX_ASSIGN_OR_RETURN(auto set, GetOrEmpty<internal::ConsumerSet>(state, key));
    const auto& have = set.consumer_refs();
    if (std::find(have.begin(), have.end(), refs.consumer_ref()) != have.end()) continue;
    if (set.consumer_refs_size() >= kMaxConsumersPerIdentity) continue;
    set.add_consumer_refs(refs.consumer_ref());
    w.Put(Cf::kState, key, set);
  }
  return absl::OkStatus();
}

absl::Status RememberRedemption(const StateReader& state, StateWriter& w,
                                const v1::RedemptionCompleted& body) {
  const v1::Redemption& d = body.redemption();
  HX_ASSIGN_OR_RETURN(RulesInForce rules, CurrentRules(state));
  HX_RETURN_IF_ERROR(RememberIdentity(state, w, d.program_id(), body.payer()));
  const int64_t at = absl::ToUnixNanos(FromProto(d.redeemed_at()));

  // Only allowed sales teach the SKU's price: a spiked sale under review must not.
  if (!d.purchase().sku().empty() && d.decision() == v1::Redemption::ALLOW) {
    const std::string key = keys::SkuPrices(d.purchase().sku());
    HX_ASSIGN_OR_RETURN(auto history, GetOrEmpty<internal::PriceHistory>(state, key));
    history.add_prices_fen(d.price_fen());
    const int excess = history.prices_fen_size() - rules.rules.price_spike_window();
    if (excess > 0) history.mutable_prices_fen()->erase(history.prices_fen().begin(),
                                                        history.prices_fen().begin() + excess);
    w.Put(Cf::kState, key, history);
  }

  const std::string tkey = keys::Terminal(d.merchant_id(), d.terminal_id());
  HX_ASSIGN_OR_RETURN(auto times, GetOrEmpty<internal::RecentTimes>(state, tkey));
  const int64_t since = at - rules.rules.terminal_velocity_window_s() * 1'000'000'000;
  internal::RecentTimes kept;
  for (int64_t t : times.nanos()) {
    if (t > since) kept.add_nanos(t);
  }
  kept.add_nanos(at);
  if (kept.nanos_size() > kMaxTerminalTimes) {
    kept.mutable_nanos()->erase(kept.nanos().begin(),
                                kept.nanos().begin() + (kept.nanos_size() - kMaxTerminalTimes));
  }
  w.Put(Cf::kState, tkey, kept);

  const std::string mkey = keys::MerchantActivity(d.merchant_id());
  HX_ASSIGN_OR_RETURN(auto a, GetOrEmpty<internal::MerchantActivity>(state, mkey));
  if (a.minutes_size() == 0) {
    a.mutable_minutes()->Resize(kMinuteBuckets, 0);
    a.mutable_minute_of()->Resize(kMinuteBuckets, 0);
    a.mutable_hours()->Resize(kHourBuckets, 0);
    a.mutable_hour_of()->Resize(kHourBuckets, 0);
  }
  const int64_t minute = at / kNanosPerMinute, hour = minute / 60;
  const int mi = static_cast<int>(minute % kMinuteBuckets), hi = static_cast<int>(hour % kHourBuckets);
  if (a.minute_of(mi) != minute) {
    a.set_minute_of(mi, minute);
    a.set_minutes(mi, 0);
  }
  a.set_minutes(mi, a.minutes(mi) + 1);
  if (a.hour_of(hi) != hour) {
    a.set_hour_of(hi, hour);
    a.set_hours(hi, 0);
  }
  a.set_hours(hi, a.hours(hi) + 1);
  w.Put(Cf::kState, mkey, a);
  return absl::OkStatus();
}

}  // namespace huanxin::ledger
