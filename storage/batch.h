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
// Not thread-safe: only the writer thread uses a Batch. A sealed layer is immutable and may be
// read and written from any thread.
#ifndef HUANXIN_STORAGE_BATCH_H_
#define HUANXIN_STORAGE_BATCH_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "storage/db.h"

namespace huanxin::storage {

// (cf, key) -> value, or nullopt for a delete.
using Writes = std::map<std::pair<Cf, std::string>, std::optional<std::string>, std::less<>>;

class Batch : public KvReader {
 public:
  explicit Batch(Db* db) : db_(db) {}

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
  // The sealed layer's write has finished: it is in the database now, or it failed and the
  // ledger stopped writing. Reads stop consulting it. Returns the Batch's reference to it, so
  // the caller decides which thread frees it.
  std::shared_ptr<const Writes> Landed() { return std::move(sealed_); }
  // Writes `writes` to `db` as one synced WriteBatch. Any thread. An error is a storage
  // fault (fail-stop).
  static absl::Status Write(Db* db, const Writes& writes);

  // Seal, Write and Landed in one step, on the calling thread.
  absl::Status Commit();
  // Forgets everything put since the last Seal or Commit.
  void Discard();

  size_t pending_bytes() const { return pending_bytes_; }
  bool empty() const { return pending_.empty(); }

 private:
  Db* db_;
  std::shared_ptr<const Writes> sealed_;  // null: nothing in flight
  Writes pending_;
  size_t pending_bytes_ = 0;
};

}  // namespace huanxin::storage

#endif  // HUANXIN_STORAGE_BATCH_H_
