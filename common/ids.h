// Identifiers the ledger mints: a prefix and 16 characters of Crockford base32 from a CSPRNG
// (80 bits), e.g. "v-7k2m9q4x1c8d3f6h". Unguessable, so a voucher id alone reveals nothing.
#ifndef HUANXIN_COMMON_IDS_H_
#define HUANXIN_COMMON_IDS_H_

#include <string>
#include "absl/strings/string_view.h"

namespace huanxin {

// Aborts if the system's CSPRNG fails: a ledger must not mint predictable ids.
std::string NewId(absl::string_view prefix);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_IDS_H_
