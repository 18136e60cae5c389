// huanxin-bench: a gRPC load generator for huanxind. See Usage() in options.cc.
//
// A run: connect (--channels connections), with --setup create a programme and --merchants
// merchants, for redeem issue the vouchers it will redeem (untimed), then the timed phase
// (driver.h), then per-op lines, for an open loop a send_lag line (the load generator's own
// lateness), a cpu_us_per_call line (this process's CPU per completed call of the timed
// phase, and --server_pid's), ledger_size=N, and as the last line exactly
//   mode=<m> ok=<n> errors=<n> throughput_per_s=<x> p50_ms=<x> p99_ms=<x> p999_ms=<x>
// Exit status: 0 when the run completed (errors are reported, not fatal), 2 on bad flags or
// when setup fails.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "common/build_info.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tools/bench/client.h"
#include "tools/bench/cpu.h"
#include "tools/bench/driver.h"
#include "tools/bench/options.h"
#include "tools/bench/workload.h"

namespace huanxin::bench {
namespace {

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

int Fail(const std::string& message) {
  std::cerr << "huanxin-bench: " << message << std::endl;
  return 2;
}

std::string Line(const std::string& label, const OpStats& s, absl::Duration elapsed) {
  const double secs = std::max(absl::ToDoubleSeconds(elapsed), 1e-9);
  char numbers[256];
  std::snprintf(numbers, sizeof(numbers),
                " ok=%lld errors=%lld throughput_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f",
                static_cast<long long>(s.ok), static_cast<long long>(s.errors),
                static_cast<double>(s.ok) / secs, Ms(s.latency_ns.ValueAt(0.50)),
                Ms(s.latency_ns.ValueAt(0.99)), Ms(s.latency_ns.ValueAt(0.999)));
  return label + numbers;
}

// Issues the vouchers a redeem run consumes, closed loop at the run's concurrency.
absl::Status PrepareVouchers(const Options& o, Client& client, const Fixture& fixture,
                             std::shared_ptr<VoucherPool> pool) {
  Workload issue(&client, fixture, Mode::kIssue, pool, /*keep_vouchers=*/true);
  RunSpec spec;
  spec.concurrency = std::min(o.concurrency, 256);  // open loop: --concurrency is only a cap
  spec.duration = o.duration;
  if (o.vouchers > 0) {
    spec.requests = o.vouchers;
    spec.duration = absl::Hours(24);
  } else if (o.rate > 0) {
    spec.requests = static_cast<int64_t>(
        std::ceil(o.rate * absl::ToDoubleSeconds(o.duration) * 1.02)) + 16;
    spec.duration = absl::Hours(24);
  } else if (o.requests > 0) {
    spec.requests = o.requests;
    spec.duration = absl::Hours(24);
  }
  RunResult r = Run(issue, spec);
  std::cerr << "huanxin-bench: issued " << pool->size() << " vouchers to redeem in "
            << absl::FormatDuration(r.elapsed) << " (" << r.total.errors << " errors)"
            << std::endl;
  if (r.total.ok == 0) {
    return absl::UnavailableError("could not issue vouchers: " + r.first_error);
  }
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  absl::StatusOr<Options> parsed = ParseOptions(argc, argv);
  if (!parsed.ok()) {
    if (absl::IsNotFound(parsed.status())) {
      std::cout << parsed.status().message();
      return 0;
    }
    return Fail(std::string(parsed.status().message()));
  }
  const Options& o = *parsed;
  absl::StatusOr<std::unique_ptr<Client>> connected = Client::Connect(o);
  if (!connected.ok()) return Fail(std::string(connected.status().message()));
  Client& client = **connected;
  if (absl::Status s = client.WaitConnected(absl::Seconds(10)); !s.ok()) {
    return Fail(std::string(s.message()));
  }
  Fixture fixture{o.program_id, {o.merchant_id}};
  if (o.setup && o.mode != Mode::kHealth) {
    absl::StatusOr<Fixture> made = SetUpFixture(client, o.merchants);
    if (!made.ok()) return Fail("setup: " + std::string(made.status().message()));
    fixture = *made;
    std::cerr << "huanxin-bench: programme " << fixture.program_id << ", "
              << fixture.merchant_ids.size() << " merchant(s) from "
              << fixture.merchant_ids.front() << std::endl;
  }
  auto pool = std::make_shared<VoucherPool>();
  if (o.mode == Mode::kRedeem) {
    if (absl::Status s = PrepareVouchers(o, client, fixture, pool); !s.ok()) {
      return Fail(std::string(s.message()));
    }
  }
  Workload workload(&client, fixture, o.mode, pool, /*keep_vouchers=*/o.mode == Mode::kMixed);
  RunSpec spec{o.concurrency, o.rate, o.duration, o.requests};
  std::cout << "huanxin-bench: mode=" << o.mode_name << " loop=" << (o.rate > 0 ? "open" : "closed")
            << " concurrency=" << o.concurrency << " rate=" << o.rate
            << " duration=" << absl::FormatDuration(o.duration) << " channels=" << o.channels
            << " target=" << o.target << std::endl;
  const double self_before = SelfCpuSeconds();
  const absl::StatusOr<double> server_before =
      o.server_pid > 0 ? ProcessCpuSeconds(o.server_pid) : absl::NotFoundError("no --server_pid");
  RunResult r = Run(workload, spec);
  const double self_cpu = SelfCpuSeconds() - self_before;
  const absl::StatusOr<double> server_after =
      o.server_pid > 0 ? ProcessCpuSeconds(o.server_pid) : server_before;
  if (r.ran_dry) {
    std::cout << "note: the voucher pool ran dry after " << absl::FormatDuration(r.elapsed)
              << "; throughput is over that time" << std::endl;
  }
  for (const auto& [key, n] : r.error_counts) {
    std::cout << "errors: " << n << " x " << key << std::endl;
  }
  if (!r.first_error.empty()) std::cout << "first error: " << r.first_error << std::endl;
  if (o.mode == Mode::kMixed) {
    for (int i = 0; i < kOpCount; ++i) {
      const OpStats& s = r.per_op[i];
      if (s.ok + s.errors == 0) continue;
      std::cout << Line(absl::StrCat("op=", OpName(static_cast<Op>(i))), s, r.elapsed)
                << std::endl;
    }
  }
  if (r.send_lag_ns.count() > 0) {
    const Histogram& lag = r.send_lag_ns;
    char numbers[160];
    std::snprintf(numbers, sizeof(numbers), " p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f",
                  Ms(lag.ValueAt(0.50)), Ms(lag.ValueAt(0.99)), Ms(lag.ValueAt(0.999)),
                  Ms(lag.max()));
    std::cout << "send_lag (how late this load generator started calls; in the latencies)"
              << numbers << std::endl;
  }
  if (const int64_t calls = r.total.ok + r.total.errors; calls > 0) {
    std::cout << "cpu_us_per_call load_generator=" << std::lround(self_cpu * 1e6 / calls);
    if (server_before.ok() && server_after.ok()) {
      std::cout << " server=" << std::lround((*server_after - *server_before) * 1e6 / calls);
    } else if (o.server_pid > 0) {
      const absl::Status failed =
          server_before.ok() ? server_after.status() : server_before.status();
      std::cout << " server=unknown (" << failed << ")";
    }
    std::cout << std::endl;
  }
  if (o.ledger_size && o.mode != Mode::kHealth) {
    absl::StatusOr<int64_t> size = LedgerSize(client);
    if (size.ok()) std::cout << "ledger_size=" << *size << std::endl;
  }
  std::cout << Line(absl::StrCat("mode=", o.mode_name), r.total, r.elapsed) << std::endl;
  std::fflush(nullptr);
  return 0;
}

}  // namespace
}  // namespace huanxin::bench

int main(int argc, char** argv) {
  huanxin::ExitIfVersionFlag(argc, argv, "huanxin-bench");
  // As in huanxind (server/huanxind_main.cc): Debian's Abseil runs its deadlock detector on
  // every mutex gRPC creates per call; the load generator should cost the machine little.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return huanxin::bench::Main(argc, argv);
}
