#include "services/recycling/recycling_service.h"

#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/program_rules.h"
#include "services/edge/requests.h"

namespace huanxin::edge {
grpc::ServerUnaryReactor* RecyclingService::ConfirmScrapReceipt(
    grpc::CallbackServerContext* ctx, const v1::ConfirmScrapReceiptRequest* req,
    v1::ScrapReceipt* resp) {
  return ServeCommand(
      ctx, "RecyclingService/ConfirmScrapReceipt", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        v1::ScrapReceipt receipt = req->receipt();
        // A recycler confirms as itself: an empty recycler_id means the caller.
        if (receipt.recycler_id().empty() && caller.role == role::kRecycler) {
          receipt.set_recycler_id(caller.id);
        }
        if (!receipt.owner_ref().empty()) {
          return FieldError("receipt.owner_ref", "is output only; give receipt.owner");
        }
        HX_ASSIGN_OR_RETURN(v1::ConsumerRefs owner,
                            HashIdentity(*deps_.pii, receipt.owner(), "receipt.owner"));
        receipt.clear_owner();  // never past the edge in clear
        receipt.set_owner_ref(owner.consumer_ref());
        *cmd.mutable_confirm_receipt()->mutable_receipt() = std::move(receipt);
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_receipt()); });
}

grpc::Status RecyclingService::GetScrapReceipt(grpc::ServerContext* ctx,
                                               const v1::GetScrapReceiptRequest* req,
                                               v1::ScrapReceipt* resp) {
  return Serve(
      ctx, "RecyclingService/GetScrapReceipt", [&](const Principal& caller) -> absl::Status {
        HX_RETURN_IF_ERROR(ValidateCode("receipt_id", req->receipt_id(), 64, /*required=*/true));
        HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetScrapReceipt(req->receipt_id()));
        // A recycler sees only its own receipts; to it the others do not exist.
        if (caller.role == role::kRecycler && resp->recycler_id() != caller.id) {
          resp->Clear();
          return Refuse(reason::kReceiptNotFound, "no scrap receipt " + req->receipt_id());
        }
        return absl::OkStatus();
      });
}

grpc::ServerUnaryReactor* RecyclingService::VoidScrapReceipt(grpc::CallbackServerContext* ctx,
                                                             const v1::VoidScrapReceiptRequest* req,
                                                             v1::ScrapReceipt* resp) {
  return ServeCommand(
      ctx, "RecyclingService/VoidScrapReceipt", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        // Whose receipt it is the ledger decides (DecideVoidReceipt), against its own state.
        *cmd.mutable_void_receipt() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_receipt()); });
}

}  // namespace huanxin::edge
