// 居民身份证号 (PRC resident identity card numbers, GB 11643-1999), as consumers give them.
//
// An ID number is 18 characters: a 6-digit region code, an 8-digit birth date YYYYMMDD, a
// 3-digit sequence number and a check character (0-9 or X) computed with ISO 7064 MOD 11-2
// over the first 17 digits. ID numbers are personal data: nothing here logs them, and no
// error message repeats one.
#ifndef HUANXIN_COMMON_ID_NUMBER_H_
#define HUANXIN_COMMON_ID_NUMBER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace huanxin {

inline constexpr size_t kIdNumberLength = 18;

// OK when `id` is a well-formed 18-character ID number:
//   - characters 1-17 are ASCII digits, the 18th is a digit, 'X' or 'x';
//   - the region code is plausible: its first digit is 1-9;
//   - digits 7-14 are a real calendar date, from 1900-01-01 and not after today (Shanghai);
//   - the 18th character is the ISO 7064 MOD 11-2 check character of the first 17.
// Otherwise FieldError(field, <what is wrong>, INVALID_ID_NUMBER), whose message never
// contains the number or any part of it.
// No surrounding whitespace is stripped: " 11010..." is refused.
absl::Status ValidateIdNumber(absl::string_view id, absl::string_view field);

// The canonical form of a valid ID number: a trailing 'x' upper-cased to 'X'. Hash (PiiKey::Ref)
// and compare this form only, so "...x" and "...X" are the same consumer.
// REQUIRES: ValidateIdNumber(id, ...).ok() (other input is returned with 'x' upper-cased).
std::string NormalizeIdNumber(absl::string_view id);

// The MOD 11-2 check character ('0'-'9' or 'X') of 17 ASCII digits.
// REQUIRES: first17 is exactly 17 ASCII digits.
char IdNumberCheckChar(absl::string_view first17);

// A valid ID number for tests, benchmarks and drills, the n-th of a sequence whose first
// 134 million are distinct: a region of 滨州 (371602 first, then up to 371609), a real birth
// date from 1960-01-01 (day 1-28, years 1960-2009), a sequence number 001-999 and the check
// character.
std::string SyntheticIdNumber(uint64_t n);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_ID_NUMBER_H_
