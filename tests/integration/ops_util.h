// Helpers of the security and operations suites: the development CA (tools/dev-ca.sh), raw
// unary calls by method path (any RPC, with a serialized request), gRPC health checks, and a
// plain HTTP GET for /metrics.
#ifndef HUANXIN_TESTS_INTEGRATION_OPS_UTIL_H_
#define HUANXIN_TESTS_INTEGRATION_OPS_UTIL_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/temp_dir.h"

namespace huanxin::itest {

using ::huanxin::testing::TempDir;

// Runs tools/dev-ca.sh OUT_DIR [extra principals...].
::testing::AssertionResult MakeDevCa(const std::string& out_dir,
                                     const std::vector<std::string>& extra_principals = {});

// Registers recycler `recycler_id` (region 371600) accepting `kind`, as kAdmin.
grpc::Status RegisterRecycler(Api& api, const std::string& recycler_id,
                              v1::ScrapReceipt::ItemKind kind);

// Every regular file under `dir` whose bytes contain one of `needles`: "file: needle" (the
// scan for clear identity values on disk).
std::vector<std::string> FindClearValues(const std::string& dir,
                                         const std::vector<std::string>& needles);

// Client TLS files for principal "role:id" from a dev-ca.sh directory.
ClientTls DevCaClient(const std::string& dir, const std::string& principal);
// Server TLS files from a dev-ca.sh directory.
struct DevCaServerFiles {
  std::string cert_file, key_file, ca_file;
};
DevCaServerFiles DevCaServer(const std::string& dir);

// A unary call of `method` ("/huanxin.v1.AdminService/GetProgram") with the serialized
// `request`, as `principal` (metadata; "" for none), 10 s deadline. `response` gets the
// serialized reply when not null.
grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                      const std::string& request, const std::string& principal,
                      std::string* response = nullptr);

// grpc.health.v1.Health/Check of `service` ("" for the server as a whole): "SERVING",
// "NOT_SERVING", "UNKNOWN", or "error: <status>" when the call fails.
std::string HealthStatus(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& service);

// GET http://HOST:PORT<path> over a plain socket; the body, or "" on any failure.
std::string HttpGet(const std::string& host_port, const std::string& path);

// The value of the Prometheus sample whose line starts with `series` (exactly, e.g.
// `huanxin_rpc_total{method="AdminService/GetProgram",code="OK"}`); -1 when absent.
double MetricValue(const std::string& exposition, const std::string& series);

// The "metrics at http://HOST:PORT/metrics" address in a server's stdout, or "".
std::string MetricsAddress(const std::string& server_stdout);

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_INTEGRATION_OPS_UTIL_H_
