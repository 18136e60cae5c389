#include "common/secret_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "absl/strings/str_cat.h"

namespace huanxin {
namespace {

absl::Status ErrnoError(int err, absl::string_view verb, absl::string_view what,
                        const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(verb, " ", what, " ", path));
}

// Writes all of `data` to fd, retrying on EINTR and short writes.
bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

void FsyncDirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // best effort: the file itself is already durable
    ::close(fd);
  }
}

}  // namespace

absl::StatusOr<bool> SecretFileExists(const std::string& path, absl::string_view what) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return ErrnoError(errno, "cannot stat", what, path);
}

absl::Status CreateSecretFile(const std::string& path, absl::string_view what,
                              std::string* contents) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    OPENSSL_cleanse(contents->data(), contents->size());
    return ErrnoError(err, "cannot create", what, path);
  }
  // The umask can only remove bits; make the mode exactly 0600 regardless.
  bool ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, contents->data(), contents->size()) &&
            ::fsync(fd) == 0;
  int err = ok ? 0 : errno;
  OPENSSL_cleanse(contents->data(), contents->size());
  if (::close(fd) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(path.c_str());
    return ErrnoError(err != 0 ? err : EIO, "cannot write", what, path);
  }
  FsyncDirectoryOf(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadSecretFile(const std::string& path, absl::string_view what,
                                           size_t max_bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open", what, path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoError(err, "cannot stat", what, path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(what, " ", path, " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        what, " ", path, " is accessible by group or others (mode ",
        std::string{static_cast<char>('0' + ((st.st_mode >> 6) & 7)),
                    static_cast<char>('0' + ((st.st_mode >> 3) & 7)),
                    static_cast<char>('0' + (st.st_mode & 7))},
        "); chmod 600 it"));
  }
  // Read at most one byte more than the caller accepts, to detect oversized files.
  std::string data(max_bytes + 1, '\0');
  size_t n = 0;
  while (n < data.size()) {
    const ssize_t r = ::read(fd, data.data() + n, data.size() - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      OPENSSL_cleanse(data.data(), data.size());
      return ErrnoError(err, "cannot read", what, path);
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(fd);
  data.resize(n);  // shrinking keeps the buffer: nothing is copied
  return data;
}

}  // namespace huanxin
