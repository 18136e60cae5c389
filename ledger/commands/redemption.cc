#include "ledger/commands/redemption.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/check.h"
#include "common/ids.h"
#include "common/money.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/accounts.h"
#include "ledger/fraud_memory.h"
#include "ledger/program_versions.h"
#include "rules/denial_category.h"
#include "rules/fraud.h"
#include "ledger/commands/recycling.h"
#include "rules/new_vehicle.h"
#include "rules/program_rules.h"
#include "rules/subsidy.h"
#include "rules/version.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

absl::Status CheckMerchant(const StateReader& state, const std::string& merchant_id,
                           const std::string& program_id) {
  HX_ASSIGN_OR_RETURN(auto merchant, state.Merchant(merchant_id));
  if (!merchant.has_value()) {
    return Refuse(reason::kMerchantNotFound, absl::StrCat("no merchant ", merchant_id));
  }
  if (merchant->state() != v1::Merchant::ACTIVE) {
    return Refuse(reason::kMerchantNotEligible,
                  absl::StrCat("merchant ", merchant_id, " is ",
                               v1::Merchant::State_Name(merchant->state())));
  }
  const auto& ids = merchant->program_ids();
  if (std::find(ids.begin(), ids.end(), program_id) == ids.end()) {
    return Refuse(reason::kMerchantNotEligible,
                  absl::StrCat("merchant ", merchant_id, " is not whitelisted for ", program_id));
  }
  return absl::OkStatus();
}

absl::Status CheckVoucherUsable(const v1::Voucher& v, absl::Time now) {
  if (v.state() == v1::Voucher::REDEEMED) {
    return Refuse(reason::kVoucherAlreadyRedeemed,
                  absl::StrCat("voucher ", v.voucher_id(), " was redeemed in ",
                               v.redemption_id()));
  }
  if (v.state() == v1::Voucher::EXPIRED) {
    return Refuse(reason::kVoucherExpired,
                  absl::StrCat("voucher ", v.voucher_id(), " expired at ",
                               FormatShanghai(FromProto(v.expires_at()))));
  }
  if (v.state() != v1::Voucher::ISSUED) {
    return Refuse(reason::kVoucherNotActive, absl::StrCat("voucher ", v.voucher_id(), " is ",
                                                          v1::Voucher::State_Name(v.state())));
  }
  if (now >= FromProto(v.expires_at())) {
    return Refuse(reason::kVoucherExpired,
                  absl::StrCat("voucher ", v.voucher_id(), " expired at ",
                               FormatShanghai(FromProto(v.expires_at()))));
  }
  return absl::OkStatus();
}

// The evidence a sale must bring: what the rule requires of serial and invoice. A quote,
// made before the sale, has neither yet.
absl::Status CheckEvidence(const v1::CategoryRule& rule, const v1::Purchase& p) {
  if (rule.requires_serial() && p.serial_number().empty()) {
    return Refuse(reason::kSerialRequired,
                  absl::StrCat(rule.category(), " needs the product's serial number"));
  }
  if (rule.requires_invoice() && p.invoice_number().empty()) {
    return Refuse(reason::kInvoiceRequired,
                  absl::StrCat(rule.category(), " needs the sale's invoice number"));
  }
  return absl::OkStatus();
}

// The serial and the invoice, when given, not subsidised before.
absl::Status CheckUniqueness(const StateReader& state, const v1::Purchase& p) {
  if (!p.serial_number().empty()) {
    HX_ASSIGN_OR_RETURN(auto by, state.Raw(Cf::kIndex, keys::Serial(p.serial_number())));
    if (by.has_value()) {
      return Refuse(reason::kDuplicateSerial,
                    absl::StrCat("serial ", p.serial_number(), " was subsidised in ", *by));
    }
  }
  if (!p.invoice_number().empty()) {
    HX_ASSIGN_OR_RETURN(auto by, state.Raw(Cf::kIndex, keys::Invoice(p.invoice_number())));
    if (by.has_value()) {
      return Refuse(reason::kDuplicateInvoice,
                    absl::StrCat("invoice ", p.invoice_number(), " was used in ", *by));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RedemptionPlan> CheckRedemption(const StateReader& state,
                                               const internal::Redeem& r, absl::Time now,
                                               bool quote) {
  RedemptionPlan plan;
  HX_ASSIGN_OR_RETURN(auto voucher, state.Voucher(r.voucher_id()));
  if (!voucher.has_value()) {
    return Refuse(reason::kVoucherNotFound, absl::StrCat("no voucher ", r.voucher_id()));
  }
  plan.voucher = *std::move(voucher);
  HX_RETURN_IF_ERROR(CheckMerchant(state, r.merchant_id(), plan.voucher.program_id()));
  HX_ASSIGN_OR_RETURN(auto program, state.Program(plan.voucher.program_id()));
  HX_CHECK(program.has_value(), "a voucher's programme exists");
  plan.program = *std::move(program);
  HX_RETURN_IF_ERROR(UseRulesInForceAt(state, now, &plan.program));
  if (plan.program.state() == v1::Program::CLOSED) {
    return Refuse(reason::kProgramNotActive,
                  absl::StrCat("programme ", plan.program.program_id(), " is closed"));
  }
  HX_RETURN_IF_ERROR(CheckVoucherUsable(plan.voucher, now));
  if (!quote && r.payer().consumer_ref() != plan.voucher.consumer_ref()) {
    return Refuse(reason::kVoucherNotOwned,
                  absl::StrCat("voucher ", r.voucher_id(), " belongs to another consumer"));
  }
  if (r.purchase().category() != plan.voucher.category()) {
    return Refuse(reason::kCategoryMismatch,
                  absl::StrCat("voucher ", r.voucher_id(), " is for ", plan.voucher.category(),
                               ", not ", r.purchase().category()));
  }
  const v1::CategoryRule* rule = FindRule(plan.program, plan.voucher.category());
  HX_CHECK(rule != nullptr, "a voucher's category has a rule");
  if (!quote) HX_RETURN_IF_ERROR(CheckEvidence(*rule, r.purchase()));
  HX_RETURN_IF_ERROR(CheckUniqueness(state, r.purchase()));
  if (rule->has_new_vehicle()) {
    HX_RETURN_IF_ERROR(CheckNewVehicleEligible(rule->new_vehicle(), r.purchase()));
  }
  if (!quote) HX_RETURN_IF_ERROR(CheckReceiptForRedemption(state, plan.program, *rule, r));
  int64_t remaining = -1;
  if (plan.program.per_consumer_total_cap_fen() > 0) {
    HX_ASSIGN_OR_RETURN(internal::ConsumerUsage usage,
                        state.Usage(LimitScope(plan.voucher.program_id(),
                                               plan.voucher.limit_group()),
                                    plan.voucher.consumer_ref()));
    remaining = std::max<int64_t>(0, plan.program.per_consumer_total_cap_fen() -
                                         usage.subsidy_fen());
  }
  HX_ASSIGN_OR_RETURN(plan.subsidy_fen, ComputeSubsidy(*rule, r.purchase(), remaining));
  // A voucher pays at most what it holds: a later rules version with a higher cap applies
  // in full to the vouchers issued under it.
  plan.subsidy_fen = std::min(plan.subsidy_fen, plan.voucher.held_fen());
  return plan;
}

Decision DecideRedeem(const Context& c, const internal::Redeem& r) {
  absl::StatusOr<RedemptionPlan> plan = CheckRedemption(c.state, r, c.now, /*quote=*/false);
  v1::LedgerEntry e;
  e.set_rule_set_version(kRuleSetVersion);  // hard checks; soft checks add their rules below
  if (!plan.ok()) {
    // A storage failure stops the writer; an internal error (a rule the validation should
    // have stopped) refuses this command unrecorded: neither is the sale's fault.
    if (IsStorageFailure(plan.status()) || plan.status().code() == absl::StatusCode::kInternal) {
      return plan.status();
    }
    e.set_type(v1::LedgerEntry::REDEMPTION_DENIED);
    v1::RedemptionDenied* d = e.mutable_redemption_denied();
    d->set_voucher_id(r.voucher_id());
    d->set_merchant_id(r.merchant_id());
    d->set_terminal_id(r.terminal_id());
    *d->mutable_purchase() = r.purchase();
    *d->mutable_payer() = r.payer();
    d->set_reason(ReasonOf(plan.status()));
    d->set_category(DenialCategory(d->reason()));
    d->set_message(std::string(plan.status().message()));
    d->set_code(static_cast<int32_t>(plan.status().code()));
    HX_ASSIGN_OR_RETURN(auto voucher, c.state.Voucher(r.voucher_id()));
    if (voucher.has_value()) d->set_program_id(voucher->program_id());
    return e;
  }
  // The soft checks: any rule that fires sends the sale to an auditor's review.
  HX_ASSIGN_OR_RETURN(RulesInForce rules, CurrentRules(c.state));
  HX_ASSIGN_OR_RETURN(fraud::Signals signals, Gather(c.state, rules.rules, r, plan->voucher, c.now));
  const std::vector<std::string> fired = fraud::SoftCheck(rules.rules, signals);
  e.set_rule_set_version(rules.version);

  const std::string& program_id = plan->program.program_id();
  const int64_t subsidy = plan->subsidy_fen;
  const int64_t rest = plan->voucher.held_fen() - subsidy;
  if (subsidy > 0) {
    *e.add_postings() = MakePosting(Held(program_id), Payable(program_id, r.merchant_id()), subsidy);
  }
  if (rest > 0) *e.add_postings() = MakePosting(Held(program_id), Budget(program_id), rest);

  e.set_type(v1::LedgerEntry::REDEMPTION_COMPLETED);
  v1::RedemptionCompleted* body = e.mutable_redemption_completed();
  *body->mutable_payer() = r.payer();
  v1::Redemption* d = body->mutable_redemption();
  d->set_redemption_id(NewId("d"));
  d->set_voucher_id(r.voucher_id());
  d->set_merchant_id(r.merchant_id());
  d->set_program_id(program_id);
  d->set_terminal_id(r.terminal_id());
  d->set_price_fen(r.purchase().price_fen());
  d->set_subsidy_fen(subsidy);
  d->set_consumer_pays_fen(r.purchase().price_fen() - subsidy);
  d->set_decision(fired.empty() ? v1::Redemption::ALLOW : v1::Redemption::REVIEW);
  d->set_state(fired.empty() ? v1::Redemption::COMPLETED : v1::Redemption::UNDER_REVIEW);
  for (const std::string& rule : fired) d->add_reasons(rule);
  if (!fired.empty()) {
    v1::Review* review = body->mutable_review();
    review->set_review_id(NewId("rv"));
    review->set_redemption_id(d->redemption_id());
    *review->mutable_reasons() = d->reasons();
    review->set_state(v1::Review::OPEN);
    review->set_ledger_seq(c.seq);
    review->set_opened_seq(c.seq);
    review->set_merchant_id(r.merchant_id());
    review->set_program_id(program_id);
    d->set_review_id(review->review_id());
  }
  d->set_ledger_seq(c.seq);
  *d->mutable_redeemed_at() = ToProto(c.now);
  *d->mutable_purchase() = r.purchase();
  d->set_consumer_ref(plan->voucher.consumer_ref());
  d->set_scrap_receipt_id(r.scrap_receipt_id());
  d->set_rules_version(RulesVersionOf(plan->program));
  return e;
}

Decision DecideResolveReview(const Context& c, const v1::ResolveReviewRequest& r) {
  HX_ASSIGN_OR_RETURN(auto review, c.state.Review(r.review_id()));
  if (!review.has_value()) {
    return Refuse(reason::kReviewNotFound, absl::StrCat("no review ", r.review_id()));
  }
  if (review->state() != v1::Review::OPEN) {
    return Refuse(reason::kReviewResolved,
                  absl::StrCat("review ", r.review_id(), " is ",
                               v1::Review::State_Name(review->state())));
  }
  HX_ASSIGN_OR_RETURN(auto redemption, c.state.Redemption(review->redemption_id()));
  HX_CHECK(redemption.has_value() && redemption->state() == v1::Redemption::UNDER_REVIEW,
           "an open review's redemption is under review");
  v1::LedgerEntry e;
  e.set_type(v1::LedgerEntry::REVIEW_RESOLVED);
  const bool approve = r.resolution() == v1::ResolveReviewRequest::APPROVE;
  if (!approve && redemption->subsidy_fen() > 0) {
    // The merchant, who fronted the discount, is not paid: the subsidy goes back.
    *e.add_postings() = MakePosting(Payable(redemption->program_id(), redemption->merchant_id()),
                                    Budget(redemption->program_id()), redemption->subsidy_fen());
  }
  review->set_state(approve ? v1::Review::APPROVED : v1::Review::REJECTED);
  review->set_note(r.note());
  review->set_ledger_seq(c.seq);
  redemption->set_state(approve ? v1::Redemption::COMPLETED : v1::Redemption::REJECTED);
  redemption->set_ledger_seq(c.seq);
  *e.mutable_review_resolved()->mutable_review() = *std::move(review);
  *e.mutable_review_resolved()->mutable_redemption() = *std::move(redemption);
  return e;
}

}  // namespace huanxin::ledger
