// What a command's decision may look at: the state as the commands before it in the ledger
// left it, and the seq and time its entry will carry.
//
// A Decide* function returns either the entry to append (the writer fills seq, time, actor,
// request_id and fingerprint) or a refusal that is not recorded. Decide functions only read;
// Apply (ledger/apply.h) turns the entry into state. Storage faults come back as statuses for
// which IsStorageFailure() holds.
#ifndef HUANXIN_LEDGER_COMMANDS_CONTEXT_H_
#define HUANXIN_LEDGER_COMMANDS_CONTEXT_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/state.h"

namespace huanxin::ledger {

struct Context {
  const StateReader& state;
  int64_t seq;      // the seq the entry will get
  absl::Time now;   // the time the entry will carry
};

using Decision = absl::StatusOr<v1::LedgerEntry>;

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_CONTEXT_H_
