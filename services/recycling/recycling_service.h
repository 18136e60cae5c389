// huanxin.v1.RecyclingService: accredited recyclers (role recycler, id = recycler_id) confirm
// that an old car or appliance was scrapped, acting only as themselves. The owner arrives as a
// ConsumerIdentity and is kept only as its HMAC (owner_ref). Auditors and admins may read
// every receipt; a recycler reads only its own.
#ifndef HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_
#define HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_

#include "absl/status/status.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// The write RPCs are callback methods (services/edge/call.h, ServeCommand); reads are sync.
using RecyclingServiceBase = v1::RecyclingService::WithCallbackMethod_ConfirmScrapReceipt<
    v1::RecyclingService::WithCallbackMethod_VoidScrapReceipt<v1::RecyclingService::Service>>;

class RecyclingService final : public RecyclingServiceBase {
 public:
  explicit RecyclingService(Deps deps) : deps_(std::move(deps)) {}

  grpc::ServerUnaryReactor* ConfirmScrapReceipt(grpc::CallbackServerContext* ctx,
                                                const v1::ConfirmScrapReceiptRequest* req,
                                                v1::ScrapReceipt* resp) override;
  grpc::Status GetScrapReceipt(grpc::ServerContext* ctx, const v1::GetScrapReceiptRequest* req,
                               v1::ScrapReceipt* resp) override;
  grpc::ServerUnaryReactor* VoidScrapReceipt(grpc::CallbackServerContext* ctx,
                                             const v1::VoidScrapReceiptRequest* req,
                                             v1::ScrapReceipt* resp) override;

 private:
  Deps deps_;
};


}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_
