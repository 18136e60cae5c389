// The --config file: one `key = value` per line; blank lines and lines starting with '#' are
// ignored; keys are dotted names ("fraud.price_spike_pct"). Values are kept as text for the
// part of the program that owns the key to parse.
#ifndef HUANXIN_COMMON_CONFIG_H_
#define HUANXIN_COMMON_CONFIG_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin {

using Config = std::map<std::string, std::string>;

// INVALID_ARGUMENT naming the line for a line without '=' or a key given twice.
absl::StatusOr<Config> ParseConfig(absl::string_view text);
absl::StatusOr<Config> ReadConfigFile(const std::string& path);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_CONFIG_H_
