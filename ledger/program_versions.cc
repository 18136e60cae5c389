#include "ledger/program_versions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

void TakeRules(v1::Program record, v1::Program* program) {
  *program->mutable_rules() = std::move(*record.mutable_rules());
  program->set_rules_version(record.rules_version());
  if (record.has_rules_effective_from()) {
    *program->mutable_rules_effective_from() = record.rules_effective_from();
  } else {
    program->clear_rules_effective_from();
  }
}

absl::StatusOr<v1::Program> Record(const StateReader& state, absl::string_view program_id,
                                   int32_t version) {
  HX_ASSIGN_OR_RETURN(auto raw, state.Raw(storage::Cf::kState,
                                          storage::keys::ProgramRules(program_id, version)));
  v1::Program record;
  if (!raw.has_value() || !record.ParseFromString(*raw)) {
    return absl::DataLossError(
        absl::StrCat("programme ", program_id, " has no readable rules version ", version));
  }
  return record;
}

}  // namespace

int32_t RulesVersionOf(const v1::Program& program) {
  return std::max(program.rules_version(), 1);
}

v1::Program RulesRecordOf(const v1::Program& program) {
  v1::Program record;
  record.set_program_id(program.program_id());
  *record.mutable_rules() = program.rules();
  record.set_rules_version(RulesVersionOf(program));
  if (program.has_rules_effective_from()) {
    *record.mutable_rules_effective_from() = program.rules_effective_from();
  }
  return record;
}

absl::Status UseRulesInForceAt(const StateReader& state, absl::Time t, v1::Program* program) {
  if (!program->has_rules_effective_from() || FromProto(program->rules_effective_from()) <= t) {
    return absl::OkStatus();
  }
  for (int32_t v = RulesVersionOf(*program) - 1; v >= 1; --v) {
    HX_ASSIGN_OR_RETURN(v1::Program record, Record(state, program->program_id(), v));
    if (v == 1 || !record.has_rules_effective_from() ||
        FromProto(record.rules_effective_from()) <= t) {
      TakeRules(std::move(record), program);
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();  // version 1 itself is not yet in force: nothing earlier exists
}

absl::Status UseRulesVersion(const StateReader& state, int32_t version, v1::Program* program) {
  version = std::max(version, 1);
  if (version == RulesVersionOf(*program)) return absl::OkStatus();
  HX_ASSIGN_OR_RETURN(v1::Program record, Record(state, program->program_id(), version));
  TakeRules(std::move(record), program);
  return absl::OkStatus();
}

}  // namespace huanxin::ledger
