// The chart of accounts and how postings move a programme's books (docs/design.md, Accounting).
//   treasury -> budget:P          funding
//   budget:P -> held:P            issuing a voucher holds its amount
//   held:P   -> payable:P:M       a redemption's subsidy, owed to merchant M
//   held:P   -> budget:P          the rest of a hold, an expiry or a cancellation
//   payable:P:M -> budget:P       a return
//   payable:P:M -> settled:P:M    a settlement
// Money moves from a posting's debit account to its credit account. Each programme's books
// keep funded = available + held + payable + settled after every entry.
#ifndef HUANXIN_LEDGER_ACCOUNTS_H_
#define HUANXIN_LEDGER_ACCOUNTS_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/ledger.pb.h"

namespace huanxin::ledger {

inline constexpr char kTreasury[] = "treasury";
std::string Budget(absl::string_view program_id);
std::string Held(absl::string_view program_id);
std::string Payable(absl::string_view program_id, absl::string_view merchant_id);
std::string Settled(absl::string_view program_id, absl::string_view merchant_id);

v1::Posting MakePosting(std::string debit, std::string credit, int64_t amount_fen);

// Moves `posting` through `stats`, the books of the programme both accounts belong to.
// REQUIRES: posting.amount_fen() > 0 and both accounts are treasury or the programme's.
void ApplyPostingToStats(const v1::Posting& posting, v1::ProgramStats* stats);

// OK when the books balance and no figure but payable is negative.
absl::Status CheckBooks(const v1::ProgramStats& stats);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_ACCOUNTS_H_
