// The inverse of services/edge/call.h's ToGrpc, for the ledger's gRPC client
// (services/ledger_client/remote_ledger.h): a grpc::Status that the ledger service produced from an
// absl::Status becomes that absl::Status again, with the same code and message
// ("<REASON>: <detail>", so ReasonOf() gives the same reason) and, when its details carry a
// google.rpc.BadRequest field violation, the same field (FieldOf()). The public edge then
// re-encodes it with ToGrpc exactly as if the ledger had been in-process.
#ifndef HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_STATUS_H_
#define HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace huanxin::ledger_client {

absl::Status FromGrpc(const grpc::Status& status);

// True when `status` came from the Huanxin ledger service (its details carry a
// google.rpc.ErrorInfo of domain "huanxin.v1"), false for one gRPC made up itself (no
// connection, deadline exceeded, message too large, ...).
bool FromLedgerService(const grpc::Status& status);

}  // namespace huanxin::ledger_client

#endif  // HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_STATUS_H_
