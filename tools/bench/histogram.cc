#include "tools/bench/histogram.h"

#include <algorithm>
#include <cmath>

namespace huanxin::bench {
namespace {

constexpr int64_t kSubBuckets = int64_t{1} << Histogram::kSubBucketBits;
constexpr int64_t kLargest = (int64_t{1} << Histogram::kMaxBits) - 1;

int MostSignificantBit(uint64_t v) { return 63 - __builtin_clzll(v); }

}  // namespace

Histogram::Histogram()
    : counts_(static_cast<size_t>(IndexOf(kLargest)) + 1, 0) {}

// Bucket layout: values below kSubBuckets map to themselves; a larger value with most
// significant bit m keeps its top kSubBucketBits + 1 bits, so with shift = m - kSubBucketBits
// it lands in block shift + 1 (each block kSubBuckets wide) at (v >> shift) - kSubBuckets.
int Histogram::IndexOf(int64_t value) {
  if (value < kSubBuckets) return static_cast<int>(std::max<int64_t>(value, 0));
  value = std::min(value, kLargest);
  const int shift = MostSignificantBit(static_cast<uint64_t>(value)) - kSubBucketBits;
  const int64_t top = value >> shift;  // in [kSubBuckets, 2 * kSubBuckets)
  return static_cast<int>((shift + 1) * kSubBuckets + (top - kSubBuckets));
}

int64_t Histogram::HighestEquivalent(int index) {
  if (index < kSubBuckets) return index;
  const int shift = index / static_cast<int>(kSubBuckets) - 1;
  const int64_t top = kSubBuckets + index % kSubBuckets;
  return ((top + 1) << shift) - 1;
}

void Histogram::Record(int64_t value) {
  value = std::max<int64_t>(value, 0);
  ++counts_[static_cast<size_t>(IndexOf(value))];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

int64_t Histogram::ValueAt(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  const int64_t rank = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(q * count_)));
  int64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(HighestEquivalent(static_cast<int>(i)), max_);
  }
  return max_;
}

}  // namespace huanxin::bench
