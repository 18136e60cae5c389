#include "ledger/commands/issuance.h"

#include "absl/strings/str_cat.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/accounts.h"
#include "ledger/program_versions.h"
#include "rules/program_rules.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;

absl::Status CheckProgramOpen(const v1::Program& p, absl::Time now) {
  if (p.state() != v1::Program::ACTIVE) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", p.program_id(), " is ",
                               v1::Program::State_Name(p.state())));
  }
  if (now < FromProto(p.start_time()) || now >= FromProto(p.end_time())) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", p.program_id(), " runs from ",
                               FormatShanghai(FromProto(p.start_time())), " to ",
                               FormatShanghai(FromProto(p.end_time()))));
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideIssueVoucher(const Context& c, const internal::IssueVoucher& r) {
  HX_ASSIGN_OR_RETURN(auto program, c.state.Program(r.program_id()));
  if (!program.has_value()) {
    return Refuse(reason::kProgramNotFound, absl::StrCat("no programme ", r.program_id()));
  }
  HX_RETURN_IF_ERROR(CheckProgramOpen(*program, c.now));
  HX_RETURN_IF_ERROR(UseRulesInForceAt(c.state, c.now, &*program));
  const v1::CategoryRule* rule = FindRule(*program, r.category());
  if (rule == nullptr) {
    return Refuse(reason::kUnknownCategory, absl::StrCat("programme ", r.program_id(),
                                                         " has no category ", r.category()));
  }
  const std::string& consumer = r.consumer().consumer_ref();
  const std::string scope = LimitScope(r.program_id(), program->limit_group());
  HX_ASSIGN_OR_RETURN(int64_t used, c.state.Counter(storage::Cf::kIndex,
                                                    keys::Entitlements(scope, consumer,
                                                                       r.category())));
  if (used >= PerConsumerLimit(*rule)) {
    return Refuse(reason::kConsumerLimitReached,
                  absl::StrCat("consumer ", consumer, " already has ", used, " of ",
                               PerConsumerLimit(*rule), " ", r.category(), " vouchers"));
  }
  if (program->max_claims_per_consumer() > 0) {
    HX_ASSIGN_OR_RETURN(int64_t claimed,
                        c.state.Counter(storage::Cf::kIndex,
                                        keys::Claims(scope, consumer, r.category())));
    if (claimed >= program->max_claims_per_consumer()) {
      return Refuse(reason::kClaimLimitReached,
                    absl::StrCat("consumer ", consumer, " has claimed ", claimed, " ",
                                 r.category(), " vouchers, the most the programme allows"));
    }
  }
  if (program->per_consumer_total_cap_fen() > 0) {
    HX_ASSIGN_OR_RETURN(internal::ConsumerUsage usage, c.state.Usage(scope, consumer));
    if (usage.subsidy_fen() >= program->per_consumer_total_cap_fen()) {
      return Refuse(reason::kConsumerLimitReached,
                    absl::StrCat("consumer ", consumer, " has used the programme's cap of ",
                                 FormatYuan(program->per_consumer_total_cap_fen())));
    }
  }
  const std::string today = ShanghaiDate(c.now);
  if (program->daily_voucher_limit() > 0) {
    HX_ASSIGN_OR_RETURN(int64_t issued_today,
                        c.state.Counter(storage::Cf::kIndex, keys::Daily(r.program_id(), today)));
    if (issued_today >= program->daily_voucher_limit()) {
      return Refuse(reason::kDailyQuotaExhausted,
                    absl::StrCat("programme ", r.program_id(), " issued its ",
                                 program->daily_voucher_limit(), " vouchers for ", today));
    }
  }
  const int64_t hold = HoldFor(*rule);
  HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, c.state.Stats(r.program_id()));
  if (stats.available_fen() < hold) {
    return Refuse(reason::kBudgetExhausted,
                  absl::StrCat("programme ", r.program_id(), " has ",
                               FormatYuan(stats.available_fen()), " available, a ",
                               r.category(), " voucher holds ", FormatYuan(hold)));
  }

  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::VOUCHER_ISSUED);
  *e.add_postings() = MakePosting(Budget(r.program_id()), Held(r.program_id()), hold);
  v1::VoucherIssued* body = e.mutable_voucher_issued();
  *body->mutable_consumer() = r.consumer();
  v1::Voucher* v = body->mutable_voucher();
  v->set_voucher_id(NewId("v"));
  v->set_program_id(r.program_id());
  v->set_category(r.category());
  v->set_consumer_ref(consumer);
  v->set_held_fen(hold);
  *v->mutable_issued_at() = ToProto(c.now);
  *v->mutable_expires_at() = ToProto(VoucherExpiresAt(*program, c.now));
  v->set_state(v1::Voucher::ISSUED);
  v->set_ledger_seq(c.seq);
  v->set_limit_group(program->limit_group());
  return e;
}

namespace {

// The entry that releases an ISSUED voucher's hold: `type` is VOUCHER_CANCELLED or
// VOUCHER_EXPIRED, `state` the voucher's new state.
Decision Release(const Context& c, const std::string& voucher_id, v1::LedgerEntry::Type type,
                 v1::Voucher::State state, const std::string& why, bool only_if_expired) {
  HX_ASSIGN_OR_RETURN(auto voucher, c.state.Voucher(voucher_id));
  if (!voucher.has_value()) {
    return Refuse(reason::kVoucherNotFound, absl::StrCat("no voucher ", voucher_id));
  }
  if (voucher->state() != v1::Voucher::ISSUED) {
    return Refuse(reason::kVoucherNotActive,
                  absl::StrCat("voucher ", voucher_id, " is ",
                               v1::Voucher::State_Name(voucher->state())));
  }
  if (only_if_expired && c.now < FromProto(voucher->expires_at())) {
    return Refuse(reason::kVoucherNotActive,
                  absl::StrCat("voucher ", voucher_id, " has not expired"));
  }
  v1::LedgerEntry e;
  e.set_type(type);
  *e.add_postings() = MakePosting(Held(voucher->program_id()), Budget(voucher->program_id()),
                                  voucher->held_fen());
  voucher->set_state(state);
  voucher->set_ledger_seq(c.seq);
  *e.mutable_voucher_released()->mutable_voucher() = *std::move(voucher);
  e.mutable_voucher_released()->set_reason(why);
  return e;
}

}  // namespace

Decision DecideCancelVoucher(const Context& c, const v1::CancelVoucherRequest& r) {
  return Release(c, r.voucher_id(), v1::LedgerEntry::VOUCHER_CANCELLED, v1::Voucher::CANCELLED,
                 r.reason(), /*only_if_expired=*/false);
}

Decision DecideExpireVoucher(const Context& c, const internal::ExpireVoucher& r) {
  return Release(c, r.voucher_id(), v1::LedgerEntry::VOUCHER_EXPIRED, v1::Voucher::EXPIRED,
                 "expired", /*only_if_expired=*/true);
}

}  // namespace huanxin::ledger
