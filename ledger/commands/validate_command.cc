#include "ledger/commands/validate_command.h"

#include <cstdint>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/auth.h"
#include "common/pii.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rules/cost_shares.h"
#include "rules/new_vehicle.h"
#include "rules/program_rules.h"

namespace huanxin::ledger {
namespace {

using C = internal::Command;

constexpr size_t kReasonBytes = 500;
constexpr size_t kNoteBytes = 1000;
constexpr size_t kIdBytes = 64;
// ¥100 billion per tranche is far beyond any city's programme and far from overflow.
constexpr int64_t kMaxFundingFen = 10'000'000'000'000;

// A ref the edge made with PiiKey::Ref: lowercase hex of kRefBytes bytes; empty when not
// `required`.
absl::Status ValidateRef(absl::string_view field, absl::string_view ref, bool required) {
  if (ref.empty() && !required) return absl::OkStatus();
  bool hex = ref.size() == 2 * PiiKey::kRefBytes;
  for (char c : ref) hex = hex && (absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f'));
  if (!hex) return FieldError(field, "is not a consumer reference the edge made");
  return absl::OkStatus();
}

absl::Status ValidateRefs(absl::string_view field, const v1::ConsumerRefs& r) {
  HX_RETURN_IF_ERROR(ValidateRef(absl::StrCat(field, ".consumer_ref"), r.consumer_ref(), true));
  HX_RETURN_IF_ERROR(ValidateRef(absl::StrCat(field, ".phone_ref"), r.phone_ref(), false));
  HX_RETURN_IF_ERROR(ValidateRef(absl::StrCat(field, ".device_ref"), r.device_ref(), false));
  return ValidateRef(absl::StrCat(field, ".bank_card_ref"), r.bank_card_ref(), false);
}

absl::Status ValidateId(absl::string_view field, absl::string_view id) {
  return ValidateCode(field, id, kIdBytes, /*required=*/true);
}

absl::Status ValidateMerchant(const v1::Merchant& m) {
  HX_RETURN_IF_ERROR(ValidateSlug("merchant.merchant_id", m.merchant_id()));
  HX_RETURN_IF_ERROR(ValidateText("merchant.name", m.name(), 200, /*required=*/true));
  HX_RETURN_IF_ERROR(ValidateRegionCode("merchant.region_code", m.region_code()));
  absl::flat_hash_set<absl::string_view> seen;
  for (int i = 0; i < m.program_ids_size(); ++i) {
    const std::string field = absl::StrCat("merchant.program_ids[", i, "]");
    HX_RETURN_IF_ERROR(ValidateSlug(field, m.program_ids(i)));
    if (!seen.insert(m.program_ids(i)).second) return FieldError(field, "is named twice");
  }
  if (m.state() != v1::Merchant::STATE_UNSPECIFIED) {
    return FieldError("merchant.state", "is output only; SetMerchantState changes it");
  }
  return absl::OkStatus();
}

absl::Status ValidateRecycler(const v1::Recycler& r) {
  HX_RETURN_IF_ERROR(ValidateSlug("recycler.recycler_id", r.recycler_id()));
  HX_RETURN_IF_ERROR(ValidateText("recycler.name", r.name(), 200, /*required=*/true));
  HX_RETURN_IF_ERROR(ValidateRegionCode("recycler.region_code", r.region_code()));
  if (r.accepts_size() == 0) return FieldError("recycler.accepts", "names no item kind");
  for (int i = 0; i < r.accepts_size(); ++i) {
    if (r.accepts(i) == v1::ScrapReceipt::ITEM_KIND_UNSPECIFIED ||
        !v1::ScrapReceipt::ItemKind_IsValid(r.accepts(i))) {
      return FieldError(absl::StrCat("recycler.accepts[", i, "]"), "must be VEHICLE or APPLIANCE");
    }
    // Valid kinds are few, so a longer list must repeat one.
    for (int j = 0; j < i; ++j) {
      if (r.accepts(j) == r.accepts(i)) {
        return FieldError(absl::StrCat("recycler.accepts[", i, "]"), "is named twice");
      }
    }
  }
  if (r.state() != v1::Recycler::STATE_UNSPECIFIED) {
    return FieldError("recycler.state", "is output only");
  }
  return absl::OkStatus();
}

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
  HX_RETURN_IF_ERROR(
      ValidatePastDate("receipt.vehicle.registration_date", v.registration_date()));
  HX_RETURN_IF_ERROR(ValidatePastDate("receipt.vehicle.owned_since", v.owned_since()));
  if (v.displacement_ml() < 0 || v.displacement_ml() > kMaxDisplacementMl) {
    return FieldError("receipt.vehicle.displacement_ml", "must be 0..20000");
  }
  return absl::OkStatus();
}

absl::Status ValidateOp(const C& cmd) {
  switch (cmd.op_case()) {
    case C::kCreateProgram:
      return ValidateProgram(cmd.create_program().program());
    case C::kFundProgram: {
      const v1::FundProgramRequest& r = cmd.fund_program();
      HX_RETURN_IF_ERROR(ValidateSlug("program_id", r.program_id()));
      if (r.amount_fen() <= 0 || r.amount_fen() > kMaxFundingFen) {
        return FieldError("amount_fen", "must be between 1 fen and ¥100,000,000,000");
      }
      if (!v1::FundSource_IsValid(r.source())) {
        return FieldError("source", absl::StrCat("must be ", kFundSourceNames));
      }
      return ValidateText("memo", r.memo(), kReasonBytes, false);
    }
    case C::kSetProgramState: {
      const v1::SetProgramStateRequest& r = cmd.set_program_state();
      HX_RETURN_IF_ERROR(ValidateSlug("program_id", r.program_id()));
      if (r.state() == v1::Program::STATE_UNSPECIFIED || !v1::Program::State_IsValid(r.state())) {
        return FieldError("state", "must be ACTIVE, PAUSED or CLOSED");
      }
      return ValidateText("reason", r.reason(), kReasonBytes, false);
    }
    case C::kRegisterMerchant:
      return ValidateMerchant(cmd.register_merchant().merchant());
    case C::kSetMerchantState: {
      const v1::SetMerchantStateRequest& r = cmd.set_merchant_state();
      HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", r.merchant_id()));
      if (r.state() == v1::Merchant::STATE_UNSPECIFIED || !v1::Merchant::State_IsValid(r.state())) {
        return FieldError("state", "must be ACTIVE, SUSPENDED or BLACKLISTED");
      }
      return ValidateText("reason", r.reason(), kReasonBytes, false);
    }
    case C::kRegisterRecycler:
      return ValidateRecycler(cmd.register_recycler().recycler());
    case C::kCreateSettlement: {
      const v1::CreateSettlementRequest& r = cmd.create_settlement();
      HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", r.merchant_id()));
      // A retry must mean the same settlement, so the cut-off is part of the request.
      if (!r.has_up_to_time()) return FieldError("up_to_time", "is required");
      return ValidateTimestamp("up_to_time", r.up_to_time());
    }
    case C::kIssueVoucher: {
      const internal::IssueVoucher& r = cmd.issue_voucher();
      HX_RETURN_IF_ERROR(ValidateSlug("program_id", r.program_id()));
      HX_RETURN_IF_ERROR(ValidateCategory("category", r.category(), reason::kUnknownCategory));
      return ValidateRefs("consumer", r.consumer());
    }
    case C::kCancelVoucher:
      HX_RETURN_IF_ERROR(ValidateId("voucher_id", cmd.cancel_voucher().voucher_id()));
      return ValidateText("reason", cmd.cancel_voucher().reason(), kReasonBytes, false);
    case C::kRedeem: {
      const internal::Redeem& r = cmd.redeem();
      HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", r.merchant_id()));
      HX_RETURN_IF_ERROR(ValidateId("voucher_id", r.voucher_id()));
      HX_RETURN_IF_ERROR(ValidateId("terminal_id", r.terminal_id()));
      HX_RETURN_IF_ERROR(ValidatePurchase(r.purchase(), "purchase"));
      HX_RETURN_IF_ERROR(ValidateCode("scrap_receipt_id", r.scrap_receipt_id(), kIdBytes, false));
      return ValidateRefs("payer", r.payer());
    }
    case C::kReverseRedemption: {
      const v1::ReverseRedemptionRequest& r = cmd.reverse_redemption();
      HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", r.merchant_id()));
      HX_RETURN_IF_ERROR(ValidateId("redemption_id", r.redemption_id()));
      return ValidateText("reason", r.reason(), kReasonBytes, false);
    }
    case C::kAdjustRedemption: {
      const v1::AdjustRedemptionRequest& r = cmd.adjust_redemption();
      HX_RETURN_IF_ERROR(ValidateSlug("merchant_id", r.merchant_id()));
      HX_RETURN_IF_ERROR(ValidateId("redemption_id", r.redemption_id()));
      if (r.new_price_fen() <= 0 || r.new_price_fen() > kMaxPriceFen) {
        return FieldError("new_price_fen", "must be between 1 fen and ¥1,000,000,000");
      }
      return ValidateText("reason", r.reason(), kReasonBytes, /*required=*/true);
    }
    case C::kUpdateProgramRules: {
      const v1::UpdateProgramRulesRequest& r = cmd.update_program_rules();
      HX_RETURN_IF_ERROR(ValidateSlug("program_id", r.program_id()));
      if (r.has_effective_from()) {
        HX_RETURN_IF_ERROR(ValidateTimestamp("effective_from", r.effective_from()));
      }
      return ValidateRules(r.rules(), "rules");
    }
    case C::kConfirmReceipt: {
      const v1::ScrapReceipt& r = cmd.confirm_receipt().receipt();
      if (r.has_owner()) return FieldError("receipt.owner", "must not reach the ledger in clear");
      HX_RETURN_IF_ERROR(ValidateScrapReceipt(r));
      return ValidateRef("receipt.owner_ref", r.owner_ref(), /*required=*/true);
    }
    case C::kVoidReceipt:
      HX_RETURN_IF_ERROR(ValidateId("receipt_id", cmd.void_receipt().receipt_id()));
      return ValidateText("reason", cmd.void_receipt().reason(), kReasonBytes, false);
    case C::kResolveReview: {
      const v1::ResolveReviewRequest& r = cmd.resolve_review();
      HX_RETURN_IF_ERROR(ValidateId("review_id", r.review_id()));
      if (r.resolution() == v1::ResolveReviewRequest::RESOLUTION_UNSPECIFIED ||
          !v1::ResolveReviewRequest::Resolution_IsValid(r.resolution())) {
        return FieldError("resolution", "must be APPROVE or REJECT");
      }
      return ValidateText("note", r.note(), kNoteBytes, false);
    }
    case C::kExpireVoucher:
      return ValidateId("voucher_id", cmd.expire_voucher().voucher_id());
    case C::kSetFraudRules:
      return absl::OkStatus();  // checked by DecideSetFraudRules (rules/fraud.h)
    case C::OP_NOT_SET:
      break;
  }
  return FieldError("request", "carries no operation this ledger knows");
}

}  // namespace

absl::string_view MethodOf(const internal::Command& cmd) {
  switch (cmd.op_case()) {
    case C::kCreateProgram: return "AdminService/CreateProgram";
    case C::kFundProgram: return "AdminService/FundProgram";
    case C::kSetProgramState: return "AdminService/SetProgramState";
    case C::kRegisterMerchant: return "AdminService/RegisterMerchant";
    case C::kSetMerchantState: return "AdminService/SetMerchantState";
    case C::kRegisterRecycler: return "AdminService/RegisterRecycler";
    case C::kCreateSettlement: return "AdminService/CreateSettlement";
    case C::kIssueVoucher: return "IssuanceService/IssueVoucher";
    case C::kCancelVoucher: return "IssuanceService/CancelVoucher";
    case C::kRedeem: return "RedemptionService/Redeem";
    case C::kReverseRedemption: return "RedemptionService/ReverseRedemption";
    case C::kAdjustRedemption: return "RedemptionService/AdjustRedemption";
    case C::kUpdateProgramRules: return "AdminService/UpdateProgramRules";
    case C::kConfirmReceipt: return "RecyclingService/ConfirmScrapReceipt";
    case C::kVoidReceipt: return "RecyclingService/VoidScrapReceipt";
    case C::kResolveReview: return "AuditService/ResolveReview";
    case C::kExpireVoucher:
    case C::kSetFraudRules:
    case C::OP_NOT_SET:
      break;
  }
  return "";
}

absl::Status ValidateCommand(const internal::Command& cmd) {
  const absl::string_view method = MethodOf(cmd);
  if (method.empty()) {
    if (!absl::StartsWith(cmd.actor(), kSystemActorPrefix)) {
      return Refuse(reason::kPermissionDenied,
                    absl::StrCat(cmd.actor(), " may not submit the ledger's own commands"));
    }
    return ValidateOp(cmd);
  }
  HX_ASSIGN_OR_RETURN(Principal actor, ParsePrincipal(cmd.actor()));
  HX_RETURN_IF_ERROR(Authorize(actor, method));
  HX_RETURN_IF_ERROR(ValidateRequestId("request_id", cmd.request_id()));
  HX_RETURN_IF_ERROR(ValidateOp(cmd));
  // The tenant rule, where the request names the tenant (a voided receipt's recycler is
  // checked against the actor by DecideVoidReceipt, which knows the receipt).
  const google::protobuf::FieldDescriptor* op =
      internal::Command::descriptor()->FindFieldByNumber(cmd.op_case());
  return RequireTenant(actor, method, cmd.GetReflection()->GetMessage(cmd, op));
}

absl::Status ValidateScrapReceipt(const v1::ScrapReceipt& r) {
  if (!r.receipt_id().empty()) {
    return FieldError("receipt.receipt_id", "is output only; the ledger assigns it");
  }
  if (r.state() != v1::ScrapReceipt::STATE_UNSPECIFIED) {
    return FieldError("receipt.state", "is output only");
  }
  HX_RETURN_IF_ERROR(ValidateSlug("receipt.recycler_id", r.recycler_id()));
  HX_RETURN_IF_ERROR(ValidateId("receipt.certificate_number", r.certificate_number()));
  if (r.item_kind() != v1::ScrapReceipt::VEHICLE && r.item_kind() != v1::ScrapReceipt::APPLIANCE) {
    return FieldError("receipt.item_kind", "must be VEHICLE or APPLIANCE");
  }
  HX_RETURN_IF_ERROR(ValidateId("receipt.serial_number", r.serial_number()));
  if (!r.category().empty()) {
    HX_RETURN_IF_ERROR(ValidateCategory("receipt.category", r.category()));
  }
  if (r.has_scrapped_at()) {
    HX_RETURN_IF_ERROR(ValidateTimestamp("receipt.scrapped_at", r.scrapped_at()));
  }
  return ValidateVehicle(r);
}

}  // namespace huanxin::ledger
