#include "ledger/checkpoint_witness.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/signed_note.h"

namespace huanxin::ledger {
namespace {

constexpr size_t kMaxNoteBytes = 64 << 10;

absl::Status WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return absl::ErrnoToStatus(errno, "write");
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Replaces `path` with `bytes` durably: a crash leaves the old file or the new one.
absl::Status ReplaceFileDurably(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot create ", tmp));
  absl::Status s = WriteAll(fd, bytes);
  if (s.ok() && fsync(fd) != 0) s = absl::ErrnoToStatus(errno, "fsync");
  close(fd);
  if (s.ok() && rename(tmp.c_str(), path.c_str()) != 0) s = absl::ErrnoToStatus(errno, "rename");
  if (!s.ok()) {
    unlink(tmp.c_str());
    return absl::UnavailableError(absl::StrCat("cannot write ", path, ": ", s.message()));
  }
  const std::string dir = path.substr(0, path.find_last_of('/') + 1);
  const int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return absl::UnavailableError(absl::StrCat("cannot open the directory of ", path));
  const bool synced = fsync(dfd) == 0;
  close(dfd);
  if (!synced) return absl::UnavailableError(absl::StrCat("cannot sync the directory of ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<CheckpointWitness>> CheckpointWitness::Open(
    std::string path, std::string verifier_key) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::unique_ptr<CheckpointWitness>(new CheckpointWitness(path, 0, ""));
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot stat ", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return absl::UnavailableError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  const std::string note = text.str();
  if (note.size() > kMaxNoteBytes) {
    return absl::DataLossError(absl::StrCat(path, " is not a signed checkpoint (too large)"));
  }
  absl::StatusOr<note::Checkpoint> c = note::VerifyCheckpoint(note, verifier_key);
  if (!c.ok()) {
    return absl::DataLossError(absl::StrCat(path, " is not a checkpoint signed by this ledger's key: ",
                                            c.status().message()));
  }
  return std::unique_ptr<CheckpointWitness>(
      new CheckpointWitness(std::move(path), c->size, std::move(c->root_hash)));
}

absl::Status CheckpointWitness::CheckExtends(uint64_t size, const RootAt& root_at) const {
  absl::MutexLock l(&mu_);
  if (size_ == 0) return absl::OkStatus();
  if (size < size_) {
    return absl::DataLossError(absl::StrCat(
        "the ledger holds ", size, " entries but signed a checkpoint of ", size_, " (", path_,
        "): committed entries are lost; restore the ledger from a backup"));
  }
  absl::StatusOr<std::string> root = root_at(size_);
  if (!root.ok()) return root.status();
  if (*root != root_) {
    return absl::DataLossError(absl::StrCat(
        "the ledger's first ", size_, " entries have root ", absl::Base64Escape(*root),
        " but it signed root ", absl::Base64Escape(root_), " for them (", path_,
        "): this is not the ledger that was signed"));
  }
  return absl::OkStatus();
}

absl::Status CheckpointWitness::Record(uint64_t size, const std::string& root,
                                       const std::string& signed_note) {
  absl::MutexLock l(&mu_);
  if (size <= size_) return absl::OkStatus();
  if (absl::Status s = ReplaceFileDurably(path_, signed_note); !s.ok()) return s;
  size_ = size;
  root_ = root;
  return absl::OkStatus();
}

uint64_t CheckpointWitness::size() const {
  absl::MutexLock l(&mu_);
  return size_;
}

}  // namespace huanxin::ledger
