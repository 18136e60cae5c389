// Turning validated public requests into ledger commands: hashing identities on arrival
// (the ledger never sees a clear ID number) and checking the idempotency key.
#ifndef HUANXIN_SERVICES_EDGE_REQUESTS_H_
#define HUANXIN_SERVICES_EDGE_REQUESTS_H_

#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "common/auth.h"
#include "common/pii.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/ledger.pb.h"

namespace huanxin::edge {

// Validates `identity` (field path `field`, e.g. "consumer") and returns its HMACs.
// INVALID_ID_NUMBER naming `<field>.id_number` for a bad ID number.
absl::StatusOr<v1::ConsumerRefs> HashIdentity(const PiiKey& pii,
                                              const v1::ConsumerIdentity& identity,
                                              absl::string_view field);

// A command from `caller` under idempotency key `request_id` (validated here).
absl::StatusOr<internal::Command> NewCommand(const Principal& caller,
                                             absl::string_view request_id);

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_EDGE_REQUESTS_H_
