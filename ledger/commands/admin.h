// Decisions for AdminService's commands. Inputs were validated at the edge
// (rules/program_rules.h, common/validate.h); these check them against the state.
#ifndef HUANXIN_LEDGER_COMMANDS_ADMIN_H_
#define HUANXIN_LEDGER_COMMANDS_ADMIN_H_

#include "huanxin/v1/admin.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// PROGRAM_EXISTS when the id is taken. The programme starts ACTIVE with empty books.
Decision DecideCreateProgram(const Context& c, const v1::CreateProgramRequest& r);
// treasury -> budget:P. PROGRAM_NOT_FOUND; a CLOSED programme takes no funds.
Decision DecideFundProgram(const Context& c, const v1::FundProgramRequest& r);
// PAUSED stops new vouchers but honours issued ones; ACTIVE resumes; CLOSED stops both for
// good and releases every ISSUED voucher's hold in the same entry (they become CANCELLED).
// A CLOSED programme changes state no more: PROGRAM_NOT_ACTIVE.
Decision DecideSetProgramState(const Context& c, const v1::SetProgramStateRequest& r);
// PROGRAM_RULES_UPDATED: the programme's next rules version (ledger/program_versions.h),
// in force from effective_from (now when unset) for issuance and redemption. PROGRAM_NOT_FOUND;
// PROGRAM_NOT_ACTIVE when CLOSED; INVALID_ARGUMENT naming effective_from when it is in the
// past, before the latest version's, or at or after end_time; INVALID_PROGRAM naming
// rules[i]... for a rule ValidateRules or ValidateRulesForKind refuses, or naming rules when
// a category of the latest version is missing (a category stays for the programme's life;
// a rule with rates of 0 stops paying for it).
Decision DecideUpdateProgramRules(const Context& c, const v1::UpdateProgramRulesRequest& r);
// MERCHANT_EXISTS when the id is taken; PROGRAM_NOT_FOUND for an unknown whitelisted id.
Decision DecideRegisterMerchant(const Context& c, const v1::RegisterMerchantRequest& r);
Decision DecideSetMerchantState(const Context& c, const v1::SetMerchantStateRequest& r);
// FRAUD_RULES_CHANGED when `rules` differ from those in force; FRAUD_RULES_UNCHANGED (not
// recorded) otherwise. huanxind submits its configured rules at every start.
Decision DecideSetFraudRules(const Context& c, const v1::FraudRules& rules);
Decision DecideRegisterRecycler(const Context& c, const v1::RegisterRecyclerRequest& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_ADMIN_H_
