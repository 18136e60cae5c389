// common/rate_limiter.h: token buckets per principal.
#include "common/rate_limiter.h"

#include "gtest/gtest.h"

namespace huanxin {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1750000000);

TEST(RateLimiter, BurstThenRefillAtRate) {
  RateLimiter limiter({/*rate_per_second=*/10, /*burst=*/3, /*max_keys=*/100});
  EXPECT_TRUE(limiter.Allow("app:a", kT0));
  EXPECT_TRUE(limiter.Allow("app:a", kT0));
  EXPECT_TRUE(limiter.Allow("app:a", kT0));
  EXPECT_FALSE(limiter.Allow("app:a", kT0));
  // Another principal has its own bucket.
  EXPECT_TRUE(limiter.Allow("app:b", kT0));
  // 100 ms at 10/s: one token back, and only one.
  EXPECT_TRUE(limiter.Allow("app:a", kT0 + absl::Milliseconds(100)));
  EXPECT_FALSE(limiter.Allow("app:a", kT0 + absl::Milliseconds(100)));
  // Never more than the burst, however long the pause.
  const absl::Time later = kT0 + absl::Hours(1);
  int allowed = 0;
  for (int i = 0; i < 10; ++i) allowed += limiter.Allow("app:a", later) ? 1 : 0;
  EXPECT_EQ(allowed, 3);
}

TEST(RateLimiter, ZeroRateIsUnlimited) {
  RateLimiter limiter({/*rate_per_second=*/0, /*burst=*/1, /*max_keys=*/1});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limiter.Allow("app:a", kT0));
}

TEST(RateLimiter, BoundedKeysDropIdleBucketsFirst) {
  RateLimiter limiter({/*rate_per_second=*/1, /*burst=*/2, /*max_keys=*/2});
  EXPECT_TRUE(limiter.Allow("a:1", kT0));
  EXPECT_TRUE(limiter.Allow("a:2", kT0));
  // Both tracked buckets are busy: a third key waits.
  EXPECT_FALSE(limiter.Allow("a:3", kT0));
  // Once they refill they are idle and make room.
  EXPECT_TRUE(limiter.Allow("a:3", kT0 + absl::Seconds(5)));
}

}  // namespace
}  // namespace huanxin
