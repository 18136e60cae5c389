// FollowHub: wakes the follow streams that wait for entries past the end of the log, from one
// poller thread for all of them (ledger::LedgerApi::WaitForEntries), so that idle followers
// cost no thread each. The poller runs only while some stream waits.
#ifndef HUANXIN_SERVICES_AUDIT_FOLLOW_HUB_H_
#define HUANXIN_SERVICES_AUDIT_FOLLOW_HUB_H_

#include <cstdint>
#include <map>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ledger/ledger_api.h"

namespace huanxin::edge {

class FollowHub {
 public:
  class Waiter {
   public:
    virtual ~Waiter() = default;
    // More entries are committed than the waiter had seen. Runs once per Wait that
    // registered, on the poller thread, with no lock of the hub held; it may call Wait again.
    virtual void OnEntries() = 0;
  };

  // `poll` bounds each WaitForEntries call, and so how long the destructor may wait.
  // REQUIRES: `ledger` outlives the hub.
  explicit FollowHub(ledger::LedgerApi* ledger, absl::Duration poll = absl::Milliseconds(250));
  // REQUIRES: no waiter is registered.
  ~FollowHub();

  FollowHub(const FollowHub&) = delete;
  FollowHub& operator=(const FollowHub&) = delete;

  // Registers `w` to be told once more than `seen` entries are committed, and returns true;
  // returns false, without registering, when the hub already knows there are.
  // REQUIRES: `w` is not registered.
  bool Wait(Waiter* w, int64_t seen);
  // Unregisters `w` and returns true; false when it is not registered (never was, or its
  // OnEntries is due or running).
  bool Cancel(Waiter* w);

  // Streams waiting now.
  size_t waiting() const;

 private:
  void Loop();

  ledger::LedgerApi* const ledger_;
  const absl::Duration poll_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t known_size_ ABSL_GUARDED_BY(mu_) = 0;  // a committed size the poller saw
  // Waiters by the size they saw, and where each one is.
  std::multimap<int64_t, Waiter*> by_seen_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<Waiter*, std::multimap<int64_t, Waiter*>::iterator> where_
      ABSL_GUARDED_BY(mu_);
  std::thread poller_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_AUDIT_FOLLOW_HUB_H_
