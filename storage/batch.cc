#include "storage/batch.h"

#include "common/check.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace huanxin::storage {
namespace {

// What one cached key costs: its bytes, and about as much again in string, optional and hash
// slot headers.
size_t CacheBytes(absl::string_view key, const std::optional<std::string>& value) {
  return 64 + key.size() + (value.has_value() ? value->size() : 0);
}

bool HasPrefix(absl::string_view key, absl::string_view prefix) {
  return key.substr(0, prefix.size()) == prefix;
}

// Scans `db`'s committed keys under `prefix` merged with `overlay` (whose entries win; a
// nullopt hides the key).
absl::Status ScanMerged(const Db& db, Cf cf, absl::string_view prefix, const CfWrites& overlay,
                        const std::function<bool(absl::string_view, absl::string_view)>& fn) {
  std::unique_ptr<rocksdb::Iterator> db_it = db.NewIterator(cf);
  db_it->Seek(rocksdb::Slice(prefix.data(), prefix.size()));
  auto over_it = overlay.lower_bound(prefix);
  for (;;) {
    const absl::string_view db_key =
        db_it->Valid() ? absl::string_view(db_it->key().data(), db_it->key().size()) : "";
    const bool db_ok = db_it->Valid() && HasPrefix(db_key, prefix);
    const bool over_ok = over_it != overlay.end() && HasPrefix(over_it->first, prefix);
    if (!db_ok && !over_ok) break;
    // The overlay wins when both have the key; the smaller key goes first.
    if (over_ok && (!db_ok || absl::string_view(over_it->first) <= db_key)) {
      if (db_ok && over_it->first == db_key) db_it->Next();
      const auto& value = over_it->second;
      const std::string& key = over_it->first;
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

// Copies the entries of `from` under `prefix` into `into`, replacing what is there.
void CopyRange(const CfWrites& from, absl::string_view prefix, CfWrites* into) {
  for (auto it = from.lower_bound(prefix); it != from.end() && HasPrefix(it->first, prefix);
       ++it) {
    (*into)[it->first] = it->second;
  }
}

}  // namespace

absl::StatusOr<std::optional<std::string>> Batch::Get(Cf cf, absl::string_view key) const {
  const CfWrites& pending = pending_[Index(cf)];
  if (auto it = pending.find(key); it != pending.end()) return it->second;
  if (sealed_ != nullptr) {
    const CfWrites& sealed = (*sealed_)[Index(cf)];
    if (auto it = sealed.find(key); it != sealed.end()) return it->second;
  }
  return GetCommitted(cf, key);
}

absl::StatusOr<std::optional<std::string>> Batch::GetCommitted(Cf cf,
                                                               absl::string_view key) const {
  Cache& cache = cache_[Index(cf)];
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  absl::StatusOr<std::optional<std::string>> value = db_->Get(cf, key);
  if (!value.ok()) return value;
  const size_t bytes = CacheBytes(key, *value);
  if (bytes > cache_limit_) return value;
  if (cache_bytes_ + bytes > cache_limit_) EmptyCache();
  cache.emplace(key, *value);
  cache_bytes_ += bytes;
  return value;
}

void Batch::EmptyCache() const {
  for (Cache& c : cache_) c = Cache();
  cache_bytes_ = 0;
}

size_t Batch::cached_keys() const {
  size_t n = 0;
  for (const Cache& c : cache_) n += c.size();
  return n;
}

absl::Status Batch::Scan(
    Cf cf, absl::string_view prefix,
    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
  const CfWrites& pending = pending_[Index(cf)];
  if (sealed_ == nullptr) return ScanMerged(*db_, cf, prefix, pending, fn);
  CfWrites overlay;  // the sealed layer under this batch's writes, for this prefix only
  CopyRange((*sealed_)[Index(cf)], prefix, &overlay);
  CopyRange(pending, prefix, &overlay);
  return ScanMerged(*db_, cf, prefix, overlay, fn);
}

void Batch::Put(Cf cf, std::string key, std::string value) {
  pending_bytes_ += key.size() + value.size();
  pending_[Index(cf)].insert_or_assign(std::move(key), std::move(value));
}

void Batch::Delete(Cf cf, std::string key) {
  pending_bytes_ += key.size();
  pending_[Index(cf)].insert_or_assign(std::move(key), std::nullopt);
}

std::shared_ptr<const Writes> Batch::Seal() {
  HX_CHECK(sealed_ == nullptr, "Seal() before the last sealed layer Landed()");
  sealed_ = std::make_shared<const Writes>(std::move(pending_));
  Discard();
  return sealed_;
}

std::shared_ptr<const Writes> Batch::Landed(bool written) {
  if (sealed_ == nullptr) return nullptr;
  if (!written) {
    EmptyCache();
    return std::move(sealed_);
  }
  // Only keys already cached are updated: the rest are read from the database when needed.
  for (int cf = 0; cf < kNumCfs; ++cf) {
    Cache& cache = cache_[cf];
    if (cache.empty()) continue;
    for (const auto& [k, v] : (*sealed_)[cf]) {
      auto it = cache.find(k);
      if (it == cache.end()) continue;
      cache_bytes_ = cache_bytes_ - CacheBytes(k, it->second) + CacheBytes(k, v);
      it->second = v;
    }
  }
  if (cache_bytes_ > cache_limit_) EmptyCache();
  return std::move(sealed_);
}

absl::Status Batch::Write(Db* db, const Writes& writes) {
  rocksdb::WriteBatch wb;
  for (int cf = 0; cf < kNumCfs; ++cf) {
    rocksdb::ColumnFamilyHandle* h = db->handle(static_cast<Cf>(cf));
    for (const auto& [k, v] : writes[cf]) {
      rocksdb::Status s = v.has_value() ? wb.Put(h, k, *v) : wb.Delete(h, k);
      if (!s.ok()) return absl::UnavailableError("UNAVAILABLE: batch: " + s.ToString());
    }
  }
  return db->Write(&wb);
}

absl::Status Batch::Commit() {
  std::shared_ptr<const Writes> writes = Seal();
  absl::Status s = Write(db_, *writes);
  Landed(s.ok());
  return s;
}

bool Batch::empty() const {
  for (const CfWrites& w : pending_) {
    if (!w.empty()) return false;
  }
  return true;
}

void Batch::Discard() {
  for (CfWrites& w : pending_) w.clear();
  pending_bytes_ = 0;
}

}  // namespace huanxin::storage
