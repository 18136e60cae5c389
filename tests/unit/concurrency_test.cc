// Races on one object, in-process: one voucher at many tills at once is redeemed once; one
// redemption returned from many tills at once is reversed once. (One request id from many
// threads and the exact-N budget are in ledger_test.cc.)
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "fault_fixture.h"

namespace huanxin::testing {
namespace {

constexpr int kTills = 16;

TEST_F(FaultLedgerTest, OneVoucherAtManyTillsIsRedeemedOnce) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 10'000'000, "fund"));
  MustExecute(Merchant("m-a", "p-one"));
  MustExecute(Merchant("m-b", "p-one"));
  for (int round = 0; round < 5; ++round) {
    const std::string v = MustExecute(Issue("p-one", "refrigerator", absl::StrCat("c", round),
                                            absl::StrCat("issue-", round)))
                              .voucher()
                              .voucher_id();
    std::atomic<int> ok{0}, already{0};
    std::vector<std::string> other;
    absl::Mutex mu;
    std::vector<std::thread> tills;
    for (int i = 0; i < kTills; ++i) {
      tills.emplace_back([&, i] {
        internal::Command c = Redeem(v, i % 2 ? "m-a" : "m-b", absl::StrCat("c", round),
                                     100000 + i, absl::StrCat("redeem-", round, "-", i));
        c.mutable_redeem()->set_terminal_id(absl::StrCat("till-", i));
        auto r = ledger_->Execute(c);
        if (r.ok()) {
          ++ok;
        } else if (ReasonOf(r.status()) == reason::kVoucherAlreadyRedeemed) {
          ++already;
        } else {
          absl::MutexLock l(&mu);
          other.push_back(r.status().ToString());
        }
      });
    }
    for (auto& t : tills) t.join();
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(already, kTills - 1);
    EXPECT_TRUE(other.empty()) << other.front();
    EXPECT_EQ(ledger_->GetVoucher(v)->state(), v1::Voucher::REDEEMED);
  }
  auto stats = ledger_->GetProgramStats("p-one");
  EXPECT_EQ(stats->vouchers_redeemed(), 5);
  EXPECT_EQ(stats->redemptions_denied(), 5 * (kTills - 1));
  ExpectBooksBalance("p-one");
  ExpectStateIsReplayOfEntries();
}

TEST_F(FaultLedgerTest, OneRedemptionReturnedAtManyTillsIsReversedOnce) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 10'000'000, "fund"));
  MustExecute(Merchant("m-a", "p-one"));
  const std::string v =
      MustExecute(Issue("p-one", "refrigerator", "c1", "issue")).voucher().voucher_id();
  const std::string d =
      MustExecute(Redeem(v, "m-a", "c1", 500000, "redeem")).redemption().redemption_id();
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> tills;
  for (int i = 0; i < kTills; ++i) {
    tills.emplace_back([&, i] {
      internal::Command c = As("retailer:m-a", absl::StrCat("return-", i));
      c.mutable_reverse_redemption()->set_redemption_id(d);
      c.mutable_reverse_redemption()->set_merchant_id("m-a");
      auto r = ledger_->Execute(c);
      if (r.ok()) ++ok;
      if (ReasonOf(r.status()) == reason::kRedemptionNotReversible) ++refused;
    });
  }
  for (auto& t : tills) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(refused, kTills - 1);
  auto stats = ledger_->GetProgramStats("p-one");
  EXPECT_EQ(stats->redemptions_reversed(), 1);
  EXPECT_EQ(stats->payable_fen(), 0);
  ExpectBooksBalance("p-one");
  ExpectStateIsReplayOfEntries();
}

}  // namespace
}  // namespace huanxin::testing
