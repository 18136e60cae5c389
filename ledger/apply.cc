#include "ledger/apply.h"

#include <map>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status_macros.h"
#include "common/merkle.h"
#include "ledger/accounts.h"
#include "ledger/apply_receipts.h"
#include "ledger/entry_refs.h"
#include "ledger/fraud_memory.h"
#include "ledger/program_versions.h"
#include "ledger/state.h"
#include "rules/cost_shares.h"
#include "rules/program_rules.h"
#include "storage/keys.h"
#include "storage/tree.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;
using Bump = absl::FunctionRef<void(v1::ProgramStats*)>;

int64_t Nanos(const google::protobuf::Timestamp& t) { return absl::ToUnixNanos(FromProto(t)); }

// The scope a voucher's per-consumer counts live in: its programme's limit group when it was
// issued (recorded on the voucher), else its programme.
std::string ScopeOf(const v1::Voucher& v) { return LimitScope(v.program_id(), v.limit_group()); }

class Applier {
 public:
  Applier(const v1::LedgerEntry& e, storage::Batch* batch) : e_(e), state_(batch), w_(batch) {}

  absl::Status Run();

 private:
  absl::Status Postings();
  absl::Status Count(Cf cf, const std::string& key, int64_t delta);
  absl::Status BumpStats(const std::string& program_id, Bump bump);
  // Adds `delta_fen` to the subsidy a consumer has used in a limit scope.
  absl::Status AddUsage(const std::string& scope, const std::string& consumer_ref,
                        int64_t delta_fen);
  absl::Status ProgramCreated(const v1::Program& p);
  absl::Status ProgramFunded(const v1::ProgramFunded& b);
  absl::Status Put(const std::string& key, const google::protobuf::MessageLite& m) {
    w_.Put(Cf::kState, key, m);
    return absl::OkStatus();
  }
  // A voucher leaves ISSUED: it drops out of the issued and expiry indexes, and unless it
  // was redeemed it no longer uses the consumer's entitlement.
  absl::Status LeaveIssued(const v1::Voucher& before, bool frees_entitlement);
  absl::Status VoucherIssued(const v1::VoucherIssued& b);
  absl::Status VoucherReleased(const v1::Voucher& after, Bump bump);
  absl::Status ProgramStateChanged(const v1::ProgramStateChanged& b);
  absl::Status RedemptionCompleted(const v1::RedemptionCompleted& b);
  absl::Status RedemptionReversed(const v1::RedemptionReversed& b);
  absl::Status RedemptionAdjusted(const v1::RedemptionAdjusted& b);
  absl::Status ProgramRulesUpdated(const v1::ProgramRulesUpdated& b);
  absl::Status SettlementCreated(const v1::SettlementCreated& b);
  absl::Status ReviewResolved(const v1::ReviewResolved& b);

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

// The programme an account belongs to: "budget:P", "payable:P:M" -> P; treasury -> "".
absl::string_view ProgramOf(absl::string_view account) {
  size_t first = account.find(':');
  if (first == absl::string_view::npos) return "";
  absl::string_view rest = account.substr(first + 1);
  return rest.substr(0, rest.find(':'));
}

// Moves every posting of the entry through the account balances and its programmes' books,
// and checks that the books still balance.
absl::Status Applier::Postings() {
  std::map<std::string, v1::ProgramStats> books;
  for (const v1::Posting& p : e_.postings()) {
    std::string program(ProgramOf(p.credit_account()));
    if (program.empty()) program = std::string(ProgramOf(p.debit_account()));
    HX_CHECK(!program.empty(), absl::StrCat("posting names no programme at seq ", e_.seq()));
    if (!books.count(program)) {
      HX_ASSIGN_OR_RETURN(books[program], state_.Stats(program));
    }
    // Balances are credits minus debits: treasury runs negative by what it funded, a
    // merchant's payable by what it owes back after a settled return.
    HX_ASSIGN_OR_RETURN(int64_t credit, state_.Balance(p.credit_account()));
    w_.PutCounter(Cf::kState, keys::Account(p.credit_account()), credit + p.amount_fen());
    HX_ASSIGN_OR_RETURN(int64_t debit, state_.Balance(p.debit_account()));
    w_.PutCounter(Cf::kState, keys::Account(p.debit_account()), debit - p.amount_fen());
    ApplyPostingToStats(p, &books[program]);
  }
  for (auto& [program, stats] : books) {
    absl::Status ok = CheckBooks(stats);
    HX_CHECK(ok.ok(), absl::StrCat(ok.message(), " at seq ", e_.seq()));
    stats.set_ledger_seq(e_.seq());
    w_.Put(Cf::kState, keys::Stats(program), stats);
  }
  return absl::OkStatus();
}

absl::Status Applier::BumpStats(const std::string& program_id, Bump bump) {
  HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, state_.Stats(program_id));
  bump(&stats);
  stats.set_ledger_seq(e_.seq());
  w_.Put(Cf::kState, keys::Stats(program_id), stats);
  return absl::OkStatus();
}

absl::Status Applier::AddUsage(const std::string& scope, const std::string& consumer_ref,
                              int64_t delta_fen) {
  HX_ASSIGN_OR_RETURN(internal::ConsumerUsage usage, state_.Usage(scope, consumer_ref));
  usage.set_subsidy_fen(usage.subsidy_fen() + delta_fen);
  return Put(keys::Usage(scope, consumer_ref), usage);
}

// A programme of a limit group records the group's kind when it is the first of the group,
// so that later programmes of other kinds are refused (DecideCreateProgram).
absl::Status Applier::ProgramCreated(const v1::Program& p) {
  if (!p.limit_group().empty()) {
    HX_ASSIGN_OR_RETURN(bool known, state_.Exists(Cf::kState, keys::LimitGroup(p.limit_group())));
    if (!known) {
      w_.PutRaw(Cf::kState, keys::LimitGroup(p.limit_group()), v1::Program::Kind_Name(p.kind()));
    }
  }
  return Put(keys::Program(p.program_id()), p);
}

// The postings moved the money; the stats also keep what each source funded.
absl::Status Applier::ProgramFunded(const v1::ProgramFunded& b) {
  return BumpStats(b.program_id(), [&b](v1::ProgramStats* s) {
    AddToSource(b.source(), b.amount_fen(), s->mutable_funded_by_source());
  });
}

absl::Status Applier::LeaveIssued(const v1::Voucher& v, bool frees_entitlement) {
  w_.Delete(Cf::kIndex, keys::Issued(v.program_id(), v.voucher_id()));
  w_.Delete(Cf::kIndex, keys::Expiry(Nanos(v.expires_at()), v.voucher_id()));
  if (!frees_entitlement) return absl::OkStatus();
  return Count(Cf::kIndex, keys::Entitlements(ScopeOf(v), v.consumer_ref(), v.category()), -1);
}

absl::Status Applier::VoucherIssued(const v1::VoucherIssued& b) {
  const v1::Voucher& v = b.voucher();
  HX_RETURN_IF_ERROR(Put(keys::Voucher(v.voucher_id()), v));
  w_.PutRaw(Cf::kIndex, keys::ConsumerVoucher(v.consumer_ref(), v.voucher_id()), "");
  w_.PutRaw(Cf::kIndex, keys::Issued(v.program_id(), v.voucher_id()), "");
  w_.PutRaw(Cf::kIndex, keys::Expiry(Nanos(v.expires_at()), v.voucher_id()), "");
  HX_RETURN_IF_ERROR(
      Count(Cf::kIndex, keys::Entitlements(ScopeOf(v), v.consumer_ref(), v.category()), 1));
  HX_RETURN_IF_ERROR(
      Count(Cf::kIndex, keys::Claims(ScopeOf(v), v.consumer_ref(), v.category()), 1));
  HX_RETURN_IF_ERROR(Count(
      Cf::kIndex, keys::Daily(v.program_id(), ShanghaiDate(FromProto(v.issued_at()))), 1));
  w_.Put(Cf::kState, keys::VoucherRefs(v.voucher_id()), b.consumer());
  HX_RETURN_IF_ERROR(RememberIdentity(state_, w_, v.program_id(), b.consumer()));
  return BumpStats(v.program_id(),
                   [](v1::ProgramStats* s) { s->set_vouchers_issued(s->vouchers_issued() + 1); });
}

absl::Status Applier::VoucherReleased(const v1::Voucher& after, Bump bump) {
  HX_RETURN_IF_ERROR(LeaveIssued(after, /*frees_entitlement=*/true));
  HX_RETURN_IF_ERROR(Put(keys::Voucher(after.voucher_id()), after));
  return BumpStats(after.program_id(), bump);
}

absl::Status Applier::ProgramStateChanged(const v1::ProgramStateChanged& b) {
  HX_RETURN_IF_ERROR(Put(keys::Program(b.program().program_id()), b.program()));
  for (const std::string& id : b.released_voucher_ids()) {
    HX_ASSIGN_OR_RETURN(auto v, state_.Voucher(id));
    HX_CHECK(v.has_value(), absl::StrCat("released voucher exists at seq ", e_.seq()));
    v->set_state(v1::Voucher::CANCELLED);
    v->set_ledger_seq(e_.seq());
    HX_RETURN_IF_ERROR(VoucherReleased(*v, [](v1::ProgramStats* s) {
      s->set_vouchers_cancelled(s->vouchers_cancelled() + 1);
    }));
  }
  return absl::OkStatus();
}

absl::Status Applier::RedemptionCompleted(const v1::RedemptionCompleted& b) {
  const v1::Redemption& d = b.redemption();
  HX_RETURN_IF_ERROR(Put(keys::Redemption(d.redemption_id()), d));
  HX_ASSIGN_OR_RETURN(auto voucher, state_.Voucher(d.voucher_id()));
  HX_CHECK(voucher.has_value(), absl::StrCat("redeemed voucher exists at seq ", e_.seq()));
  HX_RETURN_IF_ERROR(LeaveIssued(*voucher, /*frees_entitlement=*/false));
  voucher->set_state(v1::Voucher::REDEEMED);
  voucher->set_redemption_id(d.redemption_id());
  voucher->set_ledger_seq(e_.seq());
  HX_RETURN_IF_ERROR(Put(keys::Voucher(d.voucher_id()), *voucher));
  if (!d.purchase().serial_number().empty()) {
    w_.PutRaw(Cf::kIndex, keys::Serial(d.purchase().serial_number()), d.redemption_id());
  }
  if (!d.purchase().invoice_number().empty()) {
    w_.PutRaw(Cf::kIndex, keys::Invoice(d.purchase().invoice_number()), d.redemption_id());
  }
  if (d.state() == v1::Redemption::COMPLETED) {
    w_.PutRaw(Cf::kIndex,
              keys::Unsettled(d.merchant_id(), Nanos(d.redeemed_at()), d.redemption_id()), "");
  } else {
    HX_CHECK(b.has_review(), absl::StrCat("a redemption under review has a review, seq ", e_.seq()));
    const v1::Review& review = b.review();
    HX_RETURN_IF_ERROR(Put(keys::Review(review.review_id()), review));
    w_.PutRaw(Cf::kIndex, keys::ReviewByState("OPEN", review.opened_seq(), review.review_id()), "");
    HX_RETURN_IF_ERROR(BumpStats(d.program_id(), [](v1::ProgramStats* s) {
      s->set_redemptions_under_review(s->redemptions_under_review() + 1);
    }));
  }
  HX_RETURN_IF_ERROR(RememberRedemption(state_, w_, b));
  HX_RETURN_IF_ERROR(AddUsage(ScopeOf(*voucher), d.consumer_ref(), d.subsidy_fen()));
  HX_RETURN_IF_ERROR(ApplyReceiptConsumed(e_, state_, w_));
  return BumpStats(d.program_id(), [](v1::ProgramStats* s) {
    s->set_vouchers_redeemed(s->vouchers_redeemed() + 1);
  });
}

// A return: the voucher is REVERSED, the serial may be subsidised again (the item came
// back), the invoice stays used. A return after settlement leaves a clawback.
absl::Status Applier::RedemptionReversed(const v1::RedemptionReversed& b) {
  const v1::Redemption& d = b.redemption();
  HX_RETURN_IF_ERROR(Put(keys::Redemption(d.redemption_id()), d));
  HX_ASSIGN_OR_RETURN(auto voucher, state_.Voucher(d.voucher_id()));
  HX_ASSIGN_OR_RETURN(auto program, state_.Program(d.program_id()));
  HX_CHECK(voucher.has_value() && program.has_value(),
           absl::StrCat("reversed redemption's voucher and programme exist at seq ", e_.seq()));
  voucher->set_state(v1::Voucher::REVERSED);
  voucher->set_ledger_seq(e_.seq());
  HX_RETURN_IF_ERROR(Put(keys::Voucher(d.voucher_id()), *voucher));
  if (program->refund_policy() == v1::Program::ENTITLEMENT_RESTORED) {
    HX_RETURN_IF_ERROR(Count(
        Cf::kIndex, keys::Entitlements(ScopeOf(*voucher), d.consumer_ref(), voucher->category()),
        -1));
  }
  if (!d.purchase().serial_number().empty()) {
    w_.Delete(Cf::kIndex, keys::Serial(d.purchase().serial_number()));
  }
  if (b.state_before() == v1::Redemption::SETTLED) {
    HX_RETURN_IF_ERROR(
        Count(Cf::kIndex, keys::Clawback(d.program_id(), d.merchant_id()), d.subsidy_fen()));
  } else {
    w_.Delete(Cf::kIndex,
              keys::Unsettled(d.merchant_id(), Nanos(d.redeemed_at()), d.redemption_id()));
  }
  HX_RETURN_IF_ERROR(AddUsage(ScopeOf(*voucher), d.consumer_ref(), -d.subsidy_fen()));
  HX_RETURN_IF_ERROR(ApplyReceiptRestored(e_, state_, w_));
  return BumpStats(d.program_id(), [](v1::ProgramStats* s) {
    s->set_redemptions_reversed(s->redemptions_reversed() + 1);
  });
}

// A lower price: the redemption as adjusted; the subsidy given back no longer counts against
// the consumer's total cap, and after a settlement the merchant owes it.
absl::Status Applier::RedemptionAdjusted(const v1::RedemptionAdjusted& b) {
  const v1::Redemption& d = b.redemption();
  HX_RETURN_IF_ERROR(Put(keys::Redemption(d.redemption_id()), d));
  const int64_t back = b.subsidy_before_fen() - d.subsidy_fen();
  HX_CHECK(back >= 0, absl::StrCat("an adjustment lowers the subsidy, seq ", e_.seq()));
  HX_ASSIGN_OR_RETURN(auto voucher, state_.Voucher(d.voucher_id()));
  HX_CHECK(voucher.has_value(), absl::StrCat("adjusted redemption's voucher exists at seq ", e_.seq()));
  HX_RETURN_IF_ERROR(AddUsage(ScopeOf(*voucher), d.consumer_ref(), -back));
  if (d.state() == v1::Redemption::SETTLED && back > 0) {
    HX_RETURN_IF_ERROR(Count(Cf::kIndex, keys::Clawback(d.program_id(), d.merchant_id()), back));
  }
  return absl::OkStatus();
}

// A new rules version: the programme holds it, and every version is kept by number (the one
// it follows is written now if no earlier amendment wrote it).
absl::Status Applier::ProgramRulesUpdated(const v1::ProgramRulesUpdated& b) {
  const v1::Program& p = b.program();
  HX_ASSIGN_OR_RETURN(auto before, state_.Program(p.program_id()));
  HX_CHECK(before.has_value(), absl::StrCat("amended programme exists at seq ", e_.seq()));
  const std::string before_key = keys::ProgramRules(p.program_id(), RulesVersionOf(*before));
  HX_ASSIGN_OR_RETURN(bool kept, state_.Exists(Cf::kState, before_key));
  if (!kept) HX_RETURN_IF_ERROR(Put(before_key, RulesRecordOf(*before)));
  HX_RETURN_IF_ERROR(Put(keys::ProgramRules(p.program_id(), RulesVersionOf(p)), RulesRecordOf(p)));
  return Put(keys::Program(p.program_id()), p);
}

absl::Status Applier::ReviewResolved(const v1::ReviewResolved& b) {
  const v1::Review& review = b.review();
  const v1::Redemption& d = b.redemption();
  HX_RETURN_IF_ERROR(Put(keys::Review(review.review_id()), review));
  w_.Delete(Cf::kIndex, keys::ReviewByState("OPEN", review.opened_seq(), review.review_id()));
  w_.PutRaw(Cf::kIndex,
            keys::ReviewByState(v1::Review::State_Name(review.state()), review.opened_seq(),
                                review.review_id()),
            "");
  HX_RETURN_IF_ERROR(Put(keys::Redemption(d.redemption_id()), d));
  if (d.state() == v1::Redemption::COMPLETED) {
    w_.PutRaw(Cf::kIndex,
              keys::Unsettled(d.merchant_id(), Nanos(d.redeemed_at()), d.redemption_id()), "");
  }
  return BumpStats(d.program_id(), [](v1::ProgramStats* s) {
    s->set_redemptions_under_review(s->redemptions_under_review() - 1);
  });
}

absl::Status Applier::SettlementCreated(const v1::SettlementCreated& b) {
  const v1::Settlement& s = b.settlement();
  HX_RETURN_IF_ERROR(Put(keys::Settlement(s.settlement_id()), b));
  for (const std::string& id : b.redemption_ids()) {
    HX_ASSIGN_OR_RETURN(auto d, state_.Redemption(id));
    HX_CHECK(d.has_value(), absl::StrCat("settled redemption exists at seq ", e_.seq()));
    w_.Delete(Cf::kIndex, keys::Unsettled(d->merchant_id(), Nanos(d->redeemed_at()), id));
    d->set_state(v1::Redemption::SETTLED);
    d->set_ledger_seq(e_.seq());
    HX_RETURN_IF_ERROR(Put(keys::Redemption(id), *d));
  }
  for (const v1::Settlement::ProgramLine& line : s.programs()) {
    if (line.clawback_fen() == 0) continue;
    HX_RETURN_IF_ERROR(Count(Cf::kIndex, keys::Clawback(line.program_id(), s.merchant_id()),
                             -line.clawback_fen()));
  }
  return absl::OkStatus();
}

absl::Status Applier::Run() {
  if (!e_.request_id().empty()) {
    internal::IdempotencyRecord rec;
    rec.set_fingerprint(e_.request_fingerprint());
    rec.set_seq(e_.seq());
    w_.Put(Cf::kIndex, keys::Idempotency(e_.actor(), e_.request_id()), rec);
  }
  const std::string seq = keys::Seq(e_.seq());
  w_.PutRaw(Cf::kIndex, keys::ByTypePrefix(e_.type()) + seq, "");
  const EntryRefs refs = RefsOf(e_);
  for (const auto& p : refs.programs) w_.PutRaw(Cf::kIndex, keys::ByProgramPrefix(p) + seq, "");
  for (const auto& m : refs.merchants) w_.PutRaw(Cf::kIndex, keys::ByMerchantPrefix(m) + seq, "");
  for (const auto& c : refs.consumers) w_.PutRaw(Cf::kIndex, keys::ByConsumerPrefix(c) + seq, "");
  HX_RETURN_IF_ERROR(Postings());
  switch (e_.body_case()) {
    case v1::LedgerEntry::kProgramCreated:
      return ProgramCreated(e_.program_created().program());
    case v1::LedgerEntry::kProgramFunded:
      return ProgramFunded(e_.program_funded());
    case v1::LedgerEntry::kProgramStateChanged:
      return ProgramStateChanged(e_.program_state_changed());
    case v1::LedgerEntry::kMerchantRegistered:
      return Put(keys::Merchant(e_.merchant_registered().merchant().merchant_id()),
                 e_.merchant_registered().merchant());
    case v1::LedgerEntry::kMerchantStateChanged:
      return Put(keys::Merchant(e_.merchant_state_changed().merchant().merchant_id()),
                 e_.merchant_state_changed().merchant());
    case v1::LedgerEntry::kRecyclerRegistered:
      return Put(keys::Recycler(e_.recycler_registered().recycler().recycler_id()),
                 e_.recycler_registered().recycler());
    case v1::LedgerEntry::kVoucherIssued:
      return VoucherIssued(e_.voucher_issued());
    case v1::LedgerEntry::kVoucherReleased:
      if (e_.type() == v1::LedgerEntry::VOUCHER_EXPIRED) {
        return VoucherReleased(e_.voucher_released().voucher(), [](v1::ProgramStats* s) {
          s->set_vouchers_expired(s->vouchers_expired() + 1);
        });
      }
      return VoucherReleased(e_.voucher_released().voucher(), [](v1::ProgramStats* s) {
        s->set_vouchers_cancelled(s->vouchers_cancelled() + 1);
      });
    case v1::LedgerEntry::kReceiptConfirmed:
      return ApplyReceiptConfirmed(e_, state_, w_);
    case v1::LedgerEntry::kReceiptVoided:
      return ApplyReceiptVoided(e_, state_, w_);
    case v1::LedgerEntry::kRedemptionCompleted:
      return RedemptionCompleted(e_.redemption_completed());
    case v1::LedgerEntry::kRedemptionDenied: {
      const std::string& program_id = e_.redemption_denied().program_id();
      if (program_id.empty()) return absl::OkStatus();
      // The category as the entry recorded it (none in entries older than categories).
      const v1::RedemptionDenied::Category category = e_.redemption_denied().category();
      return BumpStats(program_id, [category](v1::ProgramStats* s) {
        s->set_redemptions_denied(s->redemptions_denied() + 1);
        switch (category) {
          case v1::RedemptionDenied::INPUT:
            s->set_redemptions_denied_input(s->redemptions_denied_input() + 1);
            break;
          case v1::RedemptionDenied::ELIGIBILITY:
            s->set_redemptions_denied_eligibility(s->redemptions_denied_eligibility() + 1);
            break;
          case v1::RedemptionDenied::FRAUD:
            s->set_redemptions_denied_fraud(s->redemptions_denied_fraud() + 1);
            break;
          default:
            break;
        }
      });
    }
    case v1::LedgerEntry::kRedemptionReversed:
      return RedemptionReversed(e_.redemption_reversed());
    case v1::LedgerEntry::kRedemptionAdjusted:
      return RedemptionAdjusted(e_.redemption_adjusted());
    case v1::LedgerEntry::kProgramRulesUpdated:
      return ProgramRulesUpdated(e_.program_rules_updated());
    case v1::LedgerEntry::kSettlementCreated:
      return SettlementCreated(e_.settlement_created());
    case v1::LedgerEntry::kReviewResolved:
      return ReviewResolved(e_.review_resolved());
    case v1::LedgerEntry::kFraudRulesChanged: {
      internal::FraudRulesState rules;
      *rules.mutable_rules() = e_.fraud_rules_changed().rules();
      rules.set_seq(e_.seq());
      return Put(std::string(keys::kFraudRules), rules);
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

absl::Status AppendToLog(int64_t seq, const std::string& leaf_data, storage::Batch* batch) {
  batch->Put(Cf::kEntries, keys::Seq(seq), leaf_data);
  return storage::AppendLeaf(batch, static_cast<uint64_t>(seq), merkle::LeafHash(leaf_data));
}

}  // namespace huanxin::ledger
