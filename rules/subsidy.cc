#include "rules/subsidy.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/money.h"
#include "common/status.h"

namespace huanxin {
namespace {

// "15%" for 1500, "12.5%" for 1250, "0.01%" for 1.
std::string FormatRate(int32_t bp) {
  std::string out = absl::StrCat(bp / 100);
  int32_t frac = bp % 100;
  if (frac != 0) {
    out.push_back('.');
    out.push_back(static_cast<char>('0' + frac / 10));
    if (frac % 10 != 0) out.push_back(static_cast<char>('0' + frac % 10));
  }
  out.push_back('%');
  return out;
}

bool HasGradeRates(const v1::CategoryRule& rule) {
  return rule.grade1_rate_bp() != 0 || rule.grade2_rate_bp() != 0;
}

}  // namespace

int32_t RateFor(const v1::CategoryRule& rule, int32_t energy_grade) {
  if (!HasGradeRates(rule)) return rule.rate_bp();
  switch (energy_grade) {
    case 1:
      return rule.grade1_rate_bp();
    case 2:
      return rule.grade2_rate_bp();
    default:
      return 0;
  }
}

absl::StatusOr<int64_t> ComputeSubsidy(const v1::CategoryRule& rule, const v1::Purchase& p,
                                       int64_t remaining_total_cap_fen) {
  const int64_t price = p.price_fen();
  if (price <= 0) return FieldError("purchase.price_fen", "must be positive");

  if (rule.price_ceiling_fen() > 0 && price > rule.price_ceiling_fen()) {
    return Refuse(reason::kPriceAboveCeiling,
                  absl::StrCat("price ", FormatYuan(price), " is above the ",
                               FormatYuan(rule.price_ceiling_fen()), " ceiling for ",
                               rule.category()));
  }

  int64_t subsidy;
  if (rule.fixed_amount_fen() > 0) {
    subsidy = rule.fixed_amount_fen();
  } else {
    const int32_t rate = RateFor(rule, p.energy_grade());
    if (rate < 0 || rate > kBasisPoints) {
      return absl::InternalError(
          absl::StrCat("rule for ", rule.category(), " has a rate outside 0..10000 bp"));
    }
    if (rate == 0) {
      if (HasGradeRates(rule)) {
        return Refuse(reason::kEnergyGradeIneligible,
                      absl::StrCat("energy grade ", p.energy_grade(), " is not subsidised for ",
                                   rule.category(), " (grade 1: ",
                                   FormatRate(rule.grade1_rate_bp()), ", grade 2: ",
                                   FormatRate(rule.grade2_rate_bp()), ")"));
      }
      return Refuse(reason::kEnergyGradeIneligible,
                    absl::StrCat("the rule for ", rule.category(), " subsidises no purchase"));
    }
    // price <= INT64_MAX and rate <= 10000: the product needs up to 78 bits.
    const __int128 product = static_cast<__int128>(price) * rate;
    subsidy = static_cast<int64_t>(product / kBasisPoints);  // floor: both are positive
    if (rule.cap_fen() > 0) subsidy = std::min(subsidy, rule.cap_fen());
  }
  if (remaining_total_cap_fen >= 0) subsidy = std::min(subsidy, remaining_total_cap_fen);
  subsidy = std::min(subsidy, price);
  return std::max<int64_t>(subsidy, 0);
}

}  // namespace huanxin
