// Calendar days as Huanxin counts them. Days and daily quotas follow Asia/Shanghai, which
// has been UTC+8 without daylight saving since 1991; Huanxin uses the fixed offset, so no
// time-zone database is needed. Calendar dates travel as "YYYY-MM-DD" strings.
#ifndef HUANXIN_COMMON_SHANGHAI_TIME_H_
#define HUANXIN_COMMON_SHANGHAI_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace huanxin {

// The earliest and latest years any date Huanxin accepts may have (birth dates in ID
// numbers, vehicle registration dates, programme dates).
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 2100;

// UTC+8, fixed.
absl::TimeZone ShanghaiTimeZone();

// The Shanghai calendar day `t` falls on.
// REQUIRES: t is finite (not absl::InfiniteFuture()/InfinitePast()).
absl::CivilDay ShanghaiDay(absl::Time t);

// ShanghaiDay(t) as "YYYY-MM-DD", e.g. 2025-01-19T16:00:00Z -> "2025-01-20".
// REQUIRES: t is finite and ShanghaiDay(t) lies in years 0..9999.
std::string ShanghaiDate(absl::Time t);

// The instant a Shanghai calendar day starts (00:00 UTC+8).
absl::Time ShanghaiStartOfDay(absl::CivilDay day);

// True when year-month-day is a real Gregorian date with kMinYear <= year <= kMaxYear.
bool IsCalendarDate(int year, int month, int day);

// Parses exactly "YYYY-MM-DD" (ten characters, ASCII digits, '-' separators) naming a real
// date between kMinYear-01-01 and kMaxYear-12-31. Anything else is INVALID_ARGUMENT with a
// message that does not repeat the input; callers wanting a field error use ValidateDate.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_SHANGHAI_TIME_H_
