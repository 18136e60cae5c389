// Redemption at the till: the checks a quote and a redemption share, and the decision.
#ifndef HUANXIN_LEDGER_COMMANDS_REDEMPTION_H_
#define HUANXIN_LEDGER_COMMANDS_REDEMPTION_H_

#include <string>

#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/audit.pb.h"
#include "huanxin/v1/redemption.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// What a purchase with a voucher would come to.
struct RedemptionPlan {
  v1::Voucher voucher;
  v1::Program program;  // with the rules in force when the plan was made (program_versions.h)
  int64_t subsidy_fen = 0;  // at most the voucher's hold
};

// The checks of a redemption, in this order (the first that fails is the answer):
//   VOUCHER_NOT_FOUND; MERCHANT_NOT_FOUND; MERCHANT_NOT_ELIGIBLE (not ACTIVE, or the
//   programme is not on its whitelist); PROGRAM_NOT_ACTIVE (CLOSED; a PAUSED programme still
//   honours issued vouchers); VOUCHER_ALREADY_REDEEMED; VOUCHER_EXPIRED (an EXPIRED voucher,
//   or an ISSUED one at or past expires_at even before the sweeper); VOUCHER_NOT_ACTIVE
//   (CANCELLED or REVERSED);
//   VOUCHER_NOT_OWNED (payer is not the claimant); CATEGORY_MISMATCH; SERIAL_REQUIRED;
//   DUPLICATE_SERIAL; DUPLICATE_INVOICE; SCRAP_RECEIPT_REQUIRED; SCRAP_RECEIPT_INVALID;
//   VEHICLE_INELIGIBLE (ledger/commands/recycling.h, CheckReceiptForRedemption);
//   PRICE_ABOVE_CEILING; ENERGY_GRADE_INELIGIBLE.
// A quote (`quote` true) has no payer, no receipt and no serial or invoice yet: it skips the
// payer's and the receipt's checks and the evidence the rule requires (a serial or invoice
// it does carry is still checked for an earlier subsidy).
absl::StatusOr<RedemptionPlan> CheckRedemption(const StateReader& state,
                                               const internal::Redeem& r, absl::Time now,
                                               bool quote);

// REDEMPTION_COMPLETED when every check passes: held:P -> payable:P:M for the subsidy and
// held:P -> budget:P for the rest of the hold. When a soft fraud check fires (rules/fraud.h)
// the decision is REVIEW: the redemption is UNDER_REVIEW, a Review opens, and the payout
// waits for ResolveReview. Otherwise REDEMPTION_DENIED recording the
// attempt and the reason; the voucher stays as it was, and a retry with the same key gets
// the same refusal.
Decision DecideRedeem(const Context& c, const internal::Redeem& r);

// An auditor's decision on an OPEN review: REVIEW_NOT_FOUND, REVIEW_RESOLVED. APPROVE makes
// the redemption COMPLETED (and settleable); REJECT makes it REJECTED and returns the
// subsidy to the budget (payable:P:M -> budget:P). A rejected sale was judged fraud: the
// voucher, the consumer's entitlement and cap, the serial and any scrap receipt stay used,
// so the same item or identity cannot be subsidised again by retrying.
Decision DecideResolveReview(const Context& c, const v1::ResolveReviewRequest& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_REDEMPTION_H_
