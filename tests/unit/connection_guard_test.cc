// AcceptGuard (server/connection_guard.h) over a scripted accept4: connections past the
// descriptor bound are closed and the next one taken, EMFILE is absorbed with the spare
// descriptor, and only a failure that stops gRPC's listener makes the guard unhealthy.
#include "server/connection_guard.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <deque>

#include "gtest/gtest.h"

namespace huanxin::server {
namespace {

// What the fake accept4 returns, in order: a descriptor (opened on /dev/null, so the guard can
// close it) at least `fd_at_least`, or -1 with `error`. Empty: EAGAIN. A call without an
// address is the guard taking a connection with its spare descriptor.
struct Step {
  int fd_at_least;
  int error;
};
std::deque<Step> g_script;
int g_accepted_with_spare = 0;

int OpenAtLeast(int n) {
  const int base = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int fd = fcntl(base, F_DUPFD_CLOEXEC, n);
  close(base);
  return fd;
}

int FakeAccept(int listener, sockaddr* addr, socklen_t* addr_len, int flags) {
  if (addr == nullptr) ++g_accepted_with_spare;
  if (g_script.empty()) {
    errno = EAGAIN;
    return -1;
  }
  const Step step = g_script.front();
  g_script.pop_front();
  if (step.error != 0) {
    errno = step.error;
    return -1;
  }
  return OpenAtLeast(step.fd_at_least);
}

class AcceptGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_script.clear();
    g_accepted_with_spare = 0;
  }
  // Calls Accept as gRPC does; the descriptor it returns is closed here.
  int Accept(AcceptGuard* guard) {
    sockaddr_storage peer;
    socklen_t peer_len = sizeof(peer);
    const int fd = guard->Accept(3, reinterpret_cast<sockaddr*>(&peer), &peer_len, 0);
    if (fd >= 0) close(fd);
    return fd;
  }
};

TEST_F(AcceptGuardTest, ConnectionsBelowTheBoundPassThrough) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  g_script = {{0, 0}};
  EXPECT_GE(Accept(&guard), 0);
  EXPECT_EQ(guard.shed(), 0);
  EXPECT_TRUE(guard.health().ok());
}

TEST_F(AcceptGuardTest, ConnectionsAtTheBoundAreShedAndTheNextOneTaken) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  g_script = {{950, 0}, {960, 0}, {0, 0}};
  const int fd = Accept(&guard);
  EXPECT_GE(fd, 0);
  EXPECT_LT(fd, 900);
  EXPECT_EQ(guard.shed(), 2);
  EXPECT_TRUE(guard.health().ok());
}

TEST_F(AcceptGuardTest, OnlySheddingLeavesTheListenerArmed) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  g_script = {{950, 0}};
  EXPECT_EQ(Accept(&guard), -1);
  EXPECT_EQ(errno, EAGAIN);
  EXPECT_EQ(guard.shed(), 1);
  EXPECT_TRUE(guard.health().ok());
}

TEST_F(AcceptGuardTest, TooManyOpenFilesIsAbsorbedWithTheSpare) {
  AcceptGuard guard(&FakeAccept, 900, open("/dev/null", O_RDONLY | O_CLOEXEC));
  g_script = {{0, EMFILE}, {0, 0} /* taken with the spare */, {0, ENFILE}, {0, 0}, {0, 0}};
  EXPECT_GE(Accept(&guard), 0);
  EXPECT_EQ(g_accepted_with_spare, 2);
  EXPECT_EQ(guard.shed(), 2);
  EXPECT_TRUE(guard.health().ok());
}

TEST_F(AcceptGuardTest, TooManyOpenFilesWithoutASpareStopsTheListener) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  g_script = {{0, EMFILE}};
  EXPECT_EQ(Accept(&guard), -1);
  EXPECT_EQ(errno, EMFILE);
  EXPECT_EQ(guard.health().code(), absl::StatusCode::kUnavailable);
}

TEST_F(AcceptGuardTest, TransientErrorsAreNotAFault) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  for (int error : {EAGAIN, EINTR, ECONNABORTED}) {
    g_script = {{0, error}};
    EXPECT_EQ(Accept(&guard), -1);
    EXPECT_EQ(errno, error);
  }
  EXPECT_TRUE(guard.health().ok());
}

TEST_F(AcceptGuardTest, OtherFailuresStopTheListenerAndAreReported) {
  AcceptGuard guard(&FakeAccept, 900, -1);
  g_script = {{0, ENOBUFS}};
  EXPECT_EQ(Accept(&guard), -1);
  EXPECT_EQ(errno, ENOBUFS);
  EXPECT_FALSE(guard.health().ok());
  EXPECT_NE(guard.health().message().find("accept4"), absl::string_view::npos);
}

TEST(MaxConnectionFdTest, KeepsAQuarterBackWithinBounds) {
  EXPECT_EQ(MaxConnectionFd(256), 192);
  EXPECT_EQ(MaxConnectionFd(64), 32);
  EXPECT_EQ(MaxConnectionFd(20000), 20000 - 1024);
  EXPECT_EQ(MaxConnectionFd(1 << 20), (1 << 20) - 1024);
}

}  // namespace
}  // namespace huanxin::server
