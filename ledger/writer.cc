#include "ledger/writer.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/log.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/apply.h"
#include "ledger/commands/dispatch.h"
#include "ledger/reply.h"
#include "ledger/state.h"
#include "storage/keys.h"

namespace huanxin::ledger {

namespace keys = storage::keys;
using storage::Cf;

namespace {

// Sets the calling thread's nice value to `nice` (0: leaves it). Best effort: without
// CAP_SYS_NICE or an RLIMIT_NICE that allows it (systemd LimitNICE=), the thread keeps the
// process's priority and a warning says so.
void RaisePriority(int nice) {
  if (nice == 0) return;
  if (setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice) != 0) {
    LogLine("writer_priority", "warn")
        .Int("nice", nice)
        .Str("error", std::strerror(errno))
        .Str("fix", "grant CAP_SYS_NICE or LimitNICE=-10 (systemd)");
  }
}

using Instant = std::chrono::steady_clock::time_point;

Instant MonotonicNow() { return std::chrono::steady_clock::now(); }

absl::Duration Between(Instant from, Instant to) { return absl::FromChrono(to - from); }

}  // namespace

Writer::Writer(storage::Db* db, ClockPtr clock, Options options)
    : db_(db), clock_(std::move(clock)), options_(options), batch_(db) {}

absl::StatusOr<std::unique_ptr<Writer>> Writer::Start(storage::Db* db, ClockPtr clock,
                                                      Options options) {
  std::unique_ptr<Writer> w(new Writer(db, std::move(clock), options));
  HX_RETURN_IF_ERROR(w->Recover());
  {
    absl::MutexLock l(&w->mu_);
    w->committed_size_ = w->next_seq_;
  }
  // Named for top, perf and tools/perf/threads.sh.
  w->thread_ = std::thread([p = w.get()] {
    pthread_setname_np(pthread_self(), "hx-writer");
    p->Loop();
  });
  w->committer_ = std::thread([p = w.get()] {
    pthread_setname_np(pthread_self(), "hx-committer");
    p->CommitLoop();
  });
  w->answerer_ = std::thread([p = w.get()] {
    pthread_setname_np(pthread_self(), "hx-answerer");
    p->AnswerLoop();
  });
  return w;
}

absl::Status Writer::Recover() {
  HX_ASSIGN_OR_RETURN(auto version, db_->Get(Cf::kMeta, keys::kSchemaVersionKey));
  if (!version.has_value()) {
    batch_.Put(Cf::kMeta, keys::kSchemaVersionKey, keys::kSchemaVersion);
    batch_.Put(Cf::kMeta, keys::kNextSeq, keys::Seq(0));
    HX_RETURN_IF_ERROR(batch_.Commit());
    return absl::OkStatus();
  }
  if (*version != keys::kSchemaVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("data directory has schema version ", *version, ", this build reads ",
                     keys::kSchemaVersion));
  }
  StateReader state(db_);
  HX_ASSIGN_OR_RETURN(auto next, db_->Get(Cf::kMeta, keys::kNextSeq));
  std::optional<uint64_t> seq = next.has_value() ? keys::DecodeUint64(*next) : std::nullopt;
  if (!seq.has_value()) return absl::DataLossError("meta next_seq is missing or corrupt");
  next_seq_ = static_cast<int64_t>(*seq);
  HX_ASSIGN_OR_RETURN(auto beyond, state.Entry(next_seq_));
  if (beyond.has_value()) return absl::DataLossError("an entry exists beyond next_seq");
  if (next_seq_ > 0) {
    HX_ASSIGN_OR_RETURN(auto last, state.Entry(next_seq_ - 1));
    if (!last.has_value()) return absl::DataLossError("the last entry is missing");
    last_time_ = FromProto(last->time());
  }
  return absl::OkStatus();
}

Writer::~Writer() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (committer_.joinable()) committer_.join();
  {
    absl::MutexLock l(&mu_);
    answerer_stop_ = true;
  }
  if (answerer_.joinable()) answerer_.join();
}

void Writer::Submit(internal::Command command, Done done) {
  absl::Status refused;
  {
    absl::MutexLock l(&mu_);
    if (!fault_.ok()) {
      refused = fault_;
    } else if (stopping_) {
      refused = Refuse(reason::kUnavailable, "the ledger is shutting down");
    } else if (queue_.size() >= options_.max_queued_commands) {
      refused = Refuse(reason::kUnavailable,
                       absl::StrCat("the ledger has ", queue_.size(),
                                    " commands waiting; retry with backoff"));
    } else {
      Pending& p = queue_.emplace_back();
      p.command = std::move(command);
      p.done = std::move(done);
      p.submitted = MonotonicNow();
      return;
    }
  }
  done(refused);
}

absl::Status Writer::health() const {
  absl::MutexLock l(&mu_);
  return fault_;
}

int64_t Writer::WaitForEntries(int64_t seen, absl::Duration timeout) const {
  absl::MutexLock l(&mu_);
  auto more = [this, seen]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return committed_size_ > seen || stopping_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&more), timeout);
  return committed_size_;
}

void Writer::FailStop(const absl::Status& fault) {
  absl::MutexLock l(&mu_);
  if (fault_.ok()) {
    fault_ = Refuse(reason::kUnavailable,
                    absl::StrCat("ledger stopped writing after a storage fault: ",
                                 fault.message()));
  }
}

absl::Status Writer::Process(Pending* p) {
  const internal::Command& cmd = p->command;
  StateReader state(&batch_);
  const std::string fingerprint = Fingerprint(cmd);
  if (!cmd.request_id().empty()) {
    HX_ASSIGN_OR_RETURN(auto rec, state.Idempotency(cmd.actor(), cmd.request_id()));
    if (rec.has_value()) {
      if (rec->fingerprint() != fingerprint) {
        p->outcome = Refuse(reason::kIdempotencyKeyReused,
                            absl::StrCat("request_id ", cmd.request_id(),
                                         " was used for a different request"));
        return absl::OkStatus();
      }
      HX_ASSIGN_OR_RETURN(auto first, state.Entry(rec->seq()));
      if (!first.has_value()) return absl::DataLossError("idempotency record without entry");
      p->outcome = ReplyFromEntry(*first);
      return absl::OkStatus();
    }
  }
  const absl::Time now = std::max(clock_->Now(), last_time_);
  Decision decision = Decide(Context{state, next_seq_, now}, cmd);
  if (!decision.ok()) {
    if (IsStorageFailure(decision.status())) return decision.status();
    if (decision.status().code() == absl::StatusCode::kInternal) {
      // Not the caller's mistake and not the disk's: a broken rule or invariant. This
      // command alone is refused; the operator must hear of it.
      const auto* op = internal::Command::descriptor()->FindFieldByNumber(cmd.op_case());
      LogLine("command_failed", "error")
          .Str("command", op != nullptr ? op->name() : "none")
          .Str("actor", cmd.actor())
          .Str("message", decision.status().message());
    }
    p->outcome = decision.status();  // a refusal that is not recorded
    return absl::OkStatus();
  }
  v1::LedgerEntry& e = *decision;
  e.set_seq(next_seq_);
  *e.mutable_time() = ToProto(now);
  e.set_actor(cmd.actor());
  e.set_request_id(cmd.request_id());
  e.set_request_fingerprint(fingerprint);
  std::string leaf = Serialize(e);
  if (leaf.size() > kMaxEntryBytes && e.type() != v1::LedgerEntry::SETTLEMENT_CREATED) {
    p->outcome = FieldError(
        "request", absl::StrCat("would make a ", leaf.size(), "-byte ledger entry; an entry may "
                                "take at most ", kMaxEntryBytes, " bytes"));
    return absl::OkStatus();
  }
  HX_RETURN_IF_ERROR(Apply(e, &batch_));
  HX_RETURN_IF_ERROR(AppendToLog(next_seq_, std::move(leaf), &batch_));
  ++next_seq_;
  last_time_ = now;
  p->outcome = ReplyFromEntry(e);
  return absl::OkStatus();
}

void Writer::Loop() {
  RaisePriority(options_.nice);
  std::vector<Pending> open;  // decided into batch_, not yet handed to the committer
  int64_t open_first_seq = next_seq_;
  for (;;) {
    std::vector<Pending> incoming;
    bool committer_free = false;
    size_t queue_depth = 0;
    {
      absl::MutexLock l(&mu_);
      // Wake for new commands while the open batch has room, or to hand the open batch over
      // once the one in flight is written, or to stop.
      auto ready = [this, &open]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return (!queue_.empty() && open.size() < options_.max_batch_commands) ||
               (!open.empty() && !in_flight_) || (stopping_ && queue_.empty() && open.empty());
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_ && queue_.empty() && open.empty()) break;
      size_t bytes = batch_.pending_bytes();
      while (!queue_.empty() && open.size() + incoming.size() < options_.max_batch_commands &&
             bytes < options_.max_batch_bytes) {
        bytes += queue_.front().command.ByteSizeLong();
        incoming.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      committer_free = !in_flight_;
      queue_depth = queue_.size();
    }
    absl::Status fault = health();
    const Instant taken = MonotonicNow();
    for (Pending& p : incoming) {
      p.taken = taken;
      if (fault.ok()) fault = Process(&p);
      p.decided = MonotonicNow();
      open.push_back(std::move(p));
    }
    if (!fault.ok()) {
      FailStop(fault);  // the committer answers the open batch with the fault
      batch_.Discard();
    }
    const bool full = open.size() >= options_.max_batch_commands ||
                      batch_.pending_bytes() >= options_.max_batch_bytes;
    if (!committer_free && !full) continue;  // keep filling while the last batch syncs
    if (!committer_free) {
      // Full: wait for the batch in flight to be written before handing this one over.
      absl::MutexLock l(&mu_);
      mu_.Await(absl::Condition(
          +[](bool* in_flight) { return !*in_flight; }, &in_flight_));
    }
    if (open.empty()) continue;
    Sealed sealed;
    // The batch before is in the database now, or it failed and writes have stopped.
    sealed.landed = batch_.Landed(/*written=*/health().ok());
    if (next_seq_ != open_first_seq && fault.ok()) {
      batch_.Put(Cf::kMeta, keys::kNextSeq, keys::Seq(next_seq_));
      sealed.writes = batch_.Seal();
    }
    batch_.Discard();  // a batch of refusals and replays only writes nothing
    sealed.commands = std::move(open);
    open.clear();
    sealed.end_seq = next_seq_;
    sealed.queue_depth = queue_depth;
    sealed.handed_over = MonotonicNow();
    open_first_seq = next_seq_;
    absl::MutexLock l(&mu_);
    // Invariants of the pipeline, kept on in Release: one batch in flight at a time, and
    // batches handed over in seq order, each ending at or after the last committed size.
    HX_CHECK(!in_flight_ && !to_commit_.has_value(), "one batch in flight");
    HX_CHECK(sealed.end_seq >= committed_size_, "batches are handed over in seq order");
    to_commit_ = std::move(sealed);
    in_flight_ = true;
  }
  absl::MutexLock l(&mu_);
  mu_.Await(absl::Condition(+[](bool* in_flight) { return !*in_flight; }, &in_flight_));
  committer_stop_ = true;
}

void Writer::CommitLoop() {
  for (;;) {
    Sealed sealed;
    {
      absl::MutexLock l(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return to_commit_.has_value() || committer_stop_;
      };
      mu_.Await(absl::Condition(&ready));
      if (!to_commit_.has_value()) return;
      sealed = std::move(*to_commit_);
      to_commit_.reset();
    }
    // Nothing is written, and nobody hears success, once a fault has stopped writes: a
    // batch decided after a failed one was decided on state that never reached the disk.
    absl::Status fault = health();
    absl::Duration commit_latency;
    if (fault.ok() && sealed.writes != nullptr) {
      const absl::Time commit_start = absl::Now();
      fault = storage::Batch::Write(db_, *sealed.writes);
      commit_latency = absl::Now() - commit_start;
      if (!fault.ok()) {
        FailStop(fault);
        fault = health();
      }
    }
    if (!fault.ok()) {
      for (Pending& p : sealed.commands) p.outcome = fault;
    }
    sealed.committed = MonotonicNow();
    const size_t commands = sealed.commands.size(), queue_depth = sealed.queue_depth;
    {
      absl::MutexLock l(&mu_);
      if (fault.ok()) {
        HX_CHECK(sealed.end_seq >= committed_size_, "the committed size never goes back");
        committed_size_ = sealed.end_seq;
      }
      in_flight_ = false;
      to_answer_.push_back(std::move(sealed));
    }
    if (options_.observer != nullptr) {
      options_.observer->OnBatch(commands, commit_latency, queue_depth);
    }
  }
}

void Writer::AnswerLoop() {
  for (;;) {
    Sealed answered;
    {
      absl::MutexLock l(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return !to_answer_.empty() || answerer_stop_;
      };
      mu_.Await(absl::Condition(&ready));
      if (to_answer_.empty()) return;
      answered = std::move(to_answer_.front());
      to_answer_.pop_front();
    }
    if (options_.observer != nullptr) {
      const Instant answering = MonotonicNow();
      std::vector<CommandStages> stages;
      stages.reserve(answered.commands.size());
      for (const Pending& p : answered.commands) {
        stages.push_back(CommandStages{Between(p.submitted, p.taken),
                                       Between(p.taken, p.decided),
                                       Between(p.decided, answered.handed_over),
                                       Between(answered.handed_over, answered.committed),
                                       Between(answered.committed, answering)});
      }
      options_.observer->OnAnswered(stages);
    }
    for (Pending& p : answered.commands) p.done(std::move(p.outcome));
  }
}

}  // namespace huanxin::ledger
