// huanxin.v1.RedemptionService: a merchant's tills (role retailer, id = merchant_id) quote
// and redeem vouchers, only for their own merchant.
#ifndef HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_
#define HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_

#include "huanxin/v1/redemption.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

class RedemptionService final : public v1::RedemptionService::Service {
 public:
  explicit RedemptionService(Deps deps) : deps_(std::move(deps)) {}

  grpc::Status QuoteSubsidy(grpc::ServerContext* ctx, const v1::QuoteSubsidyRequest* req,
                            v1::QuoteSubsidyResponse* resp) override;
  grpc::Status Redeem(grpc::ServerContext* ctx, const v1::RedeemRequest* req,
                      v1::Redemption* resp) override;
  grpc::Status ReverseRedemption(grpc::ServerContext* ctx,
                                 const v1::ReverseRedemptionRequest* req,
                                 v1::Redemption* resp) override;
  grpc::Status GetRedemption(grpc::ServerContext* ctx, const v1::GetRedemptionRequest* req,
                             v1::Redemption* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_
