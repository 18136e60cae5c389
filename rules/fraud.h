// The soft fraud checks (docs/policy.md, fraud patterns): rules that send a redemption to an
// auditor's review instead of refusing it. The sale goes through at the till; the subsidy is
// held back from settlement until ResolveReview. Pure functions of the thresholds and of
// signals the ledger gathers from its state, so they unit-test alone.
#ifndef HUANXIN_RULES_FRAUD_H_
#define HUANXIN_RULES_FRAUD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin::fraud {

// Stable rule ids, as written into redemptions' `reasons` and reviews.
inline constexpr char kPriceSpike[] = "PRICE_SPIKE";
inline constexpr char kTerminalVelocity[] = "TERMINAL_VELOCITY";
inline constexpr char kSharedIdentity[] = "SHARED_IDENTITY";
inline constexpr char kMerchantBurst[] = "MERCHANT_BURST";
inline constexpr char kOddHours[] = "ODD_HOURS";

// The defaults of the fraud-checks issue: 130% of the median of the last 20 sales once there
// are 5; more than 20 on a terminal in 10 minutes; 3 consumers on one identifier; 5x the
// merchant's hourly mean with at least 30 in the hour, the mean over the past week's hours
// since its oldest remembered redemption once those are 24, before that 30 an hour (so a new
// merchant's, or a launch day's, first 150 an hour are not a burst, the 151st is); odd hours
// 00:00-06:00, off.
v1::FraudRules DefaultRules();

// INVALID_ARGUMENT naming the field (e.g. "fraud.price_spike_pct") when a threshold is out of
// its sane range.
absl::Status ValidateRules(const v1::FraudRules& rules);

// What the ledger knows about a redemption when it decides.
struct Signals {
  int64_t price_fen = 0;
  std::vector<int64_t> sku_prices_fen;  // the SKU's last completed sale prices (at most the window)
  int terminal_recent = 0;       // redemptions on this terminal within the window, before this one
  int shared_identity_rank = 0;  // 1-based rank of this consumer among the distinct consumers
                                 // seen with any of its device/phone/card; 0 when none is shared
  int64_t merchant_last_hour = 0;   // the merchant's redemptions in the last hour, this one included
  // Its redemptions in the 168 clock hours before the one the last hour starts in.
  int64_t merchant_prior_week = 0;
  // Of those 168, the clock hours from the oldest one its activity ring holds a redemption for
  // (0: none before them).
  int64_t merchant_history_hours = 0;
  int shanghai_hour = 0;            // 0..23
};

// The ids of the rules that fire, in the order above; empty: allow.
std::vector<std::string> SoftCheck(const v1::FraudRules& rules, const Signals& s);

}  // namespace huanxin::fraud

#endif  // HUANXIN_RULES_FRAUD_H_
