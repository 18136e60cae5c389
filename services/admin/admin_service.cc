#include "services/admin/admin_service.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/program_rules.h"
#include "services/edge/requests.h"

namespace huanxin::edge {
namespace {

constexpr size_t kReasonBytes = 500;

absl::Status ValidateMerchant(const v1::Merchant& m) {
  HX_RETURN_IF_ERROR(ValidateSlug("merchant.merchant_id", m.merchant_id()));
  HX_RETURN_IF_ERROR(ValidateText("merchant.name", m.name(), 200, /*required=*/true));
  HX_RETURN_IF_ERROR(ValidateRegionCode("merchant.region_code", m.region_code()));
  for (int i = 0; i < m.program_ids_size(); ++i) {
    HX_RETURN_IF_ERROR(
        ValidateSlug(absl::StrCat("merchant.program_ids[", i, "]"), m.program_ids(i)));
  }
  if (m.state() != v1::Merchant::STATE_UNSPECIFIED) {
    return FieldError("merchant.state", "is output only; SetMerchantState changes it");
  }
  return absl::OkStatus();
}

absl::Status ValidateRecycler(const v1::Recycler& r) {
  HX_RETURN_IF_ERROR(ValidateSlug("recycler.recycler_id", r.recycler_id()));
  HX_RETURN_IF_ERROR(ValidateText("recycler.name", r.name(), 200, /*required=*/true));
  HX_RETURN_IF_ERROR(ValidateRegionCode("recycler.region_code", r.region_code()));
  if (r.accepts_size() == 0) return FieldError("recycler.accepts", "names no item kind");
  for (int i = 0; i < r.accepts_size(); ++i) {
    if (r.accepts(i) == v1::ScrapReceipt::ITEM_KIND_UNSPECIFIED ||
        !v1::ScrapReceipt::ItemKind_IsValid(r.accepts(i))) {
      return FieldError(absl::StrCat("recycler.accepts[", i, "]"), "must be VEHICLE or APPLIANCE");
    }
  }
  if (r.state() != v1::Recycler::STATE_UNSPECIFIED) {
    return FieldError("recycler.state", "is output only");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* AdminService::CreateProgram(grpc::CallbackServerContext* ctx,
                                                      const v1::CreateProgramRequest* req,
                                                      v1::Program* resp) {
  return ServeCommand(
      ctx, "AdminService/CreateProgram", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        HX_RETURN_IF_ERROR(ValidateProgram(req->program()));
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
        HX_RETURN_IF_ERROR(ValidateSlug("program_id", req->program_id()));
        // ¥100 billion per tranche is far beyond any city's programme and far from overflow.
        if (req->amount_fen() <= 0 || req->amount_fen() > 10'000'000'000'000) {
          return FieldError("amount_fen", "must be between 1 fen and ¥100,000,000,000");
        }
        HX_RETURN_IF_ERROR(ValidateText("memo", req->memo(), kReasonBytes, false));
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
        HX_RETURN_IF_ERROR(ValidateSlug("program_id", req->program_id()));
        if (req->state() == v1::Program::STATE_UNSPECIFIED ||
            !v1::Program::State_IsValid(req->state())) {
          return FieldError("state", "must be ACTIVE, PAUSED or CLOSED");
        }
        HX_RETURN_IF_ERROR(ValidateText("reason", req->reason(), kReasonBytes, false));
        *cmd.mutable_set_program_state() = *req;
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
        HX_RETURN_IF_ERROR(ValidateMerchant(req->merchant()));
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
        HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", req->merchant_id()));
        if (req->state() == v1::Merchant::STATE_UNSPECIFIED ||
            !v1::Merchant::State_IsValid(req->state())) {
          return FieldError("state", "must be ACTIVE, SUSPENDED or BLACKLISTED");
        }
        HX_RETURN_IF_ERROR(ValidateText("reason", req->reason(), kReasonBytes, false));
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
        HX_RETURN_IF_ERROR(ValidateRecycler(req->recycler()));
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
        HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", req->merchant_id()));
        if (!req->has_up_to_time()) {
          // A retry must mean the same settlement, so the cut-off is part of the request.
          return FieldError("up_to_time", "is required");
        }
        if (req->up_to_time().seconds() < 0 || req->up_to_time().seconds() > 253402300799 ||
            req->up_to_time().nanos() < 0 || req->up_to_time().nanos() > 999999999) {
          return FieldError("up_to_time", "must be a time between 1970 and 9999");
        }
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
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetSettlement(req->settlement_id()));
    return absl::OkStatus();
  });
}

}  // namespace huanxin::edge
