// huanxin.v1.AuditService: the commerce bureau's auditors (role auditor). This foundation
// serves the programmes' books; entries, proofs and reviews come with later issues and answer
// UNIMPLEMENTED until then.
#ifndef HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "huanxin/v1/audit.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

class AuditService final : public v1::AuditService::Service {
 public:
  explicit AuditService(Deps deps) : deps_(std::move(deps)) {}

  grpc::Status GetProgramStats(grpc::ServerContext* ctx, const v1::GetProgramStatsRequest* req,
                               v1::ProgramStats* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_
