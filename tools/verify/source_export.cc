// Offline sources: the JSON-lines export and checkpoint files.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "tools/verify/sources.h"

namespace huanxin::verify {

namespace {

absl::Status ErrnoError(const std::string& what, const std::string& path) {
  const int e = errno;
  absl::StatusCode code = e == ENOENT   ? absl::StatusCode::kNotFound
                          : e == EACCES ? absl::StatusCode::kPermissionDenied
                                        : absl::StatusCode::kInternal;
  return absl::Status(code, absl::StrCat("cannot ", what, " ", path, ": ", std::strerror(e)));
}

}  // namespace

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("read", path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return ErrnoError("read", path);
  return ss.str();
}

absl::Status WriteWholeFile(const std::string& path, const std::string& contents) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return ErrnoError("write", tmp);
    out << contents;
    out.close();
    if (!out) return ErrnoError("write", tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return ErrnoError("rename onto", path);
  return absl::OkStatus();
}

absl::Status FeedExport(const std::string& path, LedgerVerifier& verifier) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("read", path);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  std::string line;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (verifier.complete()) {
      verifier.Add(huanxin::v1::EntryWithLeaf());  // counted as ignored, never parsed
      continue;
    }
    huanxin::v1::EntryWithLeaf entry;
    auto parsed = google::protobuf::util::JsonStringToMessage(line, &entry, options);
    if (!parsed.ok()) {
      verifier.Fail(absl::FailedPreconditionError(
          absl::StrCat(path, " line ", number, ": not a huanxin.v1.EntryWithLeaf in JSON: ",
                       parsed.message().ToString())));
      continue;
    }
    verifier.Add(entry);
  }
  if (in.bad()) return ErrnoError("read", path);
  return absl::OkStatus();
}

}  // namespace huanxin::verify
