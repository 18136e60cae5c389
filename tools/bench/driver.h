// Driver: runs a Workload for a while and measures it.
//
// Closed loop (rate == 0): `concurrency` calls are always in flight; each completion starts
// the next; latency runs from a call's start to its completion.
// Open loop (rate > 0): a pacer starts call i at its intended time t0 + i / rate whatever
// the server's pace, and latency runs from that intended time, so a stalled server shows up
// in the percentiles instead of silently slowing the load (no coordinated omission). At most
// `concurrency` calls are in flight; beyond it the pacer waits, and the wait counts too.
//
// Both stop starting calls at the end of `duration`, after `requests` calls (when > 0), or
// when the workload cannot start one (its voucher pool ran dry), and then wait for the calls
// in flight.
#ifndef HUANXIN_TOOLS_BENCH_DRIVER_H_
#define HUANXIN_TOOLS_BENCH_DRIVER_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "tools/bench/histogram.h"
#include "tools/bench/workload.h"

namespace huanxin::bench {

struct RunSpec {
  int concurrency = 64;
  double rate = 0;
  absl::Duration duration = absl::Seconds(10);
  int64_t requests = 0;
};

struct OpStats {
  int64_t ok = 0;
  int64_t errors = 0;
  Histogram latency_ns;  // every call, failed ones too
};

struct RunResult {
  std::array<OpStats, kOpCount> per_op;
  OpStats total;
  absl::Duration elapsed;  // from the first start to the last completion
  bool ran_dry = false;    // stopped early: the workload could not start a call
  std::map<std::string, int64_t> error_counts;  // by "CODE REASON"
  std::string first_error;                       // DescribeStatus of the first failure
  // Open loop: how late the pacer started each call after its intended time, not counting
  // waits for room under the in-flight cap (those are the server's). The load generator's own
  // lag, which the latencies include: a large one means the client, not the server, could not
  // keep the rate on this machine. Empty in a closed loop.
  Histogram send_lag_ns;
};

RunResult Run(Workload& workload, const RunSpec& spec);

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_DRIVER_H_
