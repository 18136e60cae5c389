// Options: huanxin-bench's command line. Flags are --name=value or --name value; booleans
// also take the bare --name. `huanxin-bench --help` prints Usage().
#ifndef HUANXIN_TOOLS_BENCH_OPTIONS_H_
#define HUANXIN_TOOLS_BENCH_OPTIONS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace huanxin::bench {

enum class Mode { kHealth, kIssue, kRedeem, kMixed };

struct Options {
  std::string target = "127.0.0.1:50051";
  Mode mode = Mode::kHealth;
  std::string mode_name = "health";
  // Closed loop: this many calls always in flight. Open loop (rate > 0): the cap on calls in
  // flight, beyond which the pacer waits (latency still counts from the intended time).
  int concurrency = 64;
  double rate = 0;  // calls per second, open loop; 0: closed loop
  absl::Duration duration = absl::Seconds(10);
  int64_t requests = 0;  // stop after this many completed calls; 0: only the duration
  absl::Duration timeout = absl::Seconds(10);  // each call's deadline
  int channels = 2;      // HTTP/2 connections, calls spread round-robin
  bool setup = false;    // create a programme (big budget) and `merchants` merchants first
  // With --setup: redemptions and quotes go round-robin over this many merchants, as a launch
  // day spreads them over many stores (each merchant's activity ring and terminals apart).
  int merchants = 1;
  std::string program_id;   // without --setup: an existing programme with a refrigerator rule
  std::string merchant_id;  // without --setup: a merchant whitelisted for it
  // redeem mode: vouchers issued before the timed phase; 0: enough for the open-loop rate,
  // or as many as issue in --duration (closed loop).
  int64_t vouchers = 0;
  bool insecure = true;  // plaintext + x-huanxin-principal; TLS when the files below are given
  std::string tls_ca, tls_cert, tls_key;
  bool ledger_size = true;  // print ledger_size=N (GetCheckpoint) before the summary
  int64_t server_pid = 0;  // > 0: also print that process's CPU per call of the timed phase
};

// Parses argv. On --help returns a NotFound status whose message is the usage text.
absl::StatusOr<Options> ParseOptions(int argc, char** argv);
std::string Usage();

// "10s", "500ms", "2m", "1h" or a plain number of seconds.
absl::StatusOr<absl::Duration> ParseBenchDuration(const std::string& text);

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_OPTIONS_H_
