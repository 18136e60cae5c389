// Who pays a programme's subsidies (docs/policy.md, Funding): a programme's cost_shares and
// what each FundSource funded and spent. Pure integer arithmetic; free of gRPC and RocksDB.
#ifndef HUANXIN_RULES_COST_SHARES_H_
#define HUANXIN_RULES_COST_SHARES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/repeated_field.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

using CostShares = google::protobuf::RepeatedPtrField<v1::CostShare>;
using SourceAmounts = google::protobuf::RepeatedPtrField<v1::SourceAmount>;

// The sources a funding or a cost share may name, for error messages.
inline constexpr char kFundSourceNames[] = "CENTRAL, PROVINCIAL, MUNICIPAL, COUNTY or ENTERPRISE";

// OK when `shares` is empty, or each source is a known FundSource other than
// FUND_SOURCE_UNSPECIFIED, appears once, has share_bp 1..10000, and the shares sum to 10000.
// Else FieldError("<field>[i].<name>" or "<field>", ..., INVALID_PROGRAM).
absl::Status ValidateCostShares(const std::string& field, const CostShares& shares);

// True when `source` is one of `shares`' sources.
bool HasShare(const CostShares& shares, v1::FundSource source);

// Adds `amount_fen` to `source`'s line of `amounts`, keeping the lines in FundSource order
// (a new line is inserted where it belongs).
void AddToSource(v1::FundSource source, int64_t amount_fen, SourceAmounts* amounts);

// `amount_fen` split by `shares`: floor(amount * share_bp / 10000) each, the remainder to the
// first share, so the lines sum to amount_fen exactly. Lines in the order of `shares`; empty
// when `shares` is. REQUIRES: ValidateCostShares(shares) is OK; 0 <= amount_fen <= 10^15.
SourceAmounts SplitByShares(const CostShares& shares, int64_t amount_fen);

// Sets stats->spent_by_source to SplitByShares(program.cost_shares(), payable + settled).
void FillSpentBySource(const v1::Program& program, v1::ProgramStats* stats);

}  // namespace huanxin

#endif  // HUANXIN_RULES_COST_SHARES_H_
