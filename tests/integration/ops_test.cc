// Operations: gRPC health, Prometheus /metrics that move with traffic, JSON log
// lines, per-principal rate limits, and SIGTERM under load losing nothing acknowledged.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

TEST(Ops, HealthServingPerServiceAndOverall) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  auto channel = api.stubs().channel;
  EXPECT_EQ(HealthStatus(channel, ""), "SERVING");
  for (const char* service : {"huanxin.v1.AdminService", "huanxin.v1.IssuanceService",
                              "huanxin.v1.RedemptionService", "huanxin.v1.RecyclingService",
                              "huanxin.v1.AuditService"}) {
    EXPECT_EQ(HealthStatus(channel, service), "SERVING") << service;
  }
  // A service this server does not host is unknown to health checking.
  EXPECT_NE(HealthStatus(channel, "huanxin.v1.NoSuchService"), "SERVING");
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

TEST(Ops, MetricsArePresentAndMove) {
  ServerProcess server({"--metrics_listen=127.0.0.1:0"});
  ASSERT_TRUE(server.Start());
  const std::string metrics = MetricsAddress(server.stdout_text());
  ASSERT_FALSE(metrics.empty()) << server.stdout_text();
  Api api(server.address());

  const std::string pid = UniqueId("metrics");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 123456789, ""));
  const std::string get_ok =
      "huanxin_rpc_total{method=\"AdminService/GetProgram\",code=\"OK\"}";
  const std::string get_missing =
      "huanxin_rpc_total{method=\"AdminService/GetProgram\",code=\"NOT_FOUND\"}";

  std::string before = HttpGet(metrics, "/metrics");
  ASSERT_FALSE(before.empty());
  for (const char* name : {"# TYPE huanxin_rpc_total counter",
                           "# TYPE huanxin_rpc_latency_seconds histogram",
                           "# TYPE huanxin_ledger_batch_commands histogram",
                           "# TYPE huanxin_ledger_commit_latency_seconds histogram",
                           "# TYPE huanxin_ledger_stage_seconds histogram",
                           "# TYPE huanxin_ledger_queue_depth gauge",
                           "huanxin_ledger_healthy 1"}) {
    EXPECT_NE(before.find(name), std::string::npos) << name << "\n" << before;
  }
  EXPECT_EQ(MetricValue(before, "huanxin_program_budget_fen{program_id=\"" + pid +
                                    "\",account=\"funded\"}"),
            123456789);
  const double ok_before = std::max(0.0, MetricValue(before, get_ok));
  const double batches_before = MetricValue(before, "huanxin_ledger_batch_commands_count");
  constexpr const char* kStages[] = {"queued", "deciding", "waiting", "committing", "answering"};
  auto stage_count = [](const std::string& text, const char* stage) {
    return MetricValue(text, absl::StrCat("huanxin_ledger_stage_seconds_count{stage=\"", stage,
                                          "\"}"));
  };

  for (int i = 0; i < 3; ++i) HX_ASSERT_OK(api.GetProgram(pid));
  EXPECT_FALSE(api.GetProgram("no-such-programme").ok());
  v1::Voucher voucher;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", MintIdNumber(), &voucher));

  std::string after = HttpGet(metrics, "/metrics");
  EXPECT_EQ(MetricValue(after, get_ok), ok_before + 3) << after;
  EXPECT_GE(MetricValue(after, get_missing), 1) << after;
  EXPECT_GE(MetricValue(after, "huanxin_rpc_latency_seconds_count{method=\"AdminService/"
                               "GetProgram\"}"),
            ok_before + 4);
  EXPECT_GT(MetricValue(after, "huanxin_ledger_batch_commands_count"), batches_before);
  // The issue went through every stage of the writer once.
  for (const char* stage : kStages) {
    EXPECT_EQ(stage_count(after, stage), stage_count(before, stage) + 1) << stage << "\n" << after;
  }
  EXPECT_EQ(MetricValue(after, "huanxin_program_budget_fen{program_id=\"" + pid +
                                   "\",account=\"held\"}"),
            200000);
  EXPECT_EQ(MetricValue(after, "huanxin_program_vouchers{program_id=\"" + pid +
                                   "\",state=\"issued\"}"),
            1);
  EXPECT_EQ(HttpGet(metrics, "/nothing-here"), "");

  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
  // Logs: JSON lines for start, every RPC, stop.
  const std::string log = server.StderrTail(1 << 20);
  EXPECT_NE(log.find("\"event\":\"start\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"stop\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"rpc\",\"method\":\"AdminService/GetProgram\",\"principal\":"
                     "\"admin:ops\",\"code\":\"NOT_FOUND\",\"reason\":\"PROGRAM_NOT_FOUND\""),
            std::string::npos)
      << log;
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == 'E' || line[0] == 'I' || line[0] == 'W') continue;  // gRPC
    EXPECT_EQ(line.front(), '{') << line;
    EXPECT_EQ(line.back(), '}') << line;
  }
}

TEST(Ops, PerPrincipalRateLimit) {
  ServerProcess server({"--rate_limit_per_principal=5", "--rate_limit_burst=5"});
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  int ok = 0, limited = 0;
  for (int i = 0; i < 30; ++i) {
    grpc::Status s = api.GetProgram("no-such", nullptr, "auditor:greedy");
    if (s.error_code() == StatusCode::RESOURCE_EXHAUSTED) {
      EXPECT_TRUE(IsRefusal(s, StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED"));
      ++limited;
    } else {
      EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << Describe(s);
      ++ok;
    }
  }
  EXPECT_GE(ok, 5);
  EXPECT_GT(limited, 10);
  // Another principal is not starved by the greedy one.
  grpc::Status s = api.GetProgram("no-such", nullptr, "auditor:patient");
  EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << Describe(s);
  // The bucket refills.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  s = api.GetProgram("no-such", nullptr, "auditor:greedy");
  EXPECT_EQ(s.error_code(), StatusCode::NOT_FOUND) << Describe(s);
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

TEST(Ops, SigtermUnderLoadLosesNothingAcknowledged) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  const std::string pid = UniqueId("sigterm");
  {
    Api setup(server.address());
    ASSERT_TRUE(setup.SetUpProgram(ApplianceProgram(pid), 100000000000, ""));
  }
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<int> refused_after_stop{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const std::string address = server.address();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, address] {
      Api api(address);
      int consecutive_failures = 0;
      while (!stop.load() && consecutive_failures < 20) {
        v1::Voucher v;
        grpc::Status s = api.Issue(pid, "refrigerator", MintIdNumber(), &v);
        if (s.ok()) {
          std::lock_guard<std::mutex> l(mu);
          acknowledged.push_back(v.voucher_id());
          consecutive_failures = 0;
        } else {
          ++refused_after_stop;
          ++consecutive_failures;
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
  }
  // Let the load build, then SIGTERM mid-way.
  for (int i = 0; i < 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::lock_guard<std::mutex> l(mu);
    if (acknowledged.size() >= 100) break;
  }
  size_t before_signal;
  {
    std::lock_guard<std::mutex> l(mu);
    before_signal = acknowledged.size();
  }
  EXPECT_GT(before_signal, 0u) << server.StderrTail();
  EXPECT_EQ(server.Stop(), 0) << "huanxind should exit 0 on SIGTERM under load\n"
                              << server.StderrTail();
  stop = true;
  for (auto& t : threads) t.join();

  ASSERT_TRUE(server.Start());
  Api api(server.address());
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> l(mu);
    ids = acknowledged;
  }
  int missing = 0;
  for (const std::string& id : ids) {
    v1::Voucher v;
    grpc::Status s = api.GetVoucher(id, &v, kAdmin);
    if (!s.ok()) {
      ++missing;
      ADD_FAILURE() << "acknowledged voucher " << id << " lost: " << Describe(s);
      if (missing > 5) break;
    }
  }
  v1::ProgramStats stats;
  HX_ASSERT_OK(api.Stats(pid, &stats));
  EXPECT_GE(stats.vouchers_issued(), static_cast<int64_t>(ids.size()));
  EXPECT_TRUE(api.BooksBalance(pid));
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
