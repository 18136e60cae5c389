// huanxin.v1.RecyclingService: accredited recyclers (role recycler, id = recycler_id) confirm
// that an old car or appliance was scrapped, acting only as themselves. The owner arrives as a
// ConsumerIdentity and is kept only as its HMAC (owner_ref). Auditors and admins may read
// every receipt; a recycler reads only its own.
#ifndef HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_
#define HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
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

// OK when `receipt` (field path "receipt") may be confirmed, else the first FieldError:
//   receipt_id, owner_ref and state empty (output only); certificate_number and
//   serial_number printable ASCII without spaces, 1-64 bytes; item_kind VEHICLE or APPLIANCE;
//   category, when given, [a-z0-9_]{1,64}; recycler_id [a-z0-9-]{3,64}; scrapped_at, when
//   set, a valid Timestamp. VEHICLE needs `vehicle`: energy_type PETROL, DIESEL, NEV or OTHER;
//   emission_standard 0..6, and 1..6 for petrol and diesel (a pre-国一 car is recorded as 1);
//   registration_date and owned_since real "YYYY-MM-DD" dates; displacement_ml 0..20000.
//   APPLIANCE takes no `vehicle`. Then CheckScrapReceiptFacts(receipt, now)
//   (rules/scrap_receipt.h): a VEHICLE's serial_number is a VIN (INVALID_VIN) and
//   registration_date <= owned_since <= scrapped_at <= now. The owner is checked by
//   HashIdentity ("receipt.owner").
absl::Status ValidateScrapReceipt(const v1::ScrapReceipt& receipt, absl::Time now);

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_RECYCLING_RECYCLING_SERVICE_H_
