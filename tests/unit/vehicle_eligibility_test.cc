// The 2025 national old-car rules (docs/policy.md, Cars) at every boundary: the cut-off day passes,
// the day after fails; petrol, diesel, NEV, ownership, emission standard and energy type.
#include "rules/vehicle_eligibility.h"

#include <string>

#include "common/status.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

// 国四 or below; petrol registered by 2012-06-30, diesel by 2014-06-30, NEV by 2018-12-31;
// owned since on or before 2025-01-08 (the day included).
v1::VehicleEligibility National2025() {
  v1::VehicleEligibility r;
  r.set_max_emission_standard(4);
  r.set_petrol_registered_by("2012-06-30");
  r.set_diesel_registered_by("2014-06-30");
  r.set_nev_registered_by("2018-12-31");
  r.set_owned_since_by("2025-01-08");
  return r;
}

v1::Vehicle Car(v1::Vehicle::EnergyType type, const std::string& registered,
                const std::string& owned_since = "2020-01-01", int emission = 4) {
  v1::Vehicle v;
  v.set_energy_type(type);
  v.set_emission_standard(type == v1::Vehicle::NEV ? 0 : emission);
  v.set_registration_date(registered);
  v.set_owned_since(owned_since);
  v.set_displacement_ml(type == v1::Vehicle::NEV ? 0 : 1598);
  return v;
}

::testing::AssertionResult Ineligible(const absl::Status& s) {
  if (s.code() != absl::StatusCode::kFailedPrecondition) {
    return ::testing::AssertionFailure() << "code " << s.code() << ": " << s.message();
  }
  if (ReasonOf(s) != reason::kVehicleIneligible) {
    return ::testing::AssertionFailure() << "reason " << ReasonOf(s) << ": " << s.message();
  }
  return ::testing::AssertionSuccess() << s.message();
}

TEST(VehicleEligibilityTest, PetrolRegistrationBoundary) {
  EXPECT_TRUE(CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2012-06-30")).ok());
  EXPECT_TRUE(CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2005-03-15")).ok());
  absl::Status late = CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2012-07-01"));
  EXPECT_TRUE(Ineligible(late));
  EXPECT_NE(late.message().find("2012-07-01"), absl::string_view::npos) << late.message();
  EXPECT_NE(late.message().find("2012-06-30"), absl::string_view::npos) << late.message();
}

TEST(VehicleEligibilityTest, DieselRegistrationBoundary) {
  EXPECT_TRUE(CheckVehicleEligible(National2025(), Car(v1::Vehicle::DIESEL, "2014-06-30")).ok());
  EXPECT_TRUE(Ineligible(
      CheckVehicleEligible(National2025(), Car(v1::Vehicle::DIESEL, "2014-07-01"))));
  // A diesel car registered between the petrol and the diesel cut-offs is eligible; the same
  // date on a petrol car is not.
  EXPECT_TRUE(CheckVehicleEligible(National2025(), Car(v1::Vehicle::DIESEL, "2013-06-30")).ok());
  EXPECT_TRUE(Ineligible(
      CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2013-06-30"))));
}

TEST(VehicleEligibilityTest, NevRegistrationBoundary) {
  EXPECT_TRUE(CheckVehicleEligible(National2025(), Car(v1::Vehicle::NEV, "2018-12-31")).ok());
  EXPECT_TRUE(
      Ineligible(CheckVehicleEligible(National2025(), Car(v1::Vehicle::NEV, "2019-01-01"))));
  // Emission standards are for fuel cars: an NEV with none passes.
  v1::Vehicle nev = Car(v1::Vehicle::NEV, "2016-05-20");
  nev.set_emission_standard(0);
  EXPECT_TRUE(CheckVehicleEligible(National2025(), nev).ok());
}

TEST(VehicleEligibilityTest, OwnedSinceBoundary) {
  for (auto type : {v1::Vehicle::PETROL, v1::Vehicle::DIESEL, v1::Vehicle::NEV}) {
    SCOPED_TRACE(v1::Vehicle::EnergyType_Name(type));
    EXPECT_TRUE(
        CheckVehicleEligible(National2025(), Car(type, "2010-01-01", "2025-01-08")).ok());
    EXPECT_TRUE(Ineligible(
        CheckVehicleEligible(National2025(), Car(type, "2010-01-01", "2025-01-09"))));
    EXPECT_TRUE(Ineligible(CheckVehicleEligible(National2025(), Car(type, "2010-01-01", ""))));
  }
}

TEST(VehicleEligibilityTest, EmissionStandard) {
  EXPECT_TRUE(
      CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 3))
          .ok());
  EXPECT_TRUE(
      CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 4))
          .ok());
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(
      National2025(), Car(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 5))));
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(
      National2025(), Car(v1::Vehicle::DIESEL, "2010-01-01", "2015-01-01", 5))));
  // Unknown standard on a fuel car fails a set limit.
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(
      National2025(), Car(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 0))));
}

TEST(VehicleEligibilityTest, OtherAndUnspecifiedEnergyTypes) {
  EXPECT_TRUE(
      Ineligible(CheckVehicleEligible(National2025(), Car(v1::Vehicle::OTHER, "2010-01-01"))));
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(National2025(), v1::Vehicle())));
  // A rule with no limits accepts anything, even an unknown car.
  EXPECT_TRUE(CheckVehicleEligible(v1::VehicleEligibility(), v1::Vehicle()).ok());
  EXPECT_FALSE(HasVehicleLimits(v1::VehicleEligibility()));
  EXPECT_TRUE(HasVehicleLimits(National2025()));
}

TEST(VehicleEligibilityTest, UnsetLimitsDoNotApply) {
  v1::VehicleEligibility only_nev;
  only_nev.set_nev_registered_by("2018-12-31");
  // No petrol date and no emission limit: any petrol car passes.
  EXPECT_TRUE(
      CheckVehicleEligible(only_nev, Car(v1::Vehicle::PETROL, "2024-01-01", "2024-01-01", 6)).ok());
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(only_nev, Car(v1::Vehicle::NEV, "2019-01-01"))));
}

TEST(VehicleEligibilityTest, MissingOrMalformedDatesFail) {
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, ""))));
  EXPECT_TRUE(
      Ineligible(CheckVehicleEligible(National2025(), Car(v1::Vehicle::PETROL, "2012/06/30"))));
  EXPECT_TRUE(
      Ineligible(CheckVehicleEligible(National2025(), Car(v1::Vehicle::NEV, "2018-02-30"))));
}

TEST(VehicleEligibilityTest, OtherFuelsByTheirOwnDate) {
  v1::VehicleEligibility rule = National2025();
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(rule, Car(v1::Vehicle::OTHER, "2010-01-01"))));
  rule.set_other_registered_by("2012-06-30");
  EXPECT_TRUE(CheckVehicleEligible(rule, Car(v1::Vehicle::OTHER, "2012-06-30")).ok());
  EXPECT_TRUE(Ineligible(CheckVehicleEligible(rule, Car(v1::Vehicle::OTHER, "2012-07-01"))));
  EXPECT_TRUE(Ineligible(
      CheckVehicleEligible(rule, Car(v1::Vehicle::OTHER, "2010-01-01", "2025-01-09"))));
  // other_registered_by alone is a limit: an unknown fuel type is still refused.
  v1::VehicleEligibility only_other;
  only_other.set_other_registered_by("2012-06-30");
  EXPECT_TRUE(Ineligible(
      CheckVehicleEligible(only_other, Car(v1::Vehicle::ENERGY_TYPE_UNSPECIFIED, "2010-01-01"))));
}

}  // namespace
}  // namespace huanxin
