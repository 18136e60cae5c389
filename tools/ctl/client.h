// The connection to huanxind: channel, per-call context (principal, deadline), idempotency
// keys, and how a refused call is reported.
#ifndef HUANXIN_TOOLS_CTL_CLIENT_H_
#define HUANXIN_TOOLS_CTL_CLIENT_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"

#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "huanxin/v1/issuance.grpc.pb.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "huanxin/v1/redemption.grpc.pb.h"
#include "tools/ctl/cli.h"

namespace huanxin::ctl {

// The channel credentials for `options`: grpc::SslCredentials (server verified against
// options.tls_ca_file, client certificate from tls_cert_file/tls_key_file when given) when
// tls_ca_file is set; plaintext otherwise (the server must then run --insecure). A file that
// cannot be read is an error naming it.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const GlobalOptions& options);

// The Common Name of the first certificate in `pem` (a client certificate's CN is its
// principal under mTLS). INVALID_ARGUMENT when it is not a PEM certificate with one.
absl::StatusOr<std::string> CertificateCommonName(const std::string& pem);

// One invocation's view of the server. Stubs are created on first use.
class Client {
 public:
  explicit Client(GlobalOptions options);

  const GlobalOptions& options() const { return options_; }

  // Prepares `context` for one call: principal metadata and deadline.
  void Prepare(grpc::ClientContext& context) const;

  // The idempotency key for a mutating call: --request-id when given, else a fresh random
  // "ctl-<hex>" key. Either way it is printed to stderr ("request-id: ...") so the call can
  // be retried with the same key and get the same answer.
  std::string RequestId();

  // ID numbers and other identity values typed on this command line: every message this
  // tool prints has them masked (see Redact), so clear identities never reach a terminal.
  void AddSecret(const std::string& value);
  std::string Redact(std::string text) const;

  // Prints a failed call to stderr as
  //   error: <CODE_NAME> <REASON>: <message>
  // followed by one "  field <path>: <description>" line per google.rpc.BadRequest violation,
  // and returns kExitRpcError. Failures a user can fix on this side say how: a server that
  // cannot be reached, no principal given (UNAUTHENTICATED without --as or a certificate),
  // and an address serving only the internal ledger service (UNIMPLEMENTED without a
  // reason, which is what gRPC answers for a huanxin.v1 service the server does not host;
  // the server's health service then tells which services it does host).
  int ReportError(const grpc::Status& status) const;

  huanxin::v1::AdminService::Stub& admin();
  huanxin::v1::AuditService::Stub& audit();
  huanxin::v1::IssuanceService::Stub& issuance();
  huanxin::v1::RedemptionService::Stub& redemption();
  huanxin::v1::RecyclingService::Stub& recycling();

 private:
  std::shared_ptr<grpc::Channel> channel();
  // After a call answered UNIMPLEMENTED: ": <addr> serves only the internal ledger
  // service ..." (or " does not host the service ..."), or "" when the server says neither.
  std::string UnhostedServiceHint() const;

  GlobalOptions options_;
  std::vector<std::string> secrets_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<huanxin::v1::AdminService::Stub> admin_;
  std::unique_ptr<huanxin::v1::AuditService::Stub> audit_;
  std::unique_ptr<huanxin::v1::IssuanceService::Stub> issuance_;
  std::unique_ptr<huanxin::v1::RedemptionService::Stub> redemption_;
  std::unique_ptr<huanxin::v1::RecyclingService::Stub> recycling_;
};

// The reason of a refusal: the google.rpc.ErrorInfo reason when the status carries one,
// else the message's upper-case prefix ("VOUCHER_EXPIRED: ..."), else "".
std::string ErrorReason(const grpc::Status& status);

// "NOT_FOUND", "FAILED_PRECONDITION", ... for a gRPC status code.
const char* StatusCodeName(grpc::StatusCode code);

// "371602********001X"-style mask of an ID number (keeps the first 6 and last 4 characters
// of an 18-character value; anything else becomes all '*').
std::string MaskIdentity(const std::string& value);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_CLIENT_H_
