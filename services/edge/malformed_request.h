// What every request of a huanxin.* service goes through before any handler sees it:
//
// - A request whose bytes are not a valid message of the method's type (truncated, invalid
//   UTF-8 in a string field, a wrong wire type) is INVALID_ARGUMENT with reason INVALID_FIELD
//   and a google.rpc.BadRequest violation of the field "request", like every other malformed
//   input. gRPC itself would answer UNIMPLEMENTED (callback methods: the writes) or INTERNAL
//   (sync methods: the reads), which tells a till's developer the wrong thing.
// - A request that parsed loses its unknown fields, at every depth: fields this build does
//   not know are never fingerprinted, written to the ledger or logged (they could hide a
//   clear ID number, or megabytes).
//
// A server interceptor: it notes a request that failed to deserialize and rewrites the status
// gRPC then sends. Calls of services outside huanxin.* (health, reflection) pass untouched.
#ifndef HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_
#define HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_

#include <memory>

#include "absl/strings/string_view.h"
#include "grpcpp/support/server_interceptor.h"

namespace huanxin::edge {

// For grpc::ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MalformedRequestInterceptorFactory();

// True for the full method names ("/huanxin.v1.AdminService/CreateProgram") whose request
// messages are generated Protobuf classes this interceptor may inspect.
bool IsHuanxinMethod(absl::string_view method);

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_
