// The single writer (docs/design.md, The ledger core). One thread drains a queue of commands,
// decides and applies each in order against the state the ones before it left, and commits
// the whole batch as one synced RocksDB WriteBatch. Callers hear back only after their
// batch is durable: one fsync per batch, not per command.
//
// The commit is pipelined over three threads: the committer writes and syncs batch N while the
// writer thread already decides batch N+1 on top of N's writes (storage::Batch::Seal), taking
// every command that arrives meanwhile, and the answerer runs the callers' callbacks of batch
// N-1 (each finishes a gRPC call and logs it: work that must not delay the next fsync). At
// most one batch is in flight; batches reach the disk, and their callers hear back, strictly
// in order. If N fails, N+1 was decided on state that never happened: its callers get
// UNAVAILABLE too.
//
// A storage fault is fail-stop: the batch's callers get UNAVAILABLE, the writer refuses
// every later command with UNAVAILABLE, and health() reports the fault until the process
// restarts and recovers from what was committed.
#ifndef HUANXIN_LEDGER_WRITER_H_
#define HUANXIN_LEDGER_WRITER_H_

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "huanxin/internal/ledger.pb.h"
#include "storage/batch.h"
#include "storage/db.h"

namespace huanxin::ledger {

// The most bytes one ledger entry's serialization (its Merkle leaf_data) may take. Every
// entry is an audit record that ListEntries pages, StreamEntries sends and exports copy in
// full, so none may grow with what a caller chooses to send: a command whose entry would be
// larger is refused with INVALID_ARGUMENT naming "request", and nothing is written. The
// largest legitimate entries (a programme with dozens of category rules, a redemption with
// every optional field) stay far below it.
//
// The exception is SETTLEMENT_CREATED, which lists every redemption it pays: its size grows
// with the merchant's sales, never with a request (the request is a merchant id and a time),
// and it holds only ids the ledger assigned.
inline constexpr size_t kMaxEntryBytes = 64 * 1024;

// Where one command's time went inside the ledger: five consecutive stages from Submit until
// the answerer starts its batch's callbacks. Which one is long says what limits a write's
// latency: the writer's CPU (queued, deciding, part of waiting), the disk (committing, and
// waiting while the batch before syncs), or the answerer thread (answering).
struct CommandStages {
  // Submit until the writer thread took it: the writer busy deciding, or its open batch full
  // and waiting for the one in flight.
  absl::Duration queued;
  // Until it was decided, after the commands taken with it that came before it.
  absl::Duration deciding;
  // Until its batch went to the committer: the batch before still syncing, or the writer
  // still deciding the rest of its batch.
  absl::Duration waiting;
  // Until its batch was written and synced (or failed), the committer's wake-up included.
  absl::Duration committing;
  // Until the answerer thread started its batch's callbacks.
  absl::Duration answering;
};

// Told about every batch the writer finishes (metrics): quick, non-blocking, and never calls
// back into the writer. OnBatch and OnAnswered run on different threads, possibly at once: an
// observer must be thread-safe.
class WriterObserver {
 public:
  virtual ~WriterObserver() = default;
  // On the committer thread, after the batch is handed to the answerer. `commands` taken in
  // the batch; `commit` the time its synced commit took (zero when the batch wrote nothing);
  // `queue_depth` the commands still queued behind it.
  virtual void OnBatch(size_t commands, absl::Duration commit, size_t queue_depth) = 0;
  // On the answerer thread, just before a batch's callbacks run (so a caller that heard back
  // finds its command counted): one entry per command, in order.
  virtual void OnAnswered(const std::vector<CommandStages>& stages) = 0;
};

class Writer {
 public:
  using Done = std::function<void(absl::StatusOr<internal::Reply>)>;

  struct Options {
    size_t max_batch_commands = 1000;
    size_t max_batch_bytes = 4 << 20;
    // Commands waiting for the writer beyond which Submit refuses with UNAVAILABLE ("retry
    // with backoff"): write RPCs hold no thread while they wait, so without a bound a burst
    // would grow memory and latency without limit.
    size_t max_queued_commands = 100000;
    // The nice value of the writer thread. Every command waits on that one thread, so on a
    // busy machine it should not queue for a CPU behind compactions, RPC threads or other
    // processes: on the 2-core bench machine -10 raised redemptions/s by ~7% (docs/
    // performance.md). Needs CAP_SYS_NICE or RLIMIT_NICE; without, a warning is logged and the
    // writer runs at the process's priority. 0: leave it.
    int nice = -10;
    std::shared_ptr<WriterObserver> observer;  // null: none
  };

  // Recovers the next seq and the last entry's time from `db` and starts the thread.
  static absl::StatusOr<std::unique_ptr<Writer>> Start(storage::Db* db, ClockPtr clock,
                                                       Options options);
  // Finishes every command already submitted, then stops the thread.
  ~Writer();

  // Queues `command`; `done` runs on the answerer thread once the outcome is durable (or
  // refused; then possibly on the calling thread, before Submit returns). `done` must not
  // block.
  void Submit(internal::Command command, Done done);

  // OK, or the storage fault that stopped writes.
  absl::Status health() const;

  // Waits until more than `seen` entries are committed, or `timeout` passes; returns the
  // committed size then.
  int64_t WaitForEntries(int64_t seen, absl::Duration timeout) const;

 private:
  using Instant = std::chrono::steady_clock::time_point;
  struct Pending {
    internal::Command command;
    Done done;
    absl::StatusOr<internal::Reply> outcome = absl::UnknownError("not processed");
    Instant submitted, taken, decided;  // CommandStages
  };
  // A decided batch on its way from the writer thread to the committer thread.
  struct Sealed {
    std::shared_ptr<const storage::Writes> writes;  // null: the batch wrote nothing
    // The writer's reference to the batch before, which has landed: freed by the answerer,
    // not on the writer thread.
    std::shared_ptr<const storage::Writes> landed;
    std::vector<Pending> commands;
    int64_t end_seq = 0;  // committed_size once it is durable
    size_t queue_depth = 0;
    Instant handed_over, committed;  // CommandStages
  };

  Writer(storage::Db* db, ClockPtr clock, Options options);
  absl::Status Recover();
  // The writer thread: decides commands into batch_ and hands sealed batches on.
  void Loop();
  // The committer thread: writes and syncs each sealed batch, then hands it to the answerer.
  void CommitLoop();
  // The answerer thread: runs each finished batch's callbacks, in order.
  void AnswerLoop();
  // Decides and applies one command into batch_. A storage fault is returned as the status
  // (the batch is then abandoned); any other outcome goes into p->outcome.
  absl::Status Process(Pending* p);
  void FailStop(const absl::Status& fault);

  storage::Db* const db_;
  const ClockPtr clock_;
  const Options options_;
  storage::Batch batch_;  // writer thread only
  int64_t next_seq_ = 0;  // writer thread only (after Start)
  absl::Time last_time_ = absl::InfinitePast();  // writer thread only

  mutable absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status fault_ ABSL_GUARDED_BY(mu_);
  int64_t committed_size_ ABSL_GUARDED_BY(mu_) = 0;
  std::optional<Sealed> to_commit_ ABSL_GUARDED_BY(mu_);  // handed over, not yet taken
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;  // a sealed batch is not yet written
  bool committer_stop_ ABSL_GUARDED_BY(mu_) = false;
  std::deque<Sealed> to_answer_ ABSL_GUARDED_BY(mu_);  // written (or failed), outcomes set
  bool answerer_stop_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
  std::thread committer_;
  std::thread answerer_;
};

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_WRITER_H_
