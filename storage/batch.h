// The single writer's view while it builds one commit: the committed database plus the
// writes of the commands already applied in this batch. Every command of a batch sees the
// effects of the commands before it; Commit writes them all in one synced WriteBatch, so a
// crash keeps all of them or none.
// Not thread-safe: only the writer thread uses a Batch.
#ifndef HUANXIN_STORAGE_BATCH_H_
#define HUANXIN_STORAGE_BATCH_H_

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "storage/db.h"

namespace huanxin::storage {

class Batch : public KvReader {
 public:
  explicit Batch(Db* db) : db_(db) {}

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const override;
  // Calls fn(key, value) for every key starting with `prefix`, in key order, over the
  // committed data merged with this batch's writes (a pending delete hides its key), until
  // fn returns false. Errors are storage faults.
  absl::Status Scan(Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) const override;
  void Put(Cf cf, std::string key, std::string value);
  void Delete(Cf cf, std::string key);

  // Writes everything put since the last Commit or Discard as one synced WriteBatch, then
  // starts empty. An error is a storage fault (fail-stop).
  absl::Status Commit();
  // Forgets everything put since the last Commit.
  void Discard();

  size_t pending_bytes() const { return pending_bytes_; }
  bool empty() const { return pending_.empty(); }

 private:
  Db* db_;
  // (cf, key) -> value, or nullopt for a delete.
  std::map<std::pair<Cf, std::string>, std::optional<std::string>, std::less<>> pending_;
  size_t pending_bytes_ = 0;
};

}  // namespace huanxin::storage

#endif  // HUANXIN_STORAGE_BATCH_H_
