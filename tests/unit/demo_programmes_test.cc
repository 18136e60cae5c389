// The demo's programmes (deploy/demo/programs/) against the published figures of the 2026
// and 2025 rules docs/policy.md cites: every file is a programme CreateProgram accepts, and
// a purchase gets what that year's rules pay.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "common/status.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "huanxin/v1/common.pb.h"
#include "rules/cost_shares.h"
#include "rules/new_vehicle.h"
#include "rules/program_rules.h"
#include "rules/subsidy.h"

namespace huanxin {
namespace {

namespace fs = std::filesystem;

// Every programme of deploy/demo/programs, by id, as the loader reads it: the state a file
// names is set after creation, so it is taken out (and kept in `states`).
std::map<std::string, v1::Program> LoadDemo(std::map<std::string, v1::Program::State>* states) {
  std::map<std::string, v1::Program> out;
  for (const auto& entry : fs::directory_iterator(fs::path(HUANXIN_SOURCE_DIR) / "deploy/demo/programs")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    v1::Program p;
    const auto parsed = google::protobuf::util::JsonStringToMessage(text.str(), &p);
    EXPECT_TRUE(parsed.ok()) << entry.path() << ": " << parsed.ToString();
    (*states)[p.program_id()] = p.state();
    p.clear_state();
    out[p.program_id()] = p;
  }
  return out;
}

class DemoProgrammesTest : public ::testing::Test {
 protected:
  void SetUp() override { programs_ = LoadDemo(&states_); }

  // The subsidy in fen for `category` of `program_id` at `price_yuan` (and energy grade), or
  // -1 with the refusal's reason in `reason`.
  int64_t Subsidy(const std::string& program_id, const std::string& category, int64_t price_yuan,
                  int32_t grade = 0, std::string* reason = nullptr) {
    const v1::CategoryRule* rule = FindRule(programs_.at(program_id), category);
    EXPECT_NE(rule, nullptr) << program_id << " has no rule for " << category;
    if (rule == nullptr) return -1;
    v1::Purchase p;
    p.set_category(category);
    p.set_price_fen(price_yuan * 100);
    p.set_energy_grade(grade);
    absl::StatusOr<int64_t> s = ComputeSubsidy(*rule, p, -1);
    if (!s.ok() && reason != nullptr) *reason = ReasonOf(s.status());
    return s.ok() ? *s : -1;
  }

  std::map<std::string, v1::Program> programs_;
  std::map<std::string, v1::Program::State> states_;
};

TEST_F(DemoProgrammesTest, EveryFileIsAValidProgrammeOf2025Or2026) {
  ASSERT_EQ(programs_.size(), 8u);
  for (const auto& [id, p] : programs_) {
    EXPECT_TRUE(ValidateProgram(p).ok()) << id << ": " << ValidateProgram(p);
    const bool history = id.size() > 5 && id.substr(id.size() - 5) == "-2025";
    EXPECT_EQ(states_.at(id), history ? v1::Program::CLOSED : v1::Program::STATE_UNSPECIFIED) << id;
    EXPECT_EQ(p.region_code(), "371600") << id;
  }
}

TEST_F(DemoProgrammesTest, Appliances2026PayGradeOneOnly15PercentUpTo1500) {
  const v1::Program& p = programs_.at("binzhou-appliance-2026");
  EXPECT_EQ(p.rules_size(), 6);
  EXPECT_EQ(Subsidy(p.program_id(), "refrigerator", 3999, 1), 59985);  // ¥599.85
  EXPECT_EQ(Subsidy(p.program_id(), "television", 12000, 1), 150000);  // capped
  std::string reason;
  EXPECT_EQ(Subsidy(p.program_id(), "air_conditioner", 3999, 2, &reason), -1);
  EXPECT_EQ(reason, "ENERGY_GRADE_INELIGIBLE");
  for (const v1::CategoryRule& rule : p.rules()) {
    EXPECT_EQ(rule.per_consumer_limit(), 1) << rule.category();
    EXPECT_TRUE(rule.requires_invoice() && rule.requires_serial()) << rule.category();
  }
  EXPECT_EQ(FindRule(p, "microwave"), nullptr) << "not a 2026 category";
  EXPECT_EQ(p.voucher_validity_days(), 3);
  EXPECT_EQ(p.max_claims_per_consumer(), 5);
}

TEST_F(DemoProgrammesTest, Appliances2025PaidTwentyAndFifteenPercentUpTo2000) {
  EXPECT_EQ(Subsidy("binzhou-appliance-2025", "refrigerator", 3999, 1), 79980);  // ¥799.80
  EXPECT_EQ(Subsidy("binzhou-appliance-2025", "air_conditioner", 3999, 2), 59985);
  EXPECT_EQ(Subsidy("binzhou-appliance-2025", "television", 12000, 1), 200000);
  EXPECT_EQ(programs_.at("binzhou-appliance-2025").rules_size(), 12);
}

TEST_F(DemoProgrammesTest, Digital2026Pays15PercentUpTo500BelowSixThousand) {
  EXPECT_EQ(Subsidy("binzhou-digital-2026", "phone", 3000), 45000);
  EXPECT_EQ(Subsidy("binzhou-digital-2026", "smart_glasses", 5999), 50000);
  std::string reason;
  EXPECT_EQ(Subsidy("binzhou-digital-2026", "tablet", 6001, 0, &reason), -1);
  EXPECT_EQ(reason, "PRICE_ABOVE_CEILING");
}

TEST_F(DemoProgrammesTest, Cars2026PayAShareOfThePriceWithCaps) {
  // Scrap & renew: NEV 12% up to ¥20,000, fuel <= 2.0 L 10% up to ¥15,000.
  EXPECT_EQ(Subsidy("binzhou-car-scrap-2026", "nev", 150000), 1800000);
  EXPECT_EQ(Subsidy("binzhou-car-scrap-2026", "nev", 200000), 2000000);
  EXPECT_EQ(Subsidy("binzhou-car-scrap-2026", "fuel_le_2l", 100000), 1000000);
  EXPECT_EQ(Subsidy("binzhou-car-scrap-2026", "fuel_le_2l", 180000), 1500000);
  // Replace & renew: NEV 8% up to ¥15,000, fuel 6% up to ¥13,000.
  EXPECT_EQ(Subsidy("binzhou-car-replacement-2026", "nev", 100000), 800000);
  EXPECT_EQ(Subsidy("binzhou-car-replacement-2026", "nev", 250000), 1500000);
  EXPECT_EQ(Subsidy("binzhou-car-replacement-2026", "fuel_le_2l", 150000), 900000);
  EXPECT_EQ(Subsidy("binzhou-car-replacement-2026", "fuel_le_2l", 250000), 1300000);
  // 2025 paid fixed sums.
  EXPECT_EQ(Subsidy("binzhou-car-scrap-2025", "nev", 80000), 2000000);
  EXPECT_EQ(Subsidy("binzhou-car-replacement-2025", "fuel_le_2l", 80000), 1300000);

  // The new car: a 3.0 L fuel car or an NEV outside the catalogue gets nothing.
  const v1::CategoryRule* fuel = FindRule(programs_.at("binzhou-car-scrap-2026"), "fuel_le_2l");
  const v1::CategoryRule* nev = FindRule(programs_.at("binzhou-car-replacement-2026"), "nev");
  ASSERT_NE(fuel, nullptr);
  ASSERT_NE(nev, nullptr);
  v1::Purchase big;
  big.mutable_vehicle()->set_energy_type(v1::Vehicle::PETROL);
  big.mutable_vehicle()->set_displacement_ml(2998);
  big.mutable_vehicle()->set_passenger(true);
  EXPECT_EQ(ReasonOf(CheckNewVehicleEligible(fuel->new_vehicle(), big)), "NEW_VEHICLE_INELIGIBLE");
  big.mutable_vehicle()->set_displacement_ml(1998);
  EXPECT_TRUE(CheckNewVehicleEligible(fuel->new_vehicle(), big).ok());
  v1::Purchase ev;
  ev.mutable_vehicle()->set_energy_type(v1::Vehicle::NEV);
  ev.mutable_vehicle()->set_passenger(true);
  EXPECT_EQ(ReasonOf(CheckNewVehicleEligible(nev->new_vehicle(), ev)), "NEW_VEHICLE_INELIGIBLE");
  ev.mutable_vehicle()->set_nev_catalogue(true);
  EXPECT_TRUE(CheckNewVehicleEligible(nev->new_vehicle(), ev).ok());
}

TEST_F(DemoProgrammesTest, The2026MoneyIs85PercentCentral) {
  for (const char* id : {"binzhou-appliance-2026", "binzhou-digital-2026", "binzhou-car-scrap-2026",
                         "binzhou-car-replacement-2026"}) {
    const v1::Program& p = programs_.at(id);
    EXPECT_TRUE(ValidateCostShares("cost_shares", p.cost_shares()).ok()) << id;
    ASSERT_FALSE(p.cost_shares().empty()) << id;
    EXPECT_EQ(p.cost_shares(0).source(), v1::CENTRAL) << id;
    EXPECT_EQ(p.cost_shares(0).share_bp(), 8500) << id;
    EXPECT_FALSE(p.limit_group().empty()) << id;
  }
}

}  // namespace
}  // namespace huanxin
