#include "storage/batch.h"

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace huanxin::storage {
namespace {

bool HasPrefix(absl::string_view key, absl::string_view prefix) {
  return key.substr(0, prefix.size()) == prefix;
}

// Scans `db`'s committed keys under `prefix` merged with `overlay` (whose entries win; a
// nullopt hides the key).
absl::Status ScanMerged(const Db& db, Cf cf, absl::string_view prefix, const Writes& overlay,
                        const std::function<bool(absl::string_view, absl::string_view)>& fn) {
  std::unique_ptr<rocksdb::Iterator> db_it(
      db.raw()->NewIterator(rocksdb::ReadOptions(), db.handle(cf)));
  db_it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  auto over_it = overlay.lower_bound(std::make_pair(cf, std::string(prefix)));
  for (;;) {
    const absl::string_view db_key =
        db_it->Valid() ? absl::string_view(db_it->key().data(), db_it->key().size()) : "";
    const bool db_ok = db_it->Valid() && HasPrefix(db_key, prefix);
    const bool over_ok = over_it != overlay.end() && over_it->first.first == cf &&
                         HasPrefix(over_it->first.second, prefix);
    if (!db_ok && !over_ok) break;
    // The overlay wins when both have the key; the smaller key goes first.
    if (over_ok && (!db_ok || over_it->first.second <= db_key)) {
      if (db_ok && over_it->first.second == db_key) db_it->Next();
      const auto& value = over_it->second;
      const std::string& key = over_it->first.second;
      ++over_it;
      if (value.has_value() && !fn(key, *value)) break;
    } else {
      if (!fn(db_key, absl::string_view(db_it->value().data(), db_it->value().size()))) break;
      db_it->Next();
    }
  }
  if (!db_it->status().ok()) {
    return absl::UnavailableError("UNAVAILABLE: storage scan: " + db_it->status().ToString());
  }
  return absl::OkStatus();
}

// Copies the entries of `from` under (cf, prefix) into `into`, replacing what is there.
void CopyRange(const Writes& from, Cf cf, absl::string_view prefix, Writes* into) {
  for (auto it = from.lower_bound(std::make_pair(cf, std::string(prefix)));
       it != from.end() && it->first.first == cf && HasPrefix(it->first.second, prefix); ++it) {
    (*into)[it->first] = it->second;
  }
}

}  // namespace

absl::StatusOr<std::optional<std::string>> Batch::Get(Cf cf, absl::string_view key) const {
  const auto k = std::make_pair(cf, std::string(key));
  if (auto it = pending_.find(k); it != pending_.end()) return it->second;
  if (sealed_ != nullptr) {
    if (auto it = sealed_->find(k); it != sealed_->end()) return it->second;
  }
  return db_->Get(cf, key);
}

absl::Status Batch::Scan(
    Cf cf, absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  if (sealed_ == nullptr) return ScanMerged(*db_, cf, prefix, pending_, fn);
  Writes overlay;  // the sealed layer under this batch's writes, for this prefix only
  CopyRange(*sealed_, cf, prefix, &overlay);
  CopyRange(pending_, cf, prefix, &overlay);
  return ScanMerged(*db_, cf, prefix, overlay, fn);
}

void Batch::Put(Cf cf, std::string key, std::string value) {
  pending_bytes_ += key.size() + value.size();
  pending_[std::make_pair(cf, std::move(key))] = std::move(value);
}

void Batch::Delete(Cf cf, std::string key) {
  pending_bytes_ += key.size();
  pending_[std::make_pair(cf, std::move(key))] = std::nullopt;
}

std::shared_ptr<const Writes> Batch::Seal() {
  sealed_ = std::make_shared<const Writes>(std::move(pending_));
  Discard();
  return sealed_;
}

absl::Status Batch::Write(Db* db, const Writes& writes) {
  rocksdb::WriteBatch wb;
  for (const auto& [k, v] : writes) {
    rocksdb::ColumnFamilyHandle* h = db->handle(k.first);
    rocksdb::Status s = v.has_value() ? wb.Put(h, k.second, *v) : wb.Delete(h, k.second);
    if (!s.ok()) return absl::UnavailableError("UNAVAILABLE: batch: " + s.ToString());
  }
  return db->Write(&wb);
}

absl::Status Batch::Commit() {
  std::shared_ptr<const Writes> writes = Seal();
  absl::Status s = Write(db_, *writes);
  Landed();
  return s;
}

void Batch::Discard() {
  pending_.clear();
  pending_bytes_ = 0;
}

}  // namespace huanxin::storage
