#include "ledger/apply.h"

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/shanghai_time.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "ledger/accounts.h"
#include "ledger/state.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

class Applier {
 public:
  Applier(const v1::LedgerEntry& e, storage::Batch* batch)
      : e_(e), state_(batch), w_(batch) {}

  absl::Status Run();

 private:
  absl::Status Postings(const std::string& program_id);
  absl::Status Count(Cf cf, const std::string& key, int64_t delta);
  absl::Status BumpStats(const std::string& program_id, void (*bump)(v1::ProgramStats*));
  absl::Status VoucherIssued(const v1::VoucherIssued& b);
  absl::Status VoucherReleased(const v1::VoucherReleased& b);
  absl::Status RedemptionCompleted(const v1::RedemptionCompleted& b);

  const v1::LedgerEntry& e_;
  StateReader state_;
  StateWriter w_;
};

absl::Status Applier::Count(Cf cf, const std::string& key, int64_t delta) {
  HX_ASSIGN_OR_RETURN(int64_t n, state_.Counter(cf, key));
  HX_CHECK(n + delta >= 0, absl::StrCat("counter below zero at seq ", e_.seq()));
  w_.PutCounter(cf, key, n + delta);
  return absl::OkStatus();
}

// Moves every posting of the entry through the account balances and the programme's books,
// and checks that the books still balance.
absl::Status Applier::Postings(const std::string& program_id) {
  if (e_.postings_size() == 0) return absl::OkStatus();
  HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, state_.Stats(program_id));
  for (const v1::Posting& p : e_.postings()) {
    HX_RETURN_IF_ERROR(Count(Cf::kState, keys::Account(p.credit_account()), p.amount_fen()));
    // Only treasury and merchants' payables may go negative; Count checks the rest.
    HX_ASSIGN_OR_RETURN(int64_t debit, state_.Balance(p.debit_account()));
    w_.PutCounter(Cf::kState, keys::Account(p.debit_account()), debit - p.amount_fen());
    ApplyPostingToStats(p, &stats);
  }
  absl::Status books = CheckBooks(stats);
  HX_CHECK(books.ok(), absl::StrCat(books.message(), " at seq ", e_.seq()));
  stats.set_ledger_seq(e_.seq());
  w_.Put(Cf::kState, keys::Stats(program_id), stats);
  return absl::OkStatus();
}

absl::Status Applier::BumpStats(const std::string& program_id,
                                void (*bump)(v1::ProgramStats*)) {
  HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, state_.Stats(program_id));
  bump(&stats);
  stats.set_ledger_seq(e_.seq());
  w_.Put(Cf::kState, keys::Stats(program_id), stats);
  return absl::OkStatus();
}

absl::Status Applier::VoucherIssued(const v1::VoucherIssued& b) {
  const v1::Voucher& v = b.voucher();
  w_.Put(Cf::kState, keys::Voucher(v.voucher_id()), v);
  w_.PutRaw(Cf::kIndex, keys::ConsumerVoucher(v.consumer_ref(), v.voucher_id()), "");
  HX_RETURN_IF_ERROR(
      Count(Cf::kIndex, keys::Entitlements(v.program_id(), v.consumer_ref(), v.category()), 1));
  HX_RETURN_IF_ERROR(Count(
      Cf::kIndex, keys::Daily(v.program_id(), ShanghaiDate(FromProto(v.issued_at()))), 1));
  HX_RETURN_IF_ERROR(Postings(v.program_id()));
  return BumpStats(v.program_id(), [](v1::ProgramStats* s) { s->set_vouchers_issued(s->vouchers_issued() + 1); });
}

absl::Status Applier::VoucherReleased(const v1::VoucherReleased& b) {
  const v1::Voucher& v = b.voucher();
  w_.Put(Cf::kState, keys::Voucher(v.voucher_id()), v);
  // A released voucher no longer uses the consumer's entitlement: they may claim again.
  HX_RETURN_IF_ERROR(
      Count(Cf::kIndex, keys::Entitlements(v.program_id(), v.consumer_ref(), v.category()), -1));
  HX_RETURN_IF_ERROR(Postings(v.program_id()));
  if (e_.type() == v1::LedgerEntry::VOUCHER_EXPIRED) {
    return BumpStats(v.program_id(),
                     [](v1::ProgramStats* s) { s->set_vouchers_expired(s->vouchers_expired() + 1); });
  }
  return BumpStats(v.program_id(),
                   [](v1::ProgramStats* s) { s->set_vouchers_cancelled(s->vouchers_cancelled() + 1); });
}

absl::Status Applier::RedemptionCompleted(const v1::RedemptionCompleted& b) {
  const v1::Redemption& d = b.redemption();
  w_.Put(Cf::kState, keys::Redemption(d.redemption_id()), d);
  HX_ASSIGN_OR_RETURN(auto voucher, state_.Voucher(d.voucher_id()));
  HX_CHECK(voucher.has_value(), absl::StrCat("redeemed voucher exists at seq ", e_.seq()));
  voucher->set_state(v1::Voucher::REDEEMED);
  voucher->set_redemption_id(d.redemption_id());
  voucher->set_ledger_seq(e_.seq());
  w_.Put(Cf::kState, keys::Voucher(d.voucher_id()), *voucher);
  if (!d.purchase().serial_number().empty()) {
    w_.PutRaw(Cf::kIndex, keys::Serial(d.purchase().serial_number()), d.redemption_id());
  }
  if (!d.purchase().invoice_number().empty()) {
    w_.PutRaw(Cf::kIndex, keys::Invoice(d.purchase().invoice_number()), d.redemption_id());
  }
  HX_ASSIGN_OR_RETURN(internal::ConsumerUsage usage,
                      state_.Usage(d.program_id(), d.consumer_ref()));
  usage.set_subsidy_fen(usage.subsidy_fen() + d.subsidy_fen());
  w_.Put(Cf::kState, keys::Usage(d.program_id(), d.consumer_ref()), usage);
  HX_RETURN_IF_ERROR(Postings(d.program_id()));
  return BumpStats(d.program_id(),
                   [](v1::ProgramStats* s) { s->set_vouchers_redeemed(s->vouchers_redeemed() + 1); });
}

absl::Status Applier::Run() {
  if (!e_.request_id().empty()) {
    internal::IdempotencyRecord rec;
    rec.set_fingerprint(e_.request_fingerprint());
    rec.set_seq(e_.seq());
    w_.Put(Cf::kIndex, keys::Idempotency(e_.actor(), e_.request_id()), rec);
  }
  switch (e_.body_case()) {
    case v1::LedgerEntry::kProgramCreated: {
      const v1::Program& p = e_.program_created().program();
      w_.Put(Cf::kState, keys::Program(p.program_id()), p);
      HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, state_.Stats(p.program_id()));
      stats.set_ledger_seq(e_.seq());
      w_.Put(Cf::kState, keys::Stats(p.program_id()), stats);
      return absl::OkStatus();
    }
    case v1::LedgerEntry::kProgramFunded:
      return Postings(e_.program_funded().program_id());
    case v1::LedgerEntry::kProgramStateChanged: {
      const v1::Program& p = e_.program_state_changed().program();
      w_.Put(Cf::kState, keys::Program(p.program_id()), p);
      return absl::OkStatus();
    }
    case v1::LedgerEntry::kMerchantRegistered: {
      const v1::Merchant& m = e_.merchant_registered().merchant();
      w_.Put(Cf::kState, keys::Merchant(m.merchant_id()), m);
      return absl::OkStatus();
    }
    case v1::LedgerEntry::kMerchantStateChanged: {
      const v1::Merchant& m = e_.merchant_state_changed().merchant();
      w_.Put(Cf::kState, keys::Merchant(m.merchant_id()), m);
      return absl::OkStatus();
    }
    case v1::LedgerEntry::kRecyclerRegistered: {
      const v1::Recycler& r = e_.recycler_registered().recycler();
      w_.Put(Cf::kState, keys::Recycler(r.recycler_id()), r);
      return absl::OkStatus();
    }
    case v1::LedgerEntry::kVoucherIssued:
      return VoucherIssued(e_.voucher_issued());
    case v1::LedgerEntry::kVoucherReleased:
      return VoucherReleased(e_.voucher_released());
    case v1::LedgerEntry::kRedemptionCompleted:
      return RedemptionCompleted(e_.redemption_completed());
    case v1::LedgerEntry::kRedemptionDenied: {
      const std::string& program_id = e_.redemption_denied().program_id();
      if (program_id.empty()) return absl::OkStatus();
      return BumpStats(program_id,
                       [](v1::ProgramStats* s) { s->set_redemptions_denied(s->redemptions_denied() + 1); });
    }
    default:
      HX_CHECK(false, absl::StrCat("no Apply for entry type ", e_.type(), " at seq ", e_.seq()));
      return absl::InternalError("unreachable");
  }
}

}  // namespace

absl::Status Apply(const v1::LedgerEntry& entry, storage::Batch* batch) {
  return Applier(entry, batch).Run();
}

}  // namespace huanxin::ledger
