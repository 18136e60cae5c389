// huanxin.v1.AdminService: programmes, funding, merchants and recyclers (role admin).
#ifndef HUANXIN_SERVICES_ADMIN_ADMIN_SERVICE_H_
#define HUANXIN_SERVICES_ADMIN_ADMIN_SERVICE_H_

#include "huanxin/v1/admin.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// The write RPCs are callback methods (services/edge/call.h, ServeCommand); reads are sync.
using AdminServiceBase = v1::AdminService::WithCallbackMethod_CreateProgram<
    v1::AdminService::WithCallbackMethod_FundProgram<
        v1::AdminService::WithCallbackMethod_SetProgramState<
            v1::AdminService::WithCallbackMethod_UpdateProgramRules<
                v1::AdminService::WithCallbackMethod_RegisterMerchant<
                    v1::AdminService::WithCallbackMethod_SetMerchantState<
                        v1::AdminService::WithCallbackMethod_RegisterRecycler<
                            v1::AdminService::WithCallbackMethod_CreateSettlement<
                                v1::AdminService::Service>>>>>>>>;

class AdminService final : public AdminServiceBase {
 public:
  explicit AdminService(Deps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* CreateProgram(grpc::CallbackServerContext* ctx,
                                          const v1::CreateProgramRequest* req,
                                          v1::Program* resp) override;
  grpc::Status GetProgram(grpc::ServerContext* ctx, const v1::GetProgramRequest* req,
                          v1::Program* resp) override;
  grpc::Status ListPrograms(grpc::ServerContext* ctx, const v1::ListProgramsRequest* req,
                            v1::ListProgramsResponse* resp) override;
  grpc::ServerUnaryReactor* FundProgram(grpc::CallbackServerContext* ctx,
                                        const v1::FundProgramRequest* req,
                                        v1::ProgramStats* resp) override;
  grpc::ServerUnaryReactor* SetProgramState(grpc::CallbackServerContext* ctx,
                                            const v1::SetProgramStateRequest* req,
                                            v1::Program* resp) override;
  grpc::ServerUnaryReactor* UpdateProgramRules(grpc::CallbackServerContext* ctx,
                                               const v1::UpdateProgramRulesRequest* req,
                                               v1::Program* resp) override;
  grpc::ServerUnaryReactor* RegisterMerchant(grpc::CallbackServerContext* ctx,
                                             const v1::RegisterMerchantRequest* req,
                                             v1::Merchant* resp) override;
  grpc::Status GetMerchant(grpc::ServerContext* ctx, const v1::GetMerchantRequest* req,
                           v1::Merchant* resp) override;
  grpc::ServerUnaryReactor* SetMerchantState(grpc::CallbackServerContext* ctx,
                                             const v1::SetMerchantStateRequest* req,
                                             v1::Merchant* resp) override;
  grpc::ServerUnaryReactor* RegisterRecycler(grpc::CallbackServerContext* ctx,
                                             const v1::RegisterRecyclerRequest* req,
                                             v1::Recycler* resp) override;
  grpc::ServerUnaryReactor* CreateSettlement(grpc::CallbackServerContext* ctx,
                                             const v1::CreateSettlementRequest* req,
                                             v1::Settlement* resp) override;
  grpc::Status GetSettlement(grpc::ServerContext* ctx, const v1::GetSettlementRequest* req,
                             v1::SettlementDetail* resp) override;
  // Implemented in admin_backup.cc.
  grpc::Status Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                      v1::BackupResponse* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_ADMIN_ADMIN_SERVICE_H_
