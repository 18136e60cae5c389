#include "rules/new_vehicle.h"

#include "common/status.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

// 2026's fuel-car rule: petrol or diesel, at most 2.0 L.
v1::NewVehicleRule FuelUpTo2L() {
  v1::NewVehicleRule r;
  r.add_energy_types(v1::Vehicle::PETROL);
  r.add_energy_types(v1::Vehicle::DIESEL);
  r.set_max_displacement_ml(2000);
  return r;
}

v1::NewVehicleRule CatalogueNev() {
  v1::NewVehicleRule r;
  r.add_energy_types(v1::Vehicle::NEV);
  r.set_requires_nev_catalogue(true);
  return r;
}

v1::Purchase Car(v1::Vehicle::EnergyType type, int ml, bool catalogue = false,
                 bool passenger = true) {
  v1::Purchase p;
  p.set_category("car");
  p.mutable_vehicle()->set_energy_type(type);
  p.mutable_vehicle()->set_displacement_ml(ml);
  p.mutable_vehicle()->set_nev_catalogue(catalogue);
  p.mutable_vehicle()->set_passenger(passenger);
  return p;
}

bool Ineligible(const absl::Status& s) { return ReasonOf(s) == reason::kNewVehicleIneligible; }

TEST(NewVehicleTest, DisplacementUpToTheLimitInclusive) {
  EXPECT_TRUE(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::PETROL, 2000)).ok());
  EXPECT_TRUE(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::DIESEL, 1968)).ok());
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::PETROL, 2001))));
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::PETROL, 2998))));
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::PETROL, 0))))
      << "a fuel car without its displacement cannot be checked";
}

TEST(NewVehicleTest, EnergyTypeCatalogueAndPassenger) {
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::NEV, 0, true))));
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(FuelUpTo2L(), Car(v1::Vehicle::OTHER, 1500))));
  EXPECT_TRUE(CheckNewVehicleEligible(CatalogueNev(), Car(v1::Vehicle::NEV, 0, true)).ok());
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(CatalogueNev(), Car(v1::Vehicle::NEV, 0, false))));
  EXPECT_TRUE(Ineligible(
      CheckNewVehicleEligible(CatalogueNev(), Car(v1::Vehicle::NEV, 0, true, /*passenger=*/false))));
  EXPECT_TRUE(Ineligible(CheckNewVehicleEligible(CatalogueNev(), v1::Purchase())));
  // A rule listing no energy types takes any passenger car within its other limits.
  v1::NewVehicleRule any;
  any.set_max_displacement_ml(2000);
  EXPECT_TRUE(CheckNewVehicleEligible(any, Car(v1::Vehicle::OTHER, 1500)).ok());
  EXPECT_TRUE(CheckNewVehicleEligible(any, Car(v1::Vehicle::NEV, 0)).ok());
}

TEST(NewVehicleTest, Validation) {
  EXPECT_TRUE(ValidateNewVehicleRule("r", FuelUpTo2L()).ok());
  v1::NewVehicleRule twice = FuelUpTo2L();
  twice.add_energy_types(v1::Vehicle::PETROL);
  EXPECT_EQ(FieldOf(ValidateNewVehicleRule("r", twice)), "r.energy_types[2]");
  v1::NewVehicleRule unspecified;
  unspecified.add_energy_types(v1::Vehicle::ENERGY_TYPE_UNSPECIFIED);
  EXPECT_EQ(FieldOf(ValidateNewVehicleRule("r", unspecified)), "r.energy_types[0]");
  v1::NewVehicleRule huge;
  huge.set_max_displacement_ml(20001);
  EXPECT_EQ(FieldOf(ValidateNewVehicleRule("r", huge)), "r.max_displacement_ml");
  EXPECT_EQ(FieldOf(ValidateNewVehicle("p", Car(v1::Vehicle::ENERGY_TYPE_UNSPECIFIED, 0).vehicle())),
            "p.energy_type");
  EXPECT_EQ(FieldOf(ValidateNewVehicle("p", Car(v1::Vehicle::PETROL, -1).vehicle())),
            "p.displacement_ml");
}

}  // namespace
}  // namespace huanxin
