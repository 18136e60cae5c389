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

// Parses a non-negative yuan amount as typed by an operator: "5000000", "12.5", "12.50",
// "¥1,234.56", "1_000". At most two decimals. Returns the amount in fen, or nullopt when the
// text is not such an amount or does not fit in int64 fen.
std::optional<int64_t> ParseYuanToFen(absl::string_view text);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_YUAN_H_
