// A request whose bytes are not a valid message of the method's type (truncated, invalid
// UTF-8 in a string field, a wrong wire type) is INVALID_ARGUMENT with reason INVALID_FIELD
// and a google.rpc.BadRequest violation of the field "request", like every other malformed
// input. gRPC itself would answer UNIMPLEMENTED (callback methods: the writes) or INTERNAL
// (sync methods: the reads), which tells a till's developer the wrong thing.
//
// A server interceptor: it notes a request that failed to deserialize and rewrites the status
// gRPC then sends. Calls whose request parsed pass through untouched.
#ifndef HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_
#define HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_

#include <memory>

#include "grpcpp/support/server_interceptor.h"

namespace huanxin::edge {

// For grpc::ServerBuilder::experimental().SetInterceptorCreators.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
MalformedRequestInterceptorFactory();

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_EDGE_MALFORMED_REQUEST_H_
