// Which new cars a car rule subsidises (docs/policy.md, Cars): the rule's NewVehicleRule
// against the purchase's NewVehicle. Free of gRPC and RocksDB.
#ifndef HUANXIN_RULES_NEW_VEHICLE_H_
#define HUANXIN_RULES_NEW_VEHICLE_H_

#include "absl/status/status.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

// The most displacement a rule or a car may state: 20 L, far above any passenger car.
inline constexpr int32_t kMaxDisplacementMl = 20000;

// OK when `purchase` meets `rule`, else Refuse(NEW_VEHICLE_INELIGIBLE, <what failed>):
//   purchase.vehicle is set and passenger;
//   its energy_type is one of rule.energy_types (any, when the rule lists none);
//   a PETROL, DIESEL or OTHER car states displacement_ml > 0 and at most
//     rule.max_displacement_ml (when > 0);
//   an NEV is in the catalogue (nev_catalogue) when rule.requires_nev_catalogue.
absl::Status CheckNewVehicleEligible(const v1::NewVehicleRule& rule,
                                     const v1::Purchase& purchase);

// OK when `rule` is well formed, else FieldError("<prefix>.<name>", ..., INVALID_PROGRAM):
// energy_types known values other than UNSPECIFIED, each once; max_displacement_ml
// 0..kMaxDisplacementMl.
absl::Status ValidateNewVehicleRule(const std::string& prefix, const v1::NewVehicleRule& rule);

// OK when `vehicle` is well formed, else FieldError("<prefix>.<name>", ...): energy_type a
// known value other than UNSPECIFIED; displacement_ml 0..kMaxDisplacementMl.
absl::Status ValidateNewVehicle(const std::string& prefix, const v1::NewVehicle& vehicle);

}  // namespace huanxin

#endif  // HUANXIN_RULES_NEW_VEHICLE_H_
