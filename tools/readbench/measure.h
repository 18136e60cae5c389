// Timing and machine figures for huanxin-readbench.
#ifndef HUANXIN_TOOLS_READBENCH_MEASURE_H_
#define HUANXIN_TOOLS_READBENCH_MEASURE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace huanxin::readbench {

// One benchmarked operation: its latencies and the mean number of rows (entries or hashes)
// each call returned.
struct Series {
  std::string name;
  std::vector<double> ms;
  double rows_sum = 0;

  double Percentile(double p) const;  // p in [0, 100]; nearest rank
  double Max() const;
};

// Runs `op` `warmup` times untimed, then `reps` times timed; `op(i)` returns the rows of the
// call (or -1 on error, which aborts the benchmark with its message printed by `op`).
Series Measure(std::string name, int warmup, int reps, const std::function<int64_t(int)>& op);

// Peak resident set (VmHWM) of this process, in bytes; 0 when unknown.
int64_t PeakRssBytes();
// Total size of the regular files under `dir`.
int64_t DirBytes(const std::string& dir);

std::string FormatTable(const std::vector<Series>& series);

}  // namespace huanxin::readbench

#endif  // HUANXIN_TOOLS_READBENCH_MEASURE_H_
