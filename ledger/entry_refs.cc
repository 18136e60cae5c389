#include "ledger/entry_refs.h"

namespace huanxin::ledger {
namespace {

void Add(std::set<std::string>* to, const std::string& value) {
  if (!value.empty()) to->insert(value);
}

void AddRedemption(const v1::Redemption& d, EntryRefs* r) {
  Add(&r->programs, d.program_id());
  Add(&r->merchants, d.merchant_id());
  Add(&r->consumers, d.consumer_ref());
}

}  // namespace

EntryRefs RefsOf(const v1::LedgerEntry& e) {
  EntryRefs r;
  switch (e.body_case()) {
    case v1::LedgerEntry::kProgramCreated:
      Add(&r.programs, e.program_created().program().program_id());
      break;
    case v1::LedgerEntry::kProgramFunded:
      Add(&r.programs, e.program_funded().program_id());
      break;
    case v1::LedgerEntry::kProgramStateChanged:
      Add(&r.programs, e.program_state_changed().program().program_id());
      break;
    case v1::LedgerEntry::kProgramRulesUpdated:
      Add(&r.programs, e.program_rules_updated().program().program_id());
      break;
    case v1::LedgerEntry::kMerchantRegistered:
      Add(&r.merchants, e.merchant_registered().merchant().merchant_id());
      break;
    case v1::LedgerEntry::kMerchantStateChanged:
      Add(&r.merchants, e.merchant_state_changed().merchant().merchant_id());
      break;
    case v1::LedgerEntry::kVoucherIssued:
      Add(&r.programs, e.voucher_issued().voucher().program_id());
      Add(&r.consumers, e.voucher_issued().voucher().consumer_ref());
      break;
    case v1::LedgerEntry::kVoucherReleased:
      Add(&r.programs, e.voucher_released().voucher().program_id());
      Add(&r.consumers, e.voucher_released().voucher().consumer_ref());
      break;
    case v1::LedgerEntry::kRedemptionCompleted:
      AddRedemption(e.redemption_completed().redemption(), &r);
      Add(&r.consumers, e.redemption_completed().payer().consumer_ref());
      break;
    case v1::LedgerEntry::kRedemptionDenied:
      Add(&r.programs, e.redemption_denied().program_id());
      Add(&r.merchants, e.redemption_denied().merchant_id());
      Add(&r.consumers, e.redemption_denied().payer().consumer_ref());
      break;
    case v1::LedgerEntry::kRedemptionReversed:
      AddRedemption(e.redemption_reversed().redemption(), &r);
      break;
    case v1::LedgerEntry::kRedemptionAdjusted:
      AddRedemption(e.redemption_adjusted().redemption(), &r);
      break;
    case v1::LedgerEntry::kReviewResolved:
      AddRedemption(e.review_resolved().redemption(), &r);
      break;
    case v1::LedgerEntry::kReceiptConfirmed:
      Add(&r.consumers, e.receipt_confirmed().receipt().owner_ref());
      break;
    case v1::LedgerEntry::kReceiptVoided:
      Add(&r.consumers, e.receipt_voided().receipt().owner_ref());
      break;
    case v1::LedgerEntry::kSettlementCreated:
      Add(&r.merchants, e.settlement_created().settlement().merchant_id());
      for (const auto& line : e.settlement_created().settlement().programs()) {
        Add(&r.programs, line.program_id());
      }
      break;
    default:
      break;
  }
  return r;
}

}  // namespace huanxin::ledger
