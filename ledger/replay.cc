#include "ledger/replay.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/apply.h"
#include "storage/batch.h"
#include "storage/keys.h"

namespace huanxin::ledger {

namespace keys = storage::keys;
using storage::Cf;

absl::StatusOr<int64_t> Replay(const storage::Db& from, storage::Db* into) {
  storage::Batch batch(into);
  int64_t next = 0;
  absl::Status failure;
  auto view = from.NewView();
  HX_RETURN_IF_ERROR(view->Scan(Cf::kEntries, "", [&](absl::string_view key,
                                                          absl::string_view value) {
    v1::LedgerEntry e;
    if (!e.ParseFromArray(value.data(), static_cast<int>(value.size())) || e.seq() != next ||
        keys::Seq(next) != key) {
      failure = absl::DataLossError(absl::StrCat("entry ", next, " is missing or corrupt"));
      return false;
    }
    failure = Apply(e, &batch);
    if (!failure.ok()) return false;
    failure = AppendToLog(next, std::string(value), &batch);
    if (!failure.ok()) return false;
    ++next;
    if (batch.pending_bytes() > (8 << 20)) failure = batch.Commit();
    return failure.ok();
  }));
  HX_RETURN_IF_ERROR(failure);
  batch.Put(Cf::kMeta, keys::kSchemaVersionKey, keys::kSchemaVersion);
  batch.Put(Cf::kMeta, keys::kNextSeq, keys::Seq(next));
  HX_RETURN_IF_ERROR(batch.Commit());
  return next;
}

}  // namespace huanxin::ledger
