#include "tools/ctl/audit_entries.h"

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
  };
  switch (e.body_case()) {
    case v1::LedgerEntry::kProgramCreated:
      f.program_id = e.program_created().program().program_id();
      break;
    case v1::LedgerEntry::kProgramFunded:
      f.program_id = e.program_funded().program_id();
      f.amount_fen = e.program_funded().amount_fen();
      break;
    case v1::LedgerEntry::kProgramStateChanged:
      f.program_id = e.program_state_changed().program().program_id();
      break;
    case v1::LedgerEntry::kMerchantRegistered:
      f.merchant_id = e.merchant_registered().merchant().merchant_id();
      break;
    case v1::LedgerEntry::kMerchantStateChanged:
      f.merchant_id = e.merchant_state_changed().merchant().merchant_id();
      break;
    case v1::LedgerEntry::kVoucherIssued:
      f.program_id = e.voucher_issued().voucher().program_id();
      f.amount_fen = e.voucher_issued().voucher().held_fen();
      break;
    case v1::LedgerEntry::kVoucherReleased:
      f.program_id = e.voucher_released().voucher().program_id();
      f.amount_fen = e.voucher_released().voucher().held_fen();
      break;
    case v1::LedgerEntry::kRedemptionCompleted:
      redemption(e.redemption_completed().redemption());
      break;
    case v1::LedgerEntry::kRedemptionDenied:
      f.program_id = e.redemption_denied().program_id();
      f.merchant_id = e.redemption_denied().merchant_id();
      break;
    case v1::LedgerEntry::kRedemptionReversed:
      redemption(e.redemption_reversed().redemption());
      break;
    case v1::LedgerEntry::kReviewResolved:
      redemption(e.review_resolved().redemption());
      break;
    case v1::LedgerEntry::kSettlementCreated:
      f.merchant_id = e.settlement_created().settlement().merchant_id();
      f.amount_fen = e.settlement_created().settlement().total_fen();
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
