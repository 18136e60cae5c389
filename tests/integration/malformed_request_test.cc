// A request whose bytes do not parse as the method's message is INVALID_ARGUMENT with a
// BadRequest violation of "request", on the writes (gRPC callback methods, which gRPC alone
// answers UNIMPLEMENTED) and the reads (sync methods, INTERNAL) alike; the server goes on.
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

// Field 1 (a string) claims 5 bytes and has 2.
const std::string kTruncated("\x0a\x05" "ab", 4);
// Field 1 (a string) holding bytes that are not UTF-8.
const std::string kNotUtf8("\x0a\x02\xff\xfe", 4);

TEST(MalformedRequest, IsInvalidArgumentNamingTheRequestOnWritesAndReads) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto channel = grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials());
  struct Case {
    const char* method;
    const char* principal;
  };
  const Case cases[] = {
      {"/huanxin.v1.RedemptionService/Redeem", "retailer:m-1"},        // a write
      {"/huanxin.v1.AdminService/CreateProgram", "admin:ops"},          // a write
      {"/huanxin.v1.AdminService/GetProgram", "admin:ops"},             // a read
      {"/huanxin.v1.RedemptionService/QuoteSubsidy", "retailer:m-1"},  // a read
  };
  for (const Case& c : cases) {
    for (const std::string& bytes : {kTruncated, kNotUtf8}) {
      grpc::Status s = RawUnary(channel, c.method, bytes, c.principal);
      EXPECT_TRUE(HasFieldViolation(s, "request")) << c.method << ": " << Describe(s);
    }
  }
  // Still serving, and a well-formed call is untouched.
  Api api(server.address());
  HX_EXPECT_OK(api.CreateProgram(ApplianceProgram(UniqueId("after-malformed"))));
  EXPECT_TRUE(server.running());
}

}  // namespace
}  // namespace huanxin::itest
