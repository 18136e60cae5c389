#include "storage/batch.h"

#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace huanxin::storage {

absl::StatusOr<std::optional<std::string>> Batch::Get(Cf cf, absl::string_view key) const {
  auto it = pending_.find(std::make_pair(cf, std::string(key)));
  if (it != pending_.end()) return it->second;
  return db_->Get(cf, key);
}

absl::Status Batch::Scan(
    Cf cf, absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> db_it(
      db_->raw()->NewIterator(rocksdb::ReadOptions(), db_->handle(cf)));
  db_it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  auto pending_it = pending_.lower_bound(std::make_pair(cf, std::string(prefix)));
  auto has_prefix = [prefix](absl::string_view k) { return k.substr(0, prefix.size()) == prefix; };
  for (;;) {
    const bool db_ok = db_it->Valid() &&
                       has_prefix(absl::string_view(db_it->key().data(), db_it->key().size()));
    const bool pending_ok = pending_it != pending_.end() && pending_it->first.first == cf &&
                            has_prefix(pending_it->first.second);
    if (!db_ok && !pending_ok) break;
    absl::string_view db_key =
        db_ok ? absl::string_view(db_it->key().data(), db_it->key().size()) : "";
    // The pending write wins when both have the key; the smaller key goes first.
    if (pending_ok && (!db_ok || pending_it->first.second <= db_key)) {
      if (db_ok && pending_it->first.second == db_key) db_it->Next();
      const auto& value = pending_it->second;
      const std::string& key = pending_it->first.second;
      ++pending_it;
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

void Batch::Put(Cf cf, std::string key, std::string value) {
  pending_bytes_ += key.size() + value.size();
  pending_[std::make_pair(cf, std::move(key))] = std::move(value);
}

void Batch::Delete(Cf cf, std::string key) {
  pending_bytes_ += key.size();
  pending_[std::make_pair(cf, std::move(key))] = std::nullopt;
}

absl::Status Batch::Commit() {
  rocksdb::WriteBatch wb;
  for (const auto& [k, v] : pending_) {
    rocksdb::ColumnFamilyHandle* h = db_->handle(k.first);
    rocksdb::Status s = v.has_value() ? wb.Put(h, k.second, *v) : wb.Delete(h, k.second);
    if (!s.ok()) return absl::UnavailableError("UNAVAILABLE: batch: " + s.ToString());
  }
  absl::Status s = db_->Write(&wb);
  Discard();
  return s;
}

void Batch::Discard() {
  pending_.clear();
  pending_bytes_ = 0;
}

}  // namespace huanxin::storage
