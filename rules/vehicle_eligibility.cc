#include "rules/vehicle_eligibility.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"

namespace huanxin {
namespace {

// `what` (e.g. "registration date") of the vehicle, `date`, must be on or before `limit`.
// An empty limit does not apply.
absl::Status CheckOnOrBefore(absl::string_view what, absl::string_view date,
                             absl::string_view limit, absl::string_view kind) {
  if (limit.empty()) return absl::OkStatus();
  absl::StatusOr<absl::CivilDay> cutoff = ParseDate(limit);
  if (!cutoff.ok()) {
    // Programmes are validated at creation, so this is a rule no car can meet.
    return Refuse(reason::kVehicleIneligible,
                  absl::StrCat("the rule's ", kind, " ", what, " limit is not a date"));
  }
  if (date.empty()) {
    return Refuse(reason::kVehicleIneligible,
                  absl::StrCat("the old ", kind, " has no ", what, "; the rule needs it on or before ",
                               limit));
  }
  absl::StatusOr<absl::CivilDay> day = ParseDate(date);
  if (!day.ok()) {
    return Refuse(reason::kVehicleIneligible,
                  absl::StrCat("the old ", kind, "'s ", what, " is not a YYYY-MM-DD date"));
  }
  if (*day > *cutoff) {
    return Refuse(reason::kVehicleIneligible,
                  absl::StrCat("the old ", kind, "'s ", what, " ", date, " is after ", limit));
  }
  return absl::OkStatus();
}

}  // namespace

bool HasVehicleLimits(const v1::VehicleEligibility& rule) {
  return rule.max_emission_standard() > 0 || !rule.petrol_registered_by().empty() ||
         !rule.diesel_registered_by().empty() || !rule.nev_registered_by().empty() ||
         !rule.other_registered_by().empty() || !rule.owned_since_by().empty();
}

absl::Status CheckVehicleEligible(const v1::VehicleEligibility& rule,
                                  const v1::Vehicle& v) {
  if (!HasVehicleLimits(rule)) return absl::OkStatus();
  switch (v.energy_type()) {
    case v1::Vehicle::PETROL:
    case v1::Vehicle::DIESEL: {
      const bool petrol = v.energy_type() == v1::Vehicle::PETROL;
      const char* kind = petrol ? "petrol car" : "diesel car";
      if (rule.max_emission_standard() > 0) {
        if (v.emission_standard() <= 0) {
          return Refuse(reason::kVehicleIneligible,
                        absl::StrCat("the old ", kind, "'s emission standard is unknown; the "
                                     "rule accepts 国", rule.max_emission_standard(), " or below"));
        }
        if (v.emission_standard() > rule.max_emission_standard()) {
          return Refuse(reason::kVehicleIneligible,
                        absl::StrCat("the old ", kind, " is 国", v.emission_standard(),
                                     "; the rule accepts 国", rule.max_emission_standard(),
                                     " or below"));
        }
      }
      const std::string& limit =
          petrol ? rule.petrol_registered_by() : rule.diesel_registered_by();
      absl::Status registered =
          CheckOnOrBefore("registration date", v.registration_date(), limit, kind);
      if (!registered.ok()) return registered;
      return CheckOnOrBefore("owned-since date", v.owned_since(), rule.owned_since_by(), kind);
    }
    case v1::Vehicle::NEV: {
      absl::Status registered = CheckOnOrBefore("registration date", v.registration_date(),
                                                rule.nev_registered_by(), "NEV");
      if (!registered.ok()) return registered;
      return CheckOnOrBefore("owned-since date", v.owned_since(), rule.owned_since_by(), "NEV");
    }
    case v1::Vehicle::OTHER:
      if (!rule.other_registered_by().empty()) {
        absl::Status registered = CheckOnOrBefore("registration date", v.registration_date(),
                                                  rule.other_registered_by(), "car");
        if (!registered.ok()) return registered;
        return CheckOnOrBefore("owned-since date", v.owned_since(), rule.owned_since_by(), "car");
      }
      [[fallthrough]];
    default:
      return Refuse(reason::kVehicleIneligible,
                    absl::StrCat("the rule accepts only petrol, diesel and NEV old cars, not ",
                                 v1::Vehicle::EnergyType_Name(v.energy_type())));
  }
}

}  // namespace huanxin
