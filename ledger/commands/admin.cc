#include "ledger/commands/admin.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/check.h"
#include "ledger/accounts.h"
#include "ledger/program_versions.h"
#include "rules/cost_shares.h"
#include "rules/fraud.h"
#include "rules/program_rules.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

// No programme is funded with more than ¥10 trillion in all: far beyond any budget, and far
// from int64 overflow in any sum of its books.
constexpr int64_t kMaxFundedFen = 1'000'000'000'000'000;

absl::StatusOr<v1::Program> ExistingProgram(const Context& c, const std::string& id) {
  HX_ASSIGN_OR_RETURN(auto program, c.state.Program(id));
  if (!program.has_value()) {
    return Refuse(reason::kProgramNotFound, absl::StrCat("no programme ", id));
  }
  return *std::move(program);
}

absl::StatusOr<v1::Merchant> ExistingMerchant(const Context& c, const std::string& id) {
  HX_ASSIGN_OR_RETURN(auto merchant, c.state.Merchant(id));
  if (!merchant.has_value()) {
    return Refuse(reason::kMerchantNotFound, absl::StrCat("no merchant ", id));
  }
  return *std::move(merchant);
}

}  // namespace

Decision DecideCreateProgram(const Context& c, const v1::CreateProgramRequest& r) {
  // The edge validated it already; the ledger checks again, since every later decision
  // relies on a programme's rules being sane and edges may run apart from it.
  HX_RETURN_IF_ERROR(ValidateProgram(r.program()));
  HX_ASSIGN_OR_RETURN(auto existing, c.state.Program(r.program().program_id()));
  if (existing.has_value()) {
    return Refuse(reason::kProgramExists,
                  absl::StrCat("programme ", r.program().program_id(), " exists"));
  }
  const std::string& group = r.program().limit_group();
  if (!group.empty()) {
    HX_ASSIGN_OR_RETURN(auto kind, c.state.Raw(Cf::kState, keys::LimitGroup(group)));
    const std::string& mine = v1::Program::Kind_Name(r.program().kind());
    if (kind.has_value() && *kind != mine) {
      return FieldError("program.limit_group",
                        absl::StrCat("limit group ", group, " holds ", *kind,
                                     " programmes, not ", mine),
                        reason::kInvalidProgram);
    }
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::PROGRAM_CREATED);
  v1::Program* p = e.mutable_program_created()->mutable_program();
  *p = r.program();
  p->set_state(v1::Program::ACTIVE);
  p->set_ledger_seq(c.seq);
  return e;
}

Decision DecideFundProgram(const Context& c, const v1::FundProgramRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Program program, ExistingProgram(c, r.program_id()));
  if (program.state() == v1::Program::CLOSED) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", r.program_id(), " is closed"));
  }
  if (r.amount_fen() <= 0 || r.amount_fen() > kMaxFundedFen) {
    return FieldError("amount_fen", "must be positive and at most 10^15 fen");
  }
  if (!program.cost_shares().empty() && r.source() == v1::FUND_SOURCE_UNSPECIFIED) {
    return FieldError("source", absl::StrCat("required: programme ", r.program_id(),
                                             " shares its cost by source, so every funding "
                                             "names its source"));
  }
  if (!program.cost_shares().empty() && !HasShare(program.cost_shares(), r.source())) {
    return FieldError("source", absl::StrCat("programme ", r.program_id(),
                                             " has no cost share for ",
                                             v1::FundSource_Name(r.source())));
  }
  HX_ASSIGN_OR_RETURN(v1::ProgramStats before, c.state.Stats(r.program_id()));
  if (before.funded_fen() > kMaxFundedFen - r.amount_fen()) {
    return FieldError("amount_fen", absl::StrCat("would fund the programme beyond ",
                                                 kMaxFundedFen, " fen in all"));
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::PROGRAM_FUNDED);
  *e.add_postings() = MakePosting(kTreasury, Budget(r.program_id()), r.amount_fen());
  v1::ProgramFunded* body = e.mutable_program_funded();
  body->set_program_id(r.program_id());
  body->set_amount_fen(r.amount_fen());
  body->set_memo(r.memo());
  body->set_source(r.source());
  *body->mutable_stats() = std::move(before);
  ApplyPostingToStats(e.postings(0), body->mutable_stats());
  AddToSource(r.source(), r.amount_fen(), body->mutable_stats()->mutable_funded_by_source());
  FillSpentBySource(program, body->mutable_stats());
  body->mutable_stats()->set_ledger_seq(c.seq);
  return e;
}

Decision DecideSetProgramState(const Context& c, const v1::SetProgramStateRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Program program, ExistingProgram(c, r.program_id()));
  if (program.state() == v1::Program::CLOSED) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", r.program_id(), " is closed for good"));
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::PROGRAM_STATE_CHANGED);
  v1::ProgramStateChanged* body = e.mutable_program_state_changed();
  if (r.state() == v1::Program::CLOSED) {
    int64_t held = 0;
    const std::string prefix = keys::IssuedPrefix(r.program_id());
    HX_RETURN_IF_ERROR(c.state.Scan(Cf::kIndex, prefix, [&](absl::string_view k, absl::string_view) {
      body->add_released_voucher_ids(std::string(k.substr(prefix.size())));
      return true;
    }));
    for (const std::string& id : body->released_voucher_ids()) {
      HX_ASSIGN_OR_RETURN(auto v, c.state.Voucher(id));
      HX_CHECK(v.has_value() && v->state() == v1::Voucher::ISSUED, "issued index is exact");
      held += v->held_fen();
    }
    if (held > 0) {
      *e.add_postings() = MakePosting(Held(r.program_id()), Budget(r.program_id()), held);
    }
  }
  program.set_state(r.state());
  program.set_ledger_seq(c.seq);
  *body->mutable_program() = std::move(program);
  body->set_reason(r.reason());
  return e;
}

Decision DecideUpdateProgramRules(const Context& c, const v1::UpdateProgramRulesRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Program program, ExistingProgram(c, r.program_id()));
  if (program.state() == v1::Program::CLOSED) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", r.program_id(), " is closed"));
  }
  const absl::Time from = r.has_effective_from() ? FromProto(r.effective_from()) : c.now;
  if (from < c.now) {
    return FieldError("effective_from", absl::StrCat("must not be in the past (now is ",
                                                     FormatShanghai(c.now), ")"));
  }
  if (program.has_rules_effective_from() && from < FromProto(program.rules_effective_from())) {
    return FieldError("effective_from",
                      absl::StrCat("must not be before rules version ", RulesVersionOf(program),
                                   "'s, ", FormatShanghai(FromProto(program.rules_effective_from()))));
  }
  if (from >= FromProto(program.end_time())) {
    return FieldError("effective_from", "must be before the programme's end_time");
  }
  HX_RETURN_IF_ERROR(ValidateRules(r.rules(), "rules"));
  HX_RETURN_IF_ERROR(ValidateRulesForKind(program.kind(), r.rules(), "rules"));
  for (const v1::CategoryRule& before : program.rules()) {
    if (std::none_of(r.rules().begin(), r.rules().end(), [&](const v1::CategoryRule& after) {
          return after.category() == before.category();
        })) {
      return FieldError("rules",
                        absl::StrCat("category ", before.category(), " of rules version ",
                                     RulesVersionOf(program),
                                     " is missing: a category stays for the programme's life "
                                     "(rates of 0 stop paying for it)"),
                        reason::kInvalidProgram);
    }
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::PROGRAM_RULES_UPDATED);
  v1::ProgramRulesUpdated* body = e.mutable_program_rules_updated();
  *body->mutable_rules_before() = program.rules();
  *program.mutable_rules() = r.rules();
  program.set_rules_version(RulesVersionOf(program) + 1);
  *program.mutable_rules_effective_from() = ToProto(from);
  program.set_ledger_seq(c.seq);
  *body->mutable_program() = std::move(program);
  return e;
}

Decision DecideRegisterMerchant(const Context& c, const v1::RegisterMerchantRequest& r) {
  HX_ASSIGN_OR_RETURN(auto existing, c.state.Merchant(r.merchant().merchant_id()));
  if (existing.has_value()) {
    return Refuse(reason::kMerchantExists,
                  absl::StrCat("merchant ", r.merchant().merchant_id(), " exists"));
  }
  for (const std::string& p : r.merchant().program_ids()) {
    HX_RETURN_IF_ERROR(ExistingProgram(c, p).status());
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::MERCHANT_REGISTERED);
  v1::Merchant* m = e.mutable_merchant_registered()->mutable_merchant();
  *m = r.merchant();
  m->set_state(v1::Merchant::ACTIVE);
  m->set_ledger_seq(c.seq);
  return e;
}

Decision DecideSetMerchantState(const Context& c, const v1::SetMerchantStateRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Merchant merchant, ExistingMerchant(c, r.merchant_id()));
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::MERCHANT_STATE_CHANGED);
  v1::MerchantStateChanged* body = e.mutable_merchant_state_changed();
  merchant.set_state(r.state());
  merchant.set_ledger_seq(c.seq);
  *body->mutable_merchant() = std::move(merchant);
  body->set_reason(r.reason());
  return e;
}

Decision DecideSetFraudRules(const Context& c, const v1::FraudRules& rules) {
  HX_RETURN_IF_ERROR(fraud::ValidateRules(rules));
  HX_ASSIGN_OR_RETURN(auto raw, c.state.Raw(Cf::kState, keys::kFraudRules));
  if (raw.has_value()) {
    internal::FraudRulesState current;
    if (!current.ParseFromString(*raw)) return absl::DataLossError("corrupt fraud rules");
    if (Serialize(current.rules()) == Serialize(rules)) {
      return Refuse(reason::kFraudRulesUnchanged, "these fraud rules are in force already");
    }
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::FRAUD_RULES_CHANGED);
  *e.mutable_fraud_rules_changed()->mutable_rules() = rules;
  return e;
}

Decision DecideRegisterRecycler(const Context& c, const v1::RegisterRecyclerRequest& r) {
  HX_ASSIGN_OR_RETURN(auto existing, c.state.Recycler(r.recycler().recycler_id()));
  if (existing.has_value()) {
    return Refuse(reason::kRecyclerExists,
                  absl::StrCat("recycler ", r.recycler().recycler_id(), " exists"));
  }
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::RECYCLER_REGISTERED);
  v1::Recycler* rec = e.mutable_recycler_registered()->mutable_recycler();
  *rec = r.recycler();
  rec->set_state(v1::Recycler::ACTIVE);
  rec->set_ledger_seq(c.seq);
  return e;
}

}  // namespace huanxin::ledger
