// What every RPC handler of every service does around its own body, in one place:
// refuse a call whose deadline has already passed, establish the principal (the verified
// client certificate's CN under mTLS; the metadata `x-huanxin-principal` only under
// --insecure), apply the per-principal rate limit, authorize the RPC by the table of
// common/auth.h, run the body, turn an absl::Status into a grpc::Status whose message starts
// with the reason and whose details carry google.rpc.ErrorInfo (domain "huanxin.v1") and, for
// a malformed field, google.rpc.BadRequest, and report the call to the observer (metrics, the
// JSON log line).
#ifndef HUANXIN_SERVICES_EDGE_CALL_H_
#define HUANXIN_SERVICES_EDGE_CALL_H_

#include <functional>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/auth.h"
#include "common/pii.h"
#include "common/rate_limiter.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/server_callback.h"
#include "grpcpp/support/status.h"
#include "ledger/ledger_api.h"

namespace huanxin::edge {

// What the edge services share. Edges keep no state of their own.
struct Deps {
  ledger::LedgerApiPtr ledger;
  std::shared_ptr<const PiiKey> pii;
};

// Where a call's principal comes from.
enum class AuthMode {
  // mTLS: the Common Name of the client certificate the TLS handshake verified. Metadata
  // never overrides it; a call without a verified certificate is UNAUTHENTICATED.
  kCertificate,
  // --insecure: the metadata header x-huanxin-principal, unproven. Development only.
  kMetadata,
};

// Told about every call Serve and ServeCommand finished. Thread-safe and quick: it runs on the
// call's thread, or for a write RPC on the ledger thread that answers it.
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // `principal` is "" when the call had none (or an invalid one); `status` is what the
  // caller gets.
  virtual void OnCall(absl::string_view method, absl::string_view principal,
                      const absl::Status& status, absl::Duration latency) = 0;
};

// How Serve treats the calls of this process.
struct CallPolicy {
  AuthMode auth_mode = AuthMode::kCertificate;
  RateLimiterPtr rate_limiter;              // null: no limit
  std::shared_ptr<CallObserver> observer;   // null: none
};

// Installs the policy every later Serve applies. huanxind calls it once, before it serves.
// Until then the policy is CallPolicy{} (certificate mode: a call without a verified client
// certificate is refused).
// REQUIRES: no call is being served (the previous policy is kept alive, never freed).
void InstallCallPolicy(CallPolicy policy);

// Runs `body` as `method` ("AdminService/CreateProgram") for the caller of `ctx`. For the
// reads: they are quick, and run on one of gRPC's sync-server threads.
grpc::Status Serve(grpc::ServerContext* ctx, absl::string_view method,
                   const std::function<absl::Status(const Principal&)>& body);

// The write RPCs are gRPC callback methods: the call waits for its fsync without holding a
// thread. `command` builds the ledger command from the request on the gRPC thread, hashing
// identities; it is submitted to the ledger, which checks it (ledger/commands/
// validate_command.h), and once it is durable (or refused) `reply` fills the response from
// the ledger's reply and the call finishes, with the same admission, errors and observer as
// Serve. `reply` runs on a ledger thread and must be quick. `method` must outlive the call
// (a string literal).
grpc::ServerUnaryReactor* ServeCommand(
    grpc::CallbackServerContext* ctx, absl::string_view method, ledger::LedgerApi* ledger,
    std::function<absl::StatusOr<internal::Command>(const Principal&)> command,
    std::function<void(internal::Reply*)> reply);

// A server-streaming callback call (AuditService/StreamEntries), which ends long after its
// method returns: admitted as Serve admits a call, and reported to the observer once, by End.
class StreamCall {
 public:
  StreamCall(const grpc::CallbackServerContext* ctx, absl::string_view method);

  // The caller, or why the call may not go ahead.
  const absl::StatusOr<Principal>& caller() const { return caller_; }
  // The caller's name ("" when it had none).
  const std::string& principal_name() const { return principal_; }
  // Reports the call's outcome to the observer and returns it as the status to finish with.
  // REQUIRES: called once.
  grpc::Status End(const absl::Status& status) const;

 private:
  const CallPolicy& policy_;
  const absl::string_view method_;
  const absl::Time start_;
  std::string principal_;
  absl::StatusOr<Principal> caller_;
};

grpc::Status ToGrpc(const absl::Status& status);

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_EDGE_CALL_H_
