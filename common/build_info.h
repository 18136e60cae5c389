// What a Huanxin binary says about itself: the project's version (CMake's project VERSION)
// and the git commit it was built from, read when it was built ("unknown" outside a git
// checkout). Every binary answers --version with VersionLine and opens --help with a usage
// line.
#ifndef HUANXIN_COMMON_BUILD_INFO_H_
#define HUANXIN_COMMON_BUILD_INFO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace huanxin {

// "0.6.0".
const char* ProjectVersion();
// The abbreviated commit hash, or "unknown".
const char* BuildCommit();

// "<program> <version> (commit <hash>)", e.g. "huanxind 0.6.0 (commit 1a2b3c4d5e6f)".
std::string VersionLine(absl::string_view program);

// For a binary whose flags are Abseil flags, before absl::ParseCommandLine: --version prints
// VersionLine(program) and exits 0; --help starts with "<program>: usage: <program> <synopsis>"
// and then `description`, and names the files that define flags relative to the source tree.
void SetUpFlagsUsage(absl::string_view program, absl::string_view synopsis,
                     absl::string_view description);

// For a tool that parses its own flags, first thing in main(): when an argument before any
// "--" is --version, prints VersionLine(program) on stdout and exits 0.
void ExitIfVersionFlag(int argc, char** argv, absl::string_view program);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_BUILD_INFO_H_
