// Per-principal rate limits: one token bucket per key (a principal's name). A bucket holds at
// most `burst` tokens and refills at `rate_per_second`; each call takes one token, and a call
// finding the bucket empty is refused. So a launch-day burst from one caller cannot starve
// the ledger for everyone else.
//
// Memory is bounded: beyond `max_keys` buckets, full (idle) buckets are dropped first; a new
// key is refused only while every tracked bucket is busy. Thread-safe.
#ifndef HUANXIN_COMMON_RATE_LIMITER_H_
#define HUANXIN_COMMON_RATE_LIMITER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace huanxin {

class RateLimiter {
 public:
  struct Options {
    double rate_per_second = 2000;  // <= 0: unlimited
    double burst = 4000;            // bucket size; at least 1
    size_t max_keys = 100000;
  };
  explicit RateLimiter(Options options);

  // Takes a token from `key`'s bucket at time `now`; false when it has none.
  bool Allow(absl::string_view key, absl::Time now);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  void Refill(Bucket& b, absl::Time now) const;
  void DropIdle(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};
using RateLimiterPtr = std::shared_ptr<RateLimiter>;

}  // namespace huanxin

#endif  // HUANXIN_COMMON_RATE_LIMITER_H_
