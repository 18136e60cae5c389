#include "services/issuance/issuance_service.h"

#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "services/edge/requests.h"

namespace huanxin::edge {

grpc::ServerUnaryReactor* IssuanceService::IssueVoucher(grpc::CallbackServerContext* ctx,
                                                        const v1::IssueVoucherRequest* req,
                                                        v1::Voucher* resp) {
  return ServeCommand(
      ctx, "IssuanceService/IssueVoucher", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        internal::IssueVoucher* op = cmd.mutable_issue_voucher();
        HX_ASSIGN_OR_RETURN(*op->mutable_consumer(),
                            HashIdentity(*deps_.pii, req->consumer(), "consumer"));
        op->set_program_id(req->program_id());
        op->set_category(req->category());
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_voucher()); });
}

grpc::Status IssuanceService::GetVoucher(grpc::ServerContext* ctx, const v1::GetVoucherRequest* req,
                                         v1::Voucher* resp) {
  return Serve(ctx, "IssuanceService/GetVoucher", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateCode("voucher_id", req->voucher_id(), 64, /*required=*/true));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetVoucher(req->voucher_id()));
    return absl::OkStatus();
  });
}

grpc::Status IssuanceService::ListConsumerVouchers(grpc::ServerContext* ctx,
                                                   const v1::ListConsumerVouchersRequest* req,
                                                   v1::ListConsumerVouchersResponse* resp) {
  return Serve(ctx, "IssuanceService/ListConsumerVouchers", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(v1::ConsumerRefs refs,
                        HashIdentity(*deps_.pii, req->consumer(), "consumer"));
    HX_RETURN_IF_ERROR(ValidatePageSize("page_size", req->page_size()));
    if (!req->page_token().empty()) {
      HX_RETURN_IF_ERROR(ValidateCode("page_token", req->page_token(), 64, /*required=*/true));
    }
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->ListConsumerVouchers(
                                   refs.consumer_ref(), req->page_size(), req->page_token()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* IssuanceService::CancelVoucher(grpc::CallbackServerContext* ctx,
                                                         const v1::CancelVoucherRequest* req,
                                                         v1::Voucher* resp) {
  return ServeCommand(
      ctx, "IssuanceService/CancelVoucher", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_cancel_voucher() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_voucher()); });
}

}  // namespace huanxin::edge
