#include "ledger/commands/after_sale.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/money.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/accounts.h"
#include "ledger/program_versions.h"
#include "rules/program_rules.h"
#include "rules/subsidy.h"

namespace huanxin::ledger {
namespace {

// The merchant's redemption that a return or an adjustment may change: COMPLETED or SETTLED.
absl::StatusOr<v1::Redemption> ChangeableRedemption(const Context& c,
                                                    const std::string& redemption_id,
                                                    const std::string& merchant_id) {
  HX_ASSIGN_OR_RETURN(auto redemption, c.state.Redemption(redemption_id));
  if (!redemption.has_value() || redemption->merchant_id() != merchant_id) {
    return Refuse(reason::kRedemptionNotFound,
                  absl::StrCat("no redemption ", redemption_id, " of merchant ", merchant_id));
  }
  if (redemption->state() != v1::Redemption::COMPLETED &&
      redemption->state() != v1::Redemption::SETTLED) {
    return Refuse(reason::kRedemptionNotReversible,
                  absl::StrCat("redemption ", redemption_id, " is ",
                               v1::Redemption::State_Name(redemption->state())));
  }
  return *std::move(redemption);
}

}  // namespace

Decision DecideReverseRedemption(const Context& c, const v1::ReverseRedemptionRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Redemption redemption,
                      ChangeableRedemption(c, r.redemption_id(), r.merchant_id()));
  const v1::Redemption::State before = redemption.state();
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::REDEMPTION_REVERSED);
  if (redemption.subsidy_fen() > 0) {
    *e.add_postings() = MakePosting(Payable(redemption.program_id(), r.merchant_id()),
                                    Budget(redemption.program_id()), redemption.subsidy_fen());
  }
  redemption.set_state(v1::Redemption::REVERSED);
  redemption.set_ledger_seq(c.seq);
  v1::RedemptionReversed* body = e.mutable_redemption_reversed();
  *body->mutable_redemption() = std::move(redemption);
  body->set_reason(r.reason());
  body->set_state_before(before);
  return e;
}

Decision DecideAdjustRedemption(const Context& c, const v1::AdjustRedemptionRequest& r) {
  HX_ASSIGN_OR_RETURN(v1::Redemption redemption,
                      ChangeableRedemption(c, r.redemption_id(), r.merchant_id()));
  if (r.new_price_fen() <= 0 || r.new_price_fen() >= redemption.price_fen()) {
    return FieldError("new_price_fen",
                      absl::StrCat("must be positive and lower than the price now, ",
                                   FormatYuan(redemption.price_fen())));
  }
  HX_ASSIGN_OR_RETURN(auto program, c.state.Program(redemption.program_id()));
  HX_CHECK(program.has_value(), "a redemption's programme exists");
  HX_RETURN_IF_ERROR(UseRulesVersion(c.state, redemption.rules_version(), &*program));
  const v1::CategoryRule* rule = FindRule(*program, redemption.purchase().category());
  HX_CHECK(rule != nullptr, "a redemption's category has a rule in its version");
  v1::Purchase lower = redemption.purchase();
  lower.set_price_fen(r.new_price_fen());
  HX_ASSIGN_OR_RETURN(int64_t recomputed, ComputeSubsidy(*rule, lower, -1));
  const int64_t subsidy = std::min(recomputed, redemption.subsidy_fen());
  const int64_t back = redemption.subsidy_fen() - subsidy;

  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::REDEMPTION_ADJUSTED);
  if (back > 0) {
    *e.add_postings() = MakePosting(Payable(redemption.program_id(), r.merchant_id()),
                                    Budget(redemption.program_id()), back);
  }
  v1::RedemptionAdjusted* body = e.mutable_redemption_adjusted();
  body->set_reason(r.reason());
  body->set_price_before_fen(redemption.price_fen());
  body->set_subsidy_before_fen(redemption.subsidy_fen());
  redemption.set_price_fen(r.new_price_fen());
  redemption.set_subsidy_fen(subsidy);
  redemption.set_consumer_pays_fen(r.new_price_fen() - subsidy);
  redemption.set_ledger_seq(c.seq);
  *body->mutable_redemption() = std::move(redemption);
  return e;
}

}  // namespace huanxin::ledger
