// huanxinctl against a real huanxind: well-formed yuan only, unknown flags named, help for
// every command, how to give a principal, --json for every kind of output, what a paused
// programme still does, and an address that serves only the internal ledger service. Every
// binary's --version and --help.
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "common/build_info.h"
#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"
#include "tests/integration/shared_server.h"

#ifndef HUANXIN_READBENCH_PATH
#error "HUANXIN_READBENCH_PATH must be defined by the build"
#endif

namespace huanxin::itest {
namespace {

std::string Show(const CliResult& r) {
  return "exit " + std::to_string(r.exit_code) + "\nstdout:\n" + r.out + "\nstderr:\n" + r.err;
}

class CtlTest : public SharedServerTest<CtlTest> {
 protected:
  static CliResult Ctl(std::vector<std::string> args) {
    return RunCtl(server().address(), std::move(args));
  }

  // A funded appliance programme with merchant `mid`, and a refrigerator voucher of
  // consumer `*id_number`.
  static void SetUpVoucher(const std::string& pid, const std::string& mid,
                           std::string* id_number, v1::Voucher* voucher) {
    ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(pid), 100000000, mid));
    *id_number = MintIdNumber();
    HX_ASSERT_OK(api().Issue(pid, "refrigerator", *id_number, voucher));
  }
};

TEST_F(CtlTest, AmountsMustBeWellFormedYuan) {
  const std::string pid = UniqueId("ctl-yuan"), mid = UniqueId("m-yuan");
  std::string id_number;
  v1::Voucher voucher;
  ASSERT_NO_FATAL_FAILURE(SetUpVoucher(pid, mid, &id_number, &voucher));

  for (const std::string bad : {"39,99", "3,9999", ",399", "1__0", "3999.", "3999.001", ""}) {
    CliResult r = Ctl({"--as", Retailer(mid), "quote", voucher.voucher_id(), "--price", bad,
                       "--category", "refrigerator", "--grade", "1"});
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << Show(r);
    EXPECT_TRUE(absl::StrContains(r.err, "--price")) << bad << "\n" << Show(r);
    if (!bad.empty()) {
      EXPECT_TRUE(absl::StrContains(r.err, "\"" + bad + "\"")) << Show(r);
    }
  }
  v1::QuoteSubsidyResponse direct;
  HX_ASSERT_OK(api().Quote(voucher.voucher_id(), MakePurchase("refrigerator", 399900, 1), mid,
                           &direct));
  for (const std::string good : {"3999", "3999.00", "3,999", "3,999.00", "\xC2\xA5" "3,999.00"}) {
    CliResult r = Ctl({"--as", Retailer(mid), "--json", "quote", voucher.voucher_id(),
                       "--price", good, "--category", "refrigerator", "--grade", "1"});
    ASSERT_EQ(r.exit_code, 0) << good << "\n" << Show(r);
    v1::QuoteSubsidyResponse quoted;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &quoted).ok()) << r.out;
    EXPECT_EQ(quoted.subsidy_fen(), direct.subsidy_fen()) << good;
    EXPECT_EQ(quoted.consumer_pays_fen(), direct.consumer_pays_fen()) << good;
  }

  // AMOUNT_YUAN of `program fund` likewise.
  CliResult bad_fund = Ctl({"--as", kAdmin, "program", "fund", pid, "1,00"});
  EXPECT_EQ(bad_fund.exit_code, 2) << Show(bad_fund);
  EXPECT_TRUE(absl::StrContains(bad_fund.err, "AMOUNT_YUAN")) << Show(bad_fund);
  v1::ProgramStats before, after;
  HX_ASSERT_OK(api().Stats(pid, &before));
  CliResult fund = Ctl({"--as", kAdmin, "program", "fund", pid, "1,000.50"});
  ASSERT_EQ(fund.exit_code, 0) << Show(fund);
  HX_ASSERT_OK(api().Stats(pid, &after));
  EXPECT_EQ(after.funded_fen() - before.funded_fen(), 100050);
}

TEST_F(CtlTest, AnUnknownFlagIsNamedNotTheFlagItHides) {
  CliResult r = Ctl({"--as", "retailer:m-1", "quote", "v-1", "--price", "3999", "--categroy",
                     "refrigerator"});
  EXPECT_EQ(r.exit_code, 2) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "unknown flag --categroy")) << Show(r);
  EXPECT_FALSE(absl::StrContains(r.err, "missing --category")) << Show(r);

  // A count with trailing junk is refused, not read as its leading digits.
  CliResult page = Ctl({"--as", kAuditor, "program", "list", "--page-size", "10abc"});
  EXPECT_EQ(page.exit_code, 2) << Show(page);
  EXPECT_TRUE(absl::StrContains(page.err, "--page-size")) << Show(page);

  // A misspelt boolean flag before the command takes the command word as its value.
  CliResult before = Ctl({"--as", kAuditor, "--jsno", "program", "list"});
  EXPECT_EQ(before.exit_code, 2) << Show(before);
  EXPECT_TRUE(absl::StrContains(before.err, "unknown flag --jsno")) << Show(before);
}

// The command words of `huanxinctl help`'s list ("program create", "quote", ...).
std::vector<std::string> CommandWords(const std::string& help) {
  std::vector<std::string> words;
  bool in_list = false;
  for (absl::string_view line : absl::StrSplit(help, '\n')) {
    if (line == "commands:") {
      in_list = true;
      continue;
    }
    if (!in_list) continue;
    if (line.empty()) break;
    if (!absl::StartsWith(line, "  ") || absl::StartsWith(line, "   ")) continue;
    std::string command;
    for (absl::string_view token : absl::StrSplit(line.substr(2), ' ')) {
      if (token.empty() || !(token[0] >= 'a' && token[0] <= 'z')) break;
      command += (command.empty() ? "" : " ") + std::string(token);
    }
    words.push_back(command);
  }
  return words;
}

TEST_F(CtlTest, HelpWorksGloballyAndAfterEveryCommand) {
  CliResult help = Ctl({"--help"});
  ASSERT_EQ(help.exit_code, 0) << Show(help);
  EXPECT_TRUE(absl::StartsWith(help.out, "usage: huanxinctl ")) << help.out;
  for (const std::vector<std::string>& same : {std::vector<std::string>{"-h"},
                                               std::vector<std::string>{"help"}}) {
    CliResult r = Ctl(same);
    EXPECT_EQ(r.exit_code, 0) << Show(r);
    EXPECT_EQ(r.out, help.out);
  }
  const std::vector<std::string> commands = CommandWords(help.out);
  ASSERT_GE(commands.size(), 30u) << help.out;
  for (const std::string& command : commands) {
    const std::vector<std::string> words = absl::StrSplit(command, ' ');
    const std::string expected = "usage: huanxinctl [global flags] " + command;
    std::vector<std::string> first;
    for (const std::vector<std::string>& tail :
         {std::vector<std::string>{"--help"}, std::vector<std::string>{"-h"}}) {
      std::vector<std::string> args = words;
      args.insert(args.end(), tail.begin(), tail.end());
      CliResult r = Ctl(args);
      EXPECT_EQ(r.exit_code, 0) << command << "\n" << Show(r);
      EXPECT_TRUE(absl::StartsWith(r.out, expected)) << command << "\n" << Show(r);
    }
    std::vector<std::string> args = {"help"};
    args.insert(args.end(), words.begin(), words.end());
    CliResult r = Ctl(args);
    EXPECT_TRUE(absl::StartsWith(r.out, expected)) << command << "\n" << Show(r);
  }
  // A group's help lists its commands.
  CliResult group = Ctl({"program", "--help"});
  EXPECT_EQ(group.exit_code, 0) << Show(group);
  EXPECT_TRUE(absl::StrContains(group.out, "program create")) << Show(group);
}

TEST_F(CtlTest, WithoutAPrincipalTheErrorSaysHowToGiveOne) {
  CliResult r = Ctl({"program", "list"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "UNAUTHENTICATED")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "--as ROLE:ID")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "--tls_cert")) << Show(r);
}

TEST_F(CtlTest, JsonIsHonouredByListsReportsAndExports) {
  // Nothing in this suite opens a review: the empty list is an empty array.
  CliResult reviews = Ctl({"--as", kAuditor, "--json", "review", "list"});
  EXPECT_EQ(reviews.exit_code, 0) << Show(reviews);
  EXPECT_EQ(reviews.out, "[]\n");

  const std::string pid = UniqueId("ctl-json"), mid = UniqueId("m-json");
  std::string id_number;
  v1::Voucher voucher;
  ASSERT_NO_FATAL_FAILURE(SetUpVoucher(pid, mid, &id_number, &voucher));
  CliResult programs = Ctl({"--as", kAuditor, "--json", "program", "list"});
  ASSERT_EQ(programs.exit_code, 0) << Show(programs);
  google::protobuf::ListValue list;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(programs.out, &list).ok())
      << programs.out;
  EXPECT_TRUE(absl::StrContains(programs.out, "\"program_id\":\"" + pid + "\""))
      << programs.out;

  CliResult vouchers = Ctl({"--as", kApp, "--json", "voucher", "list", "--id-number", id_number});
  ASSERT_EQ(vouchers.exit_code, 0) << Show(vouchers);
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(vouchers.out, &list).ok())
      << vouchers.out;
  ASSERT_EQ(list.values_size(), 1) << vouchers.out;
  EXPECT_FALSE(absl::StrContains(vouchers.out, id_number)) << "a clear ID number printed";

  CliResult report = Ctl({"--as", kAuditor, "--json", "audit", "report"});
  ASSERT_EQ(report.exit_code, 0) << Show(report);
  google::protobuf::Struct object;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(report.out, &object).ok())
      << report.out;
  for (const char* field : {"year", "lines", "by_program", "by_county", "total", "targets"}) {
    EXPECT_TRUE(object.fields().count(field)) << field << "\n" << report.out;
  }
  EXPECT_FALSE(absl::StrContains(report.out, "plan targets")) << report.out;

  // The exports write their own formats: --json there says which JSON they offer.
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--as", kAuditor, "--json", "audit", "export", "--format",
                                 "csv"},
        std::vector<std::string>{"--as", kAuditor, "--json", "settlement", "export", "s-1"}}) {
    CliResult r = Ctl(args);
    EXPECT_EQ(r.exit_code, 2) << Show(r);
    EXPECT_TRUE(absl::StrContains(r.err, "--json does not apply")) << Show(r);
  }
}

TEST_F(CtlTest, PauseStopsIssuingAndIssuedVouchersStillRedeem) {
  CliResult help = Ctl({"program", "pause", "--help"});
  ASSERT_EQ(help.exit_code, 0) << Show(help);
  EXPECT_TRUE(absl::StrContains(help.out, "stop issuing new vouchers")) << help.out;
  EXPECT_TRUE(absl::StrContains(help.out, "can still be redeemed")) << help.out;
  EXPECT_FALSE(absl::StrContains(help.out, "redeeming")) << help.out;

  const std::string pid = UniqueId("ctl-pause"), mid = UniqueId("m-pause");
  std::string id_number;
  v1::Voucher voucher;
  ASSERT_NO_FATAL_FAILURE(SetUpVoucher(pid, mid, &id_number, &voucher));
  CliResult pause = Ctl({"--as", kAdmin, "program", "pause", pid, "--reason", "budget review"});
  ASSERT_EQ(pause.exit_code, 0) << Show(pause);
  EXPECT_TRUE(absl::StrContains(pause.out, "PAUSED")) << Show(pause);

  CliResult issue = Ctl({"--as", kApp, "voucher", "issue", "--program", pid, "--category",
                         "refrigerator", "--id-number", MintIdNumber()});
  EXPECT_EQ(issue.exit_code, 1) << Show(issue);
  EXPECT_TRUE(absl::StrContains(issue.err, "PROGRAM_NOT_ACTIVE")) << Show(issue);

  CliResult redeem = Ctl({"--as", Retailer(mid), "redeem", voucher.voucher_id(), "--terminal",
                          "t-1", "--id-number", id_number, "--price", "3999", "--category",
                          "refrigerator", "--grade", "1", "--serial", UniqueId("SN"), "--invoice",
                          UniqueId("INV"), "--sku", UniqueId("sku"), "--brand", "Haier",
                          "--model", "BCD-1"});
  EXPECT_EQ(redeem.exit_code, 0) << Show(redeem);
  EXPECT_TRUE(absl::StrContains(redeem.out, "COMPLETED")) << Show(redeem);
}

// An address of a ledger-only huanxind: the error names the service it serves and the edge
// to use; an edge that does not host the command's service says so.
TEST(CtlAddress, ALedgerOnlyPortNamesTheEdgeToUse) {
  ServerProcess ledger({"--services=ledger"});
  ASSERT_TRUE(ledger.Start());
  CliResult r = RunCtl(ledger.address(), {"--as", kAdmin, "program", "list"});
  EXPECT_EQ(r.exit_code, 1) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "UNIMPLEMENTED")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "serves only the internal ledger service")) << Show(r);
  EXPECT_TRUE(absl::StrContains(r.err, "an edge")) << Show(r);

  ServerProcess edge({"--services=issuance", "--ledger_address=" + ledger.address()});
  ASSERT_TRUE(edge.Start());
  CliResult partial = RunCtl(edge.address(), {"--as", kAdmin, "program", "list"});
  EXPECT_EQ(partial.exit_code, 1) << Show(partial);
  EXPECT_TRUE(absl::StrContains(partial.err, "does not host the service")) << Show(partial);
  EXPECT_EQ(edge.Stop(), 0);
  EXPECT_EQ(ledger.Stop(), 0);
}

TEST(BuildInfo, EveryBinaryPrintsItsVersionAndCommitAndUsageFirst) {
  EXPECT_TRUE(
      std::regex_match(std::string(ProjectVersion()), std::regex("[0-9]+\\.[0-9]+\\.[0-9]+")))
      << ProjectVersion();
  EXPECT_TRUE(std::regex_match(std::string(BuildCommit()), std::regex("[0-9a-f]{7,40}|unknown")))
      << BuildCommit();
  const struct {
    const char* name;
    const char* path;
  } binaries[] = {
      {"huanxind", HUANXIND_PATH},           {"huanxinctl", HUANXINCTL_PATH},
      {"huanxin-verify", HUANXIN_VERIFY_PATH}, {"huanxin-bench", HUANXIN_BENCH_PATH},
      {"huanxin-drill", HUANXIN_DRILL_PATH},   {"huanxin-readbench", HUANXIN_READBENCH_PATH},
  };
  for (const auto& b : binaries) {
    CliResult version = RunCli(b.path, {"--version"});
    EXPECT_EQ(version.exit_code, 0) << b.name << "\n" << Show(version);
    EXPECT_EQ(version.out, VersionLine(b.name) + "\n") << b.name;
    CliResult help = RunCli(b.path, {"--help"});
    const std::string usage = std::string(b.name) == "huanxind" ? "huanxind: usage: huanxind "
                                                                 : "usage: " + std::string(b.name);
    EXPECT_TRUE(absl::StartsWith(help.out, usage)) << b.name << "\n" << Show(help);
  }
  // Flags are listed by their file in the source tree, not a build path.
  CliResult help = RunCli(HUANXIND_PATH, {"--help"});
  EXPECT_TRUE(absl::StrContains(help.out, "Flags from server/huanxind_main.cc:")) << help.out;
}

}  // namespace
}  // namespace huanxin::itest
