#include "server/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace huanxin::server {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

// The pid the holder wrote into the lock file, or "" when unreadable.
std::string HolderPid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
  int pid = 0;
  if (n <= 0 || !absl::SimpleAtoi(absl::StripAsciiWhitespace(buf), &pid)) return "";
  return absl::StrCat(" (pid ", pid, ")");
}

}  // namespace

absl::StatusOr<DataDir> DataDir::Lock(const std::string& dir) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot create --data_dir ", dir));
  }
  const std::string lock_path = dir + "/huanxind.lock";
  const int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("cannot open ", lock_path));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string holder = HolderPid(fd);
    close(fd);
    if (err == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("--data_dir ", dir, " is in use by another huanxind", holder,
                       ": one process per data directory"));
    }
    return absl::ErrnoToStatus(err, absl::StrCat("cannot lock ", lock_path));
  }
  const std::string pid = absl::StrCat(getpid(), "\n");
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    const int err = errno;
    close(fd);
    return absl::ErrnoToStatus(err, absl::StrCat("cannot write ", lock_path));
  }
  return DataDir(dir, fd);
}

DataDir::DataDir(DataDir&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) {
  other.fd_ = -1;
}

DataDir::~DataDir() {
  if (fd_ >= 0) close(fd_);  // closing the last descriptor releases the flock
}

absl::Status DataDir::CheckFreeSpace(uint64_t min_bytes) const {
  struct statvfs fs;
  if (statvfs(path_.c_str(), &fs) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("cannot stat the file system of ", path_));
  }
  const uint64_t available = static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
  if (available < min_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "no space left on device: ", available >> 10, " KiB available for --data_dir ", path_,
        ", and the ledger needs at least ", min_bytes >> 20,
        " MiB to open and write (--min_free_disk_mb)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> DataDir::MayCreateLedger() const {
  if (Exists(ledger_dir())) return false;
  if (Exists(checkpoint_file())) {
    return absl::FailedPreconditionError(absl::StrCat(
        ledger_dir(), " is missing, but ", checkpoint_file(),
        " shows that this ledger signed a checkpoint: restore the ledger from a backup "
        "(docs/operations.md, Backup); to begin a new, empty ledger on purpose, move ",
        checkpoint_file(), " away first"));
  }
  return true;
}

}  // namespace huanxin::server
