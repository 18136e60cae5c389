// Followers: many AuditService.StreamEntries calls held open by one test thread, on one
// completion queue (no client thread per stream), for the stream flood of the abuse suite.
#ifndef HUANXIN_TESTS_ABUSE_FOLLOWERS_H_
#define HUANXIN_TESTS_ABUSE_FOLLOWERS_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "huanxin/v1/audit.grpc.pb.h"

namespace huanxin::itest {

class Followers {
 public:
  struct Stream {
    enum class Phase { kStarting, kReading, kFinishing, kDone };
    std::string principal;
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientAsyncReader<v1::EntryWithLeaf>> reader;
    v1::EntryWithLeaf entry;  // the read in flight
    std::vector<int64_t> seqs;  // every entry's seq, in the order read
    Phase phase = Phase::kStarting;
    grpc::Status status;  // once kDone
  };

  explicit Followers(v1::AuditService::Stub* stub) : stub_(stub) {}
  // Cancels what is still open and waits for every call to end.
  ~Followers();

  // Opens a stream as `principal` (metadata) from `from_seq`, following.
  void Open(const std::string& principal, int64_t from_seq);

  // Handles events until `done()` holds (true) or `timeout` passes (false).
  bool PumpUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // Cancels every stream and waits (at most `timeout`) until all have ended.
  bool CancelAll(std::chrono::milliseconds timeout);

  const std::vector<std::unique_ptr<Stream>>& streams() const { return streams_; }

 private:
  void Handle(Stream* s, bool ok);

  v1::AuditService::Stub* const stub_;
  grpc::CompletionQueue cq_;
  std::vector<std::unique_ptr<Stream>> streams_;
};

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_ABUSE_FOLLOWERS_H_
