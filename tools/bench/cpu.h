// CPU time spent by processes on this machine, to print CPU per call beside throughput: on a
// shared machine throughput drifts by ±15% between runs, while CPU per call at a fixed open
// loop rate repeats within a few percent (docs/performance.md, "CPU per call, and a fraud rule the bench had been measuring").
#ifndef HUANXIN_TOOLS_BENCH_CPU_H_
#define HUANXIN_TOOLS_BENCH_CPU_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace huanxin::bench {

// User + system CPU seconds process `pid` has used so far (/proc/<pid>/stat, clock ticks).
// NOT_FOUND when its stat file cannot be read (no such process); INTERNAL when it does not
// parse.
absl::StatusOr<double> ProcessCpuSeconds(int64_t pid);

// User + system CPU seconds this process has used so far, all threads.
double SelfCpuSeconds();

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_CPU_H_
