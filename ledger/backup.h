// Backups of the ledger database: a RocksDB checkpoint, i.e. a consistent copy of every
// column family (entries, tree, state, index, meta) as of one committed write batch, made
// while the writer keeps running. SST files are hard-linked when the destination is on the
// data directory's file system and copied otherwise; the live WAL is copied.
//
// The copy is a complete ledger directory: to restore, stop huanxind, put the copy in place of
// <data_dir>/ledger, and start (docs/operations.md). The key files (pii.key, signing.key)
// are NOT in it: they live outside the database by design and are backed up separately.
#ifndef HUANXIN_LEDGER_BACKUP_H_
#define HUANXIN_LEDGER_BACKUP_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "huanxin/v1/admin.pb.h"
#include "storage/db.h"

namespace huanxin::ledger {

// Writes a checkpoint of `db` to `destination_dir` and answers its path and the size and
// Merkle root of the log it holds (read back from the copy itself, so they describe exactly
// what was saved, not what was committed a moment before or after).
// INVALID_ARGUMENT (field destination_dir) unless it is an absolute path that does not exist
// and whose parent is a directory; UNAVAILABLE when RocksDB fails. The copy is mode 0700.
absl::StatusOr<v1::BackupResponse> BackupDatabase(const storage::Db& db,
                                                  absl::string_view destination_dir);

// The size and root of the log in the (closed) ledger database at `dir`, opened read-only.
absl::StatusOr<v1::BackupResponse> DescribeDatabase(const std::string& dir);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_BACKUP_H_
