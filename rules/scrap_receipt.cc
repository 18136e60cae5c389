#include "rules/scrap_receipt.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/vin.h"

namespace huanxin {
namespace {

// How far a recycler's clock may run ahead of the server's: a receipt stamped a few seconds
// "in the future" by a scanner with a drifting clock is no impossible history.
constexpr absl::Duration kClockSkew = absl::Minutes(5);

// The date in `field`, which must not be after `last`, the scrapping day.
absl::StatusOr<absl::CivilDay> DateUpTo(absl::string_view field, absl::string_view value,
                                        absl::CivilDay last, bool scrapped_given) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(value);
  if (!day.ok()) return FieldError(field, day.status().message());
  if (*day > last) {
    return FieldError(field, scrapped_given ? "is after the day the vehicle was scrapped "
                                              "(receipt.scrapped_at)"
                                            : "is in the future");
  }
  return *day;
}

}  // namespace

absl::Status CheckScrapReceiptFacts(const v1::ScrapReceipt& r, absl::Time now) {
  const bool scrapped_given = r.has_scrapped_at();
  const absl::Time scrapped = scrapped_given ? FromProto(r.scrapped_at()) : now;
  if (scrapped > now + kClockSkew) {
    return FieldError("receipt.scrapped_at", "is in the future");
  }
  if (scrapped < absl::UnixEpoch()) return FieldError("receipt.scrapped_at", "is before 1970");
  if (r.item_kind() != v1::ScrapReceipt::VEHICLE) return absl::OkStatus();

  HX_RETURN_IF_ERROR(ValidateVin("receipt.serial_number", r.serial_number()));
  const absl::CivilDay last = ShanghaiDay(scrapped);
  const v1::Vehicle& v = r.vehicle();
  HX_ASSIGN_OR_RETURN(absl::CivilDay registered,
                      DateUpTo("receipt.vehicle.registration_date", v.registration_date(), last,
                               scrapped_given));
  HX_ASSIGN_OR_RETURN(absl::CivilDay owned_since,
                      DateUpTo("receipt.vehicle.owned_since", v.owned_since(), last,
                               scrapped_given));
  if (owned_since < registered) {
    return FieldError("receipt.vehicle.owned_since",
                      "is before the vehicle's registration_date");
  }
  return absl::OkStatus();
}

}  // namespace huanxin
