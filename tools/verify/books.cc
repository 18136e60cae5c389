#include "tools/verify/books.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/money.h"

namespace huanxin::verify {

namespace v1 = ::huanxin::v1;

namespace {

enum class Kind { kTreasury, kBudget, kHeld, kPayable, kSettled };

struct Account {
  Kind kind;
  std::string program;  // empty for the treasury
};

// Parses an account name; false for anything but the five shapes of the header.
bool ParseAccount(const std::string& name, Account* out) {
  if (name == "treasury") {
    *out = {Kind::kTreasury, ""};
    return true;
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, ':');
  for (absl::string_view p : parts) {
    if (p.empty()) return false;
  }
  if (parts.size() == 2 && parts[0] == "budget") {
    *out = {Kind::kBudget, std::string(parts[1])};
  } else if (parts.size() == 2 && parts[0] == "held") {
    *out = {Kind::kHeld, std::string(parts[1])};
  } else if (parts.size() == 3 && parts[0] == "payable") {
    *out = {Kind::kPayable, std::string(parts[1])};
  } else if (parts.size() == 3 && parts[0] == "settled") {
    *out = {Kind::kSettled, std::string(parts[1])};
  } else {
    return false;
  }
  return true;
}

int64_t* FigureOf(Money& m, Kind kind) {
  switch (kind) {
    case Kind::kBudget: return &m.available;
    case Kind::kHeld: return &m.held;
    case Kind::kPayable: return &m.payable;
    case Kind::kSettled: return &m.settled;
    case Kind::kTreasury: break;
  }
  return nullptr;
}

// *value += delta, false on int64 overflow.
bool AddChecked(int64_t* value, int64_t delta) {
  return !__builtin_add_overflow(*value, delta, value);
}

}  // namespace

std::string FormatMoney(const Money& m) {
  return absl::StrCat("funded ", FormatYuan(m.funded), " = available ", FormatYuan(m.available),
                      " + held ", FormatYuan(m.held), " + payable ", FormatYuan(m.payable),
                      " + settled ", FormatYuan(m.settled));
}

absl::Status Books::Apply(const v1::LedgerEntry& entry) {
  const int64_t seq = entry.seq();
  auto fail = [seq](int index, const v1::Posting& p, absl::string_view what) {
    return absl::FailedPreconditionError(
        absl::StrCat("seq ", seq, " posting ", index, " (", p.debit_account(), " -> ",
                     p.credit_account(), ", ", p.amount_fen(), " fen): ", what));
  };
  std::set<std::string> touched_accounts;
  std::set<std::string> touched_programs;
  for (int i = 0; i < entry.postings_size(); ++i) {
    const v1::Posting& p = entry.postings(i);
    Account debit, credit;
    if (!ParseAccount(p.debit_account(), &debit)) {
      return fail(i, p, absl::StrCat("unknown debit account \"", p.debit_account(), "\""));
    }
    if (!ParseAccount(p.credit_account(), &credit)) {
      return fail(i, p, absl::StrCat("unknown credit account \"", p.credit_account(), "\""));
    }
    if (p.amount_fen() <= 0) return fail(i, p, "amount_fen must be > 0");
    if (p.debit_account() == p.credit_account()) return fail(i, p, "moves money to itself");
    if (!debit.program.empty() && !credit.program.empty() && debit.program != credit.program) {
      return fail(i, p, "moves money between two programmes");
    }
    const std::string program = debit.program.empty() ? credit.program : debit.program;
    if (program.empty()) return fail(i, p, "names no programme");

    if (!AddChecked(&balances_[p.debit_account()], -p.amount_fen()) ||
        !AddChecked(&balances_[p.credit_account()], p.amount_fen())) {
      return fail(i, p, "a balance overflows int64");
    }
    Money& m = programs_[program];
    bool ok = true;
    if (debit.kind == Kind::kTreasury) ok = ok && AddChecked(&m.funded, p.amount_fen());
    if (credit.kind == Kind::kTreasury) ok = ok && AddChecked(&m.funded, -p.amount_fen());
    if (int64_t* f = FigureOf(m, debit.kind)) ok = ok && AddChecked(f, -p.amount_fen());
    if (int64_t* f = FigureOf(m, credit.kind)) ok = ok && AddChecked(f, p.amount_fen());
    if (!ok) return fail(i, p, "a programme figure overflows int64");
    touched_accounts.insert(p.debit_account());
    touched_accounts.insert(p.credit_account());
    touched_programs.insert(program);
  }
  for (const std::string& name : touched_accounts) {
    Account a;
    ParseAccount(name, &a);
    const int64_t balance = balances_[name];
    if (balance < 0 && a.kind != Kind::kTreasury && a.kind != Kind::kPayable) {
      return absl::FailedPreconditionError(absl::StrCat(
          "seq ", seq, ": account ", name, " goes negative (", FormatYuan(balance),
          "); only the treasury and a merchant's payable may"));
    }
  }
  for (const std::string& program : touched_programs) {
    const Money& m = programs_[program];
    // Each posting keeps the identity by construction; this guards the arithmetic above.
    if (m.funded != m.available + m.held + m.payable + m.settled) {
      return absl::FailedPreconditionError(absl::StrCat(
          "seq ", seq, ": programme ", program, " does not balance: ", FormatMoney(m)));
    }
    auto& h = history_[program];
    if (!h.empty() && h.back().first >= seq) {
      return absl::FailedPreconditionError(
          absl::StrCat("seq ", seq, " applied after seq ", h.back().first));
    }
    h.emplace_back(seq, m);
  }
  return absl::OkStatus();
}

bool Books::At(const std::string& program, int64_t seq, Money* out) const {
  auto it = history_.find(program);
  if (it == history_.end()) return false;
  const auto& h = it->second;
  auto after = std::upper_bound(h.begin(), h.end(), seq,
                                [](int64_t s, const std::pair<int64_t, Money>& e) {
                                  return s < e.first;
                                });
  *out = after == h.begin() ? Money{} : std::prev(after)->second;
  return true;
}

absl::Status Books::Compare(const v1::ProgramStats& stats) const {
  Money m;
  const bool known = At(stats.program_id(), stats.ledger_seq(), &m);
  Money server{stats.funded_fen(), stats.available_fen(), stats.held_fen(), stats.payable_fen(),
               stats.settled_fen()};
  if (server == m) return absl::OkStatus();
  std::string diff;
  auto field = [&diff](absl::string_view name, int64_t server_value, int64_t ours) {
    if (server_value == ours) return;
    absl::StrAppend(&diff, diff.empty() ? "" : "; ", name, ": server says ", server_value,
                    ", postings add up to ", ours);
  };
  field("funded_fen", server.funded, m.funded);
  field("available_fen", server.available, m.available);
  field("held_fen", server.held, m.held);
  field("payable_fen", server.payable, m.payable);
  field("settled_fen", server.settled, m.settled);
  return absl::FailedPreconditionError(absl::StrCat(
      "GetProgramStats(", stats.program_id(), ") as of seq ", stats.ledger_seq(),
      " disagrees with the ledger", known ? "" : " (no posting names this programme)", ": ",
      diff));
}

}  // namespace huanxin::verify
