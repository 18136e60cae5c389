#include "tools/bench/ids.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>

#include "common/id_number.h"

namespace huanxin::bench {
namespace {

std::atomic<int64_t> g_token{0};
std::atomic<int64_t> g_id{0};

std::string Base36(uint64_t n) {
  static const char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[n % 36]);
    n /= 36;
  } while (n != 0);
  return out;
}

}  // namespace

const std::string& RunTag() {
  static const std::string tag = Base36(static_cast<uint64_t>(std::time(nullptr))) + "-" +
                                 std::to_string(static_cast<int64_t>(getpid()));
  return tag;
}

std::string UniqueToken(const std::string& prefix) {
  return prefix + "-" + RunTag() + "-" + std::to_string(++g_token);
}

std::string MintIdNumber() { return SyntheticIdNumber(static_cast<uint64_t>(g_id++)); }

}  // namespace huanxin::bench
