// After the sale: a merchant's whole-order return and its price adjustments. Both give
// subsidy back to the budget; after a settlement the merchant owes it, netted by its next
// settlement (keys::Clawback).
#ifndef HUANXIN_LEDGER_COMMANDS_AFTER_SALE_H_
#define HUANXIN_LEDGER_COMMANDS_AFTER_SALE_H_

#include "huanxin/v1/redemption.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// A whole-order return by the merchant that redeemed: REDEMPTION_NOT_FOUND (also for another
// merchant's redemption); REDEMPTION_NOT_REVERSIBLE unless COMPLETED or SETTLED. The subsidy
// goes back to the budget (payable:P:M -> budget:P); after a settlement that leaves the
// merchant owing it, netted by its next settlement.
Decision DecideReverseRedemption(const Context& c, const v1::ReverseRedemptionRequest& r);

// A partial refund or price protection by the merchant that redeemed: the price falls to
// new_price_fen and the subsidy is recomputed on it under the rules version that decided the
// sale, never above the subsidy before (the per-consumer cap it met still holds). The
// difference goes back to the budget (payable:P:M -> budget:P) and to the consumer's total
// cap; after a settlement the merchant owes it. REDEMPTION_NOT_FOUND as for a return;
// REDEMPTION_NOT_REVERSIBLE unless COMPLETED or SETTLED; new_price_fen (INVALID_ARGUMENT)
// unless lower than the price now. The redemption keeps its state; the entry
// (REDEMPTION_ADJUSTED) records the price and subsidy before.
Decision DecideAdjustRedemption(const Context& c, const v1::AdjustRedemptionRequest& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_AFTER_SALE_H_
