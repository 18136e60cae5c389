// huanxinctl: the operator and auditor command line of Huanxin.
//   huanxinctl [--addr HOST:PORT] [--as ROLE:ID] [--json] [--request-id ID] COMMAND ...
// `huanxinctl help` lists every command; `huanxinctl COMMAND --help` (or -h, or
// `huanxinctl help COMMAND`) prints one command's usage; --version the version and commit.
#include <iostream>
#include <string>
#include <vector>

#include "common/build_info.h"
#include "common/flag_file.h"
#include "tools/ctl/cli.h"
#include "tools/ctl/client.h"
#include "tools/ctl/commands.h"

namespace huanxin::ctl {
namespace {

std::vector<Command> AllCommands() {
  std::vector<Command> all = AdminCommands();
  for (auto more :
       {SettlementCommands(), ConsumerCommands(), RecyclingCommands(), DemoCommands(),
        AuditCommands(), ReviewCommands(), BackupCommands()}) {
    all.insert(all.end(), more.begin(), more.end());
  }
  return all;
}

bool IsGroup(const std::vector<Command>& commands, const std::string& word) {
  for (const Command& c : commands) {
    if (c.words.compare(0, word.size() + 1, word + " ") == 0) return true;
  }
  return false;
}

void PrintCommands(std::ostream& out, const std::vector<Command>& commands,
                   const std::string& group) {
  for (const Command& c : commands) {
    if (!group.empty() && c.words != group && c.words.compare(0, group.size() + 1, group + " ") != 0) {
      continue;
    }
    out << "  " << c.usage << "\n      " << c.summary << "\n";
  }
}

constexpr char kUsageLine[] = "usage: huanxinctl [global flags] COMMAND [arguments] [flags]";

// One command's help: its usage line first.
void PrintCommandHelp(std::ostream& out, const Command& command) {
  out << "usage: huanxinctl [global flags] " << command.usage << "\n  " << command.summary
      << "\n(global flags such as --addr, --as and --json: `huanxinctl --help`)\n";
}

void PrintHelp(std::ostream& out, const std::vector<Command>& commands) {
  out << kUsageLine << "\n" << VersionLine("huanxinctl") << R"(: operator and auditor CLI for
Huanxin (以旧换新 trade-in subsidies)

global flags (anywhere on the line):
  --addr HOST:PORT     server address (default 127.0.0.1:50051)
  --ca FILE            mTLS: the CA (PEM) that signed huanxind's certificate; without it the
                       channel is plaintext and huanxind must run with --insecure
                       (default: $HUANXIN_CA)
  --tls_cert FILE      mTLS: this caller's certificate (PEM); its CN is the principal
                       (default: $HUANXIN_TLS_CERT)
  --tls_key FILE       mTLS: its private key (PEM) (default: $HUANXIN_TLS_KEY)
  --as ROLE:ID         principal sent as metadata x-huanxin-principal, e.g. admin:ops,
                       app:claim-app, retailer:m-binzhou-001, recycler:r-binzhou-001,
                       auditor:binzhou-commerce (default: $HUANXIN_PRINCIPAL); only an
                       --insecure server reads it: under mTLS the certificate decides
  --json               print each response message as one line of protobuf JSON (lists
                       as one JSON array, `[]` when empty; `audit report` as one object)
  --request-id ID      idempotency key of the mutating call (1-64 of [A-Za-z0-9._:-]);
                       default: a fresh random key, printed to stderr as "request-id: ..."
                       so the call can be retried with the same key and the same answer
  --timeout SECONDS    deadline per call (default 10)
  -h, --help           this text, or a command's usage after the command
  --version            huanxinctl's version and the commit it was built from

amounts are yuan on the command line (3999, 12.50; converted exactly to fen) and yuan in
readable output; times are shown in Asia/Shanghai. ID numbers, phones and other identity
values are never printed back in clear.

exit status: 0 ok; 1 the server refused (printed as "error: CODE REASON: message", with any
field violations below it) or could not be reached; 2 usage error or unreadable input file.

commands:
)";
  PrintCommands(out, commands, "");
  out << R"(
roles: app -> voucher issue/list/cancel; retailer:<merchant_id> -> quote, redeem,
redemption reverse for its own merchant; recycler:<recycler_id> -> receipt confirm/void/get
as itself; auditor -> program stats and every get/list; admin ->
program/merchant/recycler/settlement changes and every get/list.
)";
}

const Command* FindCommand(const std::vector<Command>& commands, const std::string& words) {
  for (const Command& c : commands) {
    if (c.words == words) return &c;
  }
  return nullptr;
}

// A misspelt boolean flag before the command ("--jsno program list") takes the command word
// as its value, and what is left is no command: names that flag and returns true.
bool ReportFlagThatTookTheCommand(const Args& args, const std::vector<Command>& commands) {
  for (const auto& [name, value] : args.flags()) {
    if (IsGroup(commands, value) || FindCommand(commands, value) != nullptr) {
      std::cerr << "error: unknown flag --" << name << " (it took `" << value
                << "` as its value)\n(see `huanxinctl help`)\n";
      return true;
    }
  }
  return false;
}

// The commands whose output format is their own (a CSV or a --format), where --json is a
// usage error that says which JSON they offer; "" for every other command.
std::string JsonAlternative(const Command& command) {
  if (command.words == "audit export") {
    return "audit export writes --format csv or --format jsonl (JSON lines of EntryWithLeaf)";
  }
  if (command.words == "settlement export") {
    return "settlement export writes CSV; `settlement get SETTLEMENT_ID --json` prints the "
           "settlement as JSON";
  }
  return "";
}

// Under mTLS the server takes the principal from the client certificate's CN and ignores
// x-huanxin-principal: a principal given otherwise (--as, $HUANXIN_PRINCIPAL) that differs
// is worth a warning, since the call runs as someone else than the command line says.
void WarnIfCertificateDecides(const GlobalOptions& options) {
  if (options.tls_cert_file.empty() || options.principal.empty()) return;
  absl::StatusOr<std::string> pem = ReadFlagFile("tls_cert", options.tls_cert_file);
  if (!pem.ok()) return;  // the channel reports the unreadable file
  absl::StatusOr<std::string> cn = CertificateCommonName(*pem);
  if (!cn.ok() || *cn == options.principal) return;
  std::cerr << "warning: " << (options.principal_from_flag ? "--as " : "$HUANXIN_PRINCIPAL ")
            << options.principal << " is ignored under mTLS: huanxind takes the principal from "
            << "the client certificate, CN " << *cn << " (" << options.tls_cert_file << ")\n";
}

int Main(int argc, char** argv) {
  ExitIfVersionFlag(argc, argv, "huanxinctl");
  const std::vector<Command> commands = AllCommands();
  Args args(argc, argv, {"json", "help", "excel", "nev-catalogue", "passenger"});
  GlobalOptions options;
  bool help = args.TakeBool("help");
  if (!TakeGlobalOptions(args, options) || !args.error().empty()) {
    std::cerr << "error: " << args.error() << "\n(see `huanxinctl help`)\n";
    return kExitUsage;
  }
  std::optional<std::string> first = args.NextPositional();
  if (first && *first == "help") {  // `help [COMMAND]` is `[COMMAND] --help`
    help = true;
    first = args.NextPositional();
  }
  if (!first) {
    if (ReportFlagThatTookTheCommand(args, commands)) return kExitUsage;
    if (help) {
      PrintHelp(std::cout, commands);
      return kExitOk;
    }
    std::cerr << kUsageLine << "\n(see `huanxinctl help` for every command)\n";
    return kExitUsage;
  }
  std::string words = *first;
  if (IsGroup(commands, words)) {
    std::optional<std::string> second = args.NextPositional();
    if (!second) {
      if (help) {
        std::cout << "usage: huanxinctl [global flags] " << words << " SUBCOMMAND ...\n";
        PrintCommands(std::cout, commands, words);
        return kExitOk;
      }
      std::cerr << "error: `" << words << "` needs a subcommand:\n";
      PrintCommands(std::cerr, commands, words);
      return kExitUsage;
    }
    words += " " + *second;
  }
  const Command* command = FindCommand(commands, words);
  if (command == nullptr && ReportFlagThatTookTheCommand(args, commands)) return kExitUsage;
  if (command == nullptr) {
    std::cerr << "error: unknown command `" << words << "`\n";
    if (IsGroup(commands, *first)) {
      PrintCommands(std::cerr, commands, *first);
    } else {
      std::cerr << "(see `huanxinctl help`)\n";
    }
    return kExitUsage;
  }
  if (help) {
    PrintCommandHelp(std::cout, *command);
    return kExitOk;
  }
  if (const std::string alternative = JsonAlternative(*command);
      options.json && !alternative.empty()) {
    std::cerr << "error: --json does not apply: " << alternative << "\n";
    return kExitUsage;
  }
  WarnIfCertificateDecides(options);
  if (command->words == "demo load" && !options.principal_from_flag) {
    options.principal = "admin:demo";
  }
  Client client(options);
  Context ctx{client, args, command->usage};
  return command->run(ctx);
}

}  // namespace
}  // namespace huanxin::ctl

int main(int argc, char** argv) { return huanxin::ctl::Main(argc, argv); }
