// The books an auditor re-adds from the ledger's postings, trusting nothing the server says
// about balances.
//
// Every posting moves `amount_fen` (> 0) from `debit_account` to `credit_account`; an
// account's balance is what it received minus what it sent. Accounts are `treasury`,
// `budget:P`, `held:P`, `payable:P:M` and `settled:P:M` (P a programme id, M a merchant id).
// Per programme P:
//   funded    = what left the treasury for P's accounts (net of anything sent back)
//   available = balance(budget:P)          held    = balance(held:P)
//   payable   = sum of balance(payable:P:*) settled = sum of balance(settled:P:*)
// and after every entry funded = available + held + payable + settled, and no account but
// the treasury and a merchant's payable is negative.
//
// Errors (FAILED_PRECONDITION) name the seq, the posting's index and the accounts. Not
// thread-safe.
#ifndef HUANXIN_TOOLS_VERIFY_BOOKS_H_
#define HUANXIN_TOOLS_VERIFY_BOOKS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/ledger.pb.h"

namespace huanxin::verify {

// One programme's money figures, in fen.
struct Money {
  int64_t funded = 0;
  int64_t available = 0;
  int64_t held = 0;
  int64_t payable = 0;
  int64_t settled = 0;
  bool operator==(const Money& o) const {
    return funded == o.funded && available == o.available && held == o.held &&
           payable == o.payable && settled == o.settled;
  }
};

// "funded ¥X = available ¥Y + held ¥Z + payable ¥W + settled ¥V".
std::string FormatMoney(const Money& m);

class Books {
 public:
  // Adds the postings of `entry` (whose seq must be larger than the last one applied), then
  // checks the invariants above for every account and programme the entry touched. On error
  // the books are left part-way and must not be used further.
  absl::Status Apply(const huanxin::v1::LedgerEntry& entry);

  // Programme P's figures after the last applied entry with seq <= `seq` that touched it
  // (all zero before its first). False when P never appeared in a posting.
  bool At(const std::string& program, int64_t seq, Money* out) const;

  // Compares the server's `stats` with the books as of stats.ledger_seq: OK, or
  // FAILED_PRECONDITION naming each field that differs (server's value vs re-added value).
  absl::Status Compare(const huanxin::v1::ProgramStats& stats) const;

  // Every programme's current figures, by programme id.
  const std::map<std::string, Money>& programs() const { return programs_; }
  // Every account's current balance.
  const std::map<std::string, int64_t>& balances() const { return balances_; }

 private:
  std::map<std::string, int64_t> balances_;
  std::map<std::string, Money> programs_;
  // Per programme, (seq, figures after that seq) for each entry that touched it, seq rising.
  std::map<std::string, std::vector<std::pair<int64_t, Money>>> history_;
};

}  // namespace huanxin::verify

#endif  // HUANXIN_TOOLS_VERIFY_BOOKS_H_
