// HX_RETURN_IF_ERROR(expr): returns expr's status from the enclosing function when not OK.
// HX_ASSIGN_OR_RETURN(lhs, expr): evaluates a StatusOr, returns its status when not OK,
// otherwise moves its value into `lhs` (which may be a declaration: `auto x`).
#ifndef HUANXIN_COMMON_STATUS_MACROS_H_
#define HUANXIN_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define HX_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::absl::Status hx_status_ = (expr);       \
    if (!hx_status_.ok()) return hx_status_;  \
  } while (0)

#define HX_CONCAT_INNER_(a, b) a##b
#define HX_CONCAT_(a, b) HX_CONCAT_INNER_(a, b)
#define HX_ASSIGN_OR_RETURN(lhs, expr) \
  HX_ASSIGN_OR_RETURN_IMPL_(HX_CONCAT_(hx_statusor_, __LINE__), lhs, expr)
#define HX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(*tmp)

namespace huanxin {

// True when `s` says the storage failed: UNAVAILABLE (storage::Db could not read or write)
// or DATA_LOSS (what it read cannot be what the ledger wrote). These are the only statuses
// the writer stops on (fail-stop). Every other error, INTERNAL included (a broken rule, an
// invariant a check caught), refuses the one command that met it.
inline bool IsStorageFailure(const absl::Status& s) {
  return s.code() == absl::StatusCode::kUnavailable || s.code() == absl::StatusCode::kDataLoss;
}

}  // namespace huanxin

#endif  // HUANXIN_COMMON_STATUS_MACROS_H_
