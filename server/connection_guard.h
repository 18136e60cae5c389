// Keeps huanxind's gRPC listeners accepting when file descriptors run short.
//
// gRPC 1.51's listener stops for good on any accept4 error but EAGAIN, EINTR and
// ECONNABORTED: one "Failed accept4: Too many open files" during a connection flood, and the
// port never accepts again while the process lives on. It has no bound on incoming
// connections either. So huanxind defines accept4 itself (server/accept_hook.cc) and routes
// every call through the AcceptGuard installed here:
//   - a connection that would take one of the top `reserve` descriptors (the kernel hands out
//     the lowest free one, so its number says how full the table is) is closed at once: the
//     client sees the connection reset and retries, and the reserve stays for RocksDB, logs
//     and the other ports;
//   - when accept4 fails with EMFILE or ENFILE anyway, the guard closes a spare descriptor it
//     keeps, takes the pending connection with it, closes that and reopens the spare, so gRPC
//     never sees the error;
//   - any other failure that stops gRPC's listener is remembered, and ListenerHealth() turns
//     it into NOT_SERVING (server/health.h), so an orchestrator restarts the process.
#ifndef HUANXIN_SERVER_CONNECTION_GUARD_H_
#define HUANXIN_SERVER_CONNECTION_GUARD_H_

#include <sys/socket.h>

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace huanxin::server {

class AcceptGuard {
 public:
  // The real accept4 (a syscall in production, a fake in tests).
  using AcceptFn = int (*)(int listener, sockaddr* addr, socklen_t* addr_len, int flags);

  // Connections whose descriptor would be >= `max_connection_fd` are closed. `spare_fd` is an
  // open descriptor the guard owns (-1: none; then EMFILE stops the listener).
  AcceptGuard(AcceptFn real_accept, int max_connection_fd, int spare_fd);
  ~AcceptGuard();

  AcceptGuard(const AcceptGuard&) = delete;
  AcceptGuard& operator=(const AcceptGuard&) = delete;

  // accept4 as gRPC expects it: a connection below the bound, or -1 with errno. Sheds the
  // connections it refuses (at most kMaxShedPerCall per call, then EAGAIN: the listener stays
  // armed and the next arrival drains the rest).
  int Accept(int listener, sockaddr* addr, socklen_t* addr_len, int flags);

  // OK, or the accept4 failure that stopped a listener.
  absl::Status health() const;
  // Connections closed at once so far.
  int64_t shed() const { return shed_.load(std::memory_order_relaxed); }
  int max_connection_fd() const { return max_connection_fd_; }

  static constexpr int kMaxShedPerCall = 1024;

 private:
  // Takes one pending connection with the spare descriptor's slot and closes it. False when
  // there was none to take it with.
  bool ShedWithSpare(int listener);
  void Shed();
  void Wedged(int error);

  const AcceptFn real_accept_;
  const int max_connection_fd_;
  std::atomic<int64_t> shed_{0};
  mutable absl::Mutex mu_;
  int spare_fd_ ABSL_GUARDED_BY(mu_);
  absl::Status wedged_ ABSL_GUARDED_BY(mu_);
  absl::Time last_shed_log_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

// The descriptor bound for a soft RLIMIT_NOFILE of `open_files`: a quarter of it (at least
// 32, at most 1024) is kept back from connections.
int MaxConnectionFd(int64_t open_files);

// Raises the soft RLIMIT_NOFILE to the hard limit and installs the process's AcceptGuard with
// MaxConnectionFd of it. Logs the limits (and a warning when raising fails).
// REQUIRES: called once, before any server starts.
void GuardConnections();

// The installed guard's health(); OK when none is installed.
absl::Status ListenerHealth();

// accept4 through the installed guard; straight to the kernel when none is installed.
int GuardedAccept4(int listener, sockaddr* addr, socklen_t* addr_len, int flags);

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_CONNECTION_GUARD_H_
