#include "common/money.h"

#include <algorithm>

namespace huanxin {
namespace {

// "-" when negative, `symbol`, the yuan (grouped by thousands with ',' when `grouped`), '.'
// and two decimals.
std::string Format(int64_t fen, const char* symbol, bool grouped) {
  // The magnitude as unsigned, so that INT64_MIN does not overflow.
  const bool negative = fen < 0;
  const uint64_t abs_fen = negative ? uint64_t{0} - static_cast<uint64_t>(fen)
                                    : static_cast<uint64_t>(fen);
  const uint64_t yuan = abs_fen / 100;
  const uint64_t cents = abs_fen % 100;

  // Integer part, built backwards.
  std::string digits;
  uint64_t rest = yuan;
  int n = 0;
  do {
    if (grouped && n > 0 && n % 3 == 0) digits.push_back(',');
    digits.push_back(static_cast<char>('0' + rest % 10));
    rest /= 10;
    ++n;
  } while (rest != 0);
  std::reverse(digits.begin(), digits.end());

  std::string out;
  if (negative) out.push_back('-');
  out += symbol;
  out += digits;
  out.push_back('.');
  out.push_back(static_cast<char>('0' + cents / 10));
  out.push_back(static_cast<char>('0' + cents % 10));
  return out;
}

}  // namespace

std::string FormatYuan(int64_t fen) {
  return Format(fen, "\xC2\xA5", /*grouped=*/true);  // U+00A5 YEN SIGN, as used for 人民币
}

std::string FormatYuanNumber(int64_t fen) { return Format(fen, "", /*grouped=*/false); }

}  // namespace huanxin
