#include "tools/bench/ids.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>

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

char IdCheckDigit(const std::string& body17) {
  // Weight of position i (0-based from the left) is 2^(17-i) mod 11.
  static const int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (body17[i] - '0') * kWeights[i];
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

std::string MintIdNumber() {
  int64_t n = g_id++;
  const int seq = static_cast<int>(n % 999) + 1;
  n /= 999;
  const int day = static_cast<int>(n % 28) + 1;
  n /= 28;
  const int month = static_cast<int>(n % 12) + 1;
  n /= 12;
  const int year = 1960 + static_cast<int>(n % 40);
  char body[32];
  std::snprintf(body, sizeof(body), "371602%04d%02d%02d%03d", year, month, day, seq);
  std::string id(body);
  id.push_back(IdCheckDigit(id));
  return id;
}

}  // namespace huanxin::bench
