#include "common/pii.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace huanxin {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string ToHex(const unsigned char* p, size_t n) {
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

absl::Status ErrnoError(int err, const char* what, const std::string& path) {
  return absl::ErrnoToStatus(err, absl::StrCat(what, " PII key file ", path));
}

// Writes all of `data` to fd, retrying on EINTR and short writes.
bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
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
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);  // best effort: the key file itself is already durable
    ::close(fd);
  }
}

// Creates the key file. Returns ALREADY_EXISTS when someone else created it first.
absl::Status CreateKeyFile(const std::string& path) {
  unsigned char key[PiiKey::kKeySize];
  if (RAND_bytes(key, sizeof key) != 1) {
    return absl::InternalError("RAND_bytes failed while creating the PII key");
  }
  std::string text = ToHex(key, sizeof key) + "\n";
  OPENSSL_cleanse(key, sizeof key);

  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    const int err = errno;
    OPENSSL_cleanse(text.data(), text.size());
    return ErrnoError(err, "cannot create", path);
  }
  // The umask can only remove bits; make the mode exactly 0600 regardless.
  bool ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, text.data(), text.size()) && ::fsync(fd) == 0;
  const int err = errno;
  OPENSSL_cleanse(text.data(), text.size());
  if (::close(fd) != 0) ok = false;
  if (!ok) {
    ::unlink(path.c_str());
    return ErrnoError(err, "cannot write", path);
  }
  FsyncDirectoryOf(path);
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoError(err, "cannot stat", path);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("PII key file ", path, " is not a regular file"));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        "PII key file ", path, " is accessible by group or others (mode ",
        std::string{static_cast<char>('0' + ((st.st_mode >> 6) & 7)),
                    static_cast<char>('0' + ((st.st_mode >> 3) & 7)),
                    static_cast<char>('0' + (st.st_mode & 7))},
        "); chmod 600 it"));
  }
  // Read at most one byte more than the largest valid file, to detect oversized files.
  char buf[2 * PiiKey::kKeySize + 2];
  size_t n = 0;
  while (n < sizeof buf) {
    ssize_t r = ::read(fd, buf + n, sizeof buf - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      OPENSSL_cleanse(buf, sizeof buf);
      return ErrnoError(err, "cannot read", path);
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  ::close(fd);

  std::string key;
  size_t hex_len = n;
  if (hex_len == 2 * PiiKey::kKeySize + 1 && buf[hex_len - 1] == '\n') --hex_len;
  if (hex_len == 2 * PiiKey::kKeySize) {
    key.resize(PiiKey::kKeySize);
    for (size_t i = 0; i < PiiKey::kKeySize; ++i) {
      const int hi = HexValue(buf[2 * i]);
      const int lo = HexValue(buf[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        key.clear();
        break;
      }
      key[i] = static_cast<char>(hi << 4 | lo);
    }
  } else if (n == PiiKey::kKeySize) {
    key.assign(buf, n);
  }
  OPENSSL_cleanse(buf, sizeof buf);
  if (key.size() != PiiKey::kKeySize) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PII key file ", path, " must hold 32 raw bytes or 64 hex digits (", n,
        " bytes found)"));
  }
  return key;
}

}  // namespace

absl::StatusOr<PiiKey> PiiKey::LoadOrCreate(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) return ErrnoError(errno, "cannot stat", path);
    absl::Status created = CreateKeyFile(path);
    // Losing a creation race to another process is fine: read what it wrote.
    if (!created.ok() && !absl::IsAlreadyExists(created)) return created;
  }
  absl::StatusOr<std::string> key = ReadKeyFile(path);
  if (!key.ok()) return key.status();
  return PiiKey(*std::move(key));
}

PiiKey PiiKey::ForTesting(std::string key_bytes) { return PiiKey(std::move(key_bytes)); }

PiiKey::~PiiKey() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
}

std::string PiiKey::Ref(absl::string_view clear) const {
  if (clear.empty()) return "";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // HMAC() with a NULL key pointer uses an empty key; pass a valid pointer even when empty.
  static const unsigned char kEmpty = 0;
  const unsigned char* key =
      key_.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key_.data());
  if (HMAC(EVP_sha256(), key, static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(clear.data()), clear.size(), mac,
           &mac_len) == nullptr ||
      mac_len < kRefBytes) {
    // Only on a broken OpenSSL; there is no sensible ref to return.
    std::abort();
  }
  std::string ref = ToHex(mac, kRefBytes);
  OPENSSL_cleanse(mac, sizeof mac);
  return ref;
}

}  // namespace huanxin
