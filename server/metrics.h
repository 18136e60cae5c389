// huanxind's operational telemetry: Prometheus metrics, the per-RPC JSON log line, and the
// small HTTP server that serves GET /metrics (--metrics_listen).
//
// Metrics (Prometheus text format 0.0.4):
//   huanxin_rpc_total{method,code}                    counter, every call Serve finished
//   huanxin_rpc_latency_seconds{method}               histogram
//   huanxin_ledger_batch_commands                     histogram, commands per writer batch
//   huanxin_ledger_commit_latency_seconds             histogram, synced commit per batch
//   huanxin_ledger_stage_seconds{stage}               histogram, a command's time in each
//                                                     stage of the writer (ledger::CommandStages)
//   huanxin_ledger_queue_depth                        gauge, commands queued behind the last batch
//   huanxin_ledger_healthy                            gauge, 1 while the ledger takes writes
//   huanxin_program_budget_fen{program_id,account}    gauge, funded/available/held/payable/settled
//   huanxin_program_vouchers{program_id,state}        gauge, issued/redeemed/expired/cancelled
// The programme gauges are read at scrape time (ListPrograms, then GetProgramStats for each,
// at most kMaxScrapedPrograms programmes).
#ifndef HUANXIN_SERVER_METRICS_H_
#define HUANXIN_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "ledger/ledger_api.h"
#include "ledger/writer.h"
#include "services/edge/call.h"

namespace huanxin::server {

inline constexpr int kMaxScrapedPrograms = 200;

// A Prometheus histogram with fixed upper bounds. Thread-compatible (Metrics locks).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket, _sum and _count lines of `name` with `labels` ("" or `k="v"`).
  void Render(const std::string& name, const std::string& labels, std::string* out) const;

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> counts_;  // per bound, not cumulative; one more for +Inf
  double sum_ = 0;
  uint64_t count_ = 0;
};

class Metrics : public edge::CallObserver, public ledger::WriterObserver {
 public:
  Metrics();

  void OnCall(absl::string_view method, absl::string_view principal,
              const absl::Status& status, absl::Duration latency) override;
  void OnBatch(size_t commands, absl::Duration commit, size_t queue_depth) override;
  void OnAnswered(const std::vector<ledger::CommandStages>& stages) override;

  // The exposition text. `ledger` (may be null) supplies health and the programme gauges.
  std::string Render(ledger::LedgerApi* ledger);

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, uint64_t> rpc_total_ ABSL_GUARDED_BY(mu_);  // method\0code
  absl::flat_hash_map<std::string, Histogram> rpc_latency_ ABSL_GUARDED_BY(mu_);
  Histogram batch_commands_ ABSL_GUARDED_BY(mu_);
  Histogram commit_latency_ ABSL_GUARDED_BY(mu_);
  // Indexed like kStageNames in metrics.cc: queued, deciding, waiting, committing, answering.
  std::vector<Histogram> stage_latency_ ABSL_GUARDED_BY(mu_);
  std::atomic<int64_t> queue_depth_{0};
};

// Writes one JSON log line per call (event "rpc": method, principal, code, reason,
// latency_ms), then forwards the call to `next` (may be null). Requests are never logged.
class CallLog : public edge::CallObserver {
 public:
  explicit CallLog(std::shared_ptr<edge::CallObserver> next) : next_(std::move(next)) {}
  void OnCall(absl::string_view method, absl::string_view principal,
              const absl::Status& status, absl::Duration latency) override;

 private:
  std::shared_ptr<edge::CallObserver> next_;
};

// GET /metrics over HTTP/1.1 on its own threads; everything else is 404.
class MetricsServer {
 public:
  // Binds `listen` ("HOST:PORT"; port 0 picks a free one) and starts serving `render()`.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& listen, std::function<std::string()> render);
  // Stops serving and joins the threads.
  ~MetricsServer();

  const std::string& host() const { return host_; }
  int port() const { return port_; }

 private:
  struct Impl;
  MetricsServer() = default;
  std::unique_ptr<Impl> impl_;
  std::string host_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_METRICS_H_
