#include "tools/readbench/measure.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_format.h"

namespace huanxin::readbench {

double Series::Percentile(double p) const {
  if (ms.empty()) return 0;
  std::vector<double> sorted = ms;
  std::sort(sorted.begin(), sorted.end());
  size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));
  if (rank == 0) rank = 1;
  return sorted[std::min(rank, sorted.size()) - 1];
}

double Series::Max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }

Series Measure(std::string name, int warmup, int reps, const std::function<int64_t(int)>& op) {
  Series s;
  s.name = std::move(name);
  for (int i = 0; i < warmup; ++i) {
    if (op(reps + i) < 0) std::exit(1);
  }
  s.ms.reserve(reps);
  for (int i = 0; i < reps; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    const int64_t rows = op(i);
    const auto t1 = std::chrono::steady_clock::now();
    if (rows < 0) std::exit(1);
    s.ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    s.rows_sum += static_cast<double>(rows);
  }
  return s;
}

int64_t PeakRssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    long long kb = 0;
    if (std::sscanf(line.c_str(), "VmHWM: %lld kB", &kb) == 1) return kb * 1024;
  }
  return 0;
}

int64_t DirBytes(const std::string& dir) {
  int64_t total = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += static_cast<int64_t>(it->file_size(ec));
  }
  return total;
}

std::string FormatTable(const std::vector<Series>& series) {
  size_t width = 9;
  for (const Series& s : series) width = std::max(width, s.name.size());
  std::string out = absl::StrFormat("| %-*s | %5s | %8s | %8s | %8s | %8s |\n", width,
                                    "operation", "reps", "rows", "p50 ms", "p99 ms", "max ms");
  out += absl::StrFormat("|%s|------:|---------:|---------:|---------:|---------:|\n",
                         std::string(width + 2, '-'));
  for (const Series& s : series) {
    const double n = s.ms.empty() ? 1 : static_cast<double>(s.ms.size());
    out += absl::StrFormat("| %-*s | %5d | %8.1f | %8.3f | %8.3f | %8.3f |\n", width, s.name,
                           s.ms.size(), s.rows_sum / n, s.Percentile(50), s.Percentile(99),
                           s.Max());
  }
  return out;
}

}  // namespace huanxin::readbench
