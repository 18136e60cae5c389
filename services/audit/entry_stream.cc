#include "services/audit/entry_stream.h"

#include <utility>

namespace huanxin::edge {
namespace {

constexpr int kChunk = 500;

absl::Status Cancelled() { return absl::CancelledError("the stream was cancelled"); }

}  // namespace

EntryStream::EntryStream(ledger::LedgerApi* ledger, FollowHub* hub, int64_t from_seq,
                         bool follow, const absl::Status& admitted, EndFn end)
    : ledger_(ledger), hub_(hub), follow_(follow), end_(std::move(end)), next_(from_seq) {
  if (!admitted.ok()) {
    End(admitted);
    return;
  }
  Continue();
}

void EntryStream::Continue() {
  for (;;) {
    if (written_ == chunk_.size()) {
      absl::StatusOr<std::vector<v1::EntryWithLeaf>> read = ledger_->ReadEntries(next_, kChunk);
      if (!read.ok()) {
        End(read.status());
        return;
      }
      chunk_ = *std::move(read);
      written_ = 0;
    }
    Turn turn;
    bool cancelled;
    {
      absl::MutexLock l(&mu_);
      cancelled = cancelled_;
      if (cancelled_ || (written_ == chunk_.size() && !follow_)) {
        turn_ = Turn::kDone;
      } else if (written_ < chunk_.size()) {
        turn_ = Turn::kWriting;
      } else {
        turn_ = Turn::kWaiting;
        // Registered: OnEntries (or OnCancel) takes the stream on from here.
        if (hub_->Wait(this, next_)) return;
        turn_ = Turn::kRunning;  // the hub already knows of newer entries: read them
      }
      turn = turn_;
    }
    if (turn == Turn::kWriting) {
      StartWrite(&chunk_[written_]);  // OnWriteDone may run before this returns
      return;
    }
    if (turn == Turn::kDone) {
      End(cancelled ? Cancelled() : absl::OkStatus());
      return;
    }
  }
}

bool EntryStream::Resume() {
  {
    absl::MutexLock l(&mu_);
    if (!cancelled_) {
      turn_ = Turn::kRunning;
      return true;
    }
  }
  End(Cancelled());
  return false;
}

void EntryStream::End(const absl::Status& status) {
  {
    absl::MutexLock l(&mu_);
    turn_ = Turn::kDone;
  }
  Finish(end_(status));  // OnDone, and so delete, may follow at once: nothing after this
}

void EntryStream::OnWriteDone(bool ok) {
  if (!ok) {  // the client went away
    End(absl::OkStatus());
    return;
  }
  ++written_;
  ++next_;
  if (Resume()) Continue();
}

void EntryStream::OnEntries() {
  if (Resume()) Continue();
}

void EntryStream::OnCancel() {
  bool end = false;
  {
    absl::MutexLock l(&mu_);
    cancelled_ = true;
    end = turn_ == Turn::kWaiting && hub_->Cancel(this);
  }
  if (end) End(Cancelled());
}

}  // namespace huanxin::edge
