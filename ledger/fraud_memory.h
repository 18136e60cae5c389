// What the soft fraud checks remember between redemptions, kept in the state and derived
// from entries like everything else: a SKU's recent sale prices, a terminal's recent
// redemption times, which consumers used each device/phone/bank card in a programme, and a
// merchant's redemptions per minute and per hour. Gather reads it for a decision;
// Remember* update it from an entry (Apply).
#ifndef HUANXIN_LEDGER_FRAUD_MEMORY_H_
#define HUANXIN_LEDGER_FRAUD_MEMORY_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/state.h"
#include "rules/fraud.h"

namespace huanxin::ledger {

// The rules in force: the last FRAUD_RULES_CHANGED entry's, or fraud::DefaultRules() before
// any, and the rule-set version string entries record ("2025.2+rules@<seq>").
struct RulesInForce {
  v1::FraudRules rules;
  std::string version;
};
absl::StatusOr<RulesInForce> CurrentRules(const StateReader& state);

// The signals for redeeming `voucher` with `r` at `now`.
absl::StatusOr<fraud::Signals> Gather(const StateReader& state, const v1::FraudRules& rules,
                                      const internal::Redeem& r, const v1::Voucher& voucher,
                                      absl::Time now);

// Records that `refs` (a claimant or a payer) was seen in `program_id`.
absl::Status RememberIdentity(const StateReader& state, StateWriter& w,
                              const std::string& program_id, const v1::ConsumerRefs& refs);

// Records a redemption (allowed or sent to review).
absl::Status RememberRedemption(const StateReader& state, StateWriter& w,
                                const v1::RedemptionCompleted& body);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_FRAUD_MEMORY_H_
