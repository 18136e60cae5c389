// The soft fraud checks at and just above each default threshold.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rules/fraud.h"
#include "rules/fraud_config.h"

namespace huanxin::fraud {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

Signals Quiet() {
  Signals s;
  s.price_fen = 100000;
  s.shanghai_hour = 12;
  s.merchant_last_hour = 1;
  return s;
}

TEST(FraudRulesTest, QuietTrafficIsAllowed) {
  EXPECT_THAT(SoftCheck(DefaultRules(), Quiet()), IsEmpty());
}

TEST(FraudRulesTest, PriceSpikeAboveHundredThirtyPercentOfTheMedianOnceFiveSales) {
  Signals s = Quiet();
  s.sku_prices_fen = {100000, 100000, 90000, 110000};  // only 4 sales: no opinion yet
  s.price_fen = 500000;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.sku_prices_fen.push_back(100000);  // median 100000
  s.price_fen = 130000;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.price_fen = 130001;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kPriceSpike));
}

TEST(FraudRulesTest, TerminalVelocityFromTheTwentyFirst) {
  Signals s = Quiet();
  s.terminal_recent = 19;  // this is the 20th
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.terminal_recent = 20;  // the 21st
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kTerminalVelocity));
}

TEST(FraudRulesTest, SharedIdentityFromTheThirdConsumer) {
  Signals s = Quiet();
  s.shared_identity_rank = 2;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.shared_identity_rank = 3;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kSharedIdentity));
}

TEST(FraudRulesTest, MerchantBurstNeedsThirtyAndFiveTimesTheWeeklyMean) {
  Signals s = Quiet();
  s.merchant_history_hours = 168;
  s.merchant_prior_week = 168;  // a mean of 1 an hour
  s.merchant_last_hour = 29;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.merchant_last_hour = 30;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kMerchantBurst));
  s.merchant_prior_week = 168 * 6;  // a mean of 6: 30 is not above 5x
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
}

TEST(FraudRulesTest, MerchantBurstWithoutADayOfHistoryTakesThirtyAnHourAsTheMean) {
  Signals s = Quiet();
  s.merchant_history_hours = 23;  // no usual rate yet: 30 an hour stands in, 5x that is 150
  s.merchant_last_hour = 150;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.merchant_last_hour = 151;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kMerchantBurst));
  s.merchant_history_hours = 24;
  s.merchant_prior_week = 24 * 6;  // a mean of 6 an hour over the day there is
  s.merchant_last_hour = 30;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  s.merchant_last_hour = 31;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), ElementsAre(kMerchantBurst));
  // Rules recorded before the minimum existed (0) read it as one hour.
  v1::FraudRules old = DefaultRules();
  old.set_merchant_burst_min_history_hours(0);
  s.merchant_history_hours = 0;
  s.merchant_prior_week = 0;
  s.merchant_last_hour = 30;
  EXPECT_THAT(SoftCheck(old, s), IsEmpty());  // 30 is not above 5 x 30
  s.merchant_history_hours = 1;
  EXPECT_THAT(SoftCheck(old, s), ElementsAre(kMerchantBurst));  // above 5 x 0
}

TEST(FraudRulesTest, OddHoursOnlyWhenEnabled) {
  Signals s = Quiet();
  s.shanghai_hour = 3;
  EXPECT_THAT(SoftCheck(DefaultRules(), s), IsEmpty());
  v1::FraudRules rules = DefaultRules();
  rules.set_odd_hours_enabled(true);
  EXPECT_THAT(SoftCheck(rules, s), ElementsAre(kOddHours));
  s.shanghai_hour = 6;
  EXPECT_THAT(SoftCheck(rules, s), IsEmpty());
}

TEST(FraudConfigTest, SetsFieldsAndNamesBadKeys) {
  auto rules = RulesFromConfig({{"fraud.terminal_velocity_max", "5"},
                                {"fraud.odd_hours_enabled", "true"},
                                {"other.setting", "x"}});
  ASSERT_TRUE(rules.ok()) << rules.status();
  EXPECT_EQ(rules->terminal_velocity_max(), 5);
  EXPECT_TRUE(rules->odd_hours_enabled());
  EXPECT_EQ(rules->price_spike_pct(), 130);
  auto unknown = RulesFromConfig({{"fraud.no_such_rule", "1"}});
  EXPECT_NE(unknown.status().message().find("fraud.no_such_rule"), absl::string_view::npos);
  auto bad = RulesFromConfig({{"fraud.price_spike_pct", "fifty"}});
  EXPECT_FALSE(bad.ok());
  auto out_of_range = RulesFromConfig({{"fraud.price_spike_pct", "50"}});
  EXPECT_NE(out_of_range.status().message().find("price_spike_pct"), absl::string_view::npos);
  auto no_history = RulesFromConfig({{"fraud.merchant_burst_min_history_hours", "0"}});
  EXPECT_NE(no_history.status().message().find("fraud.merchant_burst_min_history_hours"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace huanxin::fraud
