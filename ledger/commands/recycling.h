// Decisions for RecyclingService's commands, and the scrap-receipt checks of a redemption.
// Inputs were validated at the edge (services/recycling/recycling_service.cc): the owner
// arrives as owner_ref only, the recycler is the caller itself.
#ifndef HUANXIN_LEDGER_COMMANDS_RECYCLING_H_
#define HUANXIN_LEDGER_COMMANDS_RECYCLING_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/recycling.pb.h"
#include "ledger/commands/context.h"

namespace huanxin {
namespace ledger {

// RECEIPT_CONFIRMED, in this order of refusals:
//   RECYCLER_NOT_FOUND (receipt.recycler_id is not registered);
//   RECYCLER_NOT_ELIGIBLE (not ACTIVE, or its `accepts` lacks the item kind);
//   DUPLICATE_CERTIFICATE (certificate_number belongs to a live receipt);
//   DUPLICATE_CERTIFICATE (the old item's serial/VIN, of that item kind, was already scrapped
//     by a live receipt: a second scrap certificate for one car or appliance is a duplicate
//     certificate, ALREADY_EXISTS; DUPLICATE_SERIAL stays the till's "this new product was
//     subsidised already").
// A live receipt is CONFIRMED or CONSUMED; voiding a receipt frees its certificate number and
// serial so the recycler can confirm a corrected one. The receipt gets a fresh id "s-…",
// state CONFIRMED, ledger_seq, and scrapped_at = now when the recycler gave none.
Decision DecideConfirmReceipt(const Context& c, const internal::ConfirmReceipt& op);

// RECEIPT_VOIDED. RECEIPT_NOT_FOUND when the receipt does not exist or `actor` is not
// "recycler:<the receipt's recycler_id>" (a recycler sees only its own receipts);
// SCRAP_RECEIPT_INVALID unless the receipt is CONFIRMED (a CONSUMED receipt backs a
// redemption; a VOIDED one is void already).
Decision DecideVoidReceipt(const Context& c, absl::string_view actor,
                           const v1::VoidScrapReceiptRequest& r);

// The scrap-receipt checks of a redemption, in this order:
//   SCRAP_RECEIPT_REQUIRED: the rule requires_scrap_receipt and r.scrap_receipt_id is empty;
//   SCRAP_RECEIPT_INVALID: a receipt is named but does not exist, is not CONFIRMED (CONSUMED
//     by another redemption, or VOIDED), is not the payer's (owner_ref != payer's
//     consumer_ref), or is of the wrong item kind (VEHICLE for car programmes - CAR_SCRAP,
//     CAR_REPLACEMENT - and for rules with old_vehicle limits; APPLIANCE otherwise);
//   VEHICLE_INELIGIBLE: the receipt's vehicle fails the rule's old_vehicle
//     (rules/vehicle_eligibility.h).
// A receipt named on a rule that does not require one is checked all the same (and linking
// consumes it). OK when no receipt is named and none is required.
absl::Status CheckReceiptForRedemption(const StateReader& state, const v1::Program& program,
                                       const v1::CategoryRule& rule, const internal::Redeem& r);

// The item kind a receipt for a purchase under `program`'s `rule` must have.
v1::ScrapReceipt::ItemKind ExpectedItemKind(const v1::Program& program,
                                            const v1::CategoryRule& rule);

}  // namespace ledger
}  // namespace huanxin

#endif  // HUANXIN_LEDGER_COMMANDS_RECYCLING_H_
