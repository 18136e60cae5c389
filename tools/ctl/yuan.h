// Yuan typed on the command line -> fen: exact integer arithmetic, no floating point.
// Formatting fen for display is common/money.h's huanxin::FormatYuan.
#ifndef HUANXIN_TOOLS_CTL_YUAN_H_
#define HUANXIN_TOOLS_CTL_YUAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "common/money.h"

namespace huanxin::ctl {

using ::huanxin::FormatYuan;

// Parses a non-negative yuan amount as an operator types it, and nothing looser:
//   [¥] INTEGER [. D | . DD]
// where INTEGER is plain digits ("3999") or digits grouped by thousands with commas
// ("3,999", "1,234,567": a first group of 1-3 digits, then groups of exactly 3). At most two
// decimals, and at least one after a '.'. Returns the amount in fen, or nullopt when the
// text is not such an amount ("39,99", "3,9999", ",399", "1_000", "3999.", "3999.001", "")
// or does not fit in int64 fen.
std::optional<int64_t> ParseYuanToFen(absl::string_view text);

// The usage error for an amount `text` that ParseYuanToFen refused, naming where it was given
// (`what`: "--price", "AMOUNT_YUAN") and what it takes.
std::string BadYuanMessage(absl::string_view what, absl::string_view text);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_YUAN_H_
