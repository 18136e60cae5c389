// EntryStream: one AuditService.StreamEntries call on gRPC's callback API. It writes the
// committed entries from `from_seq` in order, without gaps, a chunk read at a time; then it
// finishes, or with `follow` waits in the FollowHub for more, holding no thread while it
// waits. It ends when the client cancels, a write fails, the server shuts down (gRPC cancels
// the call) or a read fails.
#ifndef HUANXIN_SERVICES_AUDIT_ENTRY_STREAM_H_
#define HUANXIN_SERVICES_AUDIT_ENTRY_STREAM_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/support/server_callback.h"
#include "huanxin/v1/audit.pb.h"
#include "ledger/ledger_api.h"
#include "services/audit/follow_hub.h"

namespace huanxin::edge {

class EntryStream final : public grpc::ServerWriteReactor<v1::EntryWithLeaf>,
                          private FollowHub::Waiter {
 public:
  // Turns the call's outcome into the status it finishes with (and reports it); called once.
  using EndFn = std::function<grpc::Status(const absl::Status&)>;

  // Starts the stream, or, when `admitted` is not OK, finishes it at once with that status.
  // Deletes itself when gRPC is done with the call.
  // REQUIRES: `ledger` and `hub` outlive the call.
  EntryStream(ledger::LedgerApi* ledger, FollowHub* hub, int64_t from_seq, bool follow,
              const absl::Status& admitted, EndFn end);

 private:
  // Who moves the stream on: exactly one of the running code, a write in flight, and the hub.
  enum class Turn { kRunning, kWriting, kWaiting, kDone };

  // Reads and writes on until a write is in flight, the stream waits in the hub, or it ends.
  // REQUIRES: turn_ == kRunning.
  void Continue();
  // Finishes the call with `status`. REQUIRES: the caller has the turn (or the call was
  // never started); called once.
  void End(const absl::Status& status);
  // Takes the turn back as kRunning; false (and ends the stream) when the call was cancelled.
  bool Resume();

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override { delete this; }
  void OnEntries() override;

  ledger::LedgerApi* const ledger_;
  FollowHub* const hub_;
  const bool follow_;
  EndFn end_;
  // Touched only by whoever has the turn.
  std::vector<v1::EntryWithLeaf> chunk_;
  size_t written_ = 0;  // of chunk_
  int64_t next_;

  absl::Mutex mu_;
  Turn turn_ ABSL_GUARDED_BY(mu_) = Turn::kRunning;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_AUDIT_ENTRY_STREAM_H_
