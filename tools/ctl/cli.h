// Command-line parsing for huanxinctl: global options, a command's positional arguments and
// its flags. Flags are "--name value" or "--name=value" and may appear anywhere after the
// program name; "-h" is "--help"; "--" ends flag parsing. A command takes the flags it knows
// with Take*() and then calls Finish(), which reports whatever is left as a usage error.
#ifndef HUANXIN_TOOLS_CTL_CLI_H_
#define HUANXIN_TOOLS_CTL_CLI_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace huanxin::ctl {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRpcError = 1;  // the server refused or could not be reached
inline constexpr int kExitUsage = 2;     // bad flags, arguments or input files

// Options every command shares.
struct GlobalOptions {
  std::string addr = "127.0.0.1:50051";
  // "<role>:<id>", sent as metadata x-huanxin-principal. Empty: no header (the server answers
  // UNAUTHENTICATED). Default from the environment variable HUANXIN_PRINCIPAL.
  std::string principal;
  bool principal_from_flag = false;  // --as was on the command line (not the environment)
  bool json = false;
  // The idempotency key for the (single) mutating call of this invocation; empty = a fresh
  // random key per call, printed to stderr so the call can be retried with the same key.
  std::string request_id;
  int64_t timeout_ms = 10000;
  // mTLS (--ca, --tls_cert, --tls_key): with tls_ca_file set the channel is TLS
  // (client.cc:MakeChannelCredentials) and the server takes the principal from the client
  // certificate's CN; --as is then ignored by the server.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
};

class Args {
 public:
  // Splits argv[1..] into positionals and flags. `boolean_flags` never take a value.
  Args(int argc, char** argv, const std::vector<std::string>& boolean_flags);

  // The first positional (the command word) and the rest, consumed in order.
  std::optional<std::string> NextPositional();
  size_t RemainingPositionals() const { return positionals_.size() - next_positional_; }

  // The last value of --name (and removes every occurrence), or nullopt.
  std::optional<std::string> Take(const std::string& name);
  // Every value of a repeatable --name, in order.
  std::vector<std::string> TakeAll(const std::string& name);
  // True when the boolean --name was given.
  bool TakeBool(const std::string& name);

  // Records a usage problem; the first one is reported by Finish().
  void Fail(const std::string& message);
  // A required flag: its value, or "" after Fail("missing --name").
  std::string Require(const std::string& name);
  // The next positional argument named `what`, or "" after Fail().
  std::string RequirePositional(const std::string& what);

  // OK when every flag and positional was consumed and nothing failed; otherwise prints
  // "error: <problem>" and `usage` to stderr and returns false. A flag left over is the
  // problem reported ("unknown flag --NAME") even when a Take or Require failed too.
  bool Finish(const std::string& usage);

  // A parse error of the command line itself (e.g. a flag missing its value), if any.
  const std::string& error() const { return error_; }

  // The flags not taken yet, as (name, value) in command-line order.
  const std::vector<std::pair<std::string, std::string>>& flags() const { return flags_; }

 private:
  std::vector<std::string> positionals_;
  size_t next_positional_ = 0;
  std::vector<std::pair<std::string, std::string>> flags_;  // in command-line order
  std::string error_;
};

// Takes the global flags (--addr, --as, --json, --request-id, --timeout, --ca, --tls_cert,
// --tls_key) out of `args`.
// Returns false (after args.Fail) on a bad value.
bool TakeGlobalOptions(Args& args, GlobalOptions& options);

}  // namespace huanxin::ctl

#endif  // HUANXIN_TOOLS_CTL_CLI_H_
