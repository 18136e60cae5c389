// How many streams each principal may hold open at once (huanxind
// --max_streams_per_principal), so that no caller can pile up idle follow streams. Thread-safe.
#ifndef HUANXIN_SERVICES_AUDIT_STREAM_QUOTA_H_
#define HUANXIN_SERVICES_AUDIT_STREAM_QUOTA_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace huanxin::edge {

class StreamQuota {
 public:
  // One open stream of a principal; destroying it frees the slot.
  class Slot {
   public:
    Slot(StreamQuota* quota, std::string principal)
        : quota_(quota), principal_(std::move(principal)) {}
    ~Slot() { quota_->Release(principal_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    StreamQuota* const quota_;
    const std::string principal_;
  };
  using SlotPtr = std::unique_ptr<Slot>;

  // `max_per_principal` <= 0: unlimited.
  explicit StreamQuota(int max_per_principal) : max_(max_per_principal) {}
  // REQUIRES: every Slot is gone.
  ~StreamQuota() = default;

  // A slot for `principal`; RESOURCE_EXHAUSTED with reason RATE_LIMITED when it already
  // holds the maximum.
  absl::StatusOr<SlotPtr> Acquire(absl::string_view principal);

  // Streams `principal` holds now.
  int open(absl::string_view principal) const;

 private:
  void Release(const std::string& principal);

  const int max_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> open_ ABSL_GUARDED_BY(mu_);  // no zero counts
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_AUDIT_STREAM_QUOTA_H_
