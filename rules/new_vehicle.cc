#include "rules/new_vehicle.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace huanxin {
namespace {

absl::Status Ineligible(absl::string_view detail) {
  return Refuse(reason::kNewVehicleIneligible, detail);
}

bool KnownEnergyType(int type) {
  return type != v1::Vehicle::ENERGY_TYPE_UNSPECIFIED && v1::Vehicle::EnergyType_IsValid(type);
}

}  // namespace

absl::Status CheckNewVehicleEligible(const v1::NewVehicleRule& rule,
                                     const v1::Purchase& purchase) {
  if (!purchase.has_vehicle()) {
    return Ineligible(absl::StrCat(purchase.category(),
                                   " needs the new car's details (purchase.vehicle)"));
  }
  const v1::NewVehicle& car = purchase.vehicle();
  if (!car.passenger()) return Ineligible("only passenger cars (乘用车) are subsidised");
  const std::string type = v1::Vehicle::EnergyType_Name(car.energy_type());
  if (!rule.energy_types().empty()) {
    bool listed = false;
    for (int t : rule.energy_types()) listed = listed || t == car.energy_type();
    if (!listed) return Ineligible(absl::StrCat("the rule does not subsidise a new ", type, " car"));
  }
  if (car.energy_type() == v1::Vehicle::NEV) {
    if (rule.requires_nev_catalogue() && !car.nev_catalogue()) {
      return Ineligible("the NEV is not in the purchase-tax exemption catalogue");
    }
    return absl::OkStatus();
  }
  if (car.displacement_ml() <= 0) {
    return Ineligible(absl::StrCat("a new ", type, " car needs its displacement"));
  }
  if (rule.max_displacement_ml() > 0 && car.displacement_ml() > rule.max_displacement_ml()) {
    return Ineligible(absl::StrCat("the new car's displacement is ", car.displacement_ml(),
                                   " ml; the rule allows at most ", rule.max_displacement_ml(),
                                   " ml"));
  }
  return absl::OkStatus();
}

absl::Status ValidateNewVehicleRule(const std::string& prefix, const v1::NewVehicleRule& rule) {
  std::set<int> seen;
  for (int i = 0; i < rule.energy_types_size(); ++i) {
    const int t = rule.energy_types(i);
    const std::string field = absl::StrCat(prefix, ".energy_types[", i, "]");
    if (!KnownEnergyType(t)) {
      return FieldError(field, "must be PETROL, DIESEL, NEV or OTHER", reason::kInvalidProgram);
    }
    if (!seen.insert(t).second) {
      return FieldError(field, "appears twice", reason::kInvalidProgram);
    }
  }
  if (rule.max_displacement_ml() < 0 || rule.max_displacement_ml() > kMaxDisplacementMl) {
    return FieldError(absl::StrCat(prefix, ".max_displacement_ml"),
                      "must be 0..20000 (0 = no limit)", reason::kInvalidProgram);
  }
  return absl::OkStatus();
}

absl::Status ValidateNewVehicle(const std::string& prefix, const v1::NewVehicle& vehicle) {
  if (!KnownEnergyType(vehicle.energy_type())) {
    return FieldError(absl::StrCat(prefix, ".energy_type"), "must be PETROL, DIESEL, NEV or OTHER");
  }
  if (vehicle.displacement_ml() < 0 || vehicle.displacement_ml() > kMaxDisplacementMl) {
    return FieldError(absl::StrCat(prefix, ".displacement_ml"), "must be 0..20000");
  }
  return absl::OkStatus();
}

}  // namespace huanxin
