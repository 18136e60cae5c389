// Running the project's command-line tools (huanxinctl, huanxind --version, ...) from a test,
// with stdout and stderr captured apart.
#ifndef HUANXIN_TESTS_INTEGRATION_CLI_RUN_H_
#define HUANXIN_TESTS_INTEGRATION_CLI_RUN_H_

#include <string>
#include <vector>

namespace huanxin::itest {

struct CliResult {
  int exit_code = -1;  // -1 when it could not run or a signal ended it
  std::string out;
  std::string err;
};

// Runs `program` with `args` (each passed as one argument, through sh with quoting) and
// `env_prefix` put before it on the shell line (e.g. "env -u HUANXIN_PRINCIPAL"); waits for it.
CliResult RunCli(const std::string& program, const std::vector<std::string>& args,
                 const std::string& env_prefix = "");

// huanxinctl `args` against the server at `address`, with no principal or TLS files from the
// test's environment.
CliResult RunCtl(const std::string& address, std::vector<std::string> args);

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_INTEGRATION_CLI_RUN_H_
