// A programme's rules across amendments (AdminService.UpdateProgramRules). The stored Program
// holds its latest rules version, which may take effect only later; the versions before it
// are kept under keys::ProgramRules from the first amendment on. Issuance and redemption
// decide under the version in force at the time; a later adjustment of a redemption uses the
// version that decided it.
#ifndef HUANXIN_LEDGER_PROGRAM_VERSIONS_H_
#define HUANXIN_LEDGER_PROGRAM_VERSIONS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "huanxin/v1/common.pb.h"
#include "ledger/state.h"

namespace huanxin::ledger {

// The version number of the rules `program` holds: rules_version, where 0 (a programme never
// amended, or created before versions were recorded) is 1.
int32_t RulesVersionOf(const v1::Program& program);

// What keys::ProgramRules(P, version) stores for the rules `program` holds: a Program with
// only program_id, rules, rules_version (at least 1) and rules_effective_from.
v1::Program RulesRecordOf(const v1::Program& program);

// Replaces `program`'s rules (and rules_version, rules_effective_from) with those of the
// latest version in force at `t`; leaves them when its own version is (the common case:
// no read). Version 1 is in force from the start. DataLoss when a version's record is
// missing.
absl::Status UseRulesInForceAt(const StateReader& state, absl::Time t, v1::Program* program);

// Replaces `program`'s rules with those of `version` (0 = 1), as UseRulesInForceAt does.
absl::Status UseRulesVersion(const StateReader& state, int32_t version, v1::Program* program);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_PROGRAM_VERSIONS_H_
