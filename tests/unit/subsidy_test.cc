// The published subsidy cases of docs/policy.md through ComputeSubsidy, and FormatYuan.
#include "rules/subsidy.h"

#include <cstdint>
#include <limits>

#include "common/money.h"
#include "common/status.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

v1::CategoryRule Appliance() {  // 2025 appliances: grade 1 20%, grade 2 15%, cap ¥2,000
  v1::CategoryRule r;
  r.set_category("refrigerator");
  r.set_grade1_rate_bp(2000);
  r.set_grade2_rate_bp(1500);
  r.set_cap_fen(200000);
  return r;
}

v1::CategoryRule Phone() {  // 2025 digital: 15%, cap ¥500, price <= ¥6,000
  v1::CategoryRule r;
  r.set_category("phone");
  r.set_rate_bp(1500);
  r.set_cap_fen(50000);
  r.set_price_ceiling_fen(600000);
  return r;
}

v1::Purchase Buy(const char* category, int64_t price_fen, int32_t grade = 0) {
  v1::Purchase p;
  p.set_category(category);
  p.set_price_fen(price_fen);
  p.set_energy_grade(grade);
  return p;
}

constexpr int64_t kNoTotalCap = -1;

TEST(ComputeSubsidy, ApplianceGrade1TwentyPercent) {
  // ¥8,999 grade 1 at 20% = ¥1,799.80, under the ¥2,000 cap.
  auto s = ComputeSubsidy(Appliance(), Buy("refrigerator", 899900, 1), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 179980);
  EXPECT_EQ(FormatYuan(*s), "¥1,799.80");
}

TEST(ComputeSubsidy, ApplianceGrade2CappedAtTwoThousand) {
  // ¥15,000 grade 2 at 15% = ¥2,250, capped at ¥2,000.
  auto s = ComputeSubsidy(Appliance(), Buy("refrigerator", 1500000, 2), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 200000);
}

TEST(ComputeSubsidy, ApplianceGrade2Uncapped) {
  auto s = ComputeSubsidy(Appliance(), Buy("refrigerator", 399900, 2), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 59985);
}

TEST(ComputeSubsidy, PhoneCappedAtFiveHundred) {
  // ¥5,999 at 15% = ¥899.85, capped at ¥500.
  auto s = ComputeSubsidy(Phone(), Buy("phone", 599900), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 50000);
}

TEST(ComputeSubsidy, PhoneFifteenPercent) {
  // ¥1,999 at 15% = ¥299.85.
  auto s = ComputeSubsidy(Phone(), Buy("phone", 199900), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 29985);
}

TEST(ComputeSubsidy, RoundsDown) {
  // ¥1,998.99 at 15% = 29984.85 fen -> 29984; 1 fen at 15% -> 0.
  auto s = ComputeSubsidy(Phone(), Buy("phone", 199899), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 29984);
  // ¥8,999.99 grade 1 at 20% = 179999.8 fen -> 179999.
  s = ComputeSubsidy(Appliance(), Buy("refrigerator", 899999, 1), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 179999);
  s = ComputeSubsidy(Phone(), Buy("phone", 1), kNoTotalCap);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, 0);
}

TEST(ComputeSubsidy, Grade3AndUngradedAreIneligible) {
  for (int grade : {0, 3, 4, 5}) {
    auto s = ComputeSubsidy(Appliance(), Buy("refrigerator", 899900, grade), kNoTotalCap);
    ASSERT_FALSE(s.ok()) << "grade " << grade;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(ReasonOf(s.status()), reason::kEnergyGradeIneligible);
  }
}

TEST(ComputeSubsidy, OnlyGrade1Subsidised) {
  v1::CategoryRule r = Appliance();
  r.set_grade2_rate_bp(0);
  r.set_rate_bp(1500);  // ignored: grade rates are set
  auto s = ComputeSubsidy(r, Buy("refrigerator", 100000, 2), kNoTotalCap);
  EXPECT_EQ(ReasonOf(s.status()), reason::kEnergyGradeIneligible);
  s = ComputeSubsidy(r, Buy("refrigerator", 100000, 1), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 20000);
}

TEST(ComputeSubsidy, FlatRateIgnoresGrade) {
  for (int grade : {0, 1, 3, 5}) {
    auto s = ComputeSubsidy(Phone(), Buy("phone", 100000, grade), kNoTotalCap);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, 15000);
  }
}

TEST(ComputeSubsidy, ZeroRateIsIneligible) {
  v1::CategoryRule r;
  r.set_category("smart_lock");
  r.set_cap_fen(200000);
  auto s = ComputeSubsidy(r, Buy("smart_lock", 100000), kNoTotalCap);
  EXPECT_EQ(ReasonOf(s.status()), reason::kEnergyGradeIneligible);
}

TEST(ComputeSubsidy, PriceCeiling) {
  // ¥6,000.00 is allowed, ¥6,000.01 is not.
  auto s = ComputeSubsidy(Phone(), Buy("phone", 600000), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 50000);
  s = ComputeSubsidy(Phone(), Buy("phone", 600001), kNoTotalCap);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(s.status()), reason::kPriceAboveCeiling);
  EXPECT_NE(s.status().message().find("¥6,000.01"), std::string::npos) << s.status();
  EXPECT_NE(s.status().message().find("¥6,000.00"), std::string::npos) << s.status();
}

TEST(ComputeSubsidy, CeilingCheckedBeforeFixedAmountAndGrade) {
  v1::CategoryRule r = Appliance();
  r.set_price_ceiling_fen(100000);
  auto s = ComputeSubsidy(r, Buy("refrigerator", 100001, 3), kNoTotalCap);
  EXPECT_EQ(ReasonOf(s.status()), reason::kPriceAboveCeiling);
  r.set_fixed_amount_fen(5000);
  s = ComputeSubsidy(r, Buy("refrigerator", 100001, 1), kNoTotalCap);
  EXPECT_EQ(ReasonOf(s.status()), reason::kPriceAboveCeiling);
}

TEST(ComputeSubsidy, FixedAmount) {
  // Car scrap & renew, NEV: ¥20,000 whatever the price or grade.
  v1::CategoryRule r;
  r.set_category("nev");
  r.set_fixed_amount_fen(2000000);
  r.set_rate_bp(1000);  // ignored
  r.set_cap_fen(1000000);  // ignored: a fixed amount is that amount
  for (int grade : {0, 3}) {
    auto s = ComputeSubsidy(r, Buy("nev", 15000000, grade), kNoTotalCap);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(*s, 2000000);
  }
  // Never more than the price.
  auto s = ComputeSubsidy(r, Buy("nev", 1500000), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 1500000);
}

TEST(ComputeSubsidy, RemainingTotalCap) {
  // Home renovation: 15%, cap ¥2,000 per item, ¥30,000 per consumer; ¥1,234.56 left.
  v1::CategoryRule r;
  r.set_category("smart_lock");
  r.set_rate_bp(1500);
  r.set_cap_fen(200000);
  auto s = ComputeSubsidy(r, Buy("smart_lock", 1000000), 123456);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 123456);
  s = ComputeSubsidy(r, Buy("smart_lock", 100000), 123456);  // 15000 < what is left
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 15000);
  s = ComputeSubsidy(r, Buy("smart_lock", 100000), 0);  // nothing left
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 0);
  // A fixed amount is bounded by it too.
  v1::CategoryRule fixed;
  fixed.set_category("nev");
  fixed.set_fixed_amount_fen(2000000);
  s = ComputeSubsidy(fixed, Buy("nev", 15000000), 500000);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 500000);
}

TEST(ComputeSubsidy, NoCapMeansRateOnly) {
  v1::CategoryRule r;
  r.set_category("x");
  r.set_rate_bp(10000);
  r.set_fixed_amount_fen(0);
  auto s = ComputeSubsidy(r, Buy("x", 12345), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 12345);  // 100% of the price, never more
}

TEST(ComputeSubsidy, HugePriceDoesNotOverflow) {
  v1::CategoryRule r;
  r.set_category("x");
  r.set_rate_bp(10000);
  const int64_t max = std::numeric_limits<int64_t>::max();
  auto s = ComputeSubsidy(r, Buy("x", max), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, max);
  r.set_rate_bp(9999);
  s = ComputeSubsidy(r, Buy("x", max), kNoTotalCap);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, static_cast<int64_t>(static_cast<__int128>(max) * 9999 / 10000));
}

TEST(ComputeSubsidy, BadInputIsAnErrorNotAnAmount) {
  auto s = ComputeSubsidy(Phone(), Buy("phone", 0), kNoTotalCap);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  s = ComputeSubsidy(Phone(), Buy("phone", -100), kNoTotalCap);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  v1::CategoryRule r = Phone();
  r.set_rate_bp(10001);
  s = ComputeSubsidy(r, Buy("phone", 100), kNoTotalCap);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInternal);
  r.set_rate_bp(-5);
  s = ComputeSubsidy(r, Buy("phone", 100), kNoTotalCap);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInternal);
}

TEST(FormatYuan, Formats) {
  EXPECT_EQ(FormatYuan(0), "¥0.00");
  EXPECT_EQ(FormatYuan(1), "¥0.01");
  EXPECT_EQ(FormatYuan(-100), "-¥1.00");
  EXPECT_EQ(FormatYuan(179980), "¥1,799.80");
  EXPECT_EQ(FormatYuan(699900), "¥6,999.00");
  EXPECT_EQ(FormatYuan(99999), "¥999.99");
  EXPECT_EQ(FormatYuan(100000), "¥1,000.00");
  EXPECT_EQ(FormatYuan(123456789012), "¥1,234,567,890.12");
  EXPECT_EQ(FormatYuan(-123456789012), "-¥1,234,567,890.12");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::max()), "¥92,233,720,368,547,758.07");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::min()), "-¥92,233,720,368,547,758.08");
}

}  // namespace
}  // namespace huanxin
