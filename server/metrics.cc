#include "server/metrics.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <map>
#include <utility>

// cpp-httplib (Debian libcpp-httplib-dev), header-only and heavy: included here only.
#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log.h"
#include "common/status.h"

namespace huanxin::server {
namespace {

// Seconds. Finer between 5 and 25 ms, where a write's p99 target (20 ms at half the maximum,
// docs/performance.md) and its stages' tails lie: le="0.02" counts the calls within it.
const std::vector<double>& LatencyBounds() {
  static const auto* b = new std::vector<double>{0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01,
                                                 0.015,  0.02,  0.025,  0.05,  0.1,    0.25,
                                                 0.5,    1,     2.5,    5,     10};
  return *b;
}

std::string Escape(absl::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// The label values of huanxin_ledger_stage_seconds, in ledger::CommandStages' order.
constexpr const char* kStageNames[] = {"queued", "deciding", "waiting", "committing",
                                       "answering"};

std::string Num(double v) { return absl::StrFormat("%.9g", v); }

void Header(std::string* out, absl::string_view name, absl::string_view type,
            absl::string_view help) {
  absl::StrAppend(out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::Observe(double value) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  ++counts_[i];
  sum_ += value;
  ++count_;
}

void Histogram::Render(const std::string& name, const std::string& labels,
                       std::string* out) const {
  const std::string sep = labels.empty() ? "" : ",";
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += counts_[i];
    absl::StrAppend(out, name, "_bucket{", labels, sep, "le=\"", Num(bounds_[i]), "\"} ",
                    cumulative, "\n");
  }
  absl::StrAppend(out, name, "_bucket{", labels, sep, "le=\"+Inf\"} ", count_, "\n");
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppend(out, name, "_sum", braces, " ", Num(sum_), "\n");
  absl::StrAppend(out, name, "_count", braces, " ", count_, "\n");
}

Metrics::Metrics()
    : batch_commands_({1, 2, 5, 10, 20, 50, 100, 200, 500, 1000}),
      commit_latency_(LatencyBounds()),
      stage_latency_(std::size(kStageNames), Histogram(LatencyBounds())) {}

void Metrics::OnCall(absl::string_view method, absl::string_view principal,
                     const absl::Status& status, absl::Duration latency) {
  const std::string code = absl::StatusCodeToString(status.code());
  absl::MutexLock l(&mu_);
  ++rpc_total_[absl::StrCat(method, std::string(1, '\0'), code)];
  auto it = rpc_latency_.find(method);
  if (it == rpc_latency_.end()) {
    it = rpc_latency_.emplace(std::string(method), Histogram(LatencyBounds())).first;
  }
  it->second.Observe(absl::ToDoubleSeconds(latency));
}

void Metrics::OnBatch(size_t commands, absl::Duration commit, size_t queue_depth) {
  queue_depth_.store(static_cast<int64_t>(queue_depth), std::memory_order_relaxed);
  absl::MutexLock l(&mu_);
  batch_commands_.Observe(static_cast<double>(commands));
  if (commit > absl::ZeroDuration()) commit_latency_.Observe(absl::ToDoubleSeconds(commit));
}

void Metrics::OnAnswered(const std::vector<ledger::CommandStages>& stages) {
  absl::MutexLock l(&mu_);
  for (const ledger::CommandStages& s : stages) {
    const absl::Duration in_stage[] = {s.queued, s.deciding, s.waiting, s.committing,
                                       s.answering};
    static_assert(std::size(in_stage) == std::size(kStageNames));
    for (size_t i = 0; i < stage_latency_.size(); ++i) {
      stage_latency_[i].Observe(absl::ToDoubleSeconds(in_stage[i]));
    }
  }
}

std::string Metrics::Render(ledger::LedgerApi* ledger) {
  std::string out;
  {
    absl::MutexLock l(&mu_);
    Header(&out, "huanxin_rpc_total", "counter", "RPCs finished, by method and status code.");
    std::map<std::string, uint64_t> totals(rpc_total_.begin(), rpc_total_.end());
    for (const auto& [key, n] : totals) {
      size_t nul = key.find('\0');
      absl::StrAppend(&out, "huanxin_rpc_total{method=\"", Escape(key.substr(0, nul)),
                      "\",code=\"", key.substr(nul + 1), "\"} ", n, "\n");
    }
    Header(&out, "huanxin_rpc_latency_seconds", "histogram", "RPC latency, by method.");
    std::map<std::string, const Histogram*> latency;
    for (const auto& [method, h] : rpc_latency_) latency[method] = &h;
    for (const auto& [method, h] : latency) {
      h->Render("huanxin_rpc_latency_seconds", absl::StrCat("method=\"", Escape(method), "\""),
                &out);
    }
    Header(&out, "huanxin_ledger_batch_commands", "histogram",
           "Commands per single-writer batch.");
    batch_commands_.Render("huanxin_ledger_batch_commands", "", &out);
    Header(&out, "huanxin_ledger_commit_latency_seconds", "histogram",
           "Synced RocksDB commit time per batch.");
    commit_latency_.Render("huanxin_ledger_commit_latency_seconds", "", &out);
    Header(&out, "huanxin_ledger_stage_seconds", "histogram",
           "A write's time in each stage of the ledger: queued for the writer, deciding, "
           "waiting for the batch before to sync, committing its own batch, answering.");
    for (size_t i = 0; i < stage_latency_.size(); ++i) {
      stage_latency_[i].Render("huanxin_ledger_stage_seconds",
                               absl::StrCat("stage=\"", kStageNames[i], "\""), &out);
    }
  }
  Header(&out, "huanxin_ledger_queue_depth", "gauge",
         "Commands queued behind the writer's last batch.");
  absl::StrAppend(&out, "huanxin_ledger_queue_depth ",
                  queue_depth_.load(std::memory_order_relaxed), "\n");
  if (ledger == nullptr) return out;

  Header(&out, "huanxin_ledger_healthy", "gauge", "1 while the ledger accepts writes.");
  absl::StrAppend(&out, "huanxin_ledger_healthy ", ledger->Health().ok() ? 1 : 0, "\n");

  std::vector<v1::ProgramStats> stats;
  std::string token;
  while (static_cast<int>(stats.size()) < kMaxScrapedPrograms) {
    auto page = ledger->ListPrograms(100, token);
    if (!page.ok()) break;
    for (const v1::Program& p : page->programs()) {
      if (static_cast<int>(stats.size()) >= kMaxScrapedPrograms) break;
      auto s = ledger->GetProgramStats(p.program_id());
      if (s.ok()) stats.push_back(*std::move(s));
    }
    token = page->next_page_token();
    if (token.empty()) break;
  }
  Header(&out, "huanxin_program_budget_fen", "gauge",
         "Programme budget by account, in fen (funded = available + held + payable + settled).");
  for (const v1::ProgramStats& s : stats) {
    const std::string id = Escape(s.program_id());
    const std::pair<const char*, int64_t> accounts[] = {
        {"funded", s.funded_fen()},   {"available", s.available_fen()},
        {"held", s.held_fen()},       {"payable", s.payable_fen()},
        {"settled", s.settled_fen()},
    };
    for (const auto& [account, fen] : accounts) {
      absl::StrAppend(&out, "huanxin_program_budget_fen{program_id=\"", id, "\",account=\"",
                      account, "\"} ", fen, "\n");
    }
  }
  Header(&out, "huanxin_program_vouchers", "gauge", "Programme vouchers by what became of them.");
  for (const v1::ProgramStats& s : stats) {
    const std::string id = Escape(s.program_id());
    const std::pair<const char*, int64_t> states[] = {
        {"issued", s.vouchers_issued()},
        {"redeemed", s.vouchers_redeemed()},
        {"expired", s.vouchers_expired()},
        {"cancelled", s.vouchers_cancelled()},
    };
    for (const auto& [state, n] : states) {
      absl::StrAppend(&out, "huanxin_program_vouchers{program_id=\"", id, "\",state=\"", state,
                      "\"} ", n, "\n");
    }
  }
  return out;
}

void CallLog::OnCall(absl::string_view method, absl::string_view principal,
                     const absl::Status& status, absl::Duration latency) {
  {
    LogLine line("rpc", status.ok() || status.code() != absl::StatusCode::kInternal ? "info"
                                                                                     : "error");
    line.Str("method", method)
        .Str("principal", principal)
        .Str("code", absl::StatusCodeToString(status.code()));
    if (!status.ok()) line.Str("reason", ReasonOf(status));
    line.Num("latency_ms", absl::ToDoubleMilliseconds(latency));
  }
  if (next_ != nullptr) next_->OnCall(method, principal, status, latency);
}

struct MetricsServer::Impl {
  httplib::Server http;
};

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& listen, std::function<std::string()> render) {
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(listen.substr(colon + 1), &port) ||
      port < 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("--metrics_listen must be HOST:PORT, not \"", listen, "\""));
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::unique_ptr<MetricsServer> server(new MetricsServer());
  server->impl_ = std::make_unique<Impl>();
  httplib::Server& http = server->impl_->http;
  http.new_task_queue = [] { return new httplib::ThreadPool(2); };
  // cpp-httplib's default sets SO_REUSEPORT, which lets a second process bind the same port
  // and take half the scrapes. SO_REUSEADDR alone still allows a restart over TIME_WAIT.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http.Get("/metrics", [render = std::move(render)](const httplib::Request&,
                                                    httplib::Response& res) {
    res.set_content(render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  if (port == 0) {
    port = http.bind_to_any_port(host);
  } else if (!http.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on --metrics_listen ", listen,
                                               ": the address is in use or not local"));
  }
  server->host_ = host;
  server->port_ = port;
  server->thread_ = std::thread([s = server.get()] { s->impl_->http.listen_after_bind(); });
  // stop() is a no-op until the accept loop runs: wait for it, so that ~MetricsServer can
  // always stop it.
  for (int i = 0; i < 5000 && !http.is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return server;
}

MetricsServer::~MetricsServer() {
  if (impl_ != nullptr) impl_->http.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace huanxin::server
