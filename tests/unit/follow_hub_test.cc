// FollowHub (services/audit/follow_hub.h) over a real LocalLedger: one commit wakes every
// waiter that had seen less, once, from the hub's single poller; a cancelled waiter is not
// woken; a waiter behind the known size is told to read on at once. StreamQuota
// (services/audit/stream_quota.h): the per-principal cap and its release.
#include "services/audit/follow_hub.h"

#include <atomic>
#include <memory>
#include <vector>

#include "services/audit/stream_quota.h"
#include "tests/unit/ledger_fixture.h"

namespace huanxin::testing {
namespace {

class CountingWaiter : public edge::FollowHub::Waiter {
 public:
  void OnEntries() override { woken.fetch_add(1); }
  std::atomic<int> woken{0};
};

class FollowHubTest : public LedgerTest {
 protected:
  // Waits (at most 10 s) until every waiter in `ws` was woken once.
  static bool AllWoken(const std::vector<std::unique_ptr<CountingWaiter>>& ws) {
    for (int i = 0; i < 1000; ++i) {
      bool all = true;
      for (const auto& w : ws) all = all && w->woken.load() == 1;
      if (all) return true;
      absl::SleepFor(absl::Milliseconds(10));
    }
    return false;
  }
};

TEST_F(FollowHubTest, OneCommitWakesEveryWaiterOnce) {
  edge::FollowHub hub(ledger_.get(), absl::Milliseconds(50));
  MustExecute(CreateProgram("p-one"));
  const int64_t size = ledger_->WaitForEntries(0, absl::ZeroDuration());
  std::vector<std::unique_ptr<CountingWaiter>> waiters;
  for (int i = 0; i < 1000; ++i) {
    waiters.push_back(std::make_unique<CountingWaiter>());
    ASSERT_TRUE(hub.Wait(waiters.back().get(), size));
  }
  absl::SleepFor(absl::Milliseconds(200));  // several polls without news
  for (const auto& w : waiters) EXPECT_EQ(w->woken.load(), 0);
  EXPECT_EQ(hub.waiting(), 1000u);

  MustExecute(CreateProgram("p-two"));
  EXPECT_TRUE(AllWoken(waiters));
  EXPECT_EQ(hub.waiting(), 0u);
  for (const auto& w : waiters) EXPECT_FALSE(hub.Cancel(w.get()));
}

TEST_F(FollowHubTest, ACancelledWaiterIsNotWoken) {
  edge::FollowHub hub(ledger_.get(), absl::Milliseconds(50));
  CountingWaiter cancelled;
  std::vector<std::unique_ptr<CountingWaiter>> kept;
  kept.push_back(std::make_unique<CountingWaiter>());
  ASSERT_TRUE(hub.Wait(&cancelled, 0));
  ASSERT_TRUE(hub.Wait(kept.back().get(), 0));
  EXPECT_TRUE(hub.Cancel(&cancelled));
  EXPECT_FALSE(hub.Cancel(&cancelled));
  MustExecute(CreateProgram("p-one"));
  EXPECT_TRUE(AllWoken(kept));
  EXPECT_EQ(cancelled.woken.load(), 0);
}

TEST_F(FollowHubTest, AWaiterBehindTheKnownSizeReadsOnAtOnce) {
  edge::FollowHub hub(ledger_.get(), absl::Milliseconds(50));
  std::vector<std::unique_ptr<CountingWaiter>> first;
  first.push_back(std::make_unique<CountingWaiter>());
  ASSERT_TRUE(hub.Wait(first.back().get(), 0));
  MustExecute(CreateProgram("p-one"));
  ASSERT_TRUE(AllWoken(first));  // the hub now knows of one entry
  CountingWaiter behind;
  EXPECT_FALSE(hub.Wait(&behind, 0));
  EXPECT_EQ(hub.waiting(), 0u);
  // A waiter past the end (a from_seq beyond the log) is woken only once the log reaches it.
  CountingWaiter ahead;
  ASSERT_TRUE(hub.Wait(&ahead, 2));
  MustExecute(CreateProgram("p-two"));  // size 2: not yet more than 2
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ(ahead.woken.load(), 0);
  EXPECT_TRUE(hub.Cancel(&ahead));
}

TEST(StreamQuotaTest, CapsEachPrincipalAndFreesSlotsAsStreamsEnd) {
  edge::StreamQuota quota(2);
  auto a1 = quota.Acquire("auditor:a");
  auto a2 = quota.Acquire("auditor:a");
  ASSERT_TRUE(a1.ok());
  ASSERT_TRUE(a2.ok());
  absl::StatusOr<edge::StreamQuota::SlotPtr> a3 = quota.Acquire("auditor:a");
  EXPECT_EQ(a3.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(a3.status().message().find("RATE_LIMITED"), absl::string_view::npos);
  EXPECT_TRUE(quota.Acquire("auditor:b").ok());  // another principal is not affected
  a1->reset();
  EXPECT_EQ(quota.open("auditor:a"), 1);
  EXPECT_TRUE(quota.Acquire("auditor:a").ok());
}

TEST(StreamQuotaTest, ZeroIsUnlimited) {
  edge::StreamQuota quota(0);
  std::vector<edge::StreamQuota::SlotPtr> slots;
  for (int i = 0; i < 100; ++i) {
    auto s = quota.Acquire("auditor:a");
    ASSERT_TRUE(s.ok());
    slots.push_back(*std::move(s));
  }
  EXPECT_EQ(quota.open("auditor:a"), 100);
  slots.clear();
  EXPECT_EQ(quota.open("auditor:a"), 0);
}

}  // namespace
}  // namespace huanxin::testing
