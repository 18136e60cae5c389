#include "services/edge/call.h"

#include <string>

#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace huanxin::edge {
namespace {

constexpr char kPrincipalHeader[] = "x-huanxin-principal";

absl::StatusOr<Principal> Caller(const grpc::ServerContext* ctx) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(kPrincipalHeader);
  if (it == md.end()) return ParsePrincipal("");
  return ParsePrincipal(absl::string_view(it->second.data(), it->second.size()));
}

}  // namespace

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  google::rpc::ErrorInfo info;
  info.set_reason(ReasonOf(status));
  info.set_domain("huanxin.v1");
  details.add_details()->PackFrom(info);
  if (std::string field = FieldOf(status); !field.empty()) {
    google::rpc::BadRequest bad;
    auto* v = bad.add_field_violations();
    v->set_field(field);
    v->set_description(std::string(status.message()));
    details.add_details()->PackFrom(bad);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()), details.SerializeAsString());
}

grpc::Status Serve(grpc::ServerContext* ctx, absl::string_view method,
                   const std::function<absl::Status(const Principal&)>& body) {
  absl::StatusOr<Principal> caller = Caller(ctx);
  if (!caller.ok()) return ToGrpc(caller.status());
  if (absl::Status s = Authorize(*caller, method); !s.ok()) return ToGrpc(s);
  return ToGrpc(body(*caller));
}

}  // namespace huanxin::edge
