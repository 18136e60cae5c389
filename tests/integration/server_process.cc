#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#ifndef HUANXIND_PATH
#error "HUANXIND_PATH must be defined by the build"
#endif

namespace huanxin::itest {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(20);
constexpr char kListening[] = "listening on ";

int ExitStatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' ||
                        s.back() == '\t')) {
    s.pop_back();
  }
  return s;
}

}  // namespace

ServerProcess::ServerProcess(std::vector<std::string> extra_flags)
    : extra_flags_(std::move(extra_flags)) {
  char tmpl[] = "/tmp/huanxin-itest-XXXXXX";
  if (mkdtemp(tmpl) != nullptr) data_dir_ = tmpl;
}

ServerProcess::ServerProcess(ServerTls tls, std::vector<std::string> extra_flags)
    : ServerProcess(std::move(extra_flags)) {
  tls_ = std::move(tls);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
  JoinDrain();
  if (!data_dir_.empty() && std::getenv("HUANXIN_ITEST_KEEP_DATA") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
}

::testing::AssertionResult ServerProcess::Start() {
  if (data_dir_.empty()) {
    return ::testing::AssertionFailure() << "mkdtemp under /tmp failed: " << strerror(errno);
  }
  if (pid_ > 0) return ::testing::AssertionFailure() << "server already running";
  JoinDrain();
  address_.clear();

  // Everything the child needs is prepared before fork(): after it, only async-signal-safe
  // calls until execv.
  std::vector<std::string> args = {HUANXIND_PATH, "--listen=127.0.0.1:0",
                                   "--data_dir=" + data_dir_};
  if (tls_.cert_file.empty()) {
    args.push_back("--insecure");
  } else {
    args.push_back("--tls_cert=" + tls_.cert_file);
    args.push_back("--tls_key=" + tls_.key_file);
    args.push_back("--client_ca=" + tls_.client_ca_file);
  }
  args.insert(args.end(), extra_flags_.begin(), extra_flags_.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    return ::testing::AssertionFailure() << "pipe2: " << strerror(errno);
  }
  const std::string err_path = stderr_path();
  int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (err_fd < 0 || null_fd < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    if (err_fd >= 0) close(err_fd);
    if (null_fd >= 0) close(null_fd);
    return ::testing::AssertionFailure() << "open " << err_path << ": " << strerror(errno);
  }
  const pid_t parent = getpid();
  const rlimit open_files{static_cast<rlim_t>(open_files_limit_),
                          static_cast<rlim_t>(open_files_limit_)};
  pid_t pid = fork();
  if (pid < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    close(err_fd);
    close(null_fd);
    return ::testing::AssertionFailure() << "fork: " << strerror(errno);
  }
  if (pid == 0) {
    // Child. Die with the test process so no server outlives a crashed test run.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    if (open_files_limit_ > 0 && setrlimit(RLIMIT_NOFILE, &open_files) != 0) _exit(125);
    dup2(null_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execv(argv[0], argv.data());
    static const char msg[] = "server_process: execv failed\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)ignored;
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_fd);
  close(null_fd);
  pid_ = pid;
  stdout_fd_ = out_pipe[0];

  // Read stdout until the "listening on" line, EOF, or the timeout.
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string line_buf;
  bool eof = false;
  while (address_.empty() && !eof) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left.count()));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;  // timeout: the loop condition ends it
    char buf[4096];
    ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      break;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      stdout_text_.append(buf, static_cast<size_t>(n));
    }
    line_buf.append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = line_buf.find('\n')) != std::string::npos) {
      std::string line = Trim(line_buf.substr(0, nl));
      line_buf.erase(0, nl + 1);
      size_t at = line.find(kListening);
      if (at != std::string::npos && address_.empty()) {
        std::string addr = line.substr(at + strlen(kListening));
        size_t sp = addr.find_first_of(" \t");
        if (sp != std::string::npos) addr.resize(sp);
        address_ = addr;
      }
    }
  }

  if (address_.empty()) {
    std::string why;
    if (eof) {
      int st = 0;
      waitpid(pid_, &st, 0);
      Reap(st);
      why = "huanxind exited before listening (exit status " +
            std::to_string(last_exit_status_) + ")";
    } else {
      Kill();
      why = "huanxind did not print 'listening on HOST:PORT' within 30 s";
    }
    if (stdout_fd_ >= 0) {
      close(stdout_fd_);
      stdout_fd_ = -1;
    }
    return ::testing::AssertionFailure()
           << why << "\ncommand: " << HUANXIND_PATH << " --listen=127.0.0.1:0 --data_dir="
           << data_dir_ << (tls_.cert_file.empty() ? " --insecure" : " --tls_cert=...")
           << " ...\nstdout:\n"
           << stdout_text() << "\nstderr tail:\n"
           << StderrTail();
  }

  // Keep draining stdout so the server never blocks writing to it.
  int fd = stdout_fd_;
  stdout_fd_ = -1;
  drain_ = std::thread([this, fd] {
    char buf[4096];
    for (;;) {
      ssize_t n = read(fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::lock_guard<std::mutex> lock(mu_);
      stdout_text_.append(buf, static_cast<size_t>(n));
    }
    close(fd);
  });
  return ::testing::AssertionSuccess();
}

void ServerProcess::Reap(int wait_status) {
  last_exit_status_ = ExitStatusOf(wait_status);
  pid_ = -1;
}

void ServerProcess::JoinDrain() {
  if (drain_.joinable()) drain_.join();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  for (;;) {
    int st = 0;
    pid_t r = waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      Reap(st);
      break;
    }
    if (r < 0 && errno != EINTR) {
      pid_ = -1;
      last_exit_status_ = -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "huanxind did not exit within 20 s of SIGTERM; killing it.\nstderr tail:\n"
                    << StderrTail();
      kill(pid_, SIGKILL);
      waitpid(pid_, &st, 0);
      Reap(st);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  JoinDrain();
  return last_exit_status_;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int st = 0;
  while (waitpid(pid_, &st, 0) < 0 && errno == EINTR) {
  }
  Reap(st);
  JoinDrain();
}

::testing::AssertionResult ServerProcess::Restart() {
  if (pid_ > 0) Kill();
  return Start();
}

bool ServerProcess::running() {
  if (pid_ <= 0) return false;
  int st = 0;
  pid_t r = waitpid(pid_, &st, WNOHANG);
  if (r == pid_) {
    Reap(st);
    JoinDrain();
    return false;
  }
  return true;
}

std::string ServerProcess::stdout_text() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stdout_text_;
}

std::string ServerProcess::StderrTail(size_t max_bytes) const {
  std::ifstream in(stderr_path(), std::ios::binary);
  if (!in) return "(no stderr file)";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  if (s.size() > max_bytes) s = "..." + s.substr(s.size() - max_bytes);
  return s;
}

}  // namespace huanxin::itest
