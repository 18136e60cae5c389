// A file a command-line flag names (a PEM certificate, key or CA), read whole.
#ifndef HUANXIN_COMMON_FLAG_FILE_H_
#define HUANXIN_COMMON_FLAG_FILE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin {

// The contents of `path`. INVALID_ARGUMENT "--<flag>: cannot read <path>" when it cannot be
// read or is empty.
absl::StatusOr<std::string> ReadFlagFile(absl::string_view flag, const std::string& path);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_FLAG_FILE_H_
