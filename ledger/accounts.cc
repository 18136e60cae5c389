#include "ledger/accounts.h"

#include "absl/strings/str_cat.h"
#include "common/check.h"

namespace huanxin::ledger {
namespace {

// Adds `delta` to the figure of the books an account's balance shows up in. Treasury is the
// source of all funds: what leaves it is what the programme was funded with.
void AddToFigure(absl::string_view account, int64_t delta, v1::ProgramStats* s) {
  if (account == kTreasury) return s->set_funded_fen(s->funded_fen() + delta);
  absl::string_view kind = account.substr(0, account.find(':'));
  if (kind == "budget") return s->set_available_fen(s->available_fen() + delta);
  if (kind == "held") return s->set_held_fen(s->held_fen() + delta);
  if (kind == "payable") return s->set_payable_fen(s->payable_fen() + delta);
  if (kind == "settled") return s->set_settled_fen(s->settled_fen() + delta);
  HX_CHECK(false, absl::StrCat("unknown account ", account));
}

}  // namespace

std::string Budget(absl::string_view p) { return absl::StrCat("budget:", p); }
std::string Held(absl::string_view p) { return absl::StrCat("held:", p); }
std::string Payable(absl::string_view p, absl::string_view m) {
  return absl::StrCat("payable:", p, ":", m);
}
std::string Settled(absl::string_view p, absl::string_view m) {
  return absl::StrCat("settled:", p, ":", m);
}

v1::Posting MakePosting(std::string debit, std::string credit, int64_t amount_fen) {
  v1::Posting p;
  p.set_debit_account(std::move(debit));
  p.set_credit_account(std::move(credit));
  p.set_amount_fen(amount_fen);
  return p;
}

void ApplyPostingToStats(const v1::Posting& posting, v1::ProgramStats* stats) {
  HX_CHECK(posting.amount_fen() > 0, "posting amount must be positive");
  const int64_t a = posting.amount_fen();
  // Leaving treasury adds to `funded`; leaving any other account lowers its figure.
  AddToFigure(posting.debit_account(), posting.debit_account() == kTreasury ? a : -a, stats);
  AddToFigure(posting.credit_account(), a, stats);
}

absl::Status CheckBooks(const v1::ProgramStats& s) {
  const int64_t sum = s.available_fen() + s.held_fen() + s.payable_fen() + s.settled_fen();
  if (s.funded_fen() != sum || s.funded_fen() < 0 || s.available_fen() < 0 ||
      s.held_fen() < 0 || s.settled_fen() < 0) {
    return absl::InternalError(absl::StrCat(
        "books of ", s.program_id(), " do not balance: funded ", s.funded_fen(),
        " available ", s.available_fen(), " held ", s.held_fen(), " payable ",
        s.payable_fen(), " settled ", s.settled_fen()));
  }
  return absl::OkStatus();
}

}  // namespace huanxin::ledger
