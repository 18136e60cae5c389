#include "tools/bench/driver.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace huanxin::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NanosBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count();
}

// The shared state of one run: counters, the result, and the calls in flight.
class Runner {
 public:
  Runner(Workload& w, const RunSpec& spec)
      : workload_(w), spec_(spec), start_(Clock::now()),
        end_(start_ + absl::ToChronoNanoseconds(spec.duration)) {}

  // Closed loop: starts `concurrency` chains of calls and waits for them all.
  void Closed() {
    for (int i = 0; i < spec_.concurrency; ++i) {
      {
        absl::MutexLock l(&mu_);
        ++in_flight_;
      }
      Chain();
    }
    WaitIdle();
  }

  // Open loop: paces starts at `rate`, then waits for the calls in flight.
  void Open() {
    const auto period = std::chrono::nanoseconds(static_cast<int64_t>(1e9 / spec_.rate));
    Histogram send_lag_ns;  // this thread's own; merged into the result at the end
    for (int64_t i = 0;; ++i) {
      const Clock::time_point intended = start_ + i * period;
      if (intended >= end_ || (spec_.requests > 0 && i >= spec_.requests)) break;
      {
        absl::MutexLock l(&mu_);
        auto room = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return in_flight_ < spec_.concurrency;
        };
        mu_.Await(absl::Condition(&room));
        ++in_flight_;
      }
      // A wait for room is the server's doing (it counts in the latency); the lag is only how
      // late this thread got going after the later of that and the intended time.
      const Clock::time_point due = std::max(intended, Clock::now());
      std::this_thread::sleep_until(intended);
      send_lag_ns.Record(NanosBetween(due, Clock::now()));
      if (!workload_.Start([this, intended](Op op, const grpc::Status& s) {
            Record(op, s, intended);
            Finished();
          })) {
        ran_dry_ = true;
        Finished();
        break;
      }
    }
    {
      absl::MutexLock l(&mu_);
      result_.send_lag_ns.Merge(send_lag_ns);
    }
    WaitIdle();
  }

  RunResult Take() {
    absl::MutexLock l(&mu_);
    result_.elapsed = absl::FromChrono(last_done_ - start_);
    result_.ran_dry = ran_dry_;
    for (const OpStats& s : result_.per_op) {
      result_.total.ok += s.ok;
      result_.total.errors += s.errors;
      result_.total.latency_ns.Merge(s.latency_ns);
    }
    return std::move(result_);
  }

 private:
  // Starts the next call of a closed-loop chain, or ends the chain.
  void Chain() {
    const Clock::time_point now = Clock::now();
    if (now >= end_ || ran_dry_ ||
        (spec_.requests > 0 && started_.fetch_add(1) >= spec_.requests)) {
      Finished();
      return;
    }
    if (!workload_.Start([this, now](Op op, const grpc::Status& s) {
          Record(op, s, now);
          Chain();
        })) {
      ran_dry_ = true;
      Finished();
    }
  }

  void Record(Op op, const grpc::Status& s, Clock::time_point from) {
    const Clock::time_point done = Clock::now();
    absl::MutexLock l(&mu_);
    OpStats& stats = result_.per_op[static_cast<int>(op)];
    stats.latency_ns.Record(NanosBetween(from, done));
    if (s.ok()) {
      ++stats.ok;
    } else {
      ++stats.errors;
      ++result_.error_counts[ErrorKey(s)];
      if (result_.first_error.empty()) result_.first_error = DescribeStatus(s);
    }
    if (done > last_done_) last_done_ = done;
  }

  void Finished() {
    absl::MutexLock l(&mu_);
    --in_flight_;
  }

  void WaitIdle() {
    absl::MutexLock l(&mu_);
    auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return in_flight_ == 0; };
    mu_.Await(absl::Condition(&idle));
    if (last_done_ < start_) last_done_ = Clock::now();
  }

  Workload& workload_;
  const RunSpec spec_;
  const Clock::time_point start_;
  const Clock::time_point end_;
  std::atomic<int64_t> started_{0};
  std::atomic<bool> ran_dry_{false};

  absl::Mutex mu_;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  Clock::time_point last_done_ ABSL_GUARDED_BY(mu_);
  RunResult result_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

RunResult Run(Workload& workload, const RunSpec& spec) {
  Runner run(workload, spec);
  if (spec.rate > 0) {
    run.Open();
  } else {
    run.Closed();
  }
  return run.Take();
}

}  // namespace huanxin::bench
