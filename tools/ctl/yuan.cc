#include "tools/ctl/yuan.h"

#include <limits>

namespace huanxin::ctl {

std::optional<int64_t> ParseYuanToFen(absl::string_view text) {
  constexpr absl::string_view kYuanSign = "\xC2\xA5";  // "¥" in UTF-8
  if (text.substr(0, kYuanSign.size()) == kYuanSign) text.remove_prefix(kYuanSign.size());
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t yuan = 0;
  int int_digits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c == ',' || c == '_') {
      if (int_digits == 0) return std::nullopt;  // no leading separator
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (yuan > (kMax / 100 - (c - '0')) / 10) return std::nullopt;  // yuan*100 must fit
    yuan = yuan * 10 + (c - '0');
    ++int_digits;
  }
  if (int_digits == 0) return std::nullopt;
  int64_t fen = 0;
  if (i < text.size()) {  // text[i] == '.'
    absl::string_view frac = text.substr(i + 1);
    if (frac.empty() || frac.size() > 2) return std::nullopt;
    for (char c : frac) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    fen = (frac[0] - '0') * 10 + (frac.size() == 2 ? frac[1] - '0' : 0);
  }
  if (yuan * 100 > kMax - fen) return std::nullopt;
  return yuan * 100 + fen;
}

}  // namespace huanxin::ctl
