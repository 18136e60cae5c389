// SharedServerTest<Suite>: a GoogleTest fixture whose tests share one huanxind, started in
// SetUpTestSuite and stopped (SIGTERM, exit status 0 expected) in TearDownTestSuite. CRTP so
// every suite gets its own server:
//   class RefusalsTest : public SharedServerTest<RefusalsTest> {};
// Each test checks on entry and exit that the server is still alive, so a request that
// crashes the server fails the test that sent it.
#ifndef HUANXIN_TESTS_INTEGRATION_SHARED_SERVER_H_
#define HUANXIN_TESTS_INTEGRATION_SHARED_SERVER_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {

template <typename Suite>
class SharedServerTest : public ::testing::Test {
 public:
  // The suite's server, not yet started; a suite may declare its own MakeServer (extra flags,
  // a descriptor limit).
  static std::unique_ptr<ServerProcess> MakeServer() { return std::make_unique<ServerProcess>(); }

  static void SetUpTestSuite() {
    server_ = Suite::MakeServer();
    auto started = server_->Start();
    if (!started) {
      start_error_ = started.message();
      ADD_FAILURE() << start_error_;
      return;
    }
    api_ = std::make_unique<Api>(server_->address());
  }

  static void TearDownTestSuite() {
    api_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << "huanxind should exit 0 on SIGTERM\nstderr tail:\n"
                                    << server_->StderrTail();
    }
    server_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(api_ != nullptr) << "huanxind did not start: " << start_error_;
    ASSERT_TRUE(server_->running()) << "huanxind is not running (exit status "
                                    << server_->last_exit_status() << ")\nstderr tail:\n"
                                    << server_->StderrTail();
  }

  void TearDown() override {
    if (server_ && api_) {
      EXPECT_TRUE(server_->running()) << "huanxind died during this test (exit status "
                                      << server_->last_exit_status() << ")\nstderr tail:\n"
                                      << server_->StderrTail();
    }
  }

  static Api& api() { return *api_; }
  static ServerProcess& server() { return *server_; }

  static inline std::unique_ptr<ServerProcess> server_;
  static inline std::unique_ptr<Api> api_;
  static inline std::string start_error_;
};

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_INTEGRATION_SHARED_SERVER_H_
