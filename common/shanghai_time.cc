#include "common/shanghai_time.h"

#include "absl/status/status.h"

namespace huanxin {
namespace {

constexpr int kShanghaiOffsetSeconds = 8 * 3600;

bool Digits(absl::string_view s, int* out) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

absl::TimeZone ShanghaiTimeZone() { return absl::FixedTimeZone(kShanghaiOffsetSeconds); }

absl::CivilDay ShanghaiDay(absl::Time t) {
  return absl::ToCivilDay(t, ShanghaiTimeZone());
}

std::string ShanghaiDate(absl::Time t) {
  const absl::CivilDay d = ShanghaiDay(t);
  // Within kMinYear..kMaxYear this is FormatCivilTime's "%Y-%m-%d"; spelled out so the year
  // always has four digits.
  std::string out(10, '0');
  int64_t y = d.year();
  for (int i = 3; i >= 0; --i, y /= 10) out[i] = static_cast<char>('0' + y % 10);
  out[4] = '-';
  out[5] = static_cast<char>('0' + d.month() / 10);
  out[6] = static_cast<char>('0' + d.month() % 10);
  out[7] = '-';
  out[8] = static_cast<char>('0' + d.day() / 10);
  out[9] = static_cast<char>('0' + d.day() % 10);
  return out;
}

absl::Time ShanghaiStartOfDay(absl::CivilDay day) {
  return absl::FromCivil(day, ShanghaiTimeZone());
}

bool IsCalendarDate(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  // CivilDay normalizes out-of-range fields (Feb 30 -> Mar 2); a real date survives as is.
  const absl::CivilDay d(year, month, day);
  return d.year() == year && d.month() == month && d.day() == day;
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !Digits(text.substr(0, 4), &year) || !Digits(text.substr(5, 2), &month) ||
      !Digits(text.substr(8, 2), &day)) {
    return absl::InvalidArgumentError("not a date of the form YYYY-MM-DD");
  }
  if (!IsCalendarDate(year, month, day)) {
    return absl::InvalidArgumentError("not a calendar date between 1900-01-01 and 2100-12-31");
  }
  return absl::CivilDay(year, month, day);
}

}  // namespace huanxin
