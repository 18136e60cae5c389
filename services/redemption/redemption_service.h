// huanxin.v1.RedemptionService: a merchant's tills (role retailer, id = merchant_id) quote
// and redeem vouchers, only for their own merchant.
#ifndef HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_
#define HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_

#include "huanxin/v1/redemption.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// The write RPCs are callback methods (services/edge/call.h, ServeCommand); reads are sync.
using RedemptionServiceBase = v1::RedemptionService::WithCallbackMethod_Redeem<
    v1::RedemptionService::WithCallbackMethod_ReverseRedemption<
        v1::RedemptionService::WithCallbackMethod_AdjustRedemption<
            v1::RedemptionService::Service>>>;

class RedemptionService final : public RedemptionServiceBase {
 public:
  explicit RedemptionService(Deps deps) : deps_(std::move(deps)) {}

  grpc::Status QuoteSubsidy(grpc::ServerContext* ctx, const v1::QuoteSubsidyRequest* req,
                            v1::QuoteSubsidyResponse* resp) override;
  grpc::ServerUnaryReactor* Redeem(grpc::CallbackServerContext* ctx, const v1::RedeemRequest* req,
                                   v1::Redemption* resp) override;
  grpc::ServerUnaryReactor* ReverseRedemption(grpc::CallbackServerContext* ctx,
                                              const v1::ReverseRedemptionRequest* req,
                                              v1::Redemption* resp) override;
  grpc::ServerUnaryReactor* AdjustRedemption(grpc::CallbackServerContext* ctx,
                                             const v1::AdjustRedemptionRequest* req,
                                             v1::Redemption* resp) override;
  grpc::Status GetRedemption(grpc::ServerContext* ctx, const v1::GetRedemptionRequest* req,
                             v1::Redemption* resp) override;

 private:
  Deps deps_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_REDEMPTION_REDEMPTION_SERVICE_H_
