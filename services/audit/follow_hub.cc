#include "services/audit/follow_hub.h"

#include <vector>

#include "absl/time/clock.h"

namespace huanxin::edge {

FollowHub::FollowHub(ledger::LedgerApi* ledger, absl::Duration poll)
    : ledger_(ledger), poll_(poll) {
  poller_ = std::thread([this] { Loop(); });
}

FollowHub::~FollowHub() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  poller_.join();
}

bool FollowHub::Wait(Waiter* w, int64_t seen) {
  absl::MutexLock l(&mu_);
  if (seen < known_size_) return false;
  where_[w] = by_seen_.emplace(seen, w);
  return true;
}

bool FollowHub::Cancel(Waiter* w) {
  absl::MutexLock l(&mu_);
  auto it = where_.find(w);
  if (it == where_.end()) return false;
  by_seen_.erase(it->second);
  where_.erase(it);
  return true;
}

size_t FollowHub::waiting() const {
  absl::MutexLock l(&mu_);
  return by_seen_.size();
}

void FollowHub::Loop() {
  for (;;) {
    int64_t seen;
    {
      absl::MutexLock l(&mu_);
      auto work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !by_seen_.empty();
      };
      mu_.Await(absl::Condition(&work));
      if (stopping_) return;
      seen = by_seen_.begin()->first;
    }
    const absl::Time start = absl::Now();
    const int64_t size = ledger_->WaitForEntries(seen, poll_);
    std::vector<Waiter*> due;
    {
      absl::MutexLock l(&mu_);
      if (size > known_size_) known_size_ = size;
      const auto end = by_seen_.lower_bound(size);
      for (auto it = by_seen_.begin(); it != end; ++it) {
        due.push_back(it->second);
        where_.erase(it->second);
      }
      by_seen_.erase(by_seen_.begin(), end);
      if (size <= seen && absl::Now() - start < poll_ / 2) {
        // The ledger answered early without news (it is stopping): do not spin.
        auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
        mu_.AwaitWithTimeout(absl::Condition(&stopping), poll_);
      }
    }
    for (Waiter* w : due) w->OnEntries();
  }
}

}  // namespace huanxin::edge
