// Keyed pseudonyms for personal data (PIPL). ID numbers, phones, device ids and bank cards
// are never stored or logged in clear; Huanxin keeps Ref(value) instead, an HMAC-SHA256
// under a secret key that lives in a file outside the database.
//
// Key file format: the 32 key bytes as 64 hex digits (either case), optionally followed by
// one "\n" (what LoadOrCreate writes, and what `openssl rand -hex 32 > key` produces);
// a file of exactly 32 raw bytes is also accepted. The file must be a regular file with no
// group or other permission bits (mode 0600 or 0400).
#ifndef HUANXIN_COMMON_PII_H_
#define HUANXIN_COMMON_PII_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin {

class PiiKey {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr size_t kRefBytes = 16;  // Ref() is 2 * kRefBytes hex characters

  // Reads the key at `path`. When no file exists there, creates one: 32 bytes from
  // RAND_bytes written as hex, opened with O_CREAT|O_EXCL and mode 0600, fsync-ed (and its
  // directory too). The directory must exist.
  // Errors: FAILED_PRECONDITION when the file is not a regular file, has group/other
  // permission bits set, or is not 32 raw bytes / 64 hex digits; the errno's code (via
  // absl::ErrnoToStatus) when it cannot be read or written; INTERNAL when RAND_bytes fails.
  // Messages name the path, never the key.
  static absl::StatusOr<PiiKey> LoadOrCreate(const std::string& path);

  // A key made of `key_bytes` as they are (any length), for tests only.
  static PiiKey ForTesting(std::string key_bytes);

  PiiKey(const PiiKey&) = default;
  PiiKey& operator=(const PiiKey&) = default;
  PiiKey(PiiKey&&) = default;
  PiiKey& operator=(PiiKey&&) = default;
  ~PiiKey();

  // Lowercase hex (32 characters) of the first 16 bytes of HMAC-SHA256(key, clear);
  // "" when `clear` is empty. Deterministic for a key: the same value always gives the same
  // ref, so refs serve as consumer_ref and for same-consumer clustering.
  // Callers normalize first (NormalizeIdNumber for ID numbers).
  std::string Ref(absl::string_view clear) const;

 private:
  explicit PiiKey(std::string key) : key_(std::move(key)) {}

  std::string key_;
};

}  // namespace huanxin

#endif  // HUANXIN_COMMON_PII_H_
