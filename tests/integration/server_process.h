// ServerProcess: a real huanxind child process for integration tests.
//
// Each ServerProcess owns a fresh data directory (mkdtemp under /tmp) and runs
//   HUANXIND_PATH --listen=127.0.0.1:0 --data_dir=DIR --insecure [extra flags...]
// or, given ServerTls, --tls_cert/--tls_key/--client_ca instead of --insecure (mTLS).
// It reads the child's stdout through a pipe until the line "listening on HOST:PORT" (at most
// 30 s), then keeps draining stdout on a thread so the server can never block on a full pipe;
// the captured text is available through stdout_text(). stderr goes to DIR/huanxind.stderr.
// The destructor kills a still-running server and removes the directory.
//
// Thread-compatible: drive one ServerProcess from one test thread.
#ifndef HUANXIN_TESTS_INTEGRATION_SERVER_PROCESS_H_
#define HUANXIN_TESTS_INTEGRATION_SERVER_PROCESS_H_

#include <sys/types.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace huanxin::itest {

class ServerProcess {
 public:
  // PEM files of an mTLS server: its certificate and key, and the CA of client certificates.
  struct ServerTls {
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;
  };

  // `extra_flags` are appended to the command line on every (re)start.
  explicit ServerProcess(std::vector<std::string> extra_flags = {});
  // An mTLS server (no --insecure).
  ServerProcess(ServerTls tls, std::vector<std::string> extra_flags);
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // From the next Start() on, the child runs with RLIMIT_NOFILE `limit` (soft and hard), as
  // after `ulimit -n LIMIT`: a descriptor flood then takes a few hundred connections.
  void set_open_files_limit(int limit) { open_files_limit_ = limit; }

  // Starts the server and waits for "listening on HOST:PORT". On failure (exec error, early
  // exit, 30 s timeout) returns a failure that carries the server's stderr tail.
  // REQUIRES: !running().
  ::testing::AssertionResult Start();

  // SIGTERM, then waitpid (SIGKILL after 20 s). Returns the exit status: the exit code when
  // the server exited, 128 + signal when a signal ended it, -1 when nothing was running.
  int Stop();

  // SIGKILL and waitpid: a crash, as far as the data directory can tell.
  void Kill();

  // Kill() if still running, then Start() again on the same data directory (new port).
  ::testing::AssertionResult Restart();

  // True while the child has not exited (reaps it when it has).
  bool running();

  // "127.0.0.1:PORT" as printed by the server. Valid after a successful Start().
  const std::string& address() const { return address_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string stderr_path() const { return data_dir_ + "/huanxind.stderr"; }
  pid_t pid() const { return pid_; }

  // Everything the server wrote on stdout so far (across restarts).
  std::string stdout_text() const;
  // The last `max_bytes` of the stderr file.
  std::string StderrTail(size_t max_bytes = 4000) const;

  // The exit status of the last exit (see Stop()), or -1.
  int last_exit_status() const { return last_exit_status_; }

 private:
  void Reap(int wait_status);
  void JoinDrain();

  std::vector<std::string> extra_flags_;
  ServerTls tls_;  // empty cert_file: --insecure
  std::string data_dir_;
  std::string address_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int last_exit_status_ = -1;
  int open_files_limit_ = 0;  // 0: inherited
  std::thread drain_;
  mutable std::mutex mu_;
  std::string stdout_text_;  // guarded by mu_
};

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_INTEGRATION_SERVER_PROCESS_H_
