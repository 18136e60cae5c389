// huanxin.v1.IssuanceService: the consumer claim app (role app) claims and cancels vouchers.
#ifndef HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
#define HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_

#include "huanxin/v1/issuance.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// The write RPCs are callback methods (services/edge/call.h, ServeCommand); reads are sync.
using IssuanceServiceBase = v1::IssuanceService::WithCallbackMethod_IssueVoucher<
    v1::IssuanceService::WithCallbackMethod_CancelVoucher<v1::IssuanceService::Service>>;

class IssuanceService final : public IssuanceServiceBase {
 public:
  explicit IssuanceService(Deps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* IssueVoucher(grpc::CallbackServerContext* ctx,
                                         const v1::IssueVoucherRequest* req,
                                         v1::Voucher* resp) override;
  grpc::Status GetVoucher(grpc::ServerContext* ctx, const v1::GetVoucherRequest* req,
                          v1::Voucher* resp) override;
  grpc::Status ListConsumerVouchers(grpc::ServerContext* ctx,
                                    const v1::ListConsumerVouchersRequest* req,
                                    v1::ListConsumerVouchersResponse* resp) override;
  grpc::ServerUnaryReactor* CancelVoucher(grpc::CallbackServerContext* ctx,
                                          const v1::CancelVoucherRequest* req,
                                          v1::Voucher* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
