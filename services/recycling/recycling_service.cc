#include "services/recycling/recycling_service.h"

#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/program_rules.h"
#include "rules/scrap_receipt.h"
#include "services/edge/requests.h"

namespace huanxin::edge {
namespace {

constexpr int32_t kMaxDisplacementMl = 20000;
constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

absl::Status ValidateVehicle(const v1::ScrapReceipt& r) {
  if (r.item_kind() != v1::ScrapReceipt::VEHICLE) {
    if (r.has_vehicle()) {
      return FieldError("receipt.vehicle", "is only for VEHICLE receipts");
    }
    return absl::OkStatus();
  }
  if (!r.has_vehicle()) return FieldError("receipt.vehicle", "is required for a VEHICLE receipt");
  const v1::Vehicle& v = r.vehicle();
  if (v.energy_type() == v1::Vehicle::ENERGY_TYPE_UNSPECIFIED ||
      !v1::Vehicle::EnergyType_IsValid(v.energy_type())) {
    return FieldError("receipt.vehicle.energy_type", "must be PETROL, DIESEL, NEV or OTHER");
  }
  const bool fuel =
      v.energy_type() == v1::Vehicle::PETROL || v.energy_type() == v1::Vehicle::DIESEL;
  if (v.emission_standard() < (fuel ? 1 : 0) || v.emission_standard() > kMaxEmissionStandard) {
    return FieldError(
        "receipt.vehicle.emission_standard",
        fuel ? "must be 1..6 (国一..国六) for a petrol or diesel car" : "must be 0..6");
  }
  HX_RETURN_IF_ERROR(ValidateDate("receipt.vehicle.registration_date", v.registration_date()));
  HX_RETURN_IF_ERROR(ValidateDate("receipt.vehicle.owned_since", v.owned_since()));
  if (v.displacement_ml() < 0 || v.displacement_ml() > kMaxDisplacementMl) {
    return FieldError("receipt.vehicle.displacement_ml", "must be 0..20000");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateScrapReceipt(const v1::ScrapReceipt& r, absl::Time now) {
  if (!r.receipt_id().empty()) {
    return FieldError("receipt.receipt_id", "is output only; the ledger assigns it");
  }
  if (!r.owner_ref().empty()) {
    return FieldError("receipt.owner_ref", "is output only; give receipt.owner");
  }
  if (r.state() != v1::ScrapReceipt::STATE_UNSPECIFIED) {
    return FieldError("receipt.state", "is output only");
  }
  HX_RETURN_IF_ERROR(ValidateSlug("receipt.recycler_id", r.recycler_id()));
  HX_RETURN_IF_ERROR(
      ValidateCode("receipt.certificate_number", r.certificate_number(), 64, /*required=*/true));
  if (r.item_kind() != v1::ScrapReceipt::VEHICLE && r.item_kind() != v1::ScrapReceipt::APPLIANCE) {
    return FieldError("receipt.item_kind", "must be VEHICLE or APPLIANCE");
  }
  HX_RETURN_IF_ERROR(
      ValidateCode("receipt.serial_number", r.serial_number(), 64, /*required=*/true));
  if (!r.category().empty()) {
    HX_RETURN_IF_ERROR(ValidateCategory("receipt.category", r.category()));
  }
  if (r.has_scrapped_at()) {
    const auto& t = r.scrapped_at();
    if (t.seconds() < 0 || t.seconds() > kMaxTimestampSeconds || t.nanos() < 0 ||
        t.nanos() > 999999999) {
      return FieldError("receipt.scrapped_at", "is not a valid timestamp");
    }
  }
  HX_RETURN_IF_ERROR(ValidateVehicle(r));
  return CheckScrapReceiptFacts(r, now);
}

grpc::ServerUnaryReactor* RecyclingService::ConfirmScrapReceipt(
    grpc::CallbackServerContext* ctx, const v1::ConfirmScrapReceiptRequest* req,
    v1::ScrapReceipt* resp) {
  return ServeCommand(
      ctx, "RecyclingService/ConfirmScrapReceipt", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        v1::ScrapReceipt receipt = req->receipt();
        // A recycler confirms as itself: an empty recycler_id means the caller.
        if (receipt.recycler_id().empty() && caller.role == "recycler") {
          receipt.set_recycler_id(caller.id);
        }
        HX_RETURN_IF_ERROR(ValidateSlug("receipt.recycler_id", receipt.recycler_id()));
        HX_RETURN_IF_ERROR(RequireSelf(caller, "receipt.recycler_id", receipt.recycler_id()));
        HX_RETURN_IF_ERROR(ValidateScrapReceipt(receipt, absl::Now()));
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
        if (caller.role == "recycler" && resp->recycler_id() != caller.id) {
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
        HX_RETURN_IF_ERROR(ValidateCode("receipt_id", req->receipt_id(), 64, /*required=*/true));
        HX_RETURN_IF_ERROR(ValidateText("reason", req->reason(), 500, /*required=*/false));
        // Whose receipt it is the ledger decides (DecideVoidReceipt), against its own state.
        *cmd.mutable_void_receipt() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_receipt()); });
}

}  // namespace huanxin::edge
