// huanxin-verify against real servers: the whole ledger of a running huanxind verifies online
// and from a huanxinctl export, and every tampering an auditor must catch fails with exit 1
// and a message naming it: a flipped leaf byte, a dropped entry, two entries swapped, the
// wrong verifier key, books that do not add up, and a previous checkpoint from a different
// history signed with the same key.
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <google/protobuf/util/json_util.h>

#include "common/merkle.h"
#include "common/signed_note.h"
#include "tests/integration/shared_server.h"
#include "tests/temp_dir.h"

#ifndef HUANXIN_VERIFY_PATH
#error "HUANXIN_VERIFY_PATH must be defined by the build"
#endif
#ifndef HUANXINCTL_PATH
#error "HUANXINCTL_PATH must be defined by the build"
#endif

namespace huanxin::itest {
namespace {

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

RunResult RunTool(const std::string& program, const std::vector<std::string>& args) {
  std::string command = Quote(program);
  for (const std::string& a : args) command += " " + Quote(a);
  command += " 2>&1";
  RunResult r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) r.output.append(buf, n);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

RunResult Verify(const std::vector<std::string>& args) {
  return RunTool(HUANXIN_VERIFY_PATH, args);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

std::string ToJson(const google::protobuf::Message& m) {
  std::string json;
  google::protobuf::util::MessageToJsonString(m, &json);
  return json;
}

::testing::AssertionResult Fails(const RunResult& r, const std::string& needle) {
  if (r.exit_code != 1) {
    return ::testing::AssertionFailure() << "exit " << r.exit_code << ", want 1:\n" << r.output;
  }
  if (r.output.find(needle) == std::string::npos) {
    return ::testing::AssertionFailure() << "no \"" << needle << "\" in:\n" << r.output;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Passes(const RunResult& r) {
  if (r.exit_code != 0) {
    return ::testing::AssertionFailure() << "exit " << r.exit_code << ", want 0:\n" << r.output;
  }
  return ::testing::AssertionSuccess();
}

class VerifyTest : public SharedServerTest<VerifyTest> {
 protected:
  static void SetUpTestSuite() {
    SharedServerTest<VerifyTest>::SetUpTestSuite();
    tmp_ = std::make_unique<testing::TempDir>("huanxin-verify-test");
    dir_ = tmp_->path();
  }
  static void TearDownTestSuite() {
    tmp_.reset();
    SharedServerTest<VerifyTest>::TearDownTestSuite();
  }

  // A funded programme, a merchant, four vouchers: two redeemed (one of them returned), one
  // cancelled, one left issued. Returns the programme id.
  static std::string Populate(Api& api) {
    const std::string program = UniqueId("p-verify");
    const std::string merchant = UniqueId("m-verify");
    EXPECT_TRUE(api.SetUpProgram(ApplianceProgram(program), 50'000'000, merchant));
    std::vector<v1::Voucher> vouchers(4);
    std::vector<std::string> ids;
    for (auto& v : vouchers) {
      ids.push_back(MintIdNumber());
      EXPECT_TRUE(IsOk(api.Issue(program, "refrigerator", ids.back(), &v)));
    }
    v1::Redemption r0, r1;
    EXPECT_TRUE(IsOk(api.Redeem(MakeRedeem(vouchers[0].voucher_id(), merchant, ids[0],
                                           MakePurchase("refrigerator", 899900, 1)),
                                &r0)));
    EXPECT_TRUE(IsOk(api.Redeem(MakeRedeem(vouchers[1].voucher_id(), merchant, ids[1],
                                           MakePurchase("refrigerator", 450000, 2)),
                                &r1)));
    EXPECT_TRUE(IsOk(api.Reverse(r1.redemption_id(), merchant)));
    EXPECT_TRUE(IsOk(api.CancelVoucher(vouchers[2].voucher_id())));
    return program;
  }

  static v1::Checkpoint GetCheckpoint(Api& api) {
    v1::Checkpoint cp;
    EXPECT_TRUE(IsOk(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint,
                          kAuditor, v1::GetCheckpointRequest(), &cp)));
    return cp;
  }

  static std::string VerifierKey() { return GetCheckpoint(api()).verifier_key(); }

  // A whole-log export through huanxinctl: the JSON lines and the checkpoint they match.
  struct Export {
    std::string jsonl_path, note_path;
  };
  static Export ExportWithCtl(const std::string& tag) {
    Export e{dir_ + "/" + tag + ".jsonl", dir_ + "/" + tag + ".note"};
    RunResult r = RunTool(HUANXINCTL_PATH,
                          {"--addr", server().address(), "--as", kAuditor, "audit", "export",
                           "--format", "jsonl", "--out", e.jsonl_path, "--checkpoint",
                           e.note_path});
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return e;
  }

  static inline std::unique_ptr<testing::TempDir> tmp_;
  static inline std::string dir_;  // tmp_'s path
};

TEST_F(VerifyTest, TheWholeLedgerVerifiesOnline) {
  const std::string program = Populate(api());
  const std::string vkey = VerifierKey();
  const std::string saved = dir_ + "/online.note";
  RunResult r = Verify({"--vkey", vkey, "--target", server().address(), "--as", kAuditor,
                        "--save", saved});
  ASSERT_TRUE(Passes(r));
  EXPECT_NE(r.output.find(program), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("programme stats compared"), std::string::npos) << r.output;
  // The saved note is the signed checkpoint, and it verifies with the key.
  auto cp = note::VerifyCheckpoint(ReadFile(saved), vkey);
  ASSERT_TRUE(cp.ok()) << cp.status();

  // More history; the saved checkpoint is a prefix of it (consistency proof from the server).
  Populate(api());
  r = Verify({"--vkey", vkey, "--target", server().address(), "--as", kAuditor, "--previous",
              saved});
  ASSERT_TRUE(Passes(r));
  EXPECT_NE(r.output.find("consistency proof verified"), std::string::npos) << r.output;
}

TEST_F(VerifyTest, AnExportVerifiesOfflineAndWithAnEarlierCheckpoint) {
  Populate(api());
  const std::string vkey = VerifierKey();
  Export first = ExportWithCtl("first");
  ASSERT_TRUE(Passes(Verify({"--vkey", vkey, "--export", first.jsonl_path, "--checkpoint",
                             first.note_path})));
  Populate(api());
  Export second = ExportWithCtl("second");
  ASSERT_TRUE(Passes(Verify({"--vkey", vkey, "--export", second.jsonl_path, "--checkpoint",
                             second.note_path, "--previous", first.note_path})));
  // Entries past the checkpoint are ignored: the longer export checks against the older note.
  ASSERT_TRUE(Passes(Verify({"--vkey", vkey, "--export", second.jsonl_path, "--checkpoint",
                             first.note_path})));
  // But an older checkpoint as the new one, with the newer as --previous, is a shrunk log.
  EXPECT_TRUE(Fails(Verify({"--vkey", vkey, "--export", second.jsonl_path, "--checkpoint",
                            first.note_path, "--previous", second.note_path}),
                    "history rewritten"));
}

TEST_F(VerifyTest, TamperedExportsFailNamingWhatWasFound) {
  Populate(api());
  const std::string vkey = VerifierKey();
  Export e = ExportWithCtl("tamper");
  std::vector<std::string> lines = Lines(ReadFile(e.jsonl_path));
  ASSERT_GE(lines.size(), 10u);
  auto check = [&](const std::string& name, const std::vector<std::string>& tampered,
                   const std::vector<std::string>& needles) {
    const std::string path = dir_ + "/" + name + ".jsonl";
    WriteFile(path, JoinLines(tampered));
    RunResult r = Verify({"--vkey", vkey, "--export", path, "--checkpoint", e.note_path});
    for (const std::string& needle : needles) EXPECT_TRUE(Fails(r, needle)) << name;
  };

  // One byte of one entry's leaf_data flipped (the structured entry beside it untouched).
  {
    std::vector<std::string> t = lines;
    const size_t at = 7;
    v1::EntryWithLeaf entry;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(t[at], &entry).ok());
    std::string leaf = entry.leaf_data();
    leaf[leaf.size() - 1] ^= 0x01;
    entry.set_leaf_data(leaf);
    t[at] = ToJson(entry);
    check("flipped", t, {"seq 7", "root mismatch"});
  }
  // One entry dropped.
  {
    std::vector<std::string> t = lines;
    t.erase(t.begin() + 5);
    check("dropped", t, {"seq 5 is missing"});
  }
  // Two entries swapped.
  {
    std::vector<std::string> t = lines;
    std::swap(t[3], t[4]);
    check("reordered", t, {"out of order", "position 3 holds seq 4"});
  }
  // The leaf is rewritten consistently with its entry: the root still catches it.
  {
    std::vector<std::string> t = lines;
    v1::EntryWithLeaf entry;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(t[2], &entry).ok());
    v1::LedgerEntry changed = entry.entry();
    changed.set_actor("admin:someone-else");
    *entry.mutable_entry() = changed;
    entry.set_leaf_data(changed.SerializeAsString());
    t[2] = ToJson(entry);
    check("rewritten", t, {"root mismatch"});
  }
  // A wrong verifier key (same name, another key) rejects the checkpoint itself.
  auto other = note::Signer::FromSeedForTesting(std::string(32, '\x42'), "huanxin.local/ledger");
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_TRUE(Fails(Verify({"--vkey", other->VerifierKey(), "--export", e.jsonl_path,
                            "--checkpoint", e.note_path}),
                    "signature does not verify"));
  EXPECT_TRUE(Fails(Verify({"--vkey", other->VerifierKey(), "--target", server().address(),
                            "--as", kAuditor}),
                    "signature does not verify"));
}

// Books are re-added from postings, not taken from the server: a log whose own signature is
// fine but whose postings overdraw a budget fails. (A self-made log signed with a test key.)
TEST_F(VerifyTest, PostingsThatOverdrawABudgetFail) {
  auto signer = note::Signer::FromSeedForTesting(std::string(32, '\x07'), "test.example/log");
  ASSERT_TRUE(signer.ok()) << signer.status();
  auto posting = [](const std::string& from, const std::string& to, int64_t fen) {
    v1::Posting p;
    p.set_debit_account(from);
    p.set_credit_account(to);
    p.set_amount_fen(fen);
    return p;
  };
  std::vector<v1::LedgerEntry> entries(2);
  entries[0].set_seq(0);
  entries[0].set_type(v1::LedgerEntry::PROGRAM_FUNDED);
  *entries[0].add_postings() = posting("treasury", "budget:p-1", 1000);
  entries[1].set_seq(1);
  entries[1].set_type(v1::LedgerEntry::VOUCHER_ISSUED);
  *entries[1].add_postings() = posting("budget:p-1", "held:p-1", 1500);
  merkle::MemoryTree tree;
  std::string jsonl;
  for (const auto& e : entries) {
    v1::EntryWithLeaf line;
    *line.mutable_entry() = e;
    line.set_leaf_data(e.SerializeAsString());
    tree.Append(merkle::LeafHash(line.leaf_data()));
    jsonl += ToJson(line) + "\n";
  }
  auto root = tree.Root();
  ASSERT_TRUE(root.ok());
  const std::string note =
      signer->Sign(note::CheckpointBody({"test.example/log", tree.size(), *root}));
  WriteFile(dir_ + "/overdraw.jsonl", jsonl);
  WriteFile(dir_ + "/overdraw.note", note);
  EXPECT_TRUE(Fails(Verify({"--vkey", signer->VerifierKey(), "--export",
                            dir_ + "/overdraw.jsonl", "--checkpoint", dir_ + "/overdraw.note"}),
                    "account budget:p-1 goes negative"));
}

// A second server holding the same signing key but a different history signs a checkpoint
// that the first server's log does not extend: history rewritten, and no consistency proof.
TEST_F(VerifyTest, ACheckpointOfAnotherHistoryIsNotAPrefix) {
  Populate(api());
  const std::string vkey = VerifierKey();

  ServerProcess other;
  const std::string key_copy = other.data_dir() + "/signing.key";
  std::error_code ec;
  std::filesystem::copy_file(server().data_dir() + "/signing.key", key_copy, ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_EQ(chmod(key_copy.c_str(), 0600), 0);
  ASSERT_TRUE(other.Start());
  {
    Api other_api(other.address());
    // Different (and shorter) history: one programme, funded.
    ASSERT_TRUE(other_api.SetUpProgram(ApplianceProgram(UniqueId("p-forged")), 1'000'000, ""));
    v1::Checkpoint forged = GetCheckpoint(other_api);
    ASSERT_EQ(forged.verifier_key(), vkey) << "the key file was not taken over";
    WriteFile(dir_ + "/forged.note", forged.signed_note());
  }
  EXPECT_EQ(other.Stop(), 0);

  RunResult online = Verify({"--vkey", vkey, "--target", server().address(), "--as", kAuditor,
                             "--previous", dir_ + "/forged.note"});
  EXPECT_TRUE(Fails(online, "history rewritten"));
  EXPECT_TRUE(Fails(online, "not consistent"));
  Export e = ExportWithCtl("against-forged");
  EXPECT_TRUE(Fails(Verify({"--vkey", vkey, "--export", e.jsonl_path, "--checkpoint",
                            e.note_path, "--previous", dir_ + "/forged.note"}),
                    "history rewritten"));
}

TEST_F(VerifyTest, CtlExportsFilteredEntriesAndReportsSubsidies) {
  const std::string program = Populate(api());
  auto ctl = [](std::vector<std::string> args) {
    std::vector<std::string> all = {"--addr", server().address(), "--as", kAuditor};
    all.insert(all.end(), args.begin(), args.end());
    return RunTool(HUANXINCTL_PATH, all);
  };
  // CSV of one programme: the header, then only its entries (created, funded, 4 issued,
  // 2 redeemed, 1 reversed, 1 cancelled).
  RunResult csv = ctl({"audit", "export", "--format", "csv", "--program", program,
                       "--from", "2000-01-01"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  std::vector<std::string> rows = Lines(csv.output);
  ASSERT_EQ(rows.size(), 11u) << csv.output;
  EXPECT_EQ(rows[0].rfind("seq,time,type,actor,program_id,merchant_id,amount_fen,postings", 0),
            0u);
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NE(rows[i].find("," + program + ","), std::string::npos) << rows[i];
  }
  // The same filter as JSON lines carries each entry's leaf_data.
  RunResult jsonl = ctl({"audit", "export", "--format", "jsonl", "--program", program});
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.output;
  std::vector<std::string> lines = Lines(jsonl.output);
  ASSERT_EQ(lines.size(), 10u);
  for (const std::string& line : lines) {
    v1::EntryWithLeaf e;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &e).ok()) << line;
    EXPECT_EQ(e.leaf_data(), e.entry().SerializeAsString());
  }
  // The report nets the return out: 179,980 fen paid, 67,500 clawed back.
  RunResult report = ctl({"audit", "report"});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  EXPECT_NE(report.output.find(program + "  net ¥1,799.80  (2 redeemed, 0 under review, "
                                         "1 returned)"),
            std::string::npos)
      << report.output;
  EXPECT_NE(report.output.find("scrapped cars recovered: 0 of 10000"), std::string::npos)
      << report.output;
}

TEST_F(VerifyTest, UsageErrorsExitTwo) {
  EXPECT_EQ(Verify({}).exit_code, 2);
  EXPECT_EQ(Verify({"--vkey", "x"}).exit_code, 2);
  EXPECT_EQ(Verify({"--vkey", "x", "--target", "a:1", "--export", "f"}).exit_code, 2);
  EXPECT_EQ(Verify({"--vkey", "x", "--bogus", "1"}).exit_code, 2);
  EXPECT_EQ(Verify({"--vkey", VerifierKey(), "--export", dir_ + "/nonexistent.jsonl",
                    "--checkpoint", dir_ + "/nonexistent.note"})
                .exit_code,
            2);
}

}  // namespace
}  // namespace huanxin::itest
