// Apply: what an entry does to the state and the indexes. The state is a pure function of
// the entries: Apply reads only the state the earlier entries built, never the clock or the
// commands, so replaying every entry from seq 0 into an empty database rebuilds
// byte-identical state and index column families.
#ifndef HUANXIN_LEDGER_APPLY_H_
#define HUANXIN_LEDGER_APPLY_H_

#include "absl/status/status.h"
#include "huanxin/v1/ledger.pb.h"
#include "storage/batch.h"

namespace huanxin::ledger {

// Writes `entry`'s effects into `batch` (state and index; the writer stores the entry
// itself). Aborts on a broken invariant (unbalanced books); returns storage faults.
// REQUIRES: entry.seq() is the next seq and every earlier entry was applied to `batch`'s db.
absl::Status Apply(const v1::LedgerEntry& entry, storage::Batch* batch);

// Appends the entry's bytes (its Merkle leaf_data) to the log: the entries column family and
// the Merkle tree. REQUIRES: seq is the next seq.
absl::Status AppendToLog(int64_t seq, const std::string& leaf_data, storage::Batch* batch);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_APPLY_H_
