// `backup DIR`: AdminService.Backup, a consistent copy of the ledger database written on the
// ledger's host (docs/operations.md says how to restore it). The key files are not in it.
#include <iostream>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "tools/ctl/commands.h"
#include "tools/ctl/output.h"

namespace huanxin::ctl {
namespace {

namespace v1 = ::huanxin::v1;

int Backup(Context& ctx) {
  v1::BackupRequest request;
  request.set_destination_dir(ctx.args.RequirePositional("DIR"));
  if (!ctx.Finish()) return kExitUsage;
  if (request.destination_dir().empty() || request.destination_dir()[0] != '/') {
    std::cerr << "error: DIR must be an absolute path on the ledger's host\n";
    return kExitUsage;
  }
  v1::BackupResponse response;
  grpc::Status status = Call(ctx.client, [&](grpc::ClientContext* c) {
    return ctx.client.admin().Backup(c, request, &response);
  });
  if (!status.ok()) return ctx.client.ReportError(status);
  Emit(ctx.client, response,
       absl::StrCat("backup ", response.path(), "\ntree size ", response.tree_size(), "\nroot ",
                    absl::BytesToHexString(response.root_hash())));
  std::cerr << "the key files (pii.key, signing.key) are not in the backup: keep copies of "
               "them apart from it\n";
  return kExitOk;
}

}  // namespace

std::vector<Command> BackupCommands() {
  return {{"backup", "backup DIR",
           "a consistent copy of the ledger database, written to DIR on the ledger's host "
           "(absolute, must not exist); restore per docs/operations.md",
           Backup}};
}

}  // namespace huanxin::ctl
