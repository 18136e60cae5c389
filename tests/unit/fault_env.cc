#include "tests/unit/fault_env.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rocksdb/file_system.h"

namespace huanxin::storage::testing {
namespace {

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

std::string Normalize(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

rocksdb::IOStatus Injected(const char* what) {
  return rocksdb::IOStatus::IOError("fault_env: injected ", what);
}

}  // namespace

class FaultFs : public rocksdb::FileSystemWrapper {
 public:
  FaultFs() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "HuanxinFaultFs"; }

  // Called by the wrappers below.
  rocksdb::IOStatus CheckWrite() {
    absl::MutexLock l(&mu_);
    if (crashed_) return Injected("power loss");
    if (fail_writes_) return Injected("write error");
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus CheckSync() {
    absl::MutexLock l(&mu_);
    ++held_syncs_;
    mu_.Await(absl::Condition(
        +[](FaultFs* fs) ABSL_EXCLUSIVE_LOCKS_REQUIRED(fs->mu_) {
          return !fs->hold_syncs_ || fs->crashed_;
        },
        this));
    --held_syncs_;
    if (crashed_) return Injected("power loss");
    if (fail_syncs_) return Injected("fsync error");
    return rocksdb::IOStatus::OK();
  }
  rocksdb::IOStatus CheckAlive() {
    absl::MutexLock l(&mu_);
    return crashed_ ? Injected("power loss") : rocksdb::IOStatus::OK();
  }
  void Appended(const std::string& f, uint64_t end) {
    absl::MutexLock l(&mu_);
    uint64_t& pos = files_[f].pos;
    pos = std::max(pos, end);
  }
  uint64_t Position(const std::string& f) {
    absl::MutexLock l(&mu_);
    return files_[f].pos;
  }
  // `pos`: the size when the sync began; what was appended after it is not covered.
  void Synced(const std::string& f, uint64_t pos) {
    absl::MutexLock l(&mu_);
    auto it = files_.find(f);
    if (it != files_.end()) it->second.synced = std::max(it->second.synced, pos);
    ++syncs_;
  }
  void Truncated(const std::string& f, uint64_t size) {
    absl::MutexLock l(&mu_);
    FileState& s = files_[f];
    s.pos = size;
    s.synced = std::min(s.synced, size);
  }
  void DirSynced(const std::string& dir) {
    absl::MutexLock l(&mu_);
    for (const std::string& f : unsynced_entries_[Normalize(dir)]) restore_.erase(f);
    unsynced_entries_.erase(Normalize(dir));
    ++syncs_;
  }

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old,
                                      const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* dbg) override {
    return rocksdb::IOStatus::NotSupported("fault_env: ReuseWritableFile");
  }
  rocksdb::IOStatus NewRandomRWFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>* r,
                                    rocksdb::IODebugContext* dbg) override {
    return rocksdb::IOStatus::NotSupported("fault_env: NewRandomRWFile");
  }
  rocksdb::IOStatus NewDirectory(const std::string& name, const rocksdb::IOOptions& o,
                                 std::unique_ptr<rocksdb::FSDirectory>* r,
                                 rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& s, const std::string& t,
                               const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus LinkFile(const std::string& s, const std::string& t,
                             const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return rocksdb::IOStatus::NotSupported("fault_env: LinkFile");
  }
  rocksdb::IOStatus DeleteFile(const std::string& f, const rocksdb::IOOptions& o,
                               rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = CheckAlive();
    if (!s.ok()) return s;
    s = target()->DeleteFile(f, o, dbg);
    if (s.ok()) {
      absl::MutexLock l(&mu_);
      files_.erase(f);
      unsynced_entries_[DirOf(f)].erase(f);
      restore_.erase(f);
    }
    return s;
  }
  rocksdb::IOStatus Truncate(const std::string& f, size_t size, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = CheckWrite();
    if (!s.ok()) return s;
    s = target()->Truncate(f, size, o, dbg);
    if (s.ok()) Truncated(f, size);
    return s;
  }

  void Crash() {
    absl::MutexLock l(&mu_);
    crashed_ = true;
  }
  absl::Status PowerLoss();
  void FailWrites(bool fail) {
    absl::MutexLock l(&mu_);
    fail_writes_ = fail;
  }
  void FailSyncs(bool fail) {
    absl::MutexLock l(&mu_);
    fail_syncs_ = fail;
  }
  void HoldSyncs(bool hold) {
    absl::MutexLock l(&mu_);
    hold_syncs_ = hold;
  }
  bool AwaitHeldSync(absl::Duration timeout) {
    absl::MutexLock l(&mu_);
    return mu_.AwaitWithTimeout(
        absl::Condition(
            +[](FaultFs* fs) ABSL_EXCLUSIVE_LOCKS_REQUIRED(fs->mu_) { return fs->held_syncs_ > 0; },
            this),
        timeout);
  }
  int64_t syncs() const {
    absl::MutexLock l(&mu_);
    return syncs_;
  }

 private:
  struct FileState {
    uint64_t pos = 0;     // bytes appended
    uint64_t synced = 0;  // bytes durable
  };
  // Records a new directory entry for `f`; when it replaces a durable file, keeps that
  // file's bytes to put back at a power loss.
  void NewEntry(const std::string& f, bool existed) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable absl::Mutex mu_;
  bool crashed_ ABSL_GUARDED_BY(mu_) = false;
  bool fail_writes_ ABSL_GUARDED_BY(mu_) = false;
  bool fail_syncs_ ABSL_GUARDED_BY(mu_) = false;
  bool hold_syncs_ ABSL_GUARDED_BY(mu_) = false;
  int held_syncs_ ABSL_GUARDED_BY(mu_) = 0;  // syncs waiting while hold_syncs_
  int64_t syncs_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, FileState> files_ ABSL_GUARDED_BY(mu_);
  // dir -> files whose entry in it is not durable yet.
  std::map<std::string, std::set<std::string>> unsynced_entries_ ABSL_GUARDED_BY(mu_);
  // file -> the durable bytes an unsynced rename or re-create replaced.
  std::map<std::string, std::string> restore_ ABSL_GUARDED_BY(mu_);
};

namespace {

class FaultFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultFile(FaultFs* fs, std::string name, std::unique_ptr<rocksdb::FSWritableFile> f)
      : rocksdb::FSWritableFileOwnerWrapper(std::move(f)), fs_(fs), name_(std::move(name)) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->CheckWrite();
    if (s.ok()) s = target()->Append(data, o, dbg);
    if (s.ok()) fs_->Appended(name_, fs_->Position(name_) + data.size());
    return s;
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                           const rocksdb::DataVerificationInfo&,
                           rocksdb::IODebugContext* dbg) override {
    return Append(data, o, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& o,
                                     rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->CheckWrite();
    if (s.ok()) s = target()->PositionedAppend(data, offset, o, dbg);
    if (s.ok()) fs_->Appended(name_, offset + data.size());
    return s;
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset,
                                     const rocksdb::IOOptions& o,
                                     const rocksdb::DataVerificationInfo&,
                                     rocksdb::IODebugContext* dbg) override {
    return PositionedAppend(data, offset, o, dbg);
  }
  rocksdb::IOStatus Truncate(uint64_t size, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->CheckWrite();
    if (s.ok()) s = target()->Truncate(size, o, dbg);
    if (s.ok()) fs_->Truncated(name_, size);
    return s;
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return DoSync([&] { return target()->Sync(o, dbg); });
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    return DoSync([&] { return target()->Fsync(o, dbg); });
  }
  // RangeSync (bytes_per_sync) promises nothing about durability: passed through, not counted.

 private:
  template <typename F>
  rocksdb::IOStatus DoSync(F sync) {
    rocksdb::IOStatus s = fs_->CheckSync();
    if (!s.ok()) return s;
    const uint64_t pos = fs_->Position(name_);
    s = sync();
    if (s.ok()) fs_->Synced(name_, pos);
    return s;
  }

  FaultFs* const fs_;
  const std::string name_;
};

class FaultDir : public rocksdb::FSDirectoryWrapper {
 public:
  FaultDir(FaultFs* fs, std::string name, std::unique_ptr<rocksdb::FSDirectory> d)
      : rocksdb::FSDirectoryWrapper(std::move(d)), fs_(fs), name_(std::move(name)) {}
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = fs_->CheckSync();
    if (s.ok()) s = rocksdb::FSDirectoryWrapper::Fsync(o, dbg);
    if (s.ok()) fs_->DirSynced(name_);
    return s;
  }
  rocksdb::IOStatus FsyncWithDirOptions(const rocksdb::IOOptions& o,
                                        rocksdb::IODebugContext* dbg,
                                        const rocksdb::DirFsyncOptions&) override {
    return Fsync(o, dbg);
  }

 private:
  FaultFs* const fs_;
  const std::string name_;
};

bool ReadAll(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

void FaultFs::NewEntry(const std::string& f, bool existed) {
  std::set<std::string>& unsynced = unsynced_entries_[DirOf(f)];
  if (existed && unsynced.count(f) == 0 && restore_.count(f) == 0) {
    std::string old;
    if (ReadAll(f, &old)) restore_[f] = std::move(old);
  }
  unsynced.insert(f);
}

rocksdb::IOStatus FaultFs::NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                           std::unique_ptr<rocksdb::FSWritableFile>* r,
                                           rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = CheckAlive();
  if (!s.ok()) return s;
  {
    absl::MutexLock l(&mu_);
    NewEntry(f, access(f.c_str(), F_OK) == 0);
  }
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->NewWritableFile(f, o, &file, dbg);
  if (!s.ok()) return s;
  {
    absl::MutexLock l(&mu_);
    files_[f] = FileState();
  }
  *r = std::make_unique<FaultFile>(this, f, std::move(file));
  return s;
}

rocksdb::IOStatus FaultFs::ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                              std::unique_ptr<rocksdb::FSWritableFile>* r,
                                              rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = CheckAlive();
  if (!s.ok()) return s;
  std::unique_ptr<rocksdb::FSWritableFile> file;
  s = target()->ReopenWritableFile(f, o, &file, dbg);
  if (!s.ok()) return s;
  {
    absl::MutexLock l(&mu_);
    if (files_.count(f) == 0) {
      uint64_t size = 0;
      target()->GetFileSize(f, rocksdb::IOOptions(), &size, nullptr).PermitUncheckedError();
      files_[f] = FileState{size, size};
    }
  }
  *r = std::make_unique<FaultFile>(this, f, std::move(file));
  return s;
}

rocksdb::IOStatus FaultFs::NewDirectory(const std::string& name, const rocksdb::IOOptions& o,
                                        std::unique_ptr<rocksdb::FSDirectory>* r,
                                        rocksdb::IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSDirectory> dir;
  rocksdb::IOStatus s = target()->NewDirectory(name, o, &dir, dbg);
  if (s.ok()) *r = std::make_unique<FaultDir>(this, Normalize(name), std::move(dir));
  return s;
}

rocksdb::IOStatus FaultFs::RenameFile(const std::string& from, const std::string& to,
                                      const rocksdb::IOOptions& o, rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = CheckAlive();
  if (!s.ok()) return s;
  {
    absl::MutexLock l(&mu_);
    NewEntry(to, access(to.c_str(), F_OK) == 0);
  }
  s = target()->RenameFile(from, to, o, dbg);
  if (!s.ok()) return s;
  absl::MutexLock l(&mu_);
  auto it = files_.find(from);
  if (it != files_.end()) {
    files_[to] = it->second;
    files_.erase(from);
  } else {
    files_.erase(to);  // a durable file moved: durable under its new name once the dir syncs
  }
  unsynced_entries_[DirOf(from)].erase(from);
  return s;
}

absl::Status FaultFs::PowerLoss() {
  absl::MutexLock l(&mu_);
  if (!crashed_) return absl::FailedPreconditionError("PowerLoss() without Crash()");
  absl::Status first;
  auto note = [&first](bool ok, const std::string& what) {
    if (!ok && first.ok()) first = absl::InternalError(absl::StrCat(what, ": ", strerror(errno)));
  };
  std::set<std::string> gone;
  for (const auto& [dir, names] : unsynced_entries_) {
    for (const std::string& f : names) {
      auto old = restore_.find(f);
      if (old != restore_.end()) {
        std::ofstream out(f, std::ios::binary | std::ios::trunc);
        out << old->second;
        note(static_cast<bool>(out), "restore " + f);
      } else {
        note(unlink(f.c_str()) == 0 || errno == ENOENT, "unlink " + f);
      }
      gone.insert(f);
    }
  }
  for (const auto& [f, state] : files_) {
    if (gone.count(f) != 0 || state.synced >= state.pos) continue;
    note(truncate(f.c_str(), static_cast<off_t>(state.synced)) == 0 || errno == ENOENT,
         "truncate " + f);
  }
  files_.clear();
  unsynced_entries_.clear();
  restore_.clear();
  crashed_ = false;
  fail_writes_ = false;
  fail_syncs_ = false;
  hold_syncs_ = false;
  return first;
}

FaultEnv::FaultEnv()
    : fs_(std::make_shared<FaultFs>()), env_(rocksdb::NewCompositeEnv(fs_)) {}
FaultEnv::~FaultEnv() = default;

void FaultEnv::Crash() { fs_->Crash(); }
absl::Status FaultEnv::PowerLoss() { return fs_->PowerLoss(); }
void FaultEnv::FailWrites(bool fail) { fs_->FailWrites(fail); }
void FaultEnv::FailSyncs(bool fail) { fs_->FailSyncs(fail); }
void FaultEnv::HoldSyncs(bool hold) { fs_->HoldSyncs(hold); }
bool FaultEnv::AwaitHeldSync(absl::Duration timeout) { return fs_->AwaitHeldSync(timeout); }
int64_t FaultEnv::syncs() const { return fs_->syncs(); }

}  // namespace huanxin::storage::testing
