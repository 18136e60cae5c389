// A RocksDB Env whose file system can lose power and fail on demand, for the
// crash, power-loss and storage-fault tests (tests/unit/power_loss_test.cc and friends).
// Production code never creates one; Db::Options::env is null there.
//
// What it models, after RocksDB's own FaultInjectionTestFS (which Debian's librocksdb-dev
// does not ship):
//   - Data appended to a file is durable only once the file is Sync'ed or Fsync'ed. Flush
//     and RangeSync make nothing durable.
//   - A file created (or renamed into place) is durable only once its directory is
//     Fsync'ed; until then a power loss removes it again, or puts back what the rename
//     replaced.
//   - Files that existed before this FaultEnv saw them are durable as they are.
//
// Power loss: Crash() at any moment (thread-safe; from then on every write, sync, create,
// rename and delete fails with an IOError, as if the machine had stopped), close the Db,
// then PowerLoss() rewinds the directory to what was durable and re-arms the file system.
//
// Storage faults: FailWrites / FailSyncs make Append or Sync (files and directories) fail
// with an IOError while set, without otherwise touching the files.
#ifndef HUANXIN_TESTS_UNIT_FAULT_ENV_H_
#define HUANXIN_TESTS_UNIT_FAULT_ENV_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "rocksdb/env.h"

namespace huanxin::storage::testing {

class FaultFs;

class FaultEnv {
 public:
  FaultEnv();  // over rocksdb's default (POSIX) file system
  ~FaultEnv();

  // For Db::Options::env. Owned by this FaultEnv, which must outlive every Db using it.
  rocksdb::Env* env() const { return env_.get(); }

  // From now on every mutating file operation fails ("simulated power loss"). Callers whose
  // commit had not synced get an error; what was synced stays synced.
  void Crash();
  // REQUIRES: Crash() was called and no Db is open on this Env.
  // Truncates every file to its last synced size, removes files whose directory entry was
  // never synced (restoring what a rename replaced), forgets all tracking and makes the file
  // system work again. Returns the first error of the rewind itself.
  absl::Status PowerLoss();

  // Storage faults: while set, Append (writes) or Sync/Fsync of files and directories
  // (syncs) fail with an IOError.
  void FailWrites(bool fail);
  void FailSyncs(bool fail);
  // While held, every Sync/Fsync waits (then proceeds, or fails if FailSyncs is set by the
  // time it is released): a test can keep a batch in flight, unsynced, for as long as it
  // likes. AwaitHeldSync waits until some sync is waiting; false after `timeout`.
  void HoldSyncs(bool hold);
  bool AwaitHeldSync(absl::Duration timeout);

  // How many syncs (files and directories) succeeded so far: lets a test crash "after the
  // n-th fsync".
  int64_t syncs() const;

 private:
  std::shared_ptr<FaultFs> fs_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace huanxin::storage::testing

#endif  // HUANXIN_TESTS_UNIT_FAULT_ENV_H_
