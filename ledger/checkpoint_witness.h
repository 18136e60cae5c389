// The largest checkpoint a ledger has signed, kept in a file outside its database (huanxind:
// DATA_DIR/checkpoint). A ledger that lost committed entries (a deleted WAL, an old copy put
// back) would otherwise start again under the same key and sign a smaller tree, or a
// different one of the same size, as if nothing had happened: a fork of the log its auditors
// trust. With the witness it refuses to start, and refuses to sign.
//
// The file holds the signed note exactly as it was handed out, so an operator can read (and
// verify) what the ledger last promised.
#ifndef HUANXIN_LEDGER_CHECKPOINT_WITNESS_H_
#define HUANXIN_LEDGER_CHECKPOINT_WITNESS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace huanxin::ledger {

class CheckpointWitness {
 public:
  // The root of the first `size` leaves of the ledger's tree.
  using RootAt = std::function<absl::StatusOr<std::string>(uint64_t size)>;

  // Reads `path`; an absent file means nothing was signed yet. DATA_LOSS when the file is
  // not a checkpoint signed by `verifier_key` (the ledger's own key).
  static absl::StatusOr<std::unique_ptr<CheckpointWitness>> Open(std::string path,
                                                                 std::string verifier_key);

  // OK when a tree of `size` leaves contains the witnessed one: size >= the witnessed size
  // and root_at(witnessed size) == the witnessed root. DATA_LOSS naming both otherwise.
  absl::Status CheckExtends(uint64_t size, const RootAt& root_at) const;

  // Keeps `signed_note`, a checkpoint of `size` leaves with root `root`, when it is larger
  // than the witnessed one: written to a temporary file, synced, renamed over the file, and
  // the directory synced, all before the caller hands the note out. A note of the witnessed
  // size or less changes nothing (the caller checked it with CheckExtends).
  absl::Status Record(uint64_t size, const std::string& root, const std::string& signed_note);

  uint64_t size() const;

 private:
  CheckpointWitness(std::string path, uint64_t size, std::string root)
      : path_(std::move(path)), size_(size), root_(std::move(root)) {}

  const std::string path_;
  mutable absl::Mutex mu_;  // also serialises writes of the file
  uint64_t size_ ABSL_GUARDED_BY(mu_);
  std::string root_ ABSL_GUARDED_BY(mu_);
};

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_CHECKPOINT_WITNESS_H_
