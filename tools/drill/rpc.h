// The drill's connection to huanxind: one channel, the five service stubs, and unary calls made
// as a principal (insecure mode: metadata x-huanxin-principal), retried with the same request
// on UNAVAILABLE or RATE_LIMITED so a retry of a mutating call replays the first answer.
// Thread-safe: the stubs are shared by every worker.
#ifndef HUANXIN_TOOLS_DRILL_RPC_H_
#define HUANXIN_TOOLS_DRILL_RPC_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "common/auth.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "huanxin/v1/issuance.grpc.pb.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "huanxin/v1/redemption.grpc.pb.h"

namespace huanxin::drill {

namespace v1 = ::huanxin::v1;

// The reason a refusal starts its message with ("DUPLICATE_SERIAL: ..."), or "" for none.
std::string ReasonOf(const grpc::Status& status);
// "CODE REASON: message" for logs.
std::string Describe(const grpc::Status& status);

class Rpc {
 public:
  // `tag` makes request ids unique to this run: "<tag>.<n>".
  Rpc(const std::string& target, const std::string& tag);

  v1::AdminService::Stub* admin() { return admin_.get(); }
  v1::IssuanceService::Stub* issuance() { return issuance_.get(); }
  v1::RedemptionService::Stub* redemption() { return redemption_.get(); }
  v1::RecyclingService::Stub* recycling() { return recycling_.get(); }
  v1::AuditService::Stub* audit() { return audit_.get(); }

  // A fresh idempotency key.
  std::string RequestId() { return tag_ + "." + std::to_string(++counter_); }

  // Calls `method` as `principal` with a 30 s deadline; up to 8 attempts while the answer is
  // UNAVAILABLE or RESOURCE_EXHAUSTED RATE_LIMITED.
  template <typename Stub, typename Req, typename Resp>
  grpc::Status Call(Stub* stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                    const std::string& principal, const Req& req, Resp* resp) {
    grpc::Status s;
    for (int attempt = 0; attempt < 8; ++attempt) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      ctx.AddMetadata(kPrincipalHeader, principal);
      s = (stub->*method)(&ctx, req, resp);
      const bool retry = s.error_code() == grpc::StatusCode::UNAVAILABLE ||
                         (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
                          ReasonOf(s) == "RATE_LIMITED");
      if (!retry) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
    }
    return s;
  }

 private:
  std::string tag_;
  std::atomic<int64_t> counter_{0};
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  std::unique_ptr<v1::IssuanceService::Stub> issuance_;
  std::unique_ptr<v1::RedemptionService::Stub> redemption_;
  std::unique_ptr<v1::RecyclingService::Stub> recycling_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

}  // namespace huanxin::drill

#endif  // HUANXIN_TOOLS_DRILL_RPC_H_
