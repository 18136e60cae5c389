// Today's huanxind on a data directory an earlier release wrote (tests/data/upgrade/, made by
// make.sh there): it starts on it without --init, signs the same history under the same key,
// huanxin-verify checks the whole ledger online, and today's RPCs run on the old programmes.
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

TEST(Upgrade, AnOldDataDirectoryServesVerifiesAndTakesNewCommands) {
  ServerProcess server;
  const std::string unpack = "tar -C '" + server.data_dir() + "' -xzf '" HUANXIN_SOURCE_DIR
                             "/tests/data/upgrade/ledger.tar.gz'";
  ASSERT_EQ(std::system(unpack.c_str()), 0) << unpack;
  ASSERT_TRUE(server.Start());
  Api api(server.address());

  v1::Checkpoint cp;
  HX_ASSERT_OK(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor,
                    v1::GetCheckpointRequest(), &cp));
  EXPECT_GE(cp.tree_size(), 40);
  CliResult verify = RunCli(HUANXIN_VERIFY_PATH, {"--vkey", cp.verifier_key(), "--target",
                                                  server.address(), "--as", kAuditor});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  // The old 2026 programme takes a claim and a sale today, and the books still balance.
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api.Issue("binzhou-appliance-2026", "washing_machine", id, &v));
  v1::Redemption d;
  HX_ASSERT_OK(api.Redeem(MakeRedeem(v.voucher_id(), "m-binzhou-001", id,
                                     MakePurchase("washing_machine", 299900, 1)),
                          &d, Retailer("m-binzhou-001")));
  EXPECT_EQ(d.subsidy_fen(), 44985);
  EXPECT_EQ(d.rules_version(), 1);
  EXPECT_TRUE(api.BooksBalance("binzhou-appliance-2026"));
  // A 2025 programme stays closed history.
  grpc::Status closed = api.Issue("binzhou-appliance-2025", "refrigerator", MintIdNumber());
  EXPECT_EQ(ReasonOf(closed), "PROGRAM_NOT_ACTIVE") << Describe(closed);
}

}  // namespace
}  // namespace huanxin::itest
