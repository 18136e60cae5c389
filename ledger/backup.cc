#include "ledger/backup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/merkle.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "rocksdb/db.h"
#include "rocksdb/utilities/checkpoint.h"
#include "storage/keys.h"
#include "storage/tree.h"

namespace huanxin::ledger {
namespace {

using storage::Cf;

constexpr char kField[] = "destination_dir";
constexpr size_t kMaxPathBytes = 4096;  // PATH_MAX

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return Refuse(reason::kUnavailable, absl::StrCat("backup: ", what, ": ", s.ToString()));
}

// A closed ledger database opened read-only, as a KvReader.
class ReadOnlyDb : public storage::KvReader {
 public:
  static absl::StatusOr<std::unique_ptr<ReadOnlyDb>> Open(const std::string& dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
    cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
    for (int i = 0; i < storage::kNumCfs; ++i) {
      cfs.emplace_back(storage::CfName(static_cast<Cf>(i)), rocksdb::ColumnFamilyOptions());
    }
    std::unique_ptr<ReadOnlyDb> out(new ReadOnlyDb());
    rocksdb::DBOptions options;
    options.paranoid_checks = true;
    rocksdb::Status s =
        rocksdb::DB::OpenForReadOnly(options, dir, cfs, &out->handles_, &out->db_);
    HX_RETURN_IF_ERROR(FromRocks(s, "open " + dir));
    return out;
  }
  ~ReadOnlyDb() override {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    delete db_;
  }

  absl::StatusOr<std::optional<std::string>> Get(Cf cf, absl::string_view key) const override {
    std::string value;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), handle(cf),
                                 rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::nullopt;
    HX_RETURN_IF_ERROR(FromRocks(s, "read"));
    return value;
  }

  absl::Status Scan(Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn)
      const override {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), handle(cf)));
    for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
      absl::string_view k(it->key().data(), it->key().size());
      if (k.substr(0, prefix.size()) != prefix) break;
      if (!fn(k, absl::string_view(it->value().data(), it->value().size()))) break;
    }
    return FromRocks(it->status(), "scan");
  }

 private:
  ReadOnlyDb() = default;
  // handles_[0] is the default family; the ledger's families follow in Cf order.
  rocksdb::ColumnFamilyHandle* handle(Cf cf) const { return handles_[static_cast<int>(cf) + 1]; }

  rocksdb::DB* db_ = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

absl::Status CheckDestination(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') return FieldError(kField, "must be an absolute path");
  // No newline, tab or other control character (a path is logged and shown on one line).
  HX_RETURN_IF_ERROR(ValidateText(kField, dir, kMaxPathBytes, /*required=*/true));
  for (absl::string_view part : absl::StrSplit(dir, '/')) {
    if (part == "." || part == "..") return FieldError(kField, "must not contain . or ..");
  }
  if (dir.find_first_not_of('/') == std::string::npos) return FieldError(kField, "must be below /");
  struct stat st;
  if (stat(dir.c_str(), &st) == 0) return FieldError(kField, "already exists");
  if (errno != ENOENT) {
    return FieldError(kField, absl::StrCat("cannot be checked: ", strerror(errno)));
  }
  std::string parent = dir.substr(0, dir.find_last_not_of('/') + 1);
  parent = parent.substr(0, parent.rfind('/'));
  if (parent.empty()) parent = "/";
  if (stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return FieldError(kField, absl::StrCat("its parent ", parent, " is not a directory"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::BackupResponse> DescribeDatabase(const std::string& dir) {
  HX_ASSIGN_OR_RETURN(std::unique_ptr<ReadOnlyDb> db, ReadOnlyDb::Open(dir));
  HX_ASSIGN_OR_RETURN(std::optional<std::string> next,
                      db->Get(Cf::kMeta, storage::keys::kNextSeq));
  uint64_t size = 0;
  if (next.has_value()) {
    std::optional<uint64_t> n = storage::keys::DecodeUint64(*next);
    if (!n.has_value()) return absl::DataLossError("backup: corrupt next_seq");
    size = *n;
  }
  merkle::Hash root = merkle::EmptyRoot();
  if (size > 0) {
    HX_ASSIGN_OR_RETURN(root, merkle::RootOf(size, storage::StoredSubtrees(db.get())));
  }
  v1::BackupResponse out;
  out.set_path(dir);
  out.set_tree_size(static_cast<int64_t>(size));
  out.set_root_hash(root);
  return out;
}

absl::StatusOr<v1::BackupResponse> BackupDatabase(const storage::Db& db,
                                                  absl::string_view destination_dir) {
  const std::string dir(destination_dir);
  HX_RETURN_IF_ERROR(CheckDestination(dir));
  rocksdb::Checkpoint* raw = nullptr;
  HX_RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db.raw(), &raw), "checkpoint"));
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // log_size_for_flush 0: flush the memtables first, so the copy is mostly hard links and
  // needs little WAL replay when opened. Every family is consistent at one sequence number.
  HX_RETURN_IF_ERROR(FromRocks(checkpoint->CreateCheckpoint(dir, /*log_size_for_flush=*/0),
                               "create " + dir));
  chmod(dir.c_str(), 0700);  // best effort: the data holds HMACs and amounts, not clear PII
  return DescribeDatabase(dir);
}

}  // namespace huanxin::ledger
