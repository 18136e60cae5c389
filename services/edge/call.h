// What every RPC handler of every service does around its own body, in one place:
// read the principal (metadata `x-huanxin-principal` under --insecure), authorize the RPC
// by the table of common/auth.h, run the body, and turn an absl::Status into a grpc::Status
// whose message starts with the reason and whose details carry google.rpc.ErrorInfo
// (domain "huanxin.v1") and, for a malformed field, google.rpc.BadRequest.
#ifndef HUANXIN_SERVICES_EDGE_CALL_H_
#define HUANXIN_SERVICES_EDGE_CALL_H_

#include <functional>
#include <memory>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "common/auth.h"
#include "common/pii.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "ledger/ledger_api.h"

namespace huanxin::edge {

// What the edge services share. Edges keep no state of their own.
struct Deps {
  ledger::LedgerApiPtr ledger;
  std::shared_ptr<const PiiKey> pii;
};

// Runs `body` as `method` ("AdminService/CreateProgram") for the caller of `ctx`.
grpc::Status Serve(grpc::ServerContext* ctx, absl::string_view method,
                   const std::function<absl::Status(const Principal&)>& body);

grpc::Status ToGrpc(const absl::Status& status);

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_EDGE_CALL_H_
