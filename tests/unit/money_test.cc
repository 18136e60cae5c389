// FormatYuanNumber: amounts for spreadsheets (huanxinctl's --excel exports).
#include <cstdint>
#include <limits>

#include "common/money.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

TEST(FormatYuanNumber, PlainYuanWithTwoDecimals) {
  EXPECT_EQ(FormatYuanNumber(0), "0.00");
  EXPECT_EQ(FormatYuanNumber(1), "0.01");
  EXPECT_EQ(FormatYuanNumber(-100), "-1.00");
  EXPECT_EQ(FormatYuanNumber(179980), "1799.80");
  EXPECT_EQ(FormatYuanNumber(123456789012), "1234567890.12");
  EXPECT_EQ(FormatYuanNumber(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
  // The display form groups and marks the same digits.
  EXPECT_EQ(FormatYuan(123456789012), "¥1,234,567,890.12");
}

}  // namespace
}  // namespace huanxin
