// The auditors' reads of the log: entries with their leaf_data, filtered queries served by the
// entry indexes, signed checkpoints and Merkle proofs. Every call reads one RocksDB snapshot,
// never through the writer, and sees only committed entries.
#ifndef HUANXIN_LEDGER_AUDIT_READER_H_
#define HUANXIN_LEDGER_AUDIT_READER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/signed_note.h"
#include "ledger/checkpoint_witness.h"
#include "huanxin/v1/audit.pb.h"
#include "storage/db.h"

namespace huanxin::ledger {

// A ListEntries filter; empty fields match everything.
struct EntryQuery {
  std::set<int> types;
  std::string program_id;
  std::string merchant_id;
  std::string consumer_ref;
  std::optional<absl::Time> from_time;  // inclusive
  std::optional<absl::Time> to_time;    // inclusive
  int64_t from_seq = 0;
};

class AuditReader {
 public:
  // `signer` may be null: then GetCheckpoint is FAILED_PRECONDITION. `witness`, when not
  // null, must outlive this reader: GetCheckpoint then signs only trees that extend it, and
  // records each larger one before handing it out.
  AuditReader(const storage::Db* db, std::shared_ptr<const note::Signer> signer, std::string origin,
              CheckpointWitness* witness = nullptr)
      : db_(db), signer_(std::move(signer)), origin_(std::move(origin)), witness_(witness) {}

  absl::StatusOr<v1::EntryWithLeaf> GetEntry(int64_t seq) const;
  // Up to `max` committed entries from `from` on.
  absl::StatusOr<std::vector<v1::EntryWithLeaf>> ReadEntries(int64_t from, int max) const;
  // Entries matching `q` with seq >= `start`, at most `page_size`. A page also ends after
  // examining a bounded number of candidates, or once its entries take 1 MiB, so every call
  // is cheap and every answer small; next_page_token (the
  // decimal seq to continue from) is empty only when nothing can match any more.
  absl::StatusOr<v1::ListEntriesResponse> ListEntries(const EntryQuery& q, int32_t page_size,
                                                      int64_t start) const;
  // Signed over every entry committed when it is called. DATA_LOSS, and nothing signed, when
  // the tree does not extend the witnessed checkpoint.
  absl::StatusOr<v1::Checkpoint> GetCheckpoint() const;
  // OK when there is no witness or the committed tree extends it; DATA_LOSS otherwise.
  absl::Status CheckWitness() const;
  // RFC 9162 proofs. tree_size / second_size 0 mean the committed size now.
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(int64_t seq, int64_t tree_size) const;
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(int64_t first, int64_t second) const;

 private:
  const storage::Db* db_;
  std::shared_ptr<const note::Signer> signer_;
  std::string origin_;
  CheckpointWitness* witness_;
};

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_AUDIT_READER_H_
