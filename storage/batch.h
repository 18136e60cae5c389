// The single writer's view while it builds one commit: the committed database, plus the
// writes of a sealed batch still on its way to disk (at most one), plus the writes of the
// commands already applied in this batch. Every command sees the effects of every command
// before it; a batch is written as one synced WriteBatch, so a crash keeps all of it or none.
//
// Pipelining (ledger/writer.cc): Seal() hands the open writes over as an immutable layer that
// another thread writes with Write(); the Batch keeps reading through that layer, so the next
// batch can be decided while the previous one is being synced. Landed() drops the layer once
// its write has finished (it is then in the database, or the ledger has failed and stopped).
//
// Under all three, a small cache of committed values the Batch has read, so that keys read by
// most commands but rarely written (a programme, a merchant, the fraud rules, a SKU's prices)
// skip RocksDB; keys written by every batch (books, accounts) are found in the layers above.
// It is exact because the single writer is the only one who writes the database: a landed
// layer updates the cached keys it wrote, and a failed one empties the cache. It holds at
// most `cache_bytes` (keys, values and 64 bytes of overhead each; 0: no cache) and is
// emptied when full.
//
// Not thread-safe: only the writer thread uses a Batch. A sealed layer is immutable and may be
// read and written from any thread.
#ifndef HUANXIN_STORAGE_BATCH_H_
#define HUANXIN_STORAGE_BATCH_H_

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "storage/db.h"

namespace huanxin::storage {

// One column family's writes: key -> value, or nullopt for a delete. Ordered, for merged
// scans; std::less<> finds a string_view without building a key.
using CfWrites = std::map<std::string, std::optional<std::string>, std::less<>>;
// A batch's writes, indexed by Cf.
using Writes = std::array<CfWrites, kNumCfs>;

class Batch : public KvReader {
 public:
  // Small on purpose: most keys are read once (a voucher, an idempotency key), and a 64 MiB
  // cache cost more to fill and empty than it saved (docs/performance.md).
  static constexpr size_t kDefaultCacheBytes = 1 << 20;

  explicit Batch(Db* db, size_t cache_bytes = kDefaultCacheBytes)
      : db_(db), cache_limit_(cache_bytes) {}

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const override;
  // Calls fn(key, value) for every key starting with `prefix`, in key order, over the
  // committed data merged with the sealed layer and this batch's writes (a pending delete
  // hides its key), until fn returns false. Errors are storage faults.
  absl::Status Scan(Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) const override;
  void Put(Cf cf, std::string key, std::string value);
  void Delete(Cf cf, std::string key);

  // Seals everything put since the last Seal, Commit or Discard and returns it; reads go on
  // seeing it until Landed(). REQUIRES: no sealed layer outstanding (Landed() since the last
  // Seal).
  std::shared_ptr<const Writes> Seal();
  // The sealed layer's write has finished: `written` says it is in the database now, or it
  // failed and the ledger stopped writing. Reads stop consulting it. Returns the Batch's
  // reference to it, so the caller decides which thread frees it.
  std::shared_ptr<const Writes> Landed(bool written);
  // Writes `writes` to `db` as one synced WriteBatch. Any thread. An error is a storage
  // fault (fail-stop).
  static absl::Status Write(Db* db, const Writes& writes);

  // Seal, Write and Landed in one step, on the calling thread.
  absl::Status Commit();
  // Forgets everything put since the last Seal or Commit.
  void Discard();

  size_t pending_bytes() const { return pending_bytes_; }
  bool empty() const;
  // Committed keys the cache holds (tests).
  size_t cached_keys() const;

 private:
  // key -> committed value, nullopt for absent; one map per column family.
  using Cache = absl::flat_hash_map<std::string, std::optional<std::string>>;

  static int Index(Cf cf) { return static_cast<int>(cf); }

  absl::StatusOr<std::optional<std::string>> GetCommitted(Cf cf, absl::string_view key) const;
  void EmptyCache() const;

  Db* db_;
  const size_t cache_limit_;
  // Mutable: filling the cache does not change what the Batch reads.
  mutable std::array<Cache, kNumCfs> cache_;
  mutable size_t cache_bytes_ = 0;
  std::shared_ptr<const Writes> sealed_;  // null: nothing in flight
  Writes pending_;
  size_t pending_bytes_ = 0;
};

}  // namespace huanxin::storage

#endif  // HUANXIN_STORAGE_BATCH_H_
