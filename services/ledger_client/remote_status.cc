#include "services/ledger_client/remote_status.h"

#include <string>

#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace huanxin::ledger_client {
namespace {

bool Details(const grpc::Status& status, google::rpc::Status* out) {
  return !status.error_details().empty() && out->ParseFromString(status.error_details());
}

}  // namespace

bool FromLedgerService(const grpc::Status& status) {
  google::rpc::Status details;
  if (!Details(status, &details)) return false;
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info) && info.domain() == "huanxin.v1") return true;
  }
  return false;
}

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  google::rpc::Status details;
  if (!Details(status, &details)) return out;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad) || bad.field_violations_size() == 0) continue;
    // common/status.h keeps the field payload's type URL private: copy the payload that
    // FieldError attaches for this field rather than duplicating the URL here.
    FieldError(bad.field_violations(0).field(), "")
        .ForEachPayload([&](absl::string_view url, const absl::Cord& payload) {
          out.SetPayload(url, payload);
        });
    break;
  }
  return out;
}

}  // namespace huanxin::ledger_client
