// Settlement: paying merchants what the city owes them for the subsidies they fronted.
#ifndef HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_
#define HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_

#include "huanxin/v1/admin.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// The most redemptions one settlement pays. Its entry lists every one (about 20 bytes each),
// so this bounds the entry near 2 MB, which GetEntry, StreamEntries and a ListEntries page
// can always carry within gRPC's 4 MiB message limit.
inline constexpr int kMaxSettlementRedemptions = 100000;

// One SETTLEMENT_CREATED entry for the COMPLETED redemptions of the merchant redeemed at or
// before up_to_time and not yet settled (redemptions under review wait): the earliest
// kMaxSettlementRedemptions of them; the rest wait for the next settlement. Per programme it
// pays gross - clawback (payable:P:M -> settled:P:M) when that is positive; a larger
// clawback stays owed for the next settlement. MERCHANT_NOT_FOUND; NOTHING_TO_SETTLE when
// no redemption qualifies.
Decision DecideCreateSettlement(const Context& c, const v1::CreateSettlementRequest& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_SETTLEMENT_H_
