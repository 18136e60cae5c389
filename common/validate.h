// Field validators for request input. Each returns OK or FieldError(field, detail, reason):
// INVALID_ARGUMENT, message "<reason>: <field>: <detail>", `field` as the field path
// ("program.rules[2].category"). `reason` defaults to INVALID_FIELD; pass e.g.
// reason::kInvalidProgram where docs/api.md names one. Details describe the rule broken and do
// not echo the value, so they are safe to log.
//
// Argument order is (field, value, ...) throughout this header.
#ifndef HUANXIN_COMMON_VALIDATE_H_
#define HUANXIN_COMMON_VALIDATE_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/status.h"

namespace huanxin {

inline constexpr int32_t kDefaultPageSize = 100;
inline constexpr int32_t kMaxPageSize = 1000;

// The idempotency key: 1-64 characters of [A-Za-z0-9._:-].
absl::Status ValidateRequestId(absl::string_view field, absl::string_view value,
                               absl::string_view reason = reason::kInvalidField);

// Programme, merchant and recycler ids: [a-z0-9-]{3,64}.
absl::Status ValidateSlug(absl::string_view field, absl::string_view value,
                          absl::string_view reason = reason::kInvalidField);

// A category name of a CategoryRule or Purchase: [a-z0-9_]{1,64}.
absl::Status ValidateCategory(absl::string_view field, absl::string_view value,
                              absl::string_view reason = reason::kInvalidField);

// A 6-digit administrative region code (行政区划代码), e.g. "371600"; the first digit is 1-9.
absl::Status ValidateRegionCode(absl::string_view field, absl::string_view value,
                                absl::string_view reason = reason::kInvalidField);

// A calendar date "YYYY-MM-DD" that exists, between 1900-01-01 and 2100-12-31 (ParseDate).
absl::Status ValidateDate(absl::string_view field, absl::string_view value,
                          absl::string_view reason = reason::kInvalidField);

// A date as ValidateDate, and not after today in Asia/Shanghai (a registration, a purchase of
// ownership: things that have happened).
absl::Status ValidatePastDate(absl::string_view field, absl::string_view value,
                              absl::string_view reason = reason::kInvalidField);

// Free text (names, memos, notes, reasons): valid UTF-8 (shortest forms, no surrogates),
// no control characters (U+0000-U+001F, U+007F-U+009F; so no tabs or newlines either),
// at most `max_bytes` bytes. When `required`, it must contain a visible character: spaces
// (U+0020, U+3000), zero-width characters (U+200B-U+200D, U+2060) and the byte order mark
// (U+FEFF) do not count.
absl::Status ValidateText(absl::string_view field, absl::string_view value, size_t max_bytes,
                          bool required, absl::string_view reason = reason::kInvalidField);

// An identifier-like code (serial numbers, IMEI, VIN, invoice numbers, certificate numbers):
// printable ASCII without spaces (0x21-0x7E), at most `max_bytes` bytes; when `required`,
// non-empty.
absl::Status ValidateCode(absl::string_view field, absl::string_view value, size_t max_bytes,
                          bool required, absl::string_view reason = reason::kInvalidField);

// A list's page_size: 0 (the default, kDefaultPageSize) or positive. Values above
// kMaxPageSize are accepted and clamped by EffectivePageSize (as AIP-158 asks); negative
// values are refused.
absl::Status ValidatePageSize(absl::string_view field, int32_t page_size);

// The page size to use for a validated `page_size`: kDefaultPageSize for 0, at most
// kMaxPageSize.
int32_t EffectivePageSize(int32_t page_size);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_VALIDATE_H_
