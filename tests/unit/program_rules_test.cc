#include "rules/program_rules.h"

#include <functional>
#include <string>

#include "absl/time/civil_time.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "rules/version.h"

namespace huanxin {
namespace {

// Binzhou's 2025 appliance programme: a valid starting point every test breaks one way.
v1::Program Appliances() {
  v1::Program p;
  p.set_program_id("binzhou-appliance-2025");
  p.set_name("滨州市2025年家电以旧换新");
  p.set_kind(v1::Program::APPLIANCE);
  p.set_region_code("371600");
  p.mutable_start_time()->set_seconds(1735660800);  // 2025-01-01T00:00:00+08:00
  p.mutable_end_time()->set_seconds(1767196800);    // 2026-01-01T00:00:00+08:00
  p.mutable_voucher_ttl()->set_seconds(3 * 24 * 3600);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  for (const char* category : {"refrigerator", "washing_machine", "air_conditioner"}) {
    v1::CategoryRule* r = p.add_rules();
    r->set_category(category);
    r->set_grade1_rate_bp(2000);
    r->set_grade2_rate_bp(1500);
    r->set_cap_fen(200000);
  }
  p.mutable_rules(2)->set_per_consumer_limit(3);
  return p;
}

v1::Program CarScrap() {
  v1::Program p = Appliances();
  p.set_program_id("binzhou-car-scrap-2025");
  p.set_kind(v1::Program::CAR_SCRAP);
  p.clear_rules();
  v1::CategoryRule* nev = p.add_rules();
  nev->set_category("nev");
  nev->set_fixed_amount_fen(2000000);
  nev->set_requires_serial(true);
  nev->set_requires_scrap_receipt(true);
  nev->mutable_old_vehicle()->set_max_emission_standard(4);
  nev->mutable_old_vehicle()->set_petrol_registered_by("2012-06-30");
  nev->mutable_old_vehicle()->set_diesel_registered_by("2014-06-30");
  nev->mutable_old_vehicle()->set_nev_registered_by("2018-12-31");
  nev->mutable_old_vehicle()->set_owned_since_by("2025-01-07");
  return p;
}

void ExpectInvalid(const std::function<void(v1::Program&)>& mutate, const std::string& field) {
  v1::Program p = Appliances();
  mutate(p);
  absl::Status s = ValidateProgram(p);
  ASSERT_FALSE(s.ok()) << "expected an error at " << field;
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(ReasonOf(s), reason::kInvalidProgram) << s;
  EXPECT_EQ(FieldOf(s), field) << s;
}

TEST(ValidateProgram, AcceptsPublishedProgrammes) {
  EXPECT_TRUE(ValidateProgram(Appliances()).ok()) << ValidateProgram(Appliances());
  EXPECT_TRUE(ValidateProgram(CarScrap()).ok()) << ValidateProgram(CarScrap());
}

TEST(ValidateProgram, TopLevelFields) {
  ExpectInvalid([](v1::Program& p) { p.set_program_id(""); }, "program.program_id");
  ExpectInvalid([](v1::Program& p) { p.set_program_id("ab"); }, "program.program_id");
  ExpectInvalid([](v1::Program& p) { p.set_program_id("Binzhou"); }, "program.program_id");
  ExpectInvalid([](v1::Program& p) { p.set_program_id(std::string(65, 'a')); },
                "program.program_id");
  ExpectInvalid([](v1::Program& p) { p.set_name(""); }, "program.name");
  ExpectInvalid([](v1::Program& p) { p.set_name(std::string(201, 'a')); }, "program.name");
  ExpectInvalid([](v1::Program& p) { p.set_name("a\nb"); }, "program.name");
  ExpectInvalid([](v1::Program& p) { p.set_name("\xff"); }, "program.name");
  ExpectInvalid([](v1::Program& p) { p.set_kind(v1::Program::KIND_UNSPECIFIED); },
                "program.kind");
  ExpectInvalid([](v1::Program& p) { p.set_kind(static_cast<v1::Program::Kind>(42)); },
                "program.kind");
  ExpectInvalid([](v1::Program& p) { p.set_region_code("37160"); }, "program.region_code");
  ExpectInvalid([](v1::Program& p) { p.set_region_code("37160a"); }, "program.region_code");
  ExpectInvalid([](v1::Program& p) { p.clear_start_time(); }, "program.start_time");
  ExpectInvalid([](v1::Program& p) { p.clear_end_time(); }, "program.end_time");
  ExpectInvalid([](v1::Program& p) { p.mutable_start_time()->set_nanos(-1); },
                "program.start_time");
  ExpectInvalid([](v1::Program& p) { *p.mutable_end_time() = p.start_time(); },
                "program.end_time");
  ExpectInvalid([](v1::Program& p) { p.mutable_end_time()->set_seconds(1); },
                "program.end_time");
  ExpectInvalid([](v1::Program& p) { p.clear_voucher_ttl(); }, "program.voucher_ttl");
  ExpectInvalid([](v1::Program& p) { p.mutable_voucher_ttl()->set_seconds(0); },
                "program.voucher_ttl");
  ExpectInvalid([](v1::Program& p) { p.mutable_voucher_ttl()->set_seconds(-60); },
                "program.voucher_ttl");
  ExpectInvalid([](v1::Program& p) { p.mutable_voucher_ttl()->set_seconds(367 * 86400); },
                "program.voucher_ttl");
  ExpectInvalid([](v1::Program& p) { p.set_daily_voucher_limit(-1); },
                "program.daily_voucher_limit");
  ExpectInvalid([](v1::Program& p) { p.set_per_consumer_total_cap_fen(-1); },
                "program.per_consumer_total_cap_fen");
  ExpectInvalid([](v1::Program& p) { p.set_refund_policy(v1::Program::REFUND_POLICY_UNSPECIFIED); },
                "program.refund_policy");
  ExpectInvalid([](v1::Program& p) { p.set_state(v1::Program::ACTIVE); }, "program.state");
  ExpectInvalid([](v1::Program& p) { p.clear_rules(); }, "program.rules");
}

TEST(ValidateProgram, Limits) {
  v1::Program p = Appliances();
  p.mutable_voucher_ttl()->set_seconds(366 * 86400);
  p.set_daily_voucher_limit(0);
  p.set_per_consumer_total_cap_fen(3000000);
  p.set_name(std::string(200, 'a'));
  p.set_refund_policy(v1::Program::ENTITLEMENT_RESTORED);
  EXPECT_TRUE(ValidateProgram(p).ok()) << ValidateProgram(p);
  p.mutable_voucher_ttl()->set_nanos(1);
  EXPECT_EQ(FieldOf(ValidateProgram(p)), "program.voucher_ttl");
}

TEST(ValidateProgram, RuleFields) {
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(1)->set_category(""); },
                "program.rules[1].category");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(1)->set_category("Washing-Machine"); },
                "program.rules[1].category");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(2)->set_category("refrigerator"); },
                "program.rules[2].category");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(0)->set_grade1_rate_bp(10001); },
                "program.rules[0].grade1_rate_bp");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(0)->set_grade2_rate_bp(-1); },
                "program.rules[0].grade2_rate_bp");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(0)->set_rate_bp(20000); },
                "program.rules[0].rate_bp");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(2)->set_cap_fen(-1); },
                "program.rules[2].cap_fen");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(2)->set_fixed_amount_fen(-1); },
                "program.rules[2].fixed_amount_fen");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(2)->set_price_ceiling_fen(-1); },
                "program.rules[2].price_ceiling_fen");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(2)->set_cap_fen(0); },
                "program.rules[2].cap_fen");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(1)->set_per_consumer_limit(101); },
                "program.rules[1].per_consumer_limit");
  ExpectInvalid([](v1::Program& p) { p.mutable_rules(1)->set_per_consumer_limit(-1); },
                "program.rules[1].per_consumer_limit");
  ExpectInvalid(
      [](v1::Program& p) {
        p.mutable_rules(0)->mutable_old_vehicle()->set_petrol_registered_by("2012-06-31");
      },
      "program.rules[0].old_vehicle.petrol_registered_by");
  ExpectInvalid(
      [](v1::Program& p) {
        p.mutable_rules(0)->mutable_old_vehicle()->set_owned_since_by("2025/01/08");
      },
      "program.rules[0].old_vehicle.owned_since_by");
  ExpectInvalid(
      [](v1::Program& p) { p.mutable_rules(0)->mutable_old_vehicle()->set_max_emission_standard(7); },
      "program.rules[0].old_vehicle.max_emission_standard");
}

TEST(ValidateProgram, FixedAmountAloneBoundsTheHold) {
  v1::Program p = CarScrap();
  EXPECT_EQ(p.rules(0).cap_fen(), 0);
  EXPECT_TRUE(ValidateProgram(p).ok());
}

TEST(ValidateProgram, RulesAsData) {
  ExpectInvalid([](v1::Program& p) { p.set_limit_group("Appliance 2026"); },
                "program.limit_group");
  ExpectInvalid([](v1::Program& p) { p.set_voucher_validity_days(-1); },
                "program.voucher_validity_days");
  ExpectInvalid([](v1::Program& p) { p.set_voucher_validity_days(367); },
                "program.voucher_validity_days");
  ExpectInvalid([](v1::Program& p) { p.clear_voucher_ttl(); }, "program.voucher_ttl");
  ExpectInvalid([](v1::Program& p) { p.set_max_claims_per_consumer(-1); },
                "program.max_claims_per_consumer");
  auto share = [](v1::Program& p, v1::FundSource source, int32_t bp) {
    v1::CostShare* s = p.add_cost_shares();
    s->set_source(source);
    s->set_share_bp(bp);
  };
  ExpectInvalid([&](v1::Program& p) { share(p, v1::CENTRAL, 8500); share(p, v1::MUNICIPAL, 1499); },
                "program.cost_shares");
  ExpectInvalid([&](v1::Program& p) { share(p, v1::CENTRAL, 5000); share(p, v1::CENTRAL, 5000); },
                "program.cost_shares[1].source");
  ExpectInvalid([&](v1::Program& p) { share(p, v1::FUND_SOURCE_UNSPECIFIED, 10000); },
                "program.cost_shares[0].source");
  ExpectInvalid([&](v1::Program& p) { share(p, v1::CENTRAL, 10000); share(p, v1::COUNTY, 0); },
                "program.cost_shares[1].share_bp");

  v1::Program days = Appliances();
  days.clear_voucher_ttl();
  days.set_voucher_validity_days(2);
  days.set_limit_group("appliance-2026");
  days.set_max_claims_per_consumer(5);
  share(days, v1::CENTRAL, 8500);
  share(days, v1::PROVINCIAL, 750);
  share(days, v1::MUNICIPAL, 750);
  EXPECT_TRUE(ValidateProgram(days).ok()) << ValidateProgram(days);
}

TEST(ProgramRules, VoucherExpiresAtTheEndOfItsLastCalendarDay) {
  const absl::TimeZone shanghai = absl::FixedTimeZone(8 * 3600);
  v1::Program p = Appliances();  // runs to 2026-01-01 00:00
  p.set_voucher_validity_days(2);
  // Issued one second before midnight still counts that day as the first.
  const absl::Time late = absl::FromCivil(absl::CivilSecond(2025, 6, 1, 23, 59, 59), shanghai);
  EXPECT_EQ(VoucherExpiresAt(p, late), absl::FromCivil(absl::CivilDay(2025, 6, 3), shanghai));
  const absl::Time early = absl::FromCivil(absl::CivilSecond(2025, 6, 2, 0, 0, 0), shanghai);
  EXPECT_EQ(VoucherExpiresAt(p, early), absl::FromCivil(absl::CivilDay(2025, 6, 4), shanghai));
  // Never past the programme's end; without validity days, voucher_ttl.
  const absl::Time new_year = absl::FromCivil(absl::CivilSecond(2025, 12, 31, 12, 0, 0), shanghai);
  EXPECT_EQ(VoucherExpiresAt(p, new_year), absl::FromCivil(absl::CivilDay(2026, 1, 1), shanghai));
  p.set_voucher_validity_days(0);
  EXPECT_EQ(VoucherExpiresAt(p, late), late + absl::Hours(72));
}

TEST(ProgramRules, LimitScope) {
  EXPECT_EQ(LimitScope("binzhou-appliance-2026", ""), "binzhou-appliance-2026");
  EXPECT_EQ(LimitScope("binzhou-appliance-2026", "appliance-2026"), "group:appliance-2026");
}

TEST(ProgramRules, FindRule) {
  const v1::Program p = Appliances();
  const v1::CategoryRule* r = FindRule(p, "washing_machine");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r, &p.rules(1));
  EXPECT_EQ(FindRule(p, "phone"), nullptr);
  EXPECT_EQ(FindRule(p, ""), nullptr);
}

TEST(ProgramRules, HoldAndLimit) {
  const v1::Program a = Appliances();
  EXPECT_EQ(HoldFor(a.rules(0)), 200000);
  EXPECT_EQ(HoldFor(CarScrap().rules(0)), 2000000);
  v1::CategoryRule both;
  both.set_fixed_amount_fen(1500000);
  both.set_cap_fen(2000000);
  EXPECT_EQ(HoldFor(both), 1500000);
  EXPECT_EQ(PerConsumerLimit(a.rules(0)), 1);
  EXPECT_EQ(PerConsumerLimit(a.rules(2)), 3);
}

TEST(ProgramRules, RuleSetVersion) { EXPECT_STREQ(kRuleSetVersion, "2025.2"); }

v1::Purchase Fridge() {
  v1::Purchase p;
  p.set_sku("HR-BCD-501");
  p.set_category("refrigerator");
  p.set_energy_grade(1);
  p.set_price_fen(899900);
  p.set_invoice_number("37002400000012345678");
  p.set_serial_number("SN-8C1F-0042");
  p.set_brand("海尔");
  p.set_model("BCD-501WLHTD");
  return p;
}

void ExpectBadPurchase(const std::function<void(v1::Purchase&)>& mutate,
                       const std::string& field) {
  v1::Purchase p = Fridge();
  mutate(p);
  absl::Status s = ValidatePurchase(p, "purchase");
  ASSERT_FALSE(s.ok()) << "expected an error at " << field;
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_EQ(ReasonOf(s), reason::kInvalidField) << s;
  EXPECT_EQ(FieldOf(s), field) << s;
}

TEST(ValidatePurchase, Accepts) {
  EXPECT_TRUE(ValidatePurchase(Fridge(), "purchase").ok());
  v1::Purchase minimal;
  minimal.set_category("phone");
  minimal.set_price_fen(1);
  EXPECT_TRUE(ValidatePurchase(minimal, "purchase").ok());
  minimal.set_price_fen(100'000'000'000);
  minimal.set_energy_grade(5);
  EXPECT_TRUE(ValidatePurchase(minimal, "purchase").ok());
}

TEST(ValidatePurchase, Refuses) {
  ExpectBadPurchase([](v1::Purchase& p) { p.clear_category(); }, "purchase.category");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_category("冰箱"); }, "purchase.category");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_price_fen(0); }, "purchase.price_fen");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_price_fen(-1); }, "purchase.price_fen");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_price_fen(100'000'000'001); },
                    "purchase.price_fen");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_energy_grade(6); }, "purchase.energy_grade");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_energy_grade(-1); }, "purchase.energy_grade");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_sku(std::string(65, 'a')); }, "purchase.sku");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_invoice_number(std::string(65, '1')); },
                    "purchase.invoice_number");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_invoice_number("No 1"); },
                    "purchase.invoice_number");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_serial_number("串号123"); },
                    "purchase.serial_number");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_serial_number("SN\t1"); },
                    "purchase.serial_number");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_brand(std::string(129, 'b')); },
                    "purchase.brand");
  ExpectBadPurchase([](v1::Purchase& p) { p.set_model("a\x01"); }, "purchase.model");
}

TEST(ValidatePurchase, UsesTheGivenPath) {
  v1::Purchase p = Fridge();
  p.set_price_fen(0);
  EXPECT_EQ(FieldOf(ValidatePurchase(p, "items[3]")), "items[3].price_fen");
}

}  // namespace
}  // namespace huanxin
