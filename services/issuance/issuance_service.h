// huanxin.v1.IssuanceService: the consumer claim app (role app) claims and cancels vouchers.
#ifndef HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
#define HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_

#include "huanxin/v1/issuance.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

class IssuanceService final : public v1::IssuanceService::Service {
 public:
  explicit IssuanceService(Deps deps) : deps_(std::move(deps)) {}

  grpc::Status IssueVoucher(grpc::ServerContext* ctx, const v1::IssueVoucherRequest* req,
                            v1::Voucher* resp) override;
  grpc::Status GetVoucher(grpc::ServerContext* ctx, const v1::GetVoucherRequest* req,
                          v1::Voucher* resp) override;
  grpc::Status ListConsumerVouchers(grpc::ServerContext* ctx,
                                    const v1::ListConsumerVouchersRequest* req,
                                    v1::ListConsumerVouchersResponse* resp) override;
  grpc::Status CancelVoucher(grpc::ServerContext* ctx, const v1::CancelVoucherRequest* req,
                             v1::Voucher* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_ISSUANCE_ISSUANCE_SERVICE_H_
