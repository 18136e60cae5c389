// Backup and restore (docs/operations.md): AdminService.Backup writes a RocksDB checkpoint of
// the ledger; restoring it (stop, copy the backup to <data_dir>/ledger beside the same key
// files, start) gives a ledger whose signed checkpoint has exactly the backup's size and
// root, with the writes made after the backup gone and the log writable again.
#include <filesystem>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

namespace fs = std::filesystem;

grpc::Status Backup(Api& api, const std::string& dir, v1::BackupResponse* out,
                    const std::string& principal = kAdmin) {
  v1::BackupRequest req;
  req.set_destination_dir(dir);
  return Call(api.stubs().admin.get(), &v1::AdminService::Stub::Backup, principal, req, out);
}

grpc::Status Checkpoint(Api& api, v1::Checkpoint* out) {
  return Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor,
              v1::GetCheckpointRequest(), out);
}

TEST(Backup, RestoredLedgerHasTheBackupsCheckpoint) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  const std::string pid = UniqueId("backup-appliance");
  const std::string mid = UniqueId("m-backup");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 100000000, mid));
  v1::Voucher before;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", MintIdNumber(), &before));

  const std::string backup_dir = server.data_dir() + "/backup-1";
  v1::BackupResponse backup;
  HX_ASSERT_OK(Backup(api, backup_dir, &backup));
  EXPECT_EQ(backup.path(), backup_dir);
  EXPECT_GE(backup.tree_size(), 4);
  EXPECT_EQ(backup.root_hash().size(), 32u);
  EXPECT_TRUE(fs::is_directory(backup_dir));
  EXPECT_FALSE(fs::exists(backup_dir + "/pii.key"));
  EXPECT_FALSE(fs::exists(backup_dir + "/signing.key"));

  // Refusals: an existing directory, a relative path, a non-admin caller.
  v1::BackupResponse ignored;
  EXPECT_TRUE(HasFieldViolation(Backup(api, backup_dir, &ignored), "destination_dir"));
  EXPECT_TRUE(HasFieldViolation(Backup(api, "relative/dir", &ignored), "destination_dir"));
  EXPECT_TRUE(HasFieldViolation(Backup(api, server.data_dir() + "/no/such/parent", &ignored),
                                "destination_dir"));
  EXPECT_TRUE(IsRefusal(Backup(api, server.data_dir() + "/b2", &ignored, kAuditor),
                        grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"));

  // Writes after the backup.
  v1::Voucher after;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", MintIdNumber(), &after));
  HX_ASSERT_OK(api.Issue(pid, "television", MintIdNumber()));
  v1::Checkpoint latest;
  HX_ASSERT_OK(Checkpoint(api, &latest));
  EXPECT_EQ(latest.tree_size(), backup.tree_size() + 2);
  ASSERT_EQ(server.Stop(), 0) << server.StderrTail();

  // Restore into a fresh data directory with the same key files.
  ServerProcess restored;
  for (const char* key : {"pii.key", "signing.key"}) {
    fs::copy_file(server.data_dir() + "/" + key, restored.data_dir() + "/" + key);
  }
  fs::copy(backup_dir, restored.data_dir() + "/ledger", fs::copy_options::recursive);
  ASSERT_TRUE(restored.Start());
  Api rapi(restored.address());

  v1::Checkpoint checkpoint;
  HX_ASSERT_OK(Checkpoint(rapi, &checkpoint));
  EXPECT_EQ(checkpoint.tree_size(), backup.tree_size());
  EXPECT_EQ(checkpoint.root_hash(), backup.root_hash());
  EXPECT_EQ(checkpoint.verifier_key(), latest.verifier_key());

  // The state is the backup's: the voucher from before is there, the one from after is not,
  // the books balance, and the ledger takes writes again.
  v1::Voucher got;
  HX_EXPECT_OK(rapi.GetVoucher(before.voucher_id(), &got));
  EXPECT_TRUE(IsRefusal(rapi.GetVoucher(after.voucher_id(), &got), grpc::StatusCode::NOT_FOUND,
                        "VOUCHER_NOT_FOUND"));
  EXPECT_TRUE(rapi.BooksBalance(pid));
  HX_EXPECT_OK(rapi.Issue(pid, "refrigerator", MintIdNumber()));
  EXPECT_EQ(restored.Stop(), 0) << restored.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
