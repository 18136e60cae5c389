#include "storage/batch.h"

#include "rocksdb/write_batch.h"

namespace huanxin::storage {

absl::StatusOr<std::optional<std::string>> Batch::Get(Cf cf, absl::string_view key) const {
  auto it = pending_.find(std::make_pair(cf, std::string(key)));
  if (it != pending_.end()) return it->second;
  return db_->Get(cf, key);
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
