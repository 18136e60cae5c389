// common/validate.h and common/shanghai_time.h.
#include "common/validate.h"

#include <string>

#include "absl/time/time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

void ExpectFieldError(const absl::Status& s, absl::string_view field,
                      absl::string_view why = "") {
  ASSERT_FALSE(s.ok()) << why;
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << why;
  EXPECT_EQ(ReasonOf(s), reason::kInvalidField) << s;
  EXPECT_EQ(FieldOf(s), field) << s;
}

TEST(ValidateRequestId, AcceptsAndRefuses) {
  for (const char* ok : {"a", "req-1", "POS_42:2025-01-20.0001", "A.B_c:d-e"}) {
    EXPECT_TRUE(ValidateRequestId("request_id", ok).ok()) << ok;
  }
  EXPECT_TRUE(ValidateRequestId("request_id", std::string(64, 'x')).ok());
  for (const std::string& bad :
       {std::string(), std::string(65, 'x'), std::string("a b"), std::string("a/b"),
        std::string("请求"), std::string("a\n")}) {
    ExpectFieldError(ValidateRequestId("request_id", bad), "request_id", bad);
  }
}

TEST(ValidateRequestId, CustomReason) {
  absl::Status s = ValidateRequestId("x", "", reason::kInvalidProgram);
  EXPECT_EQ(ReasonOf(s), reason::kInvalidProgram);
}

TEST(ValidateSlug, AcceptsAndRefuses) {
  for (const char* ok : {"abc", "binzhou-2025", "a-1", "000"}) {
    EXPECT_TRUE(ValidateSlug("merchant.merchant_id", ok).ok()) << ok;
  }
  EXPECT_TRUE(ValidateSlug("id", std::string(64, 'a')).ok());
  for (const std::string& bad : {std::string(), std::string("ab"), std::string(65, 'a'),
                                 std::string("Abc"), std::string("a_b"), std::string("a b c"),
                                 std::string("abc.")}) {
    ExpectFieldError(ValidateSlug("merchant.merchant_id", bad), "merchant.merchant_id", bad);
  }
}

TEST(ValidateCategory, AcceptsAndRefuses) {
  for (const char* ok : {"phone", "fuel_le_2l", "air_conditioner", "a"}) {
    EXPECT_TRUE(ValidateCategory("category", ok).ok()) << ok;
  }
  for (const std::string& bad :
       {std::string(), std::string(65, 'a'), std::string("Phone"), std::string("smart-lock")}) {
    ExpectFieldError(ValidateCategory("category", bad), "category", bad);
  }
}

TEST(ValidateRegionCode, AcceptsAndRefuses) {
  EXPECT_TRUE(ValidateRegionCode("region_code", "371600").ok());
  EXPECT_TRUE(ValidateRegionCode("region_code", "110105").ok());
  for (const char* bad : {"", "37160", "3716000", "37160a", "０71600", "071600", " 71600"}) {
    ExpectFieldError(ValidateRegionCode("region_code", bad), "region_code", bad);
  }
}

TEST(ValidateDate, AcceptsAndRefuses) {
  for (const char* ok : {"2025-01-08", "2000-02-29", "1900-01-01", "2100-12-31", "2024-02-29"}) {
    EXPECT_TRUE(ValidateDate("d", ok).ok()) << ok;
  }
  for (const char* bad : {"", "2025-1-8", "2025/01/08", "20250108", "2025-02-29", "1900-02-29",
                          "2025-13-01", "2025-00-10", "2025-04-31", "1899-12-31", "2101-01-01",
                          "2025-01-08T00:00", "+025-01-08", "2025-01-0a"}) {
    ExpectFieldError(ValidateDate("d", bad), "d", bad);
  }
}

TEST(ValidateText, AcceptsAndRefuses) {
  EXPECT_TRUE(ValidateText("name", "滨州市 家电 2025", 200, true).ok());
  EXPECT_TRUE(ValidateText("memo", "", 200, false).ok());
  EXPECT_TRUE(ValidateText("name", std::string(10, 'a'), 10, true).ok());
  EXPECT_TRUE(ValidateText("name", "😀", 4, true).ok());
  ExpectFieldError(ValidateText("name", "", 200, true), "name", "required");
  ExpectFieldError(ValidateText("name", "   ", 200, true), "name", "blank");
  ExpectFieldError(ValidateText("name", "\xE3\x80\x80", 200, true), "name", "ideographic space");
  ExpectFieldError(ValidateText("name", std::string(11, 'a'), 10, true), "name", "too long");
  ExpectFieldError(ValidateText("name", "滨州", 5, true), "name", "too long in bytes");
  ExpectFieldError(ValidateText("name", "a\tb", 200, true), "name", "tab");
  ExpectFieldError(ValidateText("name", "a\nb", 200, true), "name", "newline");
  ExpectFieldError(ValidateText("name", std::string("a\0b", 3), 200, true), "name", "NUL");
  ExpectFieldError(ValidateText("name", "a\x7f", 200, true), "name", "DEL");
  ExpectFieldError(ValidateText("name", "a\xC2\x85", 200, true), "name", "C1 NEL");
  ExpectFieldError(ValidateText("name", "\xff", 200, true), "name", "bad byte");
  ExpectFieldError(ValidateText("name", "\xE6\xBB", 200, true), "name", "truncated");
  ExpectFieldError(ValidateText("name", "\xC0\xAF", 200, true), "name", "overlong");
  ExpectFieldError(ValidateText("name", "\xED\xA0\x80", 200, true), "name", "surrogate");
  ExpectFieldError(ValidateText("name", "\xF4\x90\x80\x80", 200, true), "name", "> U+10FFFF");
}

TEST(ValidateCode, AcceptsAndRefuses) {
  EXPECT_TRUE(ValidateCode("sn", "LSVAU2180N2183294", 64, true).ok());
  EXPECT_TRUE(ValidateCode("sn", "", 64, false).ok());
  ExpectFieldError(ValidateCode("sn", "", 64, true), "sn");
  ExpectFieldError(ValidateCode("sn", "a b", 64, true), "sn");
  ExpectFieldError(ValidateCode("sn", "号", 64, true), "sn");
  ExpectFieldError(ValidateCode("sn", std::string(65, 'a'), 64, true), "sn");
}

TEST(ValidatePageSize, Values) {
  EXPECT_TRUE(ValidatePageSize("page_size", 0).ok());
  EXPECT_TRUE(ValidatePageSize("page_size", 1000).ok());
  EXPECT_TRUE(ValidatePageSize("page_size", 5000).ok());
  ExpectFieldError(ValidatePageSize("page_size", -1), "page_size");
  EXPECT_EQ(EffectivePageSize(0), 100);
  EXPECT_EQ(EffectivePageSize(7), 7);
  EXPECT_EQ(EffectivePageSize(1000), 1000);
  EXPECT_EQ(EffectivePageSize(5000), 1000);
}

TEST(ShanghaiTime, DateIsUtcPlus8) {
  // 2025-01-19T15:59:59Z is 23:59:59 in Shanghai; one second later is the next day.
  const absl::Time t = absl::FromUnixSeconds(1737302399);
  EXPECT_EQ(ShanghaiDate(t), "2025-01-19");
  EXPECT_EQ(ShanghaiDate(t + absl::Seconds(1)), "2025-01-20");
  EXPECT_EQ(ShanghaiDate(absl::UnixEpoch()), "1970-01-01");
  EXPECT_EQ(ShanghaiStartOfDay(absl::CivilDay(2025, 1, 20)), t + absl::Seconds(1));
  EXPECT_EQ(ShanghaiDay(t), absl::CivilDay(2025, 1, 19));
}

TEST(ShanghaiTime, ParseDate) {
  auto d = ParseDate("2025-01-08");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(2025, 1, 8));
  EXPECT_FALSE(ParseDate("2025-02-30").ok());
  EXPECT_FALSE(ParseDate("2025-1-08").ok());
  EXPECT_EQ(ParseDate("x").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsCalendarDate(2024, 2, 29));
  EXPECT_FALSE(IsCalendarDate(2100, 2, 29));
}

}  // namespace
}  // namespace huanxin
