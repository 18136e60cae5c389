// The pipelined commit (ledger/writer.h): while one batch is being synced, the writer decides
// the next on top of it. Syncs are held (tests/unit/fault_env.h, HoldSyncs) so that a batch stays
// in flight, unsynced, while later commands arrive:
//   - a later command sees the unsynced batch's effects (a retry gets the first reply, a second
//     claim is refused), yet nobody hears back before the fsync that covers them;
//   - when the unsynced batch fails, every command decided on top of it fails with it, and
//     none of them is in the ledger after a power loss;
//   - while the disk is slow, the queue behind the writer is bounded: beyond it Submit
//     refuses at once with UNAVAILABLE, and what was accepted completes;
//   - each command's stages (ledger::CommandStages) put the time where it was spent: in its
//     own fsync, or waiting for the batch before.
#include <future>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "common/status.h"
#include "fault_fixture.h"

namespace huanxin::testing {
namespace {

constexpr char kProgram[] = "p-pipe";

// Keeps every CommandStages the writer reports.
class StageRecorder : public ledger::WriterObserver {
 public:
  void OnBatch(size_t, absl::Duration, size_t) override {}
  void OnAnswered(const std::vector<ledger::CommandStages>& stages) override {
    absl::MutexLock l(&mu_);
    stages_.insert(stages_.end(), stages.begin(), stages.end());
  }
  std::vector<ledger::CommandStages> stages() {
    absl::MutexLock l(&mu_);
    return stages_;
  }

 private:
  absl::Mutex mu_;
  std::vector<ledger::CommandStages> stages_ ABSL_GUARDED_BY(mu_);
};

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

TEST_F(PipelineTest, AFullQueueRefusesAtOnceAndLosesNothingAccepted) {
  writer_options_.max_batch_commands = 2;
  writer_options_.max_queued_commands = 3;
  ASSERT_NO_FATAL_FAILURE(Open());
  Outcome first = SubmitAndHold(Issue(kProgram, "refrigerator", "c-0", "i-0"));
  std::vector<Outcome> rest;
  for (int i = 1; i <= 20; ++i) {
    rest.push_back(Submit(Issue(kProgram, "refrigerator", absl::StrCat("c-", i),
                                absl::StrCat("i-", i))));
  }
  // At most: the batch in flight (1), the open batch (2) and the queue (3).
  int refused = 0;
  for (Outcome& o : rest) {
    if (!Answered(o)) continue;
    absl::StatusOr<internal::Reply> r = o.get();
    EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
    EXPECT_NE(r.status().message().find("retry with backoff"), absl::string_view::npos);
    ++refused;
  }
  EXPECT_GE(refused, 20 - 5);
  env_.HoldSyncs(false);
  ASSERT_TRUE(first.get().ok());
  int accepted = 0;
  for (Outcome& o : rest) {
    if (!o.valid()) continue;  // refused, read above
    absl::StatusOr<internal::Reply> r = o.get();
    EXPECT_TRUE(r.ok()) << r.status();
    ++accepted;
  }
  EXPECT_EQ(accepted + refused, 20);
  EXPECT_EQ(EntriesOnePerKey().size(), 2u + 1u + accepted);
  ASSERT_NO_FATAL_FAILURE(ExpectBooksBalance(kProgram));
}

TEST_F(PipelineTest, EachCommandsStagesSayWhereItWaited) {
  auto recorder = std::make_shared<StageRecorder>();
  writer_options_.observer = recorder;
  ASSERT_NO_FATAL_FAILURE(Open());
  const absl::Duration hold = absl::Seconds(1);
  Outcome first = SubmitAndHold(Issue(kProgram, "refrigerator", "c-1", "i-1"));
  Outcome second = Submit(Issue(kProgram, "refrigerator", "c-2", "i-2"));
  absl::SleepFor(hold);  // the disk is slow: the first batch's fsync takes this long
  env_.HoldSyncs(false);
  ASSERT_TRUE(first.get().ok());
  ASSERT_TRUE(second.get().ok());

  // Reported before the callbacks ran: complete once both callers heard back.
  const std::vector<ledger::CommandStages> stages = recorder->stages();
  ASSERT_EQ(stages.size(), 2u);
  for (const ledger::CommandStages& s : stages) {
    for (absl::Duration d : {s.queued, s.deciding, s.waiting, s.committing, s.answering}) {
      EXPECT_GE(d, absl::ZeroDuration());
    }
  }
  // The first command's time went into its own fsync.
  EXPECT_GE(stages[0].committing, hold);
  // The second, decided meanwhile on top of it, could not go to the disk before the first
  // batch had: it waited, then its own commit was an ordinary one.
  EXPECT_GE(stages[1].queued + stages[1].deciding + stages[1].waiting, hold);
  EXPECT_LT(stages[1].committing, hold);
}

}  // namespace
}  // namespace huanxin::testing
