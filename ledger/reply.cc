#include "ledger/reply.h"

#include <openssl/sha.h>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "ledger/state.h"

namespace huanxin::ledger {

absl::StatusOr<internal::Reply> ReplyFromEntry(const v1::LedgerEntry& e) {
  internal::Reply r;
  r.set_seq(e.seq());
  switch (e.body_case()) {
    case v1::LedgerEntry::kProgramCreated:
      *r.mutable_program() = e.program_created().program();
      break;
    case v1::LedgerEntry::kProgramFunded:
      *r.mutable_stats() = e.program_funded().stats();
      break;
    case v1::LedgerEntry::kProgramStateChanged:
      *r.mutable_program() = e.program_state_changed().program();
      break;
    case v1::LedgerEntry::kProgramRulesUpdated:
      *r.mutable_program() = e.program_rules_updated().program();
      break;
    case v1::LedgerEntry::kMerchantRegistered:
      *r.mutable_merchant() = e.merchant_registered().merchant();
      break;
    case v1::LedgerEntry::kMerchantStateChanged:
      *r.mutable_merchant() = e.merchant_state_changed().merchant();
      break;
    case v1::LedgerEntry::kRecyclerRegistered:
      *r.mutable_recycler() = e.recycler_registered().recycler();
      break;
    case v1::LedgerEntry::kVoucherIssued:
      *r.mutable_voucher() = e.voucher_issued().voucher();
      break;
    case v1::LedgerEntry::kVoucherReleased:
      *r.mutable_voucher() = e.voucher_released().voucher();
      break;
    case v1::LedgerEntry::kReceiptConfirmed:
      *r.mutable_receipt() = e.receipt_confirmed().receipt();
      break;
    case v1::LedgerEntry::kReceiptVoided:
      *r.mutable_receipt() = e.receipt_voided().receipt();
      break;
    case v1::LedgerEntry::kRedemptionCompleted:
      *r.mutable_redemption() = e.redemption_completed().redemption();
      break;
    case v1::LedgerEntry::kRedemptionDenied: {
      const v1::RedemptionDenied& d = e.redemption_denied();
      return absl::Status(static_cast<absl::StatusCode>(d.code()), d.message());
    }
    case v1::LedgerEntry::kRedemptionReversed:
      *r.mutable_redemption() = e.redemption_reversed().redemption();
      break;
    case v1::LedgerEntry::kRedemptionAdjusted:
      *r.mutable_redemption() = e.redemption_adjusted().redemption();
      break;
    case v1::LedgerEntry::kReviewResolved:
      *r.mutable_review() = e.review_resolved().review();
      break;
    case v1::LedgerEntry::kFraudRulesChanged:
      break;
    case v1::LedgerEntry::kSettlementCreated:
      *r.mutable_settlement() = e.settlement_created().settlement();
      break;
    default:
      HX_CHECK(false, absl::StrCat("no reply for entry type ", e.type()));
  }
  return r;
}

std::string Fingerprint(const internal::Command& command) {
  internal::Command op = command;
  op.clear_actor();
  op.clear_request_id();
  // Requests reused from huanxin.v1 carry their own request_id: not part of the request.
  const google::protobuf::Reflection* refl = op.GetReflection();
  const google::protobuf::OneofDescriptor* oneof = op.GetDescriptor()->FindOneofByName("op");
  if (const google::protobuf::FieldDescriptor* f = refl->GetOneofFieldDescriptor(op, oneof)) {
    google::protobuf::Message* inner = refl->MutableMessage(&op, f);
    if (const auto* rid = inner->GetDescriptor()->FindFieldByName("request_id")) {
      inner->GetReflection()->ClearField(inner, rid);
    }
  }
  const std::string bytes = Serialize(op);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

}  // namespace huanxin::ledger
