// MERCHANT_BURST through the ledger with a manual clock: a merchant's redemptions in the last
// hour against its hourly mean since its first redemption (at most the trailing week), and
// only once that first redemption is fraud.merchant_burst_min_history_hours back (default 24),
// so that a new merchant, or every merchant on a programme's launch day, is not a burst.
#include <string>

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
  }

  // Issues a voucher to a new consumer and redeems it at m-one on a terminal of its own (so
  // that TERMINAL_VELOCITY stays quiet), one second later on the clock.
  v1::Redemption RedeemOne() {
    const std::string n = std::to_string(++count_);
    const std::string voucher =
        MustExecute(Issue("p-one", "refrigerator", "c" + n, "issue-" + n)).voucher().voucher_id();
    internal::Command c = Redeem(voucher, "m-one", "c" + n, 899900, "redeem-" + n);
    c.mutable_redeem()->set_terminal_id("till-" + n);
    clock_->Advance(absl::Seconds(1));
    return MustExecute(std::move(c)).redemption();
  }

  // Redeems `n` and returns the reasons of the last.
  std::vector<std::string> RedeemMany(int n) {
    v1::Redemption last;
    for (int i = 0; i < n; ++i) last = RedeemOne();
    return {last.reasons().begin(), last.reasons().end()};
  }

  int count_ = 0;
};

TEST_F(MerchantBurstTest, ANewMerchantHasNoUsualRateToBurstFrom) {
  // 60 in its first hour, twice the minimum of 30, with no history: all allowed (before
  // 2025.2 the 30th and later went to review).
  for (int i = 0; i < 60; ++i) {
    v1::Redemption d = RedeemOne();
    ASSERT_EQ(d.decision(), v1::Redemption::ALLOW) << "redemption " << i + 1;
  }
}

TEST_F(MerchantBurstTest, OnceADayOfHistoryTheLastHourIsComparedWithItsMean) {
  RedeemOne();  // the first redemption: one in 24 hours is a mean of 1/24 an hour
  clock_->Advance(absl::Hours(23));
  // 23 hours back: short of the minimum history, 40 in the hour stay allowed.
  EXPECT_THAT(RedeemMany(40), IsEmpty());
  clock_->Advance(absl::Hours(25));  // 41 in 48 hours of history, none in the last hour
  EXPECT_THAT(RedeemMany(29), IsEmpty());
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // the 30th in the hour
}

TEST_F(MerchantBurstTest, TheMeanIsOverTheHoursSinceTheFirstRedemption) {
  // 144 in the first hour, then 24 quiet hours: a mean of 6 an hour over 24 hours of history
  // (not 144/168 = 0.86 over a week, which would make 30 a burst).
  EXPECT_THAT(RedeemMany(144), IsEmpty());
  clock_->Advance(absl::Hours(24));
  EXPECT_THAT(RedeemMany(30), IsEmpty());  // 30 = 5 x 6: not above
  EXPECT_THAT(RedeemMany(1), ElementsAre(fraud::kMerchantBurst));  // 31
}

}  // namespace
}  // namespace huanxin::testing
