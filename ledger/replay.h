// Rebuilding state from the entries alone (docs/design.md: the state is a pure function of the
// entries). Used to check that claim, and to rebuild a database's state and indexes.
#ifndef HUANXIN_LEDGER_REPLAY_H_
#define HUANXIN_LEDGER_REPLAY_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "storage/db.h"

namespace huanxin::ledger {

// Applies every entry of `from`, in seq order, to `into` (which must hold no state yet),
// copying the entries too. Returns the number of entries replayed. DATA_LOSS when `from`
// has a gap in its seqs or an entry that does not parse.
absl::StatusOr<int64_t> Replay(const storage::Db& from, storage::Db* into);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_REPLAY_H_
