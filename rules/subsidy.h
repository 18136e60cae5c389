// The subsidy a purchase earns under a CategoryRule: docs/api.md "The subsidy of
// a purchase". Pure integer arithmetic on fen and basis points; no floating point.
#ifndef HUANXIN_RULES_SUBSIDY_H_
#define HUANXIN_RULES_SUBSIDY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

inline constexpr int32_t kBasisPoints = 10000;  // 100%

// The subsidy in fen for purchase `p` under `rule`:
//   1. price_ceiling_fen > 0 and p.price_fen > price_ceiling_fen: PRICE_ABOVE_CEILING.
//   2. fixed_amount_fen > 0: that amount.
//   3. Otherwise the rate: when grade1_rate_bp or grade2_rate_bp is set (non-zero),
//      grade1_rate_bp for energy grade 1, grade2_rate_bp for grade 2, 0 for any other grade;
//      else rate_bp. A rate of 0 is ENERGY_GRADE_INELIGIBLE.
//      subsidy = floor(price_fen * rate / 10000), then at most cap_fen (when > 0).
//   4. Then at most remaining_total_cap_fen when it is >= 0 (what is left of the
//      programme's per_consumer_total_cap_fen; pass a negative value when the programme has
//      no such cap). This also bounds a fixed amount, and may give 0: the caller decides
//      whether a zero subsidy is worth redeeming.
//   5. Never more than p.price_fen.
// Refusals are FAILED_PRECONDITION statuses from Refuse() whose details name amounts in
// yuan ("¥6,999.00"). The result is in [0, p.price_fen].
// REQUIRES: ValidateProgram accepted the programme holding `rule` and ValidatePurchase
// accepted `p` (the caller has matched p.category to rule.category). A price_fen <= 0 is
// INVALID_ARGUMENT and a rate outside 0..10000 is INTERNAL, rather than a wrong amount.
absl::StatusOr<int64_t> ComputeSubsidy(const v1::CategoryRule& rule, const v1::Purchase& p,
                                       int64_t remaining_total_cap_fen);

// The rate (basis points) step 3 applies to energy grade `energy_grade` under `rule`;
// 0 when that grade is not subsidised. Meaningless for fixed-amount rules.
int32_t RateFor(const v1::CategoryRule& rule, int32_t energy_grade);

}  // namespace huanxin

#endif  // HUANXIN_RULES_SUBSIDY_H_
