#include "common/build_info.h"

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"

// Defined in the build directory's generated/build_info_data.cc (cmake/build_info.cmake),
// the one file a new commit recompiles.
namespace huanxin::build_info_data {
extern const char kVersion[];
extern const char kCommit[];
extern const char kSourceDir[];
}  // namespace huanxin::build_info_data

namespace huanxin {

const char* ProjectVersion() { return build_info_data::kVersion; }
const char* BuildCommit() { return build_info_data::kCommit; }

std::string VersionLine(absl::string_view program) {
  return absl::StrCat(program, " ", ProjectVersion(), " (commit ", BuildCommit(), ")");
}

namespace {

// "../server/huanxind_main.cc" or "/src/huanxin/server/huanxind_main.cc" ->
// "server/huanxind_main.cc".
std::string SourceRelative(absl::string_view file) {
  const std::string source_dir = absl::StrCat(build_info_data::kSourceDir, "/");
  if (absl::StartsWith(file, source_dir)) file.remove_prefix(source_dir.size());
  while (absl::ConsumePrefix(&file, "../") || absl::ConsumePrefix(&file, "./")) {
  }
  return std::string(file);
}

}  // namespace

void SetUpFlagsUsage(absl::string_view program, absl::string_view synopsis,
                     absl::string_view description) {
  const std::string line = VersionLine(program);
  absl::SetProgramUsageMessage(
      absl::StrCat("usage: ", program, " ", synopsis, "\n", description, "\n", line));
  absl::FlagsUsageConfig config;
  config.version_string = [line] { return line + "\n"; };
  config.normalize_filename = [](absl::string_view file) { return SourceRelative(file); };
  absl::SetFlagsUsageConfig(config);
}

void ExitIfVersionFlag(int argc, char** argv, absl::string_view program) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return;
    if (std::strcmp(argv[i], "--version") == 0) {
      std::cout << VersionLine(program) << std::endl;
      std::exit(0);
    }
  }
}

}  // namespace huanxin
