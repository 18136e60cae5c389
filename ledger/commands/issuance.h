// Decisions for IssuanceService's commands.
#ifndef HUANXIN_LEDGER_COMMANDS_ISSUANCE_H_
#define HUANXIN_LEDGER_COMMANDS_ISSUANCE_H_

#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/issuance.pb.h"
#include "ledger/commands/context.h"

namespace huanxin::ledger {

// A voucher holds its rule's fixed amount or cap out of the budget (budget:P -> held:P).
// Refusals, in order: PROGRAM_NOT_FOUND; PROGRAM_NOT_ACTIVE (not ACTIVE, or outside
// start_time..end_time); UNKNOWN_CATEGORY; CONSUMER_LIMIT_REACHED (the category's
// per_consumer_limit of ISSUED and REDEEMED vouchers, or the programme's total cap used up);
// DAILY_QUOTA_EXHAUSTED; BUDGET_EXHAUSTED (the hold does not fit in what is available).
Decision DecideIssueVoucher(const Context& c, const internal::IssueVoucher& r);

// Only an ISSUED voucher: VOUCHER_NOT_FOUND, VOUCHER_NOT_ACTIVE. Releases the hold
// (held:P -> budget:P); the voucher no longer counts against the consumer's limit.
Decision DecideCancelVoucher(const Context& c, const v1::CancelVoucherRequest& r);

// The expiry sweeper's command: an ISSUED voucher at or past expires_at becomes EXPIRED and
// releases its hold. VOUCHER_NOT_ACTIVE otherwise (nothing recorded).
Decision DecideExpireVoucher(const Context& c, const internal::ExpireVoucher& r);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_ISSUANCE_H_
