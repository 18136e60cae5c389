#include "common/id_number.h"

#include <string>

#include "common/status.h"
#include "gtest/gtest.h"

namespace huanxin {
namespace {

// Check characters computed independently (ISO 7064 MOD 11-2).
constexpr const char* kValid[] = {
    "11010519491231002X",  // the GB 11643 example
    "371602199003071236",  // 滨州 滨城区
    "440304200002290014",  // born on a leap day
    "371623200510182018",
    "110101200001010010",
    "37160219900307121X",
};

void ExpectInvalid(absl::string_view id, absl::string_view why) {
  absl::Status s = ValidateIdNumber(id, "consumer.id_number");
  ASSERT_FALSE(s.ok()) << why;
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << why;
  EXPECT_EQ(ReasonOf(s), reason::kInvalidIdNumber) << why;
  EXPECT_EQ(FieldOf(s), "consumer.id_number") << why;
  if (id.size() >= 6) {
    // The message never echoes the number or a recognisable part of it.
    EXPECT_EQ(s.message().find(id.substr(0, 6)), absl::string_view::npos) << s;
    EXPECT_EQ(s.message().find(id.substr(6, 8)), absl::string_view::npos) << s;
  }
}

TEST(IdNumber, AcceptsValidNumbers) {
  for (const char* id : kValid) {
    EXPECT_TRUE(ValidateIdNumber(id, "consumer.id_number").ok()) << id;
  }
}

TEST(IdNumber, CheckCharacter) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckChar("37160219900307123"), '6');
  EXPECT_EQ(IdNumberCheckChar("11010120000101001"), '0');
}

TEST(IdNumber, LowercaseXAcceptedAndNormalized) {
  EXPECT_TRUE(ValidateIdNumber("11010519491231002x", "id").ok());
  EXPECT_EQ(NormalizeIdNumber("11010519491231002x"), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("11010519491231002X"), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("371602199003071236"), "371602199003071236");
}

TEST(IdNumber, WrongCheckDigit) {
  ExpectInvalid("371602199003071237", "check digit off by one");
  ExpectInvalid("110105194912310021", "digit where X is due");
  ExpectInvalid("37160219900307123X", "X where a digit is due");
  ExpectInvalid("371602199003071263", "transposed sequence digits");
}

TEST(IdNumber, BadDate) {
  // Check digits recomputed so that only the date is wrong.
  auto with_check = [](std::string first17) { return first17 + IdNumberCheckChar(first17); };
  ExpectInvalid(with_check("37160219900230123"), "February 30");
  ExpectInvalid(with_check("37160219010229123"), "1901 is not a leap year");
  ExpectInvalid(with_check("37160219901301123"), "month 13");
  ExpectInvalid(with_check("37160219900100123"), "day 0");
  ExpectInvalid(with_check("37160218991231123"), "before 1900");
  ExpectInvalid(with_check("37160221010101123"), "after 2100");
  EXPECT_TRUE(ValidateIdNumber(with_check("37160219000101123"), "id").ok());
  EXPECT_TRUE(ValidateIdNumber(with_check("37160220000229123"), "id").ok());
}

TEST(IdNumber, BadRegion) {
  auto with_check = [](std::string first17) { return first17 + IdNumberCheckChar(first17); };
  ExpectInvalid(with_check("07160219900307123"), "region starting with 0");
}

TEST(IdNumber, BadLengthAndCharacters) {
  ExpectInvalid("", "empty");
  ExpectInvalid("37160219900307123", "17 characters");
  ExpectInvalid("3716021990030712366", "19 characters");
  ExpectInvalid("371602900307123", "old 15-digit form");
  ExpectInvalid("37160219900307A236", "letter inside");
  ExpectInvalid("37160219900307123Y", "bad last character");
  ExpectInvalid(" 71602199003071236", "leading space");
  ExpectInvalid("３７１６０２１９９００３０７１２", "full-width digits");
  ExpectInvalid(std::string("3716021990030\0" "1236", 18), "NUL inside");
}

}  // namespace
}  // namespace huanxin
