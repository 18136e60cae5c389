// One ledger, one process: a second huanxind on the same port (gRPC or metrics) or the same
// data directory exits at once naming what is taken, instead of serving a second ledger the
// kernel would split calls with. And a ledger that lost committed entries (its WAL deleted,
// its directory gone) does not start again as a new one under the same signing key.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

namespace fs = std::filesystem;

// Runs huanxind --insecure with `flags` under a 20 s timeout; its exit code (124: it was still
// running, i.e. it started) and its stdout and stderr together in *out.
int RunHuanxind(const std::vector<std::string>& flags, std::string* out) {
  std::vector<std::string> args = {"20", HUANXIND_PATH, "--insecure"};
  args.insert(args.end(), flags.begin(), flags.end());
  CliResult r = RunCli("timeout", args);
  *out += r.out + r.err;
  return r.exit_code;
}

// Runs a shell command line (mount, dd) for the set-up; its exit code.
int Shell(const std::string& line) { return std::system(line.c_str()) == 0 ? 0 : 1; }

grpc::Status Checkpoint(Api& api, v1::Checkpoint* out) {
  return Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor,
              v1::GetCheckpointRequest(), out);
}

TEST(OneProcess, ASecondServerOnTheSamePortExitsNamingIt) {
  ServerProcess first;
  ASSERT_TRUE(first.Start());
  TempDir other;
  std::string out;
  const int rc =
      RunHuanxind({"--listen=" + first.address(), "--data_dir=" + other.path() + "/data"}, &out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(rc, 124) << "the second server kept running: " << out;
  EXPECT_EQ(out.find("listening on"), std::string::npos) << out;
  EXPECT_NE(out.find(first.address()), std::string::npos) << out;
  // The first one still serves its ledger.
  Api api(first.address());
  HX_EXPECT_OK(api.CreateProgram(ApplianceProgram(UniqueId("one-port"))));
}

TEST(OneProcess, ASecondServerOnTheSameMetricsPortExits) {
  ServerProcess first({"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(first.Start());
  const std::string metrics = MetricsAddress(first.stdout_text());
  ASSERT_FALSE(metrics.empty()) << first.stdout_text();
  TempDir other;
  std::string out;
  const int rc = RunHuanxind({"--listen=127.0.0.1:0", "--metrics_listen=" + metrics,
                              "--data_dir=" + other.path() + "/data"},
                             &out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(rc, 124) << "the second server kept running: " << out;
  EXPECT_NE(out.find("--metrics_listen " + metrics), std::string::npos) << out;
}

TEST(OneProcess, ASecondServerOnTheSameDataDirectoryExitsNamingIt) {
  ServerProcess first;
  ASSERT_TRUE(first.Start());
  std::string out;
  const int rc = RunHuanxind({"--listen=127.0.0.1:0", "--data_dir=" + first.data_dir()}, &out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(rc, 124) << "the second server kept running: " << out;
  EXPECT_NE(out.find(first.data_dir() + " is in use by another huanxind (pid " +
                     std::to_string(first.pid()) + ")"),
            std::string::npos)
      << out;
  // Once the first has stopped, the directory is free again.
  ASSERT_EQ(first.Stop(), 0) << first.StderrTail();
  ASSERT_TRUE(first.Start());
}

TEST(LostEntries, ALedgerWhoseWalWasDeletedRefusesToStart) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  const std::string pid = UniqueId("lost-wal");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 100000000, UniqueId("m-lost-wal")));
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", MintIdNumber()));
  v1::Checkpoint signed_before;
  HX_ASSERT_OK(Checkpoint(api, &signed_before));
  ASSERT_GT(signed_before.tree_size(), 3);

  // The WAL holds everything (nothing was flushed yet): delete it under the running server,
  // then crash it.
  int deleted = 0;
  for (const auto& f : fs::directory_iterator(server.data_dir() + "/ledger")) {
    if (f.path().extension() == ".log") deleted += fs::remove(f.path()) ? 1 : 0;
  }
  ASSERT_GT(deleted, 0);
  server.Kill();

  ::testing::AssertionResult restarted = server.Start();
  EXPECT_FALSE(restarted) << "a ledger that lost signed entries started again";
  const std::string err = server.StderrTail();
  EXPECT_NE(err.find("signed a checkpoint of " + std::to_string(signed_before.tree_size())),
            std::string::npos)
      << err;
}

TEST(LostEntries, AMissingLedgerIsNotSilentlyBegunAnew) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  HX_ASSERT_OK(api.CreateProgram(ApplianceProgram(UniqueId("gone"))));
  v1::Checkpoint checkpoint;
  HX_ASSERT_OK(Checkpoint(api, &checkpoint));
  ASSERT_EQ(server.Stop(), 0) << server.StderrTail();
  fs::remove_all(server.data_dir() + "/ledger");

  EXPECT_FALSE(server.Start()) << "an empty ledger started in place of a signed one";
  EXPECT_NE(server.StderrTail().find("restore the ledger from a backup"), std::string::npos)
      << server.StderrTail();

  // Moving the checkpoint away is the deliberate way to begin anew.
  fs::rename(server.data_dir() + "/checkpoint", server.data_dir() + "/checkpoint.old");
  ASSERT_TRUE(server.Start()) << server.StderrTail();
  Api fresh(server.address());
  v1::Checkpoint empty;
  HX_ASSERT_OK(Checkpoint(fresh, &empty));
  EXPECT_LT(empty.tree_size(), checkpoint.tree_size());
}

// A small tmpfs, nearly full: RocksDB would abort opening there (an assertion, exit 134).
TEST(FullDisk, StartingOnAFullDiskSaysSoAndExitsCleanly) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root";
  TempDir dir;
  const std::string mnt = dir.path() + "/small";
  fs::create_directory(mnt);
  ASSERT_EQ(Shell("mount -t tmpfs -o size=4m tmpfs " + mnt), 0);
  // 64 KiB left
  Shell("dd if=/dev/zero of=" + mnt + "/fill bs=1k count=4032 2>/dev/null");
  std::string out;
  const int rc = RunHuanxind({"--listen=127.0.0.1:0", "--data_dir=" + mnt + "/data"}, &out);
  Shell("umount " + mnt);
  EXPECT_EQ(rc, 2) << out;
  EXPECT_NE(out.find("no space left on device"), std::string::npos) << out;
}

TEST(Init, CreatesAnEmptyLedgerOnceAndRefusesAnExistingOne) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  std::string out;
  EXPECT_EQ(RunHuanxind({"--init", "--data_dir=" + data}, &out), 0) << out;
  EXPECT_NE(out.find("initialised " + data), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(data + "/ledger/CURRENT"));
  EXPECT_TRUE(fs::exists(data + "/signing.key"));
  out.clear();
  EXPECT_EQ(RunHuanxind({"--init", "--data_dir=" + data}, &out), 2) << out;
  EXPECT_NE(out.find("already holds a ledger"), std::string::npos) << out;
}

}  // namespace
}  // namespace huanxin::itest
