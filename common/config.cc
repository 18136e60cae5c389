#include "common/config.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace huanxin {

absl::StatusOr<Config> ParseConfig(absl::string_view text) {
  Config out;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    const size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("config line ", line_no, ": no '='"));
    }
    std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(line.substr(eq + 1)));
    if (key.empty()) return absl::InvalidArgumentError(absl::StrCat("config line ", line_no, ": no key"));
    if (!out.emplace(key, value).second) {
      return absl::InvalidArgumentError(absl::StrCat("config line ", line_no, ": ", key,
                                                     " is given twice"));
    }
  }
  return out;
}

absl::StatusOr<Config> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read config file ", path));
  std::stringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str());
}

}  // namespace huanxin
