// huanxinctl's parsers: yuan amounts (tools/ctl/yuan.h) and the command line (tools/ctl/cli.h).
#include <initializer_list>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tools/ctl/cli.h"
#include "tools/ctl/yuan.h"

namespace huanxin::ctl {
namespace {

TEST(ParseYuanToFen, AcceptsWellFormedYuan) {
  const struct {
    const char* text;
    int64_t fen;
  } cases[] = {
      {"0", 0},
      {"3999", 399900},
      {"3999.5", 399950},
      {"3999.50", 399950},
      {"0.01", 1},
      {"3,999", 399900},
      {"3,999.00", 399900},
      {"\xC2\xA5" "3,999.00", 399900},  // ¥3,999.00
      {"\xC2\xA5" "12.5", 1250},
      {"999", 99900},
      {"1,000", 100000},
      {"12,345,678.9", 1234567890},
      {"5000000", 500000000},
      {"92233720368547758.07", 9223372036854775807},  // the largest int64 fen
  };
  for (const auto& c : cases) {
    std::optional<int64_t> fen = ParseYuanToFen(c.text);
    ASSERT_TRUE(fen.has_value()) << c.text;
    EXPECT_EQ(*fen, c.fen) << c.text;
  }
}

TEST(ParseYuanToFen, RefusesEverythingElse) {
  for (const char* bad : {
           "", "39,99", "3,9999", ",399", "399,", "3,,999", "1234,567", "1,23,456", "1_000",
           "1__0", "3999.", "3999.001", ".5", "3.9.9", "-1", "+1", " 1", "1 ", "1e3", "abc",
           "\xC2\xA5", "\xC2\xA5,999", "3,999.", "3,999.5.0", "92233720368547758.08",
           "100000000000000000000",
       }) {
    EXPECT_FALSE(ParseYuanToFen(bad).has_value()) << "\"" << bad << "\"";
  }
}

TEST(BadYuanMessage, NamesTheFlagAndTheText) {
  const std::string message = BadYuanMessage("--price", "39,99");
  EXPECT_EQ(message.rfind("--price ", 0), 0u) << message;
  EXPECT_NE(message.find("\"39,99\""), std::string::npos) << message;
}

// argv for Args from words; the strings live as long as the object.
class Argv {
 public:
  explicit Argv(std::initializer_list<std::string> words) : words_(words) {
    words_.insert(words_.begin(), "huanxinctl");
    for (std::string& w : words_) pointers_.push_back(w.data());
  }
  int argc() { return static_cast<int>(pointers_.size()); }
  char** argv() { return pointers_.data(); }

 private:
  std::vector<std::string> words_;
  std::vector<char*> pointers_;
};

// The error Finish() reports ("" when it accepts), from stderr.
std::string FinishError(Args& args) {
  ::testing::internal::CaptureStderr();
  const bool ok = args.Finish("quote VOUCHER_ID --price YUAN --category C");
  const std::string err = ::testing::internal::GetCapturedStderr();
  if (ok) return "";
  const size_t end = err.find('\n');
  return err.substr(0, end);
}

TEST(Args, AnUnknownFlagIsReportedBeforeTheFlagItHides) {
  Argv a({"quote", "v-1", "--price", "3999", "--categroy", "refrigerator"});
  Args args(a.argc(), a.argv(), {"json", "help"});
  EXPECT_EQ(args.NextPositional(), "quote");
  EXPECT_EQ(args.RequirePositional("VOUCHER_ID"), "v-1");
  EXPECT_EQ(args.Require("price"), "3999");
  EXPECT_EQ(args.Require("category"), "");  // missing: "--categroy" was typed instead
  EXPECT_EQ(FinishError(args), "error: unknown flag --categroy");
}

TEST(Args, AMissingFlagAloneIsReportedAsMissing) {
  Argv a({"quote", "v-1", "--price", "3999"});
  Args args(a.argc(), a.argv(), {"json", "help"});
  args.NextPositional();
  args.RequirePositional("VOUCHER_ID");
  args.Require("price");
  args.Require("category");
  EXPECT_EQ(FinishError(args), "error: missing --category");
}

TEST(Args, DashHIsHelpAnywhereBeforeDoubleDash) {
  for (auto words : {std::initializer_list<std::string>{"-h"},
                     std::initializer_list<std::string>{"program", "create", "-h"},
                     std::initializer_list<std::string>{"--help", "quote"}}) {
    Argv a(words);
    Args args(a.argc(), a.argv(), {"json", "help"});
    EXPECT_TRUE(args.TakeBool("help"));
  }
  Argv a({"--", "-h"});
  Args args(a.argc(), a.argv(), {"json", "help"});
  EXPECT_FALSE(args.TakeBool("help"));
  EXPECT_EQ(args.NextPositional(), "-h");
}

}  // namespace
}  // namespace huanxin::ctl
