// What a scrap receipt must say of itself, whatever the ledger holds: a scrapped car's VIN
// and the order of its dates. The ledger checks it when it confirms the receipt, against its
// own clock, so a car with an impossible history never counts toward the scrapped-car
// figures.
// Free of gRPC and RocksDB.
#ifndef HUANXIN_RULES_SCRAP_RECEIPT_H_
#define HUANXIN_RULES_SCRAP_RECEIPT_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

// OK when `receipt` (field path "receipt") is consistent at `now`, else the first
// FieldError (INVALID_ARGUMENT) naming the field, checked in this order:
//   - scrapped_at, when set, is not after `now` by more than 5 minutes, a recycler's clock
//     running ahead ("receipt.scrapped_at");
//   - a VEHICLE's serial_number is a VIN (common/vin.h; reason INVALID_VIN,
//     "receipt.serial_number");
//   - a VEHICLE's vehicle.registration_date and vehicle.owned_since are real "YYYY-MM-DD"
//     dates, neither after the scrapping day (the Asia/Shanghai day of scrapped_at, or of
//     `now` when scrapped_at is unset), each failure naming its own field;
//   - vehicle.registration_date <= vehicle.owned_since ("receipt.vehicle.owned_since").
// So registration_date <= owned_since <= scrapped_at <= now. An APPLIANCE receipt has no
// VIN or vehicle dates to check.
absl::Status CheckScrapReceiptFacts(const v1::ScrapReceipt& receipt, absl::Time now);

}  // namespace huanxin

#endif  // HUANXIN_RULES_SCRAP_RECEIPT_H_
