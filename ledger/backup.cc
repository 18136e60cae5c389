#include "ledger/backup.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/merkle.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "storage/db.h"
#include "storage/keys.h"
#include "storage/tree.h"

namespace huanxin::ledger {
namespace {

using storage::Cf;

constexpr char kField[] = "destination_dir";
constexpr size_t kMaxPathBytes = 4096;  // PATH_MAX

// A storage failure of the backup, as the refusal the caller sees.
absl::Status Unavailable(const absl::Status& s) {
  if (s.ok()) return s;
  return Refuse(reason::kUnavailable,
                absl::StrCat("backup: ", absl::StripPrefix(s.message(), "UNAVAILABLE: ")));
}

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
  absl::StatusOr<std::unique_ptr<storage::Db>> db = storage::Db::OpenReadOnly(dir);
  if (!db.ok()) return Unavailable(db.status());
  HX_ASSIGN_OR_RETURN(std::optional<std::string> next,
                      (*db)->Get(Cf::kMeta, storage::keys::kNextSeq));
  uint64_t size = 0;
  if (next.has_value()) {
    std::optional<uint64_t> n = storage::keys::DecodeUint64(*next);
    if (!n.has_value()) return absl::DataLossError("backup: corrupt next_seq");
    size = *n;
  }
  merkle::Hash root = merkle::EmptyRoot();
  if (size > 0) {
    HX_ASSIGN_OR_RETURN(root, merkle::RootOf(size, storage::StoredSubtrees(db->get())));
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
  HX_RETURN_IF_ERROR(Unavailable(db.CreateCheckpoint(dir)));
  chmod(dir.c_str(), 0700);  // best effort: the data holds HMACs and amounts, not clear PII
  return DescribeDatabase(dir);
}

}  // namespace huanxin::ledger
