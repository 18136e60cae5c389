#include "tools/ctl/audit_entries.h"

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"

namespace huanxin::ctl {

namespace v1 = ::huanxin::v1;

grpc::Status ForEachEntry(Context& ctx, const v1::EntryFilter& filter,
                          const std::function<bool(const v1::LedgerEntry&)>& each) {
  v1::ListEntriesRequest request;
  *request.mutable_filter() = filter;
  request.set_page_size(1000);
  for (;;) {
    v1::ListEntriesResponse response;
    grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
      return ctx.client.audit().ListEntries(c, request, &response);
    });
    if (!status.ok()) return status;
    for (const v1::LedgerEntry& e : response.entries()) {
      if (!each(e)) return grpc::Status::OK;
    }
    // A page may be empty and still have a token: the server bounds each page's scan.
    if (response.next_page_token().empty()) return grpc::Status::OK;
    request.set_page_token(response.next_page_token());
  }
}

EntryFacts FactsOf(const v1::LedgerEntry& e) {
  EntryFacts f;
  auto redemption = [&f](const v1::Redemption& r) {
    f.program_id = r.program_id();
    f.merchant_id = r.merchant_id();
    f.amount_fen = r.subsidy_fen();
    f.redemption_id = r.redemption_id();
    f.voucher_id = r.voucher_id();
    f.receipt_id = r.scrap_receipt_id();
    f.state = v1::Redemption::State_Name(r.state());
  };
  auto receipt = [&f](const v1::ScrapReceipt& r) {
    f.receipt_id = r.receipt_id();
    f.recycler_id = r.recycler_id();
    f.state = v1::ScrapReceipt::State_Name(r.state());
  };
  switch (e.body_case()) {
    case v1::LedgerEntry::kProgramCreated:
      f.program_id = e.program_created().program().program_id();
      f.state = v1::Program::State_Name(e.program_created().program().state());
      break;
    case v1::LedgerEntry::kProgramFunded:
      f.program_id = e.program_funded().program_id();
      f.amount_fen = e.program_funded().amount_fen();
      f.reason = e.program_funded().memo();
      break;
    case v1::LedgerEntry::kProgramStateChanged:
      f.program_id = e.program_state_changed().program().program_id();
      f.state = v1::Program::State_Name(e.program_state_changed().program().state());
      f.reason = e.program_state_changed().reason();
      break;
    case v1::LedgerEntry::kMerchantRegistered:
      f.merchant_id = e.merchant_registered().merchant().merchant_id();
      f.state = v1::Merchant::State_Name(e.merchant_registered().merchant().state());
      break;
    case v1::LedgerEntry::kMerchantStateChanged:
      f.merchant_id = e.merchant_state_changed().merchant().merchant_id();
      f.state = v1::Merchant::State_Name(e.merchant_state_changed().merchant().state());
      f.reason = e.merchant_state_changed().reason();
      break;
    case v1::LedgerEntry::kRecyclerRegistered:
      f.recycler_id = e.recycler_registered().recycler().recycler_id();
      f.state = v1::Recycler::State_Name(e.recycler_registered().recycler().state());
      break;
    case v1::LedgerEntry::kVoucherIssued:
      f.program_id = e.voucher_issued().voucher().program_id();
      f.amount_fen = e.voucher_issued().voucher().held_fen();
      f.voucher_id = e.voucher_issued().voucher().voucher_id();
      f.state = v1::Voucher::State_Name(e.voucher_issued().voucher().state());
      break;
    case v1::LedgerEntry::kVoucherReleased:
      f.program_id = e.voucher_released().voucher().program_id();
      f.amount_fen = e.voucher_released().voucher().held_fen();
      f.voucher_id = e.voucher_released().voucher().voucher_id();
      f.state = v1::Voucher::State_Name(e.voucher_released().voucher().state());
      f.reason = e.voucher_released().reason();
      break;
    case v1::LedgerEntry::kRedemptionCompleted:
      redemption(e.redemption_completed().redemption());
      f.reason = absl::StrJoin(e.redemption_completed().redemption().reasons(), " ");
      break;
    case v1::LedgerEntry::kRedemptionDenied: {
      const v1::RedemptionDenied& d = e.redemption_denied();
      f.program_id = d.program_id();
      f.merchant_id = d.merchant_id();
      f.voucher_id = d.voucher_id();
      f.reason = d.reason();
      if (d.category() != v1::RedemptionDenied::CATEGORY_UNSPECIFIED) {
        f.denial_category = v1::RedemptionDenied::Category_Name(d.category());
      }
      break;
    }
    case v1::LedgerEntry::kRedemptionReversed:
      redemption(e.redemption_reversed().redemption());
      f.reason = e.redemption_reversed().reason();
      break;
    case v1::LedgerEntry::kReviewResolved:
      redemption(e.review_resolved().redemption());
      f.reason = e.review_resolved().review().note();
      break;
    case v1::LedgerEntry::kReceiptConfirmed:
      receipt(e.receipt_confirmed().receipt());
      break;
    case v1::LedgerEntry::kReceiptVoided:
      receipt(e.receipt_voided().receipt());
      f.reason = e.receipt_voided().reason();
      break;
    case v1::LedgerEntry::kSettlementCreated:
      f.merchant_id = e.settlement_created().settlement().merchant_id();
      f.amount_fen = e.settlement_created().settlement().total_fen();
      f.settlement_id = e.settlement_created().settlement().settlement_id();
      break;
    default:
      break;
  }
  return f;
}

bool ParseTimeFlag(const std::string& text, bool end_of_day, google::protobuf::Timestamp* out) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    *out = ToProto(t);
    return true;
  }
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) return false;
  t = end_of_day ? ShanghaiStartOfDay(*day + 1) - absl::Nanoseconds(1)
                 : ShanghaiStartOfDay(*day);
  *out = ToProto(t);
  return true;
}

}  // namespace huanxin::ctl
