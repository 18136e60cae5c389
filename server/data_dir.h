// huanxind's data directory (--data_dir): one process at a time, and a ledger is created only
// on purpose.
//
//   DIR/huanxind.lock   held with an exclusive flock(2) for the process's life (it holds the
//                       holder's pid, for the error a second process prints)
//   DIR/ledger/         the RocksDB ledger
//   DIR/checkpoint      the last checkpoint the ledger signed (ledger/checkpoint_witness.h)
//   DIR/pii.key, DIR/signing.key   the key files (their defaults)
//
// A ledger is created when DIR has none and no checkpoint either: the first start of an
// empty directory, or `huanxind --init`. A directory whose checkpoint shows a signed tree but
// whose ledger is gone is refused: that ledger must be restored, not silently begun anew.
#ifndef HUANXIN_SERVER_DATA_DIR_H_
#define HUANXIN_SERVER_DATA_DIR_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace huanxin::server {

class DataDir {
 public:
  // Creates `dir` (mode 0700) when missing and locks it. FAILED_PRECONDITION naming the
  // directory (and the holder's pid) when another process holds it; the errno's status for
  // a directory that cannot be created or locked, e.g. "No space left on device".
  static absl::StatusOr<DataDir> Lock(const std::string& dir);

  DataDir(DataDir&& other) noexcept;
  DataDir& operator=(DataDir&&) = delete;
  DataDir(const DataDir&) = delete;
  ~DataDir();  // releases the lock

  const std::string& path() const { return path_; }
  std::string ledger_dir() const { return path_ + "/ledger"; }
  std::string checkpoint_file() const { return path_ + "/checkpoint"; }

  // OK when the directory's file system has at least `min_bytes` available; otherwise
  // RESOURCE_EXHAUSTED "no space left on device" with the figures. RocksDB aborts the process
  // when it runs out of space while opening, so huanxind checks first.
  absl::Status CheckFreeSpace(uint64_t min_bytes) const;

  // Whether the ledger may be created here: true when there is no ledger and no checkpoint;
  // false when a ledger exists (open it as it is). FAILED_PRECONDITION when the checkpoint
  // shows a ledger that is missing.
  absl::StatusOr<bool> MayCreateLedger() const;

 private:
  DataDir(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
};

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_DATA_DIR_H_
