// The pure checks of huanxin-verify, free of gRPC and files: given a checkpoint whose
// signature the caller has already verified, the entries a source delivers one at a time,
// and optionally the server's programme books and an earlier checkpoint, it establishes
//   (b) the entries are exactly seq 0..size-1, in order, each one's leaf_data a LedgerEntry
//       equal to the structured entry sent beside it (when one is);
//   (c) SHA-256(0x00 || leaf_data) of those entries hashes to the checkpoint's root
//       (RFC 6962); entries past the checkpoint's size are ignored;
//   (d) the postings re-add to books that balance (books.h) and equal GetProgramStats as of
//       each stats' ledger_seq;
//   (e) an earlier checkpoint is a prefix of this one: its root is the root of the first
//       `previous.size` entries, and a consistency proof between them verifies.
// It keeps going after a failure where the next check still means something, so one run
// names every problem it can (up to kMaxFailures). Not thread-safe.
//
// Usage:
//   LedgerVerifier v(checkpoint);
//   while (source has entries && !v.complete()) v.Add(entry);
//   v.Finish();
//   for (stats) v.CheckStats(stats);        // optional
//   v.CheckPrevious(previous);              // optional
//   v.CheckConsistencyProof(previous, proof);  // optional
//   v.ok() ? print v.Summary() : print v.failures()
#ifndef HUANXIN_TOOLS_VERIFY_VERIFIER_H_
#define HUANXIN_TOOLS_VERIFY_VERIFIER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/merkle.h"
#include "common/signed_note.h"
#include "huanxin/v1/audit.pb.h"
#include "huanxin/v1/common.pb.h"
#include "tools/verify/books.h"

namespace huanxin::verify {

class LedgerVerifier {
 public:
  static constexpr size_t kMaxFailures = 50;

  explicit LedgerVerifier(note::Checkpoint checkpoint);

  // Takes the next entry in the order the source delivered it.
  // REQUIRES: Finish() not called yet.
  void Add(const huanxin::v1::EntryWithLeaf& entry);

  // True once `checkpoint.size` entries have been taken: a source may stop reading.
  bool complete() const { return taken_ >= checkpoint_.size; }

  // Ends the entries: checks that all of 0..size-1 came, and the root. REQUIRES: called once.
  void Finish();

  // (d) The server's books of one programme against the re-added ones. REQUIRES: Finish().
  void CheckStats(const huanxin::v1::ProgramStats& stats);

  // (e) `previous` (signature already verified with the same key) is a prefix of this log:
  // same origin, size <= size, and the root of the first previous.size entries equals its
  // root ("history rewritten" otherwise). REQUIRES: Finish().
  void CheckPrevious(const note::Checkpoint& previous);

  // (e) `proof` (from GetConsistencyProof(previous.size, size)) proves previous's root a
  // prefix of this checkpoint's root. Skipped for previous.size == 0. REQUIRES: Finish().
  void CheckConsistencyProof(const note::Checkpoint& previous,
                             const std::vector<merkle::Hash>& proof);

  // Records a failure found outside this class (a source's I/O or a malformed line), so
  // one list holds them all.
  void Fail(absl::Status status);

  bool ok() const { return failure_count_ == 0; }
  // The failures, in the order found (at most kMaxFailures; failure_count() counts all).
  const std::vector<absl::Status>& failures() const { return failures_; }
  size_t failure_count() const { return failure_count_; }

  // Entries taken (<= size) and ignored (past the checkpoint's size).
  uint64_t taken() const { return taken_; }
  uint64_t ignored() const { return ignored_; }
  const note::Checkpoint& checkpoint() const { return checkpoint_; }
  const Books& books() const { return books_; }

  // Several lines: entries, tree size, root (hex), and each programme's books.
  std::string Summary() const;

 private:
  // Describes which seqs went missing, came twice or out of order, from seqs_seen_.
  void DiagnoseOrder();

  note::Checkpoint checkpoint_;
  merkle::MemoryTree tree_;
  Books books_;
  uint64_t taken_ = 0;
  uint64_t ignored_ = 0;
  bool finished_ = false;
  // Set at the first entry whose seq is not its position; from then on only the seqs are
  // recorded (in seqs_seen_), for the diagnosis, and nothing is hashed or added.
  bool order_broken_ = false;
  // Set when the books failed: later entries are not added (the figures mean nothing).
  bool books_broken_ = false;
  std::vector<int64_t> seqs_seen_;
  std::vector<absl::Status> failures_;
  size_t failure_count_ = 0;
};

}  // namespace huanxin::verify

#endif  // HUANXIN_TOOLS_VERIFY_VERIFIER_H_
