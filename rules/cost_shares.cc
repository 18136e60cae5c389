#include "rules/cost_shares.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace huanxin {

absl::Status ValidateCostShares(const std::string& field, const CostShares& shares) {
  if (shares.empty()) return absl::OkStatus();
  std::set<int> seen;
  int32_t total = 0;
  for (int i = 0; i < shares.size(); ++i) {
    const v1::CostShare& s = shares[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (s.source() == v1::FUND_SOURCE_UNSPECIFIED || !v1::FundSource_IsValid(s.source())) {
      return FieldError(absl::StrCat(at, ".source"),
                        absl::StrCat("must be ", kFundSourceNames),
                        reason::kInvalidProgram);
    }
    if (!seen.insert(s.source()).second) {
      return FieldError(absl::StrCat(at, ".source"),
                        absl::StrCat(v1::FundSource_Name(s.source()), " appears twice"),
                        reason::kInvalidProgram);
    }
    if (s.share_bp() < 1 || s.share_bp() > 10000) {
      return FieldError(absl::StrCat(at, ".share_bp"), "must be 1..10000 basis points",
                        reason::kInvalidProgram);
    }
    total += s.share_bp();
  }
  if (total != 10000) {
    return FieldError(field, absl::StrCat("shares sum to ", total, " basis points, not 10000"),
                      reason::kInvalidProgram);
  }
  return absl::OkStatus();
}

bool HasShare(const CostShares& shares, v1::FundSource source) {
  for (const v1::CostShare& s : shares) {
    if (s.source() == source) return true;
  }
  return false;
}

void AddToSource(v1::FundSource source, int64_t amount_fen, SourceAmounts* amounts) {
  int i = 0;
  while (i < amounts->size() && (*amounts)[i].source() < source) ++i;
  if (i < amounts->size() && (*amounts)[i].source() == source) {
    (*amounts)[i].set_amount_fen((*amounts)[i].amount_fen() + amount_fen);
    return;
  }
  v1::SourceAmount* line = amounts->Add();
  line->set_source(source);
  line->set_amount_fen(amount_fen);
  for (int j = amounts->size() - 1; j > i; --j) amounts->SwapElements(j, j - 1);
}

SourceAmounts SplitByShares(const CostShares& shares, int64_t amount_fen) {
  SourceAmounts lines;
  int64_t rest = amount_fen;
  for (const v1::CostShare& s : shares) {
    v1::SourceAmount* line = lines.Add();
    line->set_source(s.source());
    // amount <= 10^15 and share <= 10^4: the product stays far below 2^63.
    line->set_amount_fen(amount_fen * s.share_bp() / 10000);
    rest -= line->amount_fen();
  }
  if (!lines.empty()) lines[0].set_amount_fen(lines[0].amount_fen() + rest);
  return lines;
}

void FillSpentBySource(const v1::Program& program, v1::ProgramStats* stats) {
  *stats->mutable_spent_by_source() =
      SplitByShares(program.cost_shares(), stats->payable_fen() + stats->settled_fen());
}

}  // namespace huanxin
