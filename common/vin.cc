#include "common/vin.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace huanxin {
namespace {

constexpr int kWeights[kVinLength] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};

// The transliterated value of a character for which IsVinChar holds.
int VinValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c <= 'H') return c - 'A' + 1;  // A-H: 1-8
  if (c <= 'N') return c - 'J' + 1;  // J-N: 1-5
  if (c == 'P') return 7;
  if (c == 'R') return 9;
  return c - 'S' + 2;  // S-Z: 2-9
}

}  // namespace

bool IsVinChar(char c) {
  if (c >= '0' && c <= '9') return true;
  return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O' && c != 'Q';
}

char VinCheckChar(absl::string_view vin) {
  int sum = 0;
  for (size_t i = 0; i < kVinLength; ++i) sum += VinValue(vin[i]) * kWeights[i];
  const int check = sum % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

absl::Status ValidateVin(absl::string_view field, absl::string_view vin) {
  if (vin.size() != kVinLength) {
    return FieldError(field, absl::StrCat("a VIN has 17 characters, not ", vin.size()),
                      reason::kInvalidVin);
  }
  for (size_t i = 0; i < vin.size(); ++i) {
    if (!IsVinChar(vin[i])) {
      return FieldError(field,
                        absl::StrCat("character ", i + 1,
                                     " is not one of 0-9 and A-Z without I, O and Q"),
                        reason::kInvalidVin);
    }
  }
  if (vin[kVinCheckIndex] != VinCheckChar(vin)) {
    return FieldError(field, "the check character (the 9th, GB 16735) does not match",
                      reason::kInvalidVin);
  }
  return absl::OkStatus();
}

}  // namespace huanxin
