#include "common/rate_limiter.h"

#include <algorithm>
#include <vector>

namespace huanxin {

RateLimiter::RateLimiter(Options options) : options_([&] {
  options.burst = std::max(options.burst, 1.0);
  options.max_keys = std::max<size_t>(options.max_keys, 1);
  return options;
}()) {}

void RateLimiter::Refill(Bucket& b, absl::Time now) const {
  if (now > b.updated) {
    b.tokens = std::min(options_.burst,
                        b.tokens + absl::ToDoubleSeconds(now - b.updated) *
                                       options_.rate_per_second);
    b.updated = now;
  }
}

void RateLimiter::DropIdle(absl::Time now) {
  std::vector<std::string> idle;
  for (auto& [key, bucket] : buckets_) {
    Refill(bucket, now);
    if (bucket.tokens >= options_.burst) idle.push_back(key);
  }
  for (const std::string& key : idle) buckets_.erase(key);
}

bool RateLimiter::Allow(absl::string_view key, absl::Time now) {
  if (options_.rate_per_second <= 0) return true;
  absl::MutexLock l(&mu_);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_keys) {
      DropIdle(now);
      if (buckets_.size() >= options_.max_keys) return false;
    }
    it = buckets_.emplace(std::string(key), Bucket{options_.burst, now}).first;
  }
  Bucket& b = it->second;
  Refill(b, now);
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

}  // namespace huanxin
