#include "services/admin/admin_service.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/program_rules.h"
#include "services/edge/requests.h"

namespace huanxin::edge {
namespace {

}  // namespace

grpc::ServerUnaryReactor* AdminService::CreateProgram(grpc::CallbackServerContext* ctx,
                                                      const v1::CreateProgramRequest* req,
                                                      v1::Program* resp) {
  return ServeCommand(
      ctx, "AdminService/CreateProgram", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_create_program() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_program()); });
}

grpc::Status AdminService::GetProgram(grpc::ServerContext* ctx, const v1::GetProgramRequest* req,
                                      v1::Program* resp) {
  return Serve(ctx, "AdminService/GetProgram", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateSlug("program_id", req->program_id()));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetProgram(req->program_id()));
    return absl::OkStatus();
  });
}

grpc::Status AdminService::ListPrograms(grpc::ServerContext* ctx,
                                        const v1::ListProgramsRequest* req,
                                        v1::ListProgramsResponse* resp) {
  return Serve(ctx, "AdminService/ListPrograms", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidatePageSize("page_size", req->page_size()));
    if (!req->page_token().empty())
      HX_RETURN_IF_ERROR(ValidateSlug("page_token", req->page_token()));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->ListPrograms(req->page_size(), req->page_token()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminService::FundProgram(grpc::CallbackServerContext* ctx,
                                                    const v1::FundProgramRequest* req,
                                                    v1::ProgramStats* resp) {
  return ServeCommand(
      ctx, "AdminService/FundProgram", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_fund_program() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_stats()); });
}

grpc::ServerUnaryReactor* AdminService::SetProgramState(grpc::CallbackServerContext* ctx,
                                                        const v1::SetProgramStateRequest* req,
                                                        v1::Program* resp) {
  return ServeCommand(
      ctx, "AdminService/SetProgramState", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_set_program_state() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_program()); });
}

grpc::ServerUnaryReactor* AdminService::UpdateProgramRules(
    grpc::CallbackServerContext* ctx, const v1::UpdateProgramRulesRequest* req,
    v1::Program* resp) {
  return ServeCommand(
      ctx, "AdminService/UpdateProgramRules", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_update_program_rules() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_program()); });
}

grpc::ServerUnaryReactor* AdminService::RegisterMerchant(grpc::CallbackServerContext* ctx,
                                                         const v1::RegisterMerchantRequest* req,
                                                         v1::Merchant* resp) {
  return ServeCommand(
      ctx, "AdminService/RegisterMerchant", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_register_merchant() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_merchant()); });
}

grpc::Status AdminService::GetMerchant(grpc::ServerContext* ctx, const v1::GetMerchantRequest* req,
                                       v1::Merchant* resp) {
  return Serve(ctx, "AdminService/GetMerchant", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", req->merchant_id()));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetMerchant(req->merchant_id()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AdminService::SetMerchantState(grpc::CallbackServerContext* ctx,
                                                         const v1::SetMerchantStateRequest* req,
                                                         v1::Merchant* resp) {
  return ServeCommand(
      ctx, "AdminService/SetMerchantState", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_set_merchant_state() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_merchant()); });
}

grpc::ServerUnaryReactor* AdminService::RegisterRecycler(grpc::CallbackServerContext* ctx,
                                                         const v1::RegisterRecyclerRequest* req,
                                                         v1::Recycler* resp) {
  return ServeCommand(
      ctx, "AdminService/RegisterRecycler", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_register_recycler() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_recycler()); });
}

grpc::ServerUnaryReactor* AdminService::CreateSettlement(grpc::CallbackServerContext* ctx,
                                                         const v1::CreateSettlementRequest* req,
                                                         v1::Settlement* resp) {
  return ServeCommand(
      ctx, "AdminService/CreateSettlement", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_create_settlement() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_settlement()); });
}

grpc::Status AdminService::GetSettlement(grpc::ServerContext* ctx,
                                         const v1::GetSettlementRequest* req,
                                         v1::SettlementDetail* resp) {
  return Serve(ctx, "AdminService/GetSettlement", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateCode("settlement_id", req->settlement_id(), 64, true));
    HX_RETURN_IF_ERROR(ValidatePageSize("page_size", req->page_size()));
    HX_RETURN_IF_ERROR(ValidateCode("page_token", req->page_token(), 20, false));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetSettlement(req->settlement_id(), req->page_size(),
                                                           req->page_token()));
    return absl::OkStatus();
  });
}

}  // namespace huanxin::edge
