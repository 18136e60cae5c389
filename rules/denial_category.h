// The category of a refused redemption, from its reason: the one table that separates a
// till's mistakes from sales the programme does not subsidise and from evidence claimed
// twice, so that books, reports and exports count them apart. The ledger stores the category
// in the REDEMPTION_DENIED entry when it writes it; replay reads it from there and never
// calls this, so changing the table changes only entries written afterwards.
// Free of gRPC and RocksDB.
#ifndef HUANXIN_RULES_DENIAL_CATEGORY_H_
#define HUANXIN_RULES_DENIAL_CATEGORY_H_

#include "absl/strings/string_view.h"
#include "huanxin/v1/ledger.pb.h"

namespace huanxin {

// The category of a redemption refused with `reason` (an API reason such as
// "VOUCHER_ALREADY_REDEEMED"):
//   INPUT        VOUCHER_NOT_FOUND, MERCHANT_NOT_FOUND, VOUCHER_ALREADY_REDEEMED,
//                VOUCHER_NOT_OWNED, CATEGORY_MISMATCH, SERIAL_REQUIRED,
//                SCRAP_RECEIPT_REQUIRED, INVALID_FIELD
//   ELIGIBILITY  MERCHANT_NOT_ELIGIBLE, PROGRAM_NOT_ACTIVE, VOUCHER_EXPIRED,
//                VOUCHER_NOT_ACTIVE, ENERGY_GRADE_INELIGIBLE, PRICE_ABOVE_CEILING,
//                VEHICLE_INELIGIBLE
//   FRAUD        DUPLICATE_SERIAL, DUPLICATE_INVOICE, SCRAP_RECEIPT_INVALID (a receipt that
//                is consumed, voided, unknown or names another owner than the payer)
// CATEGORY_UNSPECIFIED for any other reason (no redemption refusal has one).
v1::RedemptionDenied::Category DenialCategory(absl::string_view reason);

}  // namespace huanxin

#endif  // HUANXIN_RULES_DENIAL_CATEGORY_H_
