// Vehicle identification numbers (VIN, 车辆识别代号) as GB 16735 and ISO 3779 define them:
// 17 characters of [A-HJ-NPR-Z0-9] (no I, O or Q), the 9th a check character computed over
// all 17 (the 9th counted as 0):
//   each letter is transliterated to a number (A-H = 1-8, J-N = 1-5, P = 7, R = 9,
//   S-Z = 2-9), each digit is itself; the values are weighted 8,7,6,5,4,3,2,10,0,9,8,7,6,5,4,
//   3,2 by position and summed; the sum's remainder mod 11 is the check character, 10
//   written 'X'.
// Example: 1M8GDM9AXKP042788 (check character X).
#ifndef HUANXIN_COMMON_VIN_H_
#define HUANXIN_COMMON_VIN_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace huanxin {

inline constexpr size_t kVinLength = 17;
inline constexpr size_t kVinCheckIndex = 8;  // the 9th character

// True when `c` may appear in a VIN: 0-9 and the upper-case letters other than I, O, Q.
bool IsVinChar(char c);

// The check character ('0'-'9' or 'X') of `vin`; its 9th character is not read.
// REQUIRES: vin is kVinLength characters for which IsVinChar holds.
char VinCheckChar(absl::string_view vin);

// OK when `vin` is kVinLength characters of [A-HJ-NPR-Z0-9] whose 9th is VinCheckChar(vin);
// otherwise FieldError(field, <what is wrong>, INVALID_VIN). Lower-case letters and
// surrounding spaces are refused, not corrected.
absl::Status ValidateVin(absl::string_view field, absl::string_view vin);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_VIN_H_
