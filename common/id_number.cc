#include "common/id_number.h"

#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/shanghai_time.h"
#include "common/status.h"

namespace huanxin {
namespace {

constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckChars[12] = "10X98765432";  // indexed by (sum of digit*weight) mod 11

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int DigitsValue(absl::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

}  // namespace

char IdNumberCheckChar(absl::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckChars[sum % 11];
}

std::string SyntheticIdNumber(uint64_t n) {
  const int seq = static_cast<int>(n % 999) + 1;
  n /= 999;
  const int day = static_cast<int>(n % 28) + 1;
  n /= 28;
  const int month = static_cast<int>(n % 12) + 1;
  n /= 12;
  const int year = 1960 + static_cast<int>(n % 50);
  n /= 50;
  const int county = 2 + static_cast<int>(n % 8);
  std::string id = absl::StrFormat("37160%d%04d%02d%02d%03d", county, year, month, day, seq);
  id.push_back(IdNumberCheckChar(id));
  return id;
}

absl::Status ValidateIdNumber(absl::string_view id, absl::string_view field) {
  auto fail = [field](absl::string_view what) {
    return FieldError(field, what, reason::kInvalidIdNumber);
  };
  if (id.empty()) return fail("an ID number is required");
  if (id.size() != kIdNumberLength) return fail("an ID number has exactly 18 characters");
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(id[i])) return fail("the first 17 characters of an ID number must be digits");
  }
  const char last = id[17];
  if (!IsDigit(last) && last != 'X' && last != 'x') {
    return fail("the last character of an ID number must be a digit or X");
  }
  if (id[0] == '0') return fail("the ID number's region code is not valid");
  const int year = DigitsValue(id.substr(6, 4));
  const int month = DigitsValue(id.substr(10, 2));
  const int day = DigitsValue(id.substr(12, 2));
  if (!IsCalendarDate(year, month, day)) {
    return fail("the ID number's birth date is not a real date between 1900 and 2100");
  }
  if (absl::CivilDay(year, month, day) > ShanghaiDay(absl::Now())) {
    return fail("the ID number's birth date is after today");
  }
  const char want = IdNumberCheckChar(id.substr(0, 17));
  if ((last == 'x' ? 'X' : last) != want) {
    return fail("the ID number's check digit does not match (ISO 7064 MOD 11-2)");
  }
  return absl::OkStatus();
}

std::string NormalizeIdNumber(absl::string_view id) {
  std::string out(id);
  for (char& c : out) {
    if (c == 'x') c = 'X';
  }
  return out;
}

}  // namespace huanxin
