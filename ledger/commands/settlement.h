// Settlement: paying merchants what the city owes them for the subsidies they fronted.
#ifndef HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_
#define HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_

#include "huanxin/v1/admin.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// One SETTLEMENT_CREATED entry for every COMPLETED redemption of the merchant redeemed at or
// before up_to_time and not yet settled (redemptions under review wait). Per programme it
// pays gross - clawback (payable:P:M -> settled:P:M) when that is positive; a larger
// clawback stays owed for the next settlement. MERCHANT_NOT_FOUND; NOTHING_TO_SETTLE when
// no redemption qualifies.
Decision DecideCreateSettlement(const Context& c, const v1::CreateSettlementRequest& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_
