// The fraud drill (tools/drill) run small against a fresh huanxind: it must exit 0 (at least
// 95% of the injected fraud caught, at most 1% of honest redemptions sent to review, books
// balanced, no unexpected failure) and end with its verdict line.
#include <sys/wait.h>

#include <cstdio>
#include <regex>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

// Runs `command` through the shell; its stdout (stderr folded in) and exit code.
int RunCapture(const std::string& command, std::string* out) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out->append(buf, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(DrillTest, SmallDayMeetsTheTargets) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  std::string out;
  const int code = RunCapture(std::string(HUANXIN_DRILL_PATH) + " --target " + server.address() +
                                  " --setup --consumers 300 --seed 7 --threads 8",
                              &out);
  EXPECT_EQ(code, 0) << out;
  std::smatch m;
  const std::regex verdict(
      R"(drill: fraud_caught_pct=([0-9]+\.[0-9]+) honest_review_pct=([0-9]+\.[0-9]+)\n?$)");
  ASSERT_TRUE(std::regex_search(out, m, verdict)) << out;
  EXPECT_GE(std::stod(m[1]), 95.0) << out;
  EXPECT_LE(std::stod(m[2]), 1.0) << out;
  for (const char* pattern : {"one item subsidised twice", "borrowed identities",
                              "price raised before the subsidy", "terminal bursts",
                              "reused scrap certificates", "MERCHANT_BURST"}) {
    EXPECT_NE(out.find(pattern), std::string::npos) << pattern << "\n" << out;
  }
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
