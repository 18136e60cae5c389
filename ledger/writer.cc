#include "ledger/writer.h"

#include <algorithm>
#include <future>
#include <vector>

#include "absl/strings/str_cat.h"
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
  w->thread_ = std::thread([p = w.get()] { p->Loop(); });
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
}

void Writer::Submit(internal::Command command, Done done) {
  absl::Status refused;
  {
    absl::MutexLock l(&mu_);
    if (!fault_.ok()) {
      refused = fault_;
    } else if (stopping_) {
      refused = Refuse(reason::kUnavailable, "the ledger is shutting down");
    } else {
      queue_.push_back(Pending{std::move(command), std::move(done)});
      return;
    }
  }
  done(refused);
}

absl::StatusOr<internal::Reply> Writer::Execute(internal::Command command) {
  std::promise<absl::StatusOr<internal::Reply>> promise;
  auto future = promise.get_future();
  Submit(std::move(command),
         [&promise](absl::StatusOr<internal::Reply> r) { promise.set_value(std::move(r)); });
  return future.get();
}

absl::Status Writer::health() const {
  absl::MutexLock l(&mu_);
  return fault_;
}

int64_t Writer::committed_size() const {
  absl::MutexLock l(&mu_);
  return committed_size_;
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
    if (IsStorageFault(decision.status())) return decision.status();
    p->outcome = decision.status();  // a refusal that is not recorded
    return absl::OkStatus();
  }
  v1::LedgerEntry& e = *decision;
  e.set_seq(next_seq_);
  *e.mutable_time() = ToProto(now);
  e.set_actor(cmd.actor());
  e.set_request_id(cmd.request_id());
  e.set_request_fingerprint(fingerprint);
  HX_RETURN_IF_ERROR(Apply(e, &batch_));
  HX_RETURN_IF_ERROR(AppendToLog(next_seq_, Serialize(e), &batch_));
  ++next_seq_;
  last_time_ = now;
  p->outcome = ReplyFromEntry(e);
  return absl::OkStatus();
}

void Writer::Loop() {
  std::vector<Pending> batch;
  for (;;) {
    size_t queue_depth = 0;
    {
      absl::MutexLock l(&mu_);
      mu_.Await(absl::Condition(
          +[](Writer* w) ABSL_EXCLUSIVE_LOCKS_REQUIRED(w->mu_) {
            return !w->queue_.empty() || w->stopping_;
          },
          this));
      if (queue_.empty()) return;  // stopping, and everything submitted is answered
      size_t bytes = 0;
      while (!queue_.empty() && batch.size() < options_.max_batch_commands &&
             bytes < options_.max_batch_bytes) {
        bytes += queue_.front().command.ByteSizeLong();
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queue_depth = queue_.size();
    }
    absl::Status fault = health();
    const int64_t first_seq = next_seq_;
    absl::Duration commit_latency;
    for (Pending& p : batch) {
      if (!fault.ok()) break;
      fault = Process(&p);
    }
    if (fault.ok() && next_seq_ != first_seq) {
      batch_.Put(Cf::kMeta, keys::kNextSeq, keys::Seq(next_seq_));
      const absl::Time commit_start = absl::Now();
      fault = batch_.Commit();
      commit_latency = absl::Now() - commit_start;
    }
    batch_.Discard();
    if (fault.ok()) {
      absl::MutexLock l(&mu_);
      committed_size_ = next_seq_;
    }
    if (!fault.ok()) {
      FailStop(fault);
      fault = health();
      for (Pending& p : batch) p.outcome = fault;
    }
    if (options_.observer != nullptr) {
      options_.observer->OnBatch(batch.size(), commit_latency, queue_depth);
    }
    for (Pending& p : batch) p.done(std::move(p.outcome));
    batch.clear();
  }
}

}  // namespace huanxin::ledger
