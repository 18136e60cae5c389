#include "services/redemption/redemption_service.h"

#include "common/auth.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/program_rules.h"
#include "services/edge/requests.h"

namespace huanxin::edge {

grpc::Status RedemptionService::QuoteSubsidy(grpc::ServerContext* ctx,
                                             const v1::QuoteSubsidyRequest* req,
                                             v1::QuoteSubsidyResponse* resp) {
  return Serve(ctx, "RedemptionService/QuoteSubsidy", [&](const Principal& caller) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateCode("voucher_id", req->voucher_id(), 64, /*required=*/true));
    HX_RETURN_IF_ERROR(ValidatePurchase(req->purchase(), "purchase"));
    internal::Redeem r;
    r.set_voucher_id(req->voucher_id());
    r.set_merchant_id(caller.id);  // a till quotes for its own merchant
    *r.mutable_purchase() = req->purchase();
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->Quote(r));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RedemptionService::Redeem(grpc::CallbackServerContext* ctx,
                                                    const v1::RedeemRequest* req,
                                                    v1::Redemption* resp) {
  return ServeCommand(
      ctx, "RedemptionService/Redeem", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        internal::Redeem* op = cmd.mutable_redeem();
        HX_ASSIGN_OR_RETURN(*op->mutable_payer(), HashIdentity(*deps_.pii, req->payer(), "payer"));
        op->set_voucher_id(req->voucher_id());
        op->set_merchant_id(req->merchant_id());
        op->set_terminal_id(req->terminal_id());
        *op->mutable_purchase() = req->purchase();
        op->set_scrap_receipt_id(req->scrap_receipt_id());
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_redemption()); });
}

grpc::ServerUnaryReactor* RedemptionService::ReverseRedemption(
    grpc::CallbackServerContext* ctx, const v1::ReverseRedemptionRequest* req,
    v1::Redemption* resp) {
  return ServeCommand(
      ctx, "RedemptionService/ReverseRedemption", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_reverse_redemption() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_redemption()); });
}

grpc::ServerUnaryReactor* RedemptionService::AdjustRedemption(
    grpc::CallbackServerContext* ctx, const v1::AdjustRedemptionRequest* req,
    v1::Redemption* resp) {
  return ServeCommand(
      ctx, "RedemptionService/AdjustRedemption", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_adjust_redemption() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_redemption()); });
}

grpc::Status RedemptionService::GetRedemption(grpc::ServerContext* ctx,
                                              const v1::GetRedemptionRequest* req,
                                              v1::Redemption* resp) {
  return Serve(
      ctx, "RedemptionService/GetRedemption", [&](const Principal& caller) -> absl::Status {
        HX_RETURN_IF_ERROR(ValidateCode("redemption_id", req->redemption_id(), 64, true));
        HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetRedemption(req->redemption_id()));
        // A till sees only its own merchant's redemptions; to others they do not exist.
        if (caller.role == role::kRetailer && resp->merchant_id() != caller.id) {
          resp->Clear();
          return Refuse(reason::kRedemptionNotFound, "no redemption " + req->redemption_id());
        }
        return absl::OkStatus();
      });
}

}  // namespace huanxin::edge
