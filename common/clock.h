// Time sources. The ledger reads time only through a Clock so tests and the simulator can
// drive it; production uses RealClock.
#ifndef HUANXIN_COMMON_CLOCK_H_
#define HUANXIN_COMMON_CLOCK_H_

#include <memory>

#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace huanxin {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() = 0;
};
using ClockPtr = std::shared_ptr<Clock>;

class RealClock : public Clock {
 public:
  absl::Time Now() override { return absl::Now(); }
};

// A clock that moves only when told. For tests.
class ManualClock : public Clock {
 public:
  explicit ManualClock(absl::Time start) : now_(start) {}
  absl::Time Now() override {
    absl::MutexLock l(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock l(&mu_);
    now_ += d;
  }

 private:
  absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace huanxin

#endif  // HUANXIN_COMMON_CLOCK_H_
