#include "tools/bench/cpu.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"

namespace huanxin::bench {

absl::StatusOr<double> ProcessCpuSeconds(int64_t pid) {
  const std::string path = absl::StrCat("/proc/", pid, "/stat");
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return absl::NotFoundError("cannot read " + path);
  // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted
  // from the last ')'. utime and stime are fields 14 and 15, the 12th and 13th after it.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return absl::InternalError("cannot parse " + path);
  std::istringstream fields(line.substr(close + 1));
  std::string skip;
  for (int i = 0; i < 11; ++i) fields >> skip;
  long long utime = 0, stime = 0;
  if (!(fields >> utime >> stime)) return absl::InternalError("cannot parse " + path);
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

}  // namespace huanxin::bench
