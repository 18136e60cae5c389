#include "storage/db.h"

#include <functional>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/write_batch.h"

namespace huanxin::storage {
namespace {

constexpr const char* kCfNames[kNumCfs] = {"entries", "tree", "state", "index", "meta"};

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("UNAVAILABLE: storage ", what, ": ", s.ToString()));
}

// One block cache for every column family. The writer reads the voucher, programme and
// merchant of every command; with RocksDB's small per-table default most of those reads went
// to the page cache and decoded the block again.
constexpr size_t kBlockCacheBytes = 256 << 20;

rocksdb::ColumnFamilyOptions CfOptions(const std::shared_ptr<rocksdb::Cache>& cache,
                                       size_t write_buffer_size) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // A flush leaves its blocks in the cache: the writer soon reads what it wrote last (a
  // voucher issued minutes before its redemption), and would otherwise read the new file
  // back block by block.
  t.prepopulate_block_cache = rocksdb::BlockBasedTableOptions::PrepopulateBlockCache::kFlushOnly;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.write_buffer_size = write_buffer_size;
  return o;
}

// The default family (unused) and the ledger's, in Cf order, sharing one block cache.
std::vector<rocksdb::ColumnFamilyDescriptor> Families(size_t write_buffer_size) {
  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, CfOptions(cache, write_buffer_size));
  for (const char* name : kCfNames) cfs.emplace_back(name, CfOptions(cache, write_buffer_size));
  return cfs;
}

}  // namespace

const char* CfName(Cf cf) { return kCfNames[static_cast<int>(cf)]; }

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& dir) {
  return Open(dir, Options());
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& dir, const Options& db_options) {
  rocksdb::DBOptions options;
  if (db_options.env != nullptr) options.env = db_options.env;
  options.create_if_missing = db_options.create_if_missing;
  options.create_missing_column_families = true;
  options.paranoid_checks = true;
  options.max_background_jobs = 2;
  // Restart time is WAL replay: flush the memtables once the WAL holds 32 MiB, so recovery
  // stays short however long the ledger grows (every batch writes `meta`, which would
  // otherwise keep every WAL file alive).
  options.max_total_wal_size = db_options.max_total_wal_size;
  // Flushes and compactions write their files out as they go (1 MiB at a time) instead of
  // leaving hundreds of MiB of dirty pages for the kernel to write back at once: a WAL fsync
  // queued behind such a burst took hundreds of milliseconds, the open-loop p99.
  options.bytes_per_sync = 1 << 20;
  options.wal_bytes_per_sync = 0;  // the WAL is synced by every commit anyway
  std::unique_ptr<Db> db(new Db());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, Families(db_options.write_buffer_size),
                                        &handles, &db->db_);
  if (!s.ok()) return FromRocks(s, "open " + dir);
  db->TakeHandles(std::move(handles));
  return db;
}

void Db::TakeHandles(std::vector<rocksdb::ColumnFamilyHandle*> handles) {
  // handles[0] is the unused default family.
  db_->DestroyColumnFamilyHandle(handles[0]);
  handles_.assign(handles.begin() + 1, handles.end());
}

absl::StatusOr<std::unique_ptr<Db>> Db::OpenReadOnly(const std::string& dir) {
  rocksdb::DBOptions options;
  options.paranoid_checks = true;
  std::unique_ptr<Db> db(new Db());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(
      options, dir, Families(Options().write_buffer_size), &handles, &db->db_);
  if (!s.ok()) return FromRocks(s, "open " + dir);
  db->TakeHandles(std::move(handles));
  return db;
}

absl::Status Db::CreateCheckpoint(const std::string& dir) const {
  rocksdb::Checkpoint* raw = nullptr;
  HX_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_, &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush the memtables first, so the copy needs little WAL replay when
  // opened. Every family is consistent at one sequence number.
  return FromRocks(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0),
                   "checkpoint into " + dir);
}

absl::Status Db::Flush() const {
  rocksdb::FlushOptions options;
  options.wait = true;
  return FromRocks(db_->Flush(options, handles_), "flush");
}

bool Db::Compacting() const {
  for (rocksdb::ColumnFamilyHandle* h : handles_) {
    uint64_t pending = 0, running = 0;
    db_->GetIntProperty(h, "rocksdb.compaction-pending", &pending);
    db_->GetIntProperty(h, "rocksdb.num-running-compactions", &running);
    if (pending != 0 || running != 0) return true;
  }
  return false;
}

std::unique_ptr<rocksdb::Iterator> Db::NewIterator(Cf cf) const {
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(rocksdb::ReadOptions(), handle(cf)));
}

Db::~Db() {
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  if (db_ != nullptr) {
    db_->Close().PermitUncheckedError();
    delete db_;
  }
}

absl::StatusOr<std::optional<std::string>> Db::Get(Cf cf, absl::string_view key) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handle(cf),
                               rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, "read");
  return value;
}

absl::Status Db::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions w;
  w.sync = true;
  return FromRocks(db_->Write(w, batch), "write");
}

std::unique_ptr<Db::View> Db::NewView() const { return std::make_unique<View>(this); }

Db::View::View(const Db* db) : db_(db), snapshot_(db->db_->GetSnapshot()) {}

Db::View::~View() { db_->db_->ReleaseSnapshot(snapshot_); }

absl::StatusOr<std::optional<std::string>> Db::View::Get(Cf cf, absl::string_view key) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  std::string value;
  rocksdb::Status s =
      db_->db_->Get(r, db_->handle(cf), rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, "read");
  return value;
}

absl::Status Db::Scan(Cf cf, absl::string_view prefix,
                      const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  return NewView()->Scan(cf, prefix, fn);
}

absl::Status Db::View::ScanFrom(
    Cf cf, absl::string_view prefix, absl::string_view start,
    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  std::unique_ptr<rocksdb::Iterator> it(db_->db_->NewIterator(r, db_->handle(cf)));
  absl::string_view from = start.empty() ? prefix : start;
  for (it->Seek(rocksdb::Slice(from.data(), from.size())); it->Valid(); it->Next()) {
    absl::string_view k(it->key().data(), it->key().size());
    if (k.substr(0, prefix.size()) != prefix) break;
    if (!fn(k, absl::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), "scan");
}

std::unique_ptr<Db::View::Cursor> Db::View::NewCursor(Cf cf) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  return std::make_unique<Cursor>(
      std::unique_ptr<rocksdb::Iterator>(db_->db_->NewIterator(r, db_->handle(cf))));
}

Db::View::Cursor::Cursor(std::unique_ptr<rocksdb::Iterator> it) : it_(std::move(it)) {}
Db::View::Cursor::~Cursor() = default;

void Db::View::Cursor::Seek(absl::string_view key) {
  it_->Seek(rocksdb::Slice(key.data(), key.size()));
}

void Db::View::Cursor::Next() { it_->Next(); }

bool Db::View::Cursor::ValidUnder(absl::string_view prefix) const {
  return it_->Valid() && key().substr(0, prefix.size()) == prefix;
}

absl::string_view Db::View::Cursor::key() const {
  return absl::string_view(it_->key().data(), it_->key().size());
}

absl::Status Db::View::Cursor::status() const { return FromRocks(it_->status(), "scan"); }

}  // namespace huanxin::storage
