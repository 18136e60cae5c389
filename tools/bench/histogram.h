// Histogram: an HDR-style latency histogram. Values (nanoseconds, or any non-negative
// integer) fall into log-linear buckets: exact below 2^kSubBucketBits, then 2^kSubBucketBits
// linear sub-buckets per power of two, so a recorded value is known to within 1/128 (< 0.8%)
// of itself over the whole range. Memory is fixed (a few thousand counters) whatever the
// number of values, and histograms merge by adding counters.
//
// Thread-compatible: guard one Histogram with a lock, or keep one per thread and Merge.
#ifndef HUANXIN_TOOLS_BENCH_HISTOGRAM_H_
#define HUANXIN_TOOLS_BENCH_HISTOGRAM_H_

#include <cstdint>
#include <vector>

namespace huanxin::bench {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 7;
  // Values at or above 2^kMaxBits (about 5 hours in ns) are recorded as the largest bucket.
  static constexpr int kMaxBits = 44;

  Histogram();

  // Records `value` once. Negative values are recorded as 0.
  void Record(int64_t value);
  // Adds every count of `other` to this one.
  void Merge(const Histogram& other);

  int64_t count() const { return count_; }
  int64_t min() const { return count_ == 0 ? 0 : min_; }
  int64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_; }

  // The value at quantile `q` in [0, 1]: the highest value equivalent to the bucket that
  // holds the ceil(q * count)-th smallest value, capped at max(). 0 when empty.
  int64_t ValueAt(double q) const;

 private:
  static int IndexOf(int64_t value);
  // The largest value that falls into bucket `index`.
  static int64_t HighestEquivalent(int index);

  std::vector<int64_t> counts_;
  int64_t count_ = 0;
  int64_t sum_ = 0;
  int64_t min_ = INT64_MAX;
  int64_t max_ = 0;
};

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_HISTOGRAM_H_
