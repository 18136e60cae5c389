// Money as people read it. Huanxin keeps money as int64 fen (1 yuan = 100 fen); these
// helpers only format it for messages and logs, never for arithmetic.
#ifndef HUANXIN_COMMON_MONEY_H_
#define HUANXIN_COMMON_MONEY_H_

#include <cstdint>
#include <string>

namespace huanxin {

inline constexpr int64_t kFenPerYuan = 100;

// "¥1,799.80" for 179980; "-¥1.00" for -100; "¥0.00" for 0. Thousands are grouped with ','
// and there are always two decimals. Defined for every int64_t, INT64_MIN included.
std::string FormatYuan(int64_t fen);

// The same amount as a plain number a spreadsheet reads: "1799.80" for 179980, "-1.00" for
// -100, "0.00" for 0 (no symbol, no grouping, always two decimals).
std::string FormatYuanNumber(int64_t fen);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_MONEY_H_
