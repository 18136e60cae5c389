// Typed access to the ledger's state over any KvReader: the writer's Batch (committed state
// plus this batch's writes) or a Db snapshot (readers). One set of getters serves both, so
// the checks a quote runs are the very checks a redemption runs.
#ifndef HUANXIN_LEDGER_STATE_H_
#define HUANXIN_LEDGER_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/ledger.pb.h"
#include "storage/batch.h"
#include "storage/db.h"

namespace huanxin::ledger {

class StateReader {
 public:
  explicit StateReader(const storage::KvReader* kv) : kv_(kv) {}

  // Each getter: nullopt when absent; an error only on a storage fault or a corrupt value.
  absl::StatusOr<std::optional<v1::Program>> Program(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::Merchant>> Merchant(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::Recycler>> Recycler(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::Voucher>> Voucher(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::Redemption>> Redemption(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::ScrapReceipt>> Receipt(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::SettlementCreated>> Settlement(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::Review>> Review(absl::string_view id) const;
  absl::StatusOr<std::optional<v1::LedgerEntry>> Entry(int64_t seq) const;
  absl::StatusOr<std::optional<internal::IdempotencyRecord>> Idempotency(
      absl::string_view actor, absl::string_view request_id) const;

  // Zero-valued when absent.
  absl::StatusOr<v1::ProgramStats> Stats(absl::string_view program_id) const;
  absl::StatusOr<internal::ConsumerUsage> Usage(absl::string_view scope,
                                                absl::string_view consumer_ref) const;
  absl::StatusOr<int64_t> Balance(absl::string_view account) const;
  absl::StatusOr<int64_t> Counter(storage::Cf cf, absl::string_view key) const;
  absl::StatusOr<bool> Exists(storage::Cf cf, absl::string_view key) const;
  absl::Status Scan(storage::Cf cf, absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) const {
    return kv_->Scan(cf, prefix, fn);
  }
  absl::StatusOr<std::optional<std::string>> Raw(storage::Cf cf, absl::string_view key) const {
    return kv_->Get(cf, key);
  }

 private:
  // Reads and parses one message. nullopt when absent.
  template <typename M>
  absl::StatusOr<std::optional<M>> Get(storage::Cf cf, absl::string_view key) const;

  const storage::KvReader* kv_;
};

// Writes state into the writer's batch.
class StateWriter {
 public:
  explicit StateWriter(storage::Batch* batch) : batch_(batch) {}
  void Put(storage::Cf cf, std::string key, const google::protobuf::MessageLite& m);
  void PutCounter(storage::Cf cf, std::string key, int64_t value);
  void PutRaw(storage::Cf cf, std::string key, std::string value);
  void Delete(storage::Cf cf, std::string key);

 private:
  storage::Batch* batch_;
};

// The one place that says how a message is serialized for storage: deterministic, so that
// replaying the entries rebuilds byte-identical state.
std::string Serialize(const google::protobuf::MessageLite& m);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_STATE_H_
