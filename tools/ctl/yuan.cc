#include "tools/ctl/yuan.h"

#include <limits>

#include "absl/strings/str_cat.h"

namespace huanxin::ctl {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when `digits` is plain digits, or digits grouped by thousands with commas.
bool WellFormedInteger(absl::string_view digits) {
  if (digits.empty()) return false;
  const size_t first_comma = digits.find(',');
  if (first_comma == absl::string_view::npos) {
    for (char c : digits) {
      if (!IsDigit(c)) return false;
    }
    return true;
  }
  // "1,234,567": a first group of 1-3 digits, then ",ddd" groups only.
  if (first_comma == 0 || first_comma > 3) return false;
  for (size_t i = 0; i < digits.size(); ++i) {
    const bool comma_place = i >= first_comma && (i - first_comma) % 4 == 0;
    if (comma_place ? digits[i] != ',' : !IsDigit(digits[i])) return false;
  }
  return (digits.size() - first_comma) % 4 == 0;  // the last group is whole
}

}  // namespace

std::optional<int64_t> ParseYuanToFen(absl::string_view text) {
  constexpr absl::string_view kYuanSign = "\xC2\xA5";  // "¥" in UTF-8
  if (text.substr(0, kYuanSign.size()) == kYuanSign) text.remove_prefix(kYuanSign.size());
  const size_t dot = text.find('.');
  const absl::string_view integer = text.substr(0, dot);
  if (!WellFormedInteger(integer)) return std::nullopt;
  int64_t fen = 0;
  if (dot != absl::string_view::npos) {
    absl::string_view frac = text.substr(dot + 1);
    if (frac.empty() || frac.size() > 2) return std::nullopt;
    for (char c : frac) {
      if (!IsDigit(c)) return std::nullopt;
    }
    fen = (frac[0] - '0') * 10 + (frac.size() == 2 ? frac[1] - '0' : 0);
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t yuan = 0;
  for (char c : integer) {
    if (c == ',') continue;  // a thousands separator, checked above
    if (yuan > (kMax / 100 - (c - '0')) / 10) return std::nullopt;  // yuan*100 must fit
    yuan = yuan * 10 + (c - '0');
  }
  if (yuan * 100 > kMax - fen) return std::nullopt;
  return yuan * 100 + fen;
}

std::string BadYuanMessage(absl::string_view what, absl::string_view text) {
  return absl::StrCat(what,
                      " takes yuan: digits, with commas only between thousands, and at most two "
                      "decimals (e.g. 3999, 3999.5 or 3,999.00), got \"",
                      text, "\"");
}

}  // namespace huanxin::ctl
