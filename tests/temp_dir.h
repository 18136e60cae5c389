// A fresh directory under the system's temporary directory for one test's files, removed with
// everything in it when the object goes, unless HUANXIN_ITEST_KEEP_DATA is set (to look at
// it after a failure). Shared by the unit, integration and abuse tests.
#ifndef HUANXIN_TESTS_TEMP_DIR_H_
#define HUANXIN_TESTS_TEMP_DIR_H_

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace huanxin::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "hx-test") {
    std::string tmpl = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
  }
  ~TempDir() {
    if (path_.empty() || std::getenv("HUANXIN_ITEST_KEEP_DATA") != nullptr) return;
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // The directory; "" when it could not be made.
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace huanxin::testing

#endif  // HUANXIN_TESTS_TEMP_DIR_H_
