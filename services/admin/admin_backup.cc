// AdminService.Backup: a RocksDB checkpoint of the ledger on the ledger's host
// (ledger/backup.h), through whichever LedgerApi this edge has.
#include "absl/strings/match.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "services/admin/admin_service.h"

namespace huanxin::edge {

grpc::Status AdminService::Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                                  v1::BackupResponse* resp) {
  return Serve(ctx, "AdminService/Backup", [&](const Principal&) -> absl::Status {
    const std::string& dir = req->destination_dir();
    if (dir.empty()) return FieldError("destination_dir", "is required");
    if (dir.size() > 4096 || !absl::StartsWith(dir, "/")) {
      return FieldError("destination_dir", "must be an absolute path on the ledger's host");
    }
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->Backup(dir));
    return absl::OkStatus();
  });
}

}  // namespace huanxin::edge
