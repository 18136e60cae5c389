// The pipelined commit (ledger/writer.h): while one batch is being synced, the writer decides
// the next on top of it. Syncs are held (storage/fault_env.h, HoldSyncs) so that a batch stays
// in flight, unsynced, while later commands arrive:
//   - a later command sees the unsynced batch's effects (a retry gets the first reply, a second
//     claim is refused), yet nobody hears back before the fsync that covers them;
//   - when the unsynced batch fails, every command decided on top of it fails with it, and
//     none of them is in the ledger after a power loss.
#include <future>
#include <string>

#include "common/status.h"
#include "fault_fixture.h"

namespace huanxin::testing {
namespace {

constexpr char kProgram[] = "p-pipe";

class PipelineTest : public FaultLedgerTest {
 protected:
  using Outcome = std::future<absl::StatusOr<internal::Reply>>;

  void SetUp() override {
    FaultLedgerTest::SetUp();
    MustExecute(CreateProgram(kProgram));
    MustExecute(Fund(kProgram, 100'000'000, "fund"));
  }

  Outcome Submit(internal::Command c) {
    auto promise = std::make_shared<std::promise<absl::StatusOr<internal::Reply>>>();
    Outcome outcome = promise->get_future();
    ledger_->Submit(std::move(c), [promise](absl::StatusOr<internal::Reply> r) {
      promise->set_value(std::move(r));
    });
    return outcome;
  }

  static bool Answered(const Outcome& o) {
    return o.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  }

  // Holds syncs and submits `first`; returns once its batch waits in fsync.
  Outcome SubmitAndHold(internal::Command first) {
    env_.HoldSyncs(true);
    Outcome o = Submit(std::move(first));
    EXPECT_TRUE(env_.AwaitHeldSync(absl::Seconds(10))) << "the batch never reached fsync";
    return o;
  }

  // Gives the writer time to decide what was submitted (on top of the held batch).
  static void LetTheWriterDecide() { absl::SleepFor(absl::Milliseconds(200)); }
};

TEST_F(PipelineTest, LaterCommandsSeeTheUnsyncedBatchButHearBackOnlyAfterItsSync) {
  const internal::Command claim = Issue(kProgram, "refrigerator", "c-1", "i-1");
  Outcome first = SubmitAndHold(claim);
  Outcome retry = Submit(claim);
  Outcome second_claim = Submit(Issue(kProgram, "refrigerator", "c-1", "i-2"));
  Outcome other = Submit(Issue(kProgram, "refrigerator", "c-2", "i-3"));
  LetTheWriterDecide();
  EXPECT_FALSE(Answered(first) || Answered(retry) || Answered(second_claim) || Answered(other))
      << "a caller heard back before the fsync that covers its entry";

  env_.HoldSyncs(false);
  absl::StatusOr<internal::Reply> a = first.get();
  ASSERT_TRUE(a.ok()) << a.status();
  absl::StatusOr<internal::Reply> b = retry.get();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->SerializeAsString(), b->SerializeAsString()) << "the retry got another reply";
  absl::StatusOr<internal::Reply> c = second_claim.get();
  EXPECT_EQ(ReasonOf(c.status()), reason::kConsumerLimitReached) << c.status();
  ASSERT_TRUE(other.get().ok());

  ASSERT_NO_FATAL_FAILURE(PowerCycle());
  ASSERT_NO_FATAL_FAILURE(ExpectStateIsReplayOfEntries());
  ASSERT_NO_FATAL_FAILURE(ExpectBooksBalance(kProgram));
  EXPECT_EQ(EntriesOnePerKey().size(), 2u + 2u);  // setup, the claim, the other claim
  EXPECT_TRUE(ledger_->GetVoucher(a->voucher().voucher_id()).ok());
}

TEST_F(PipelineTest, ABatchDecidedOnAFailedBatchFailsWithIt) {
  Outcome first = SubmitAndHold(Issue(kProgram, "refrigerator", "c-1", "i-1"));
  Outcome second_claim = Submit(Issue(kProgram, "refrigerator", "c-1", "i-2"));
  Outcome other = Submit(Issue(kProgram, "refrigerator", "c-2", "i-3"));
  LetTheWriterDecide();

  env_.FailSyncs(true);
  env_.HoldSyncs(false);
  for (Outcome* o : {&first, &second_claim, &other}) {
    absl::StatusOr<internal::Reply> r = o->get();
    // Not CONSUMER_LIMIT_REACHED for the second claim: the claim it saw never happened.
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  }
  EXPECT_EQ(ledger_->Health().code(), absl::StatusCode::kUnavailable);

  ASSERT_NO_FATAL_FAILURE(PowerCycle());
  ASSERT_NO_FATAL_FAILURE(ExpectStateIsReplayOfEntries());
  EXPECT_EQ(EntriesOnePerKey().size(), 2u) << "an entry of a failed batch survived";
  // The retries find a clean slate: the first claim of c-1 succeeds now, the second is
  // refused, c-2's succeeds.
  MustExecute(Issue(kProgram, "refrigerator", "c-1", "i-1"));
  auto again = ledger_->Execute(Issue(kProgram, "refrigerator", "c-1", "i-2"));
  EXPECT_EQ(ReasonOf(again.status()), reason::kConsumerLimitReached) << again.status();
  MustExecute(Issue(kProgram, "refrigerator", "c-2", "i-3"));
  ASSERT_NO_FATAL_FAILURE(ExpectBooksBalance(kProgram));
}

}  // namespace
}  // namespace huanxin::testing
