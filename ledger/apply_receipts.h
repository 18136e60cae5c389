// What scrap-receipt entries, and redemptions that link a receipt, do to the state and the
// indexes. Called from Apply (ledger/apply.h) in the entry's batch; like Apply they read only
// the state the earlier entries built, so replay rebuilds the same bytes.
//
//   RECEIPT_CONFIRMED      state "receipt/" S = the receipt (CONFIRMED);
//                          index "certificate/" number = S, "scrapped/" kind "/" serial = S
//   RECEIPT_VOIDED         state "receipt/" S = the receipt (VOIDED); both index keys
//                          deleted, so a corrected receipt may be confirmed
//   REDEMPTION_COMPLETED   with scrap_receipt_id S: "receipt/" S becomes CONSUMED
//   REDEMPTION_REVERSED    with scrap_receipt_id S: "receipt/" S is CONFIRMED again
//
// Each aborts (HX_CHECK) when the state contradicts what the entry's decision checked, and
// returns storage faults.
#ifndef HUANXIN_LEDGER_APPLY_RECEIPTS_H_
#define HUANXIN_LEDGER_APPLY_RECEIPTS_H_

#include "absl/status/status.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/state.h"

namespace huanxin::ledger {

// REQUIRES: e.type() == RECEIPT_CONFIRMED.
absl::Status ApplyReceiptConfirmed(const v1::LedgerEntry& e, const StateReader& state,
                                   StateWriter& w);
// REQUIRES: e.type() == RECEIPT_VOIDED.
absl::Status ApplyReceiptVoided(const v1::LedgerEntry& e, const StateReader& state,
                                StateWriter& w);
// Linking consumes the receipt in the redemption's own entry. No-op when the redemption names
// no receipt. REQUIRES: e has a redemption_completed body.
absl::Status ApplyReceiptConsumed(const v1::LedgerEntry& e, const StateReader& state,
                                  StateWriter& w);
// A return of the purchase gives the receipt back to its owner. No-op when the redemption
// names no receipt. REQUIRES: e has a redemption_reversed body.
absl::Status ApplyReceiptRestored(const v1::LedgerEntry& e, const StateReader& state,
                                  StateWriter& w);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_APPLY_RECEIPTS_H_
