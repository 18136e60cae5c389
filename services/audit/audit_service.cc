#include "services/audit/audit_service.h"

#include "common/status_macros.h"
#include "common/validate.h"

namespace huanxin::edge {

grpc::Status AuditService::GetProgramStats(grpc::ServerContext* ctx,
                                           const v1::GetProgramStatsRequest* req,
                                           v1::ProgramStats* resp) {
  return Serve(ctx, "AuditService/GetProgramStats", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateSlug("program_id", req->program_id()));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetProgramStats(req->program_id()));
    return absl::OkStatus();
  });
}

}  // namespace huanxin::edge
