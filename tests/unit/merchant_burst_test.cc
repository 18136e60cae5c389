// MERCHANT_BURST through the ledger with a manual clock: a merchant's redemptions in the last
// hour against its hourly mean over the past week's hours since the oldest redemption its
// activity ring holds, once those are fraud.merchant_burst_min_history_hours (default 24);
// before that, merchant_burst_min (30) an hour stands in for the mean, so that a new merchant
// on a programme's launch day is not a burst below 5 x 30 = 150 an hour.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "ledger_fixture.h"
#include "rules/fraud.h"

namespace huanxin::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class MerchantBurstTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    MustExecute(CreateProgram("p-one"));
    MustExecute(Fund("p-one", 1'000'000'000, "fund-1"));
    MustExecute(Merchant("m-one", "p-one"));
    MustExecute(Merchant("m-two", "p-one"));
  }

  // Issues a voucher to a new consumer and redeems it at `merchant` on a terminal of its own
  // (so that TERMINAL_VELOCITY stays quiet), one second later on the clock.
  v1::Redemption RedeemOne(const std::string& merchant = "m-one") {
    const std::string n = std::to_string(++count_);
    const std::string voucher =
        MustExecute(Issue("p-one", "refrigerator", "c" + n, "issue-" + n)).voucher().voucher_id();
    internal::Command c = Redeem(voucher, merchant, "c" + n, 899900, "redeem-" + n);
    c.mutable_redeem()->set_terminal_id("till-" + n);
    clock_->Advance(absl::Seconds(1));
    return MustExecute(std::move(c)).redemption();
  }

  // Redeems `n` at m-one and returns the reasons of the last.
  std::vector<std::string> RedeemMany(int n) {
    v1::Redemption last;
    for (int i = 0; i < n; ++i) last = RedeemOne();
    return {last.reasons().begin(), last.reasons().end()};
  }

  int count_ = 0;
};

TEST_F(MerchantBurstTest, ANewMerchantIsABurstOnlyAboveFiveTimesThirtyAnHour) {
  // Before 2025.2 the 30th went to review: a mean of 0 over a week it did not have.
  for (int i = 0; i < 150; ++i) {
    v1::Redemption d = RedeemOne();
    ASSERT_EQ(d.decision(), v1::Redemption::ALLOW) << "redemption " << i + 1;
  }
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // the 151st in the hour
  EXPECT_EQ(RedeemOne("m-two").decision(), v1::Redemption::ALLOW);  // its hour is its own
}

TEST_F(MerchantBurstTest, OnceADayOfHistoryTheLastHourIsComparedWithItsMean) {
  RedeemOne();  // the first redemption
  clock_->Advance(absl::Hours(24));
  // The last hour starts in the 24th clock hour, 23 after the first: 30 an hour still stands
  // in for the mean, 40 are no burst.
  EXPECT_THAT(RedeemMany(40), IsEmpty());
  clock_->Advance(absl::Hours(24));  // 41 in 47 hours of history, none in the last hour
  EXPECT_THAT(RedeemMany(29), IsEmpty());
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // the 30th in the hour
}

TEST_F(MerchantBurstTest, TheMeanIsOverTheHoursOfHistory) {
  // 144 in the first hour, then quiet: 25 hours on, the last hour starts in the 25th clock
  // hour, 24 before it: a mean of 6 an hour over 24 hours of history (not 144/168 = 0.86 over
  // a week, which would make 30 a burst).
  EXPECT_THAT(RedeemMany(144), IsEmpty());
  clock_->Advance(absl::Hours(25));
  EXPECT_THAT(RedeemMany(30), IsEmpty());  // 30 = 5 x 6: not above
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // 31
}

TEST_F(MerchantBurstTest, AMerchantQuietForAWeekHasAMeanOfZero) {
  EXPECT_THAT(RedeemMany(100), IsEmpty());
  clock_->Advance(absl::Hours(24 * 10));  // its history is a full week, with nothing in it
  EXPECT_THAT(RedeemMany(29), IsEmpty());
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // 30, the minimum
}

}  // namespace
}  // namespace huanxin::testing
