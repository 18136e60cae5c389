#include "server/connection_guard.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace huanxin::server {
namespace {

constexpr absl::Duration kShedLogInterval = absl::Seconds(10);

std::atomic<AcceptGuard*> g_guard{nullptr};

int KernelAccept4(int listener, sockaddr* addr, socklen_t* addr_len, int flags) {
  return static_cast<int>(syscall(SYS_accept4, listener, addr, addr_len, flags));
}

int OpenSpare() { return open("/dev/null", O_RDONLY | O_CLOEXEC); }

bool Transient(int error) {
  return error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED;
}

}  // namespace

AcceptGuard::AcceptGuard(AcceptFn real_accept, int max_connection_fd, int spare_fd)
    : real_accept_(real_accept), max_connection_fd_(max_connection_fd), spare_fd_(spare_fd) {}

AcceptGuard::~AcceptGuard() {
  absl::MutexLock l(&mu_);
  if (spare_fd_ >= 0) close(spare_fd_);
}

int AcceptGuard::Accept(int listener, sockaddr* addr, socklen_t* addr_len, int flags) {
  for (int shed = 0; shed < kMaxShedPerCall; ++shed) {
    const int fd = real_accept_(listener, addr, addr_len, flags);
    if (fd >= max_connection_fd_) {
      close(fd);
      Shed();
      continue;
    }
    if (fd >= 0) return fd;
    const int error = errno;
    if (Transient(error)) return -1;
    if ((error == EMFILE || error == ENFILE) && ShedWithSpare(listener)) continue;
    Wedged(error);
    errno = error;
    return -1;
  }
  errno = EAGAIN;
  return -1;
}

bool AcceptGuard::ShedWithSpare(int listener) {
  int fd;
  {
    absl::MutexLock l(&mu_);
    if (spare_fd_ < 0) return false;
    close(spare_fd_);
    fd = real_accept_(listener, nullptr, nullptr, SOCK_CLOEXEC);
    const int error = errno;
    if (fd >= 0) close(fd);
    spare_fd_ = OpenSpare();
    if (fd < 0 && !Transient(error)) return false;
  }
  if (fd >= 0) Shed();
  return true;
}

void AcceptGuard::Shed() {
  const int64_t total = shed_.fetch_add(1, std::memory_order_relaxed) + 1;
  absl::MutexLock l(&mu_);
  const absl::Time now = absl::Now();
  if (now - last_shed_log_ < kShedLogInterval) return;
  last_shed_log_ = now;
  LogLine("connections_shed", "warning")
      .Int("total", total)
      .Int("max_connection_fd", max_connection_fd_)
      .Str("message",
           "file descriptors are short: new connections are closed at once until some close");
}

void AcceptGuard::Wedged(int error) {
  absl::MutexLock l(&mu_);
  if (!wedged_.ok()) return;
  wedged_ = absl::UnavailableError(
      absl::StrCat("a listener stopped accepting after accept4 failed: ", strerror(error)));
  LogLine("listener_stopped", "error").Str("message", wedged_.message());
}

absl::Status AcceptGuard::health() const {
  absl::MutexLock l(&mu_);
  return wedged_;
}

int MaxConnectionFd(int64_t open_files) {
  const int64_t reserve = std::clamp<int64_t>(open_files / 4, 32, 1024);
  return static_cast<int>(std::clamp<int64_t>(open_files - reserve, 1, 1 << 30));
}

void GuardConnections() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) {
      limit = raised;
    } else {
      LogLine("open_files", "warning")
          .Str("message", absl::StrCat("cannot raise the soft RLIMIT_NOFILE to the hard limit: ",
                                       strerror(errno)));
    }
  }
  const int64_t open_files =
      limit.rlim_cur == RLIM_INFINITY ? int64_t{1} << 30 : static_cast<int64_t>(limit.rlim_cur);
  // Never freed: gRPC's threads may call accept4 until the process exits.
  auto* guard = new AcceptGuard(&KernelAccept4, MaxConnectionFd(open_files), OpenSpare());
  g_guard.store(guard, std::memory_order_release);
  LogLine("open_files")
      .Int("limit", open_files)
      .Int("max_connection_fd", guard->max_connection_fd());
}

absl::Status ListenerHealth() {
  const AcceptGuard* guard = g_guard.load(std::memory_order_acquire);
  return guard == nullptr ? absl::OkStatus() : guard->health();
}

int GuardedAccept4(int listener, sockaddr* addr, socklen_t* addr_len, int flags) {
  AcceptGuard* guard = g_guard.load(std::memory_order_acquire);
  if (guard == nullptr) return KernelAccept4(listener, addr, addr_len, flags);
  return guard->Accept(listener, addr, addr_len, flags);
}

}  // namespace huanxin::server
