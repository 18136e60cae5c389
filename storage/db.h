// The one RocksDB database of a Huanxin ledger, with its column families:
//   entries: big-endian seq -> serialized huanxin.v1.LedgerEntry; append-only.
//   tree:    Merkle leaf hashes and interior nodes (storage/tree.h).
//   state:   current objects and account balances (see storage/keys.h).
//   index:   idempotency keys, uniqueness keys, counters and secondary indexes.
//   meta:    schema version, next seq, checkpoints.
// Db is thread-safe for reads; only the ledger's single writer calls Write.
#ifndef HUANXIN_STORAGE_DB_H_
#define HUANXIN_STORAGE_DB_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class DB;
class Env;
class ColumnFamilyHandle;
class Iterator;
class Snapshot;
class WriteBatch;
}  // namespace rocksdb

namespace huanxin::storage {

enum class Cf { kEntries = 0, kTree, kState, kIndex, kMeta };
inline constexpr int kNumCfs = 5;
const char* CfName(Cf cf);

// Reads one key. Implemented by Db (committed data), Snapshot and the writer's Batch.
class KvReader {
 public:
  virtual ~KvReader() = default;
  // nullopt when absent; an error only when storage fails.
  virtual absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const = 0;
  // Calls fn(key, value) for every key starting with `prefix`, in key order, until fn
  // returns false. Errors are storage faults.
  virtual absl::Status Scan(
      Cf cf, absl::string_view prefix,
      const std::function<bool(absl::string_view, absl::string_view)>& fn) const = 0;
};

class Db : public KvReader {
 public:
  struct Options {
    // The RocksDB Env every file goes through; null: rocksdb::Env::Default(). Tests pass a
    // fault-injecting one (tests/unit/fault_env.h). Not owned; must outlive the Db.
    rocksdb::Env* env = nullptr;
    // Memtable size per column family, and the WAL size that forces the oldest memtables to
    // flush (which bounds restart time). Tests shrink both so that flushes, new SST files,
    // MANIFEST updates and compactions happen under their power cuts.
    size_t write_buffer_size = 16 << 20;
    uint64_t max_total_wal_size = 32 << 20;
    // Whether Open may create a database where there is none. huanxind allows it only for a
    // data directory without a ledger (server/data_dir.h): an existing one is opened as it
    // is, and a missing one is an error, never silently a new, empty ledger.
    bool create_if_missing = true;
  };

  // Opens the database in `dir` (creating it when options allow), creating the column
  // families as needed.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& dir);
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& dir, const Options& options);
  // Opens an existing database in `dir` for reading only (a backup being described, a copy
  // being checked): Get, Scan and views work; Write fails.
  static absl::StatusOr<std::unique_ptr<Db>> OpenReadOnly(const std::string& dir);
  ~Db() override;

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const override;
  // Scans a snapshot taken when the scan starts.
  absl::Status Scan(Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn)
      const override;

  // Commits `batch` atomically with a synced WAL. Any error is a storage fault: the caller
  // must stop writing (fail-stop), never retry.
  absl::Status Write(rocksdb::WriteBatch* batch);

  // A consistent view for multi-key reads. Released by the returned object's destructor.
  class View;
  std::unique_ptr<View> NewView() const;

  // A consistent copy of the whole database in `dir`, which must not exist: the memtables are
  // flushed first, so it is mostly hard links to the live files.
  absl::Status CreateCheckpoint(const std::string& dir) const;

  // Flushes every memtable, waiting for it.
  absl::Status Flush() const;
  // True while a compaction is pending or running in any column family.
  bool Compacting() const;

  // An iterator over the committed keys of `cf` (storage's own readers: Batch, View).
  std::unique_ptr<rocksdb::Iterator> NewIterator(Cf cf) const;
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return handles_[static_cast<int>(cf)]; }

 private:
  Db() = default;
  // Keeps the ledger's families of an Open's handles (the first, the default family, goes).
  void TakeHandles(std::vector<rocksdb::ColumnFamilyHandle*> handles);
  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// A snapshot of the database: Get and prefix scans see one point in time.
class Db::View : public KvReader {
 public:
  View(const Db* db);
  ~View() override;
  absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const override;
  absl::Status Scan(Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn)
      const override {
    return ScanFrom(cf, prefix, "", fn);
  }
  // Like Scan, but begins at `start` (or at the prefix when empty): for paging.
  absl::Status ScanFrom(Cf cf, absl::string_view prefix, absl::string_view start,
                        const std::function<bool(absl::string_view, absl::string_view)>& fn)
      const;

  // A forward cursor over the keys of `cf` in this view, for walking two index ranges in
  // step (ledger/audit_reader.cc). key() is valid until the next Seek or Next.
  class Cursor {
   public:
    explicit Cursor(std::unique_ptr<rocksdb::Iterator> it);
    ~Cursor();
    void Seek(absl::string_view key);
    void Next();
    // On a key that starts with `prefix`.
    bool ValidUnder(absl::string_view prefix) const;
    absl::string_view key() const;
    // A storage fault met by the cursor, if any.
    absl::Status status() const;

   private:
    std::unique_ptr<rocksdb::Iterator> it_;
  };
  std::unique_ptr<Cursor> NewCursor(Cf cf) const;

 private:
  const Db* db_;
  const rocksdb::Snapshot* snapshot_;
};

}  // namespace huanxin::storage

#endif  // HUANXIN_STORAGE_DB_H_
