// The reply a command's entry gives its caller. Derived from the entry alone, so a retry
// with the same idempotency key gets exactly the first reply (or the first refusal, for a
// REDEMPTION_DENIED entry), however the state has moved on since.
#ifndef HUANXIN_LEDGER_REPLY_H_
#define HUANXIN_LEDGER_REPLY_H_

#include "absl/status/statusor.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/ledger.pb.h"

namespace huanxin::ledger {

absl::StatusOr<internal::Reply> ReplyFromEntry(const v1::LedgerEntry& entry);

// SHA-256 of the canonical (deterministic) serialization of the command's operation, with
// actor and every request_id left out: what makes "the same request".
std::string Fingerprint(const internal::Command& command);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_REPLY_H_
