// The version of Huanxin's domain rules (subsidy computation, programme validation,
// eligibility and fraud checks). It is written into every ledger entry a rule decided, so a
// decision can be explained and replayed later: bump it whenever a rule's outcome changes.
#ifndef HUANXIN_RULES_VERSION_H_
#define HUANXIN_RULES_VERSION_H_

namespace huanxin {

inline constexpr char kRuleSetVersion[] = "2025.2";

}  // namespace huanxin

#endif  // HUANXIN_RULES_VERSION_H_
