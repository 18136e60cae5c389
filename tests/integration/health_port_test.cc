// --health_listen (docs/operations.md "Health and shutdown"; deploy/k8s probes): a second,
// plaintext port serving grpc.health.v1.Health only, with the main port's statuses, so that
// Kubernetes' gRPC probes (no client certificate) can reach an mTLS server. Nothing else is
// served there.
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr const char* kHostedServices[] = {
    "huanxin.v1.AdminService", "huanxin.v1.IssuanceService", "huanxin.v1.RedemptionService",
    "huanxin.v1.RecyclingService", "huanxin.v1.AuditService"};

// The "health on HOST:PORT" address in a server's stdout, or "".
std::string HealthAddress(const std::string& server_stdout) {
  const std::string prefix = "health on ";
  const size_t at = server_stdout.find(prefix);
  if (at == std::string::npos) return "";
  const size_t end = server_stdout.find('\n', at);
  return server_stdout.substr(at + prefix.size(),
                              end == std::string::npos ? std::string::npos
                                                       : end - at - prefix.size());
}

std::shared_ptr<grpc::Channel> Plaintext(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

// Everything but the health service is UNIMPLEMENTED on the health port: a hosted service's
// RPC, and server reflection (which the main port serves).
void ExpectOnlyHealth(const std::shared_ptr<grpc::Channel>& health) {
  grpc::Status s = RawUnary(health, "/huanxin.v1.AdminService/GetProgram", "", kAdmin);
  EXPECT_EQ(s.error_code(), StatusCode::UNIMPLEMENTED) << Describe(s);
  s = RawUnary(health, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "", "");
  EXPECT_EQ(s.error_code(), StatusCode::UNIMPLEMENTED) << Describe(s);
}

TEST(HealthPort, ServesHealthOnlyAndMirrorsTheMainPort) {
  ServerProcess server({"--health_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.Start());
  const std::string health_address = HealthAddress(server.stdout_text());
  ASSERT_FALSE(health_address.empty()) << server.stdout_text();
  EXPECT_NE(health_address, server.address());
  EXPECT_NE(health_address.substr(health_address.rfind(':')), ":0") << health_address;

  auto health = Plaintext(health_address);
  EXPECT_EQ(HealthStatus(health, ""), "SERVING");
  for (const char* service : kHostedServices) {
    EXPECT_EQ(HealthStatus(health, service), "SERVING") << service;
  }
  EXPECT_NE(HealthStatus(health, "huanxin.v1.NoSuchService"), "SERVING");
  ExpectOnlyHealth(health);

  // The main port is unchanged: health, and the API.
  Api api(server.address());
  EXPECT_EQ(HealthStatus(api.stubs().channel, ""), "SERVING");
  const std::string pid = UniqueId("healthport");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 1000000, ""));
  HX_EXPECT_OK(api.GetProgram(pid));
  // Reflection is still on there (so ExpectOnlyHealth's reflection check means something).
  grpc::Status s = RawUnary(api.stubs().channel,
                            "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", "",
                            "");
  EXPECT_NE(s.error_code(), StatusCode::UNIMPLEMENTED) << Describe(s);

  // SIGTERM: NOT_SERVING on the health port while the main port drains, then both go. A
  // Watch stream held open on the main port is a call in flight, so the main port takes its
  // whole 2 s grace period (with nothing in flight it may close at once, and the health port
  // right after it, before a probe gets in).
  grpc::ClientContext watch_ctx;
  auto watch_stub = grpc::health::v1::Health::NewStub(api.stubs().channel);
  auto watch = watch_stub->Watch(&watch_ctx, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse watched;
  ASSERT_TRUE(watch->Read(&watched));
  EXPECT_EQ(watched.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  ASSERT_EQ(kill(server.pid(), SIGTERM), 0);
  std::string during = HealthStatus(health, "");
  for (int i = 0; i < 100 && during == "SERVING"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    during = HealthStatus(health, "");
  }
  EXPECT_EQ(during, "NOT_SERVING");
  watch_ctx.TryCancel();
  watch->Finish().IgnoreError();
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
  EXPECT_NE(server.StderrTail(1 << 20).find("\"health\":\"" + health_address + "\""),
            std::string::npos)
      << server.StderrTail();
  // The health port went down with the server.
  EXPECT_NE(HealthStatus(health, ""), "SERVING");
}

TEST(HealthPort, PlaintextProbesReachAnMtlsServer) {
  TempDir dir;
  const std::string ca = dir.path() + "/ca";
  ASSERT_TRUE(MakeDevCa(ca));
  DevCaServerFiles files = DevCaServer(ca);
  ServerProcess server(ServerProcess::ServerTls{files.cert_file, files.key_file, files.ca_file},
                       {"--health_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.Start());
  const std::string health_address = HealthAddress(server.stdout_text());
  ASSERT_FALSE(health_address.empty()) << server.stdout_text();

  // A Kubernetes probe: plaintext, no certificate.
  auto health = Plaintext(health_address);
  EXPECT_EQ(HealthStatus(health, ""), "SERVING");
  EXPECT_EQ(HealthStatus(health, "huanxin.v1.AdminService"), "SERVING");
  ExpectOnlyHealth(health);
  // The same probe cannot reach the mTLS port.
  EXPECT_NE(HealthStatus(Plaintext(server.address()), ""), "SERVING");
  // A client with a certificate still can.
  Api admin(server.address(), DevCaClient(ca, "admin:ops"));
  EXPECT_EQ(HealthStatus(admin.stubs().channel, ""), "SERVING");
  const std::string pid = UniqueId("healthport-mtls");
  HX_EXPECT_OK(admin.CreateProgram(ApplianceProgram(pid), nullptr, "", ""));

  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

TEST(HealthPort, RefusesAnAddressItCannotBind) {
  ServerProcess server({"--health_listen=203.0.113.1:1"});  // TEST-NET-3: not this host's
  EXPECT_FALSE(server.Start());
  EXPECT_NE(server.StderrTail().find("--health_listen"), std::string::npos)
      << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
