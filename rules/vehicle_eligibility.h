// Which old cars a scrap-and-renew rule accepts (docs/policy.md, Cars): the rule's
// VehicleEligibility against the Vehicle a recycler recorded on the scrap receipt.
// Free of gRPC and RocksDB.
#ifndef HUANXIN_RULES_VEHICLE_ELIGIBILITY_H_
#define HUANXIN_RULES_VEHICLE_ELIGIBILITY_H_

#include "absl/status/status.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

// True when `rule` sets any limit (an emission standard or any date). A rule without limits
// accepts every old vehicle.
bool HasVehicleLimits(const v1::VehicleEligibility& rule);

// OK when `old_vehicle` meets `rule`, else Refuse(VEHICLE_INELIGIBLE, <what failed>). Dates
// are "YYYY-MM-DD" and inclusive: a car registered on the cut-off day passes, one registered
// the day after does not. Limits that are unset (0 or "") do not apply.
//   PETROL, DIESEL: emission_standard <= max_emission_standard (a fuel car whose standard is
//     unknown, 0, fails a set limit); registration_date <= petrol_/diesel_registered_by.
//   NEV: registration_date <= nev_registered_by (emission standards do not apply).
//   every eligible type: owned_since <= owned_since_by.
//   OTHER: registration_date <= other_registered_by when the rule sets it (no emission
//     limit applies), else ineligible whenever the rule sets any limit.
//   ENERGY_TYPE_UNSPECIFIED: ineligible whenever the rule sets any limit.
// A date a limit needs that is missing or malformed on the vehicle fails that limit.
absl::Status CheckVehicleEligible(const v1::VehicleEligibility& rule,
                                  const v1::Vehicle& old_vehicle);

}  // namespace huanxin

#endif  // HUANXIN_RULES_VEHICLE_ELIGIBILITY_H_
