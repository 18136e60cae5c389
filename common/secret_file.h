// Small files holding secret keys (the PII key, the note signing key): created exclusively
// with mode 0600 and made durable, and read only when nobody but the owner can access them.
//
// `what` names the file in error messages, e.g. "PII key file" or "note signing key file".
// Messages have the forms "<verb> <what> <path>" (errno errors, via absl::ErrnoToStatus, e.g.
// "cannot open PII key file /x: No such file or directory") and "<what> <path> is ...".
// They name the path, never the contents.
#ifndef HUANXIN_COMMON_SECRET_FILE_H_
#define HUANXIN_COMMON_SECRET_FILE_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin {

// Whether something exists at `path` (stat(2), following symlinks): true, false on ENOENT,
// or the errno's status for "cannot stat <what> <path>".
absl::StatusOr<bool> SecretFileExists(const std::string& path, absl::string_view what);

// Creates `path` with O_CREAT|O_EXCL and mode exactly 0600 (whatever the umask), writes all
// of *contents, fsyncs the file and then (best effort) its directory. The directory must exist.
// On any failure after the file was created, the file is unlinked again.
// *contents is overwritten with OPENSSL_cleanse before returning, success or not (its size is
// kept).
// Errors: ALREADY_EXISTS when the file already exists (e.g. another process created it first:
// callers that race should then read it); otherwise the errno's status for
// "cannot create <what> <path>" or "cannot write <what> <path>".
absl::Status CreateSecretFile(const std::string& path, absl::string_view what,
                              std::string* contents);

// Reads at most max_bytes + 1 bytes of `path`, so that a result longer than max_bytes means
// the file is oversized (the caller decides what to do about that).
// Errors: FAILED_PRECONDITION when `path` is not a regular file, or when it has any group or
// other permission bit ("<what> <path> is accessible by group or others (mode 644); chmod 600
// it"); the errno's status for "cannot open/stat/read <what> <path>".
// The returned bytes are secret: the caller must OPENSSL_cleanse them when done. The string
// is heap-allocated (capacity > max_bytes), so moving it does not leave a copy behind as long
// as max_bytes is at least 15; no other copy of the contents is left in memory.
absl::StatusOr<std::string> ReadSecretFile(const std::string& path, absl::string_view what,
                                           size_t max_bytes);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_SECRET_FILE_H_
