#include "tests/integration/cli_run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace huanxin::itest {

namespace {

std::string ShellQuoted(const std::string& word) {
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

CliResult RunCli(const std::string& program, const std::vector<std::string>& args,
                 const std::string& env_prefix) {
  CliResult result;
  char err_path[] = "/tmp/hx-cli-stderr-XXXXXX";
  const int err_fd = mkstemp(err_path);
  if (err_fd < 0) return result;
  close(err_fd);
  std::string line = env_prefix.empty() ? "" : env_prefix + " ";
  line += ShellQuoted(program);
  for (const std::string& a : args) line += " " + ShellQuoted(a);
  line += std::string(" 2>") + err_path;
  if (FILE* pipe = popen(line.c_str(), "r"); pipe != nullptr) {
    char buffer[4096];
    for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.out.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::ifstream err(err_path, std::ios::binary);
  std::ostringstream text;
  text << err.rdbuf();
  result.err = text.str();
  unlink(err_path);
  return result;
}

CliResult RunCtl(const std::string& address, std::vector<std::string> args) {
  args.insert(args.begin(), {"--addr", address});
  return RunCli(HUANXINCTL_PATH, args,
                "env -u HUANXIN_PRINCIPAL -u HUANXIN_CA -u HUANXIN_TLS_CERT -u HUANXIN_TLS_KEY");
}

}  // namespace huanxin::itest
