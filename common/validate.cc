#include "common/validate.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/shanghai_time.h"

namespace huanxin {
namespace {

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Decodes the UTF-8 sequence at s[*i], advancing *i. Returns the code point, or -1 for an
// invalid sequence (truncated, overlong, surrogate, above U+10FFFF).
int32_t NextCodePoint(absl::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  int len;
  int32_t cp;
  int32_t min;
  if (c < 0x80) {
    ++*i;
    return c;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (s.size() - *i < static_cast<size_t>(len)) return -1;
  for (int k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  *i += len;
  return cp;
}

// Spaces, zero-width characters and the byte order mark: a value of only these reads as
// empty.
bool IsInvisible(int32_t cp) {
  return cp == 0x20 || cp == 0x3000 || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 ||
         cp == 0xFEFF;
}

}  // namespace

absl::Status ValidateRequestId(absl::string_view field, absl::string_view value,
                               absl::string_view reason) {
  if (value.empty()) return FieldError(field, "a request_id is required", reason);
  if (value.size() > 64) return FieldError(field, "at most 64 characters", reason);
  for (char c : value) {
    if (!(IsLower(c) || IsUpper(c) || IsDigit(c) || c == '.' || c == '_' || c == ':' ||
          c == '-')) {
      return FieldError(field, "only characters of [A-Za-z0-9._:-] are allowed", reason);
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSlug(absl::string_view field, absl::string_view value,
                          absl::string_view reason) {
  if (value.empty()) return FieldError(field, "required", reason);
  if (value.size() < 3 || value.size() > 64) {
    return FieldError(field, "must be 3-64 characters of [a-z0-9-]", reason);
  }
  for (char c : value) {
    if (!(IsLower(c) || IsDigit(c) || c == '-')) {
      return FieldError(field, "must be 3-64 characters of [a-z0-9-]", reason);
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCategory(absl::string_view field, absl::string_view value,
                              absl::string_view reason) {
  if (value.empty()) return FieldError(field, "a category is required", reason);
  if (value.size() > 64) return FieldError(field, "must be 1-64 characters of [a-z0-9_]", reason);
  for (char c : value) {
    if (!(IsLower(c) || IsDigit(c) || c == '_')) {
      return FieldError(field, "must be 1-64 characters of [a-z0-9_]", reason);
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRegionCode(absl::string_view field, absl::string_view value,
                                absl::string_view reason) {
  if (value.size() != 6) return FieldError(field, "a region code is exactly 6 digits", reason);
  for (char c : value) {
    if (!IsDigit(c)) return FieldError(field, "a region code is exactly 6 digits", reason);
  }
  if (value[0] == '0') return FieldError(field, "a region code does not start with 0", reason);
  return absl::OkStatus();
}

absl::Status ValidateDate(absl::string_view field, absl::string_view value,
                          absl::string_view reason) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(value);
  if (!day.ok()) return FieldError(field, std::string(day.status().message()), reason);
  return absl::OkStatus();
}

absl::Status ValidatePastDate(absl::string_view field, absl::string_view value,
                              absl::string_view reason) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(value);
  if (!day.ok()) return FieldError(field, std::string(day.status().message()), reason);
  if (*day > ShanghaiDay(absl::Now())) return FieldError(field, "is after today", reason);
  return absl::OkStatus();
}

absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max_bytes,
                          bool required, absl::string_view reason) {
  if (value.size() > max_bytes) {
    return FieldError(field, absl::StrCat("at most ", max_bytes, " bytes"), reason);
  }
  bool blank = true;
  size_t i = 0;
  while (i < value.size()) {
    const int32_t cp = NextCodePoint(value, &i);
    if (cp < 0) return FieldError(field, "not valid UTF-8", reason);
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      return FieldError(field, "control characters are not allowed", reason);
    }
    if (!IsInvisible(cp)) blank = false;
  }
  if (required && blank) return FieldError(field, "required", reason);
  return absl::OkStatus();
}

absl::Status ValidateCode(absl::string_view field, absl::string_view value, size_t max_bytes,
                          bool required, absl::string_view reason) {
  if (value.empty()) {
    return required ? FieldError(field, "required", reason) : absl::OkStatus();
  }
  if (value.size() > max_bytes) {
    return FieldError(field, absl::StrCat("at most ", max_bytes, " characters"), reason);
  }
  for (unsigned char c : value) {
    if (c < 0x21 || c > 0x7E) {
      return FieldError(field, "only printable ASCII without spaces is allowed", reason);
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePageSize(absl::string_view field, int32_t page_size) {
  if (page_size < 0) return FieldError(field, "must not be negative");
  return absl::OkStatus();
}

int32_t EffectivePageSize(int32_t page_size) {
  if (page_size <= 0) return kDefaultPageSize;
  return page_size > kMaxPageSize ? kMaxPageSize : page_size;
}

}  // namespace huanxin
