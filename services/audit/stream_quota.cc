#include "services/audit/stream_quota.h"

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace huanxin::edge {

absl::StatusOr<StreamQuota::SlotPtr> StreamQuota::Acquire(absl::string_view principal) {
  absl::MutexLock l(&mu_);
  int& open = open_[principal];
  if (max_ > 0 && open >= max_) {
    return Refuse(reason::kRateLimited,
                  absl::StrCat(principal, " already holds ", max_,
                               " open streams (--max_streams_per_principal); close one first"));
  }
  ++open;
  return std::make_unique<Slot>(this, std::string(principal));
}

int StreamQuota::open(absl::string_view principal) const {
  absl::MutexLock l(&mu_);
  auto it = open_.find(principal);
  return it == open_.end() ? 0 : it->second;
}

void StreamQuota::Release(const std::string& principal) {
  absl::MutexLock l(&mu_);
  auto it = open_.find(principal);
  if (it != open_.end() && --it->second == 0) open_.erase(it);
}

}  // namespace huanxin::edge
