// huanxin-bench smoke: a 5-second mixed run against a real huanxind (redemptions and
// quotes over three merchants) completes with exit status 0 and zero errors, and its last
// line has the contract's shape; with --server_pid it reports the server's CPU per call too.
// Not a timed test: no throughput, latency or CPU figure is checked.
#include <sys/wait.h>

#include <cstdio>
#include <regex>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

// Runs `command`, returns its exit status and fills `output` with its stdout.
int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) output->append(buf, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  const size_t nl = t.rfind('\n');
  return nl == std::string::npos ? t : t.substr(nl + 1);
}

TEST(BenchSmokeTest, MixedRunCompletesWithoutErrors) {
  ServerProcess server({"--rate_limit_per_principal=0"});
  ASSERT_TRUE(server.Start());
  std::string output;
  const int status =
      RunCommand(std::string(HUANXIN_BENCH_PATH) + " --target=" + server.address() +
                     " --mode=mixed --setup --merchants=3 --duration=5s --concurrency=8" +
                     " --server_pid=" + std::to_string(server.pid()),
                 &output);
  ASSERT_EQ(status, 0) << output;
  const std::string last = LastLine(output);
  static const std::regex kShape(
      R"(mode=mixed ok=[0-9]+ errors=0 throughput_per_s=[0-9.]+ p50_ms=[0-9.]+ )"
      R"(p99_ms=[0-9.]+ p999_ms=[0-9.]+)");
  EXPECT_TRUE(std::regex_match(last, kShape)) << output;
  EXPECT_EQ(last.find("ok=0 "), std::string::npos) << output;
  static const std::regex kCpu(R"(cpu_us_per_call load_generator=[0-9]+ server=[1-9][0-9]*\n)");
  EXPECT_TRUE(std::regex_search(output, kCpu)) << output;
}

}  // namespace
}  // namespace huanxin::itest
