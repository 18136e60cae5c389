#include "ledger/ledger_api.h"

#include <future>

namespace huanxin::ledger {

absl::StatusOr<internal::Reply> LedgerApi::Execute(internal::Command command) {
  std::promise<absl::StatusOr<internal::Reply>> promise;
  auto future = promise.get_future();
  Submit(std::move(command),
         [&promise](absl::StatusOr<internal::Reply> r) { promise.set_value(std::move(r)); });
  return future.get();
}

}  // namespace huanxin::ledger
