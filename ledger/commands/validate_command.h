// What the ledger accepts, checked before a command is queued for the writer: every field of
// every command, exactly as strictly as the public request it carries out. This is the law
// for every path into the ledger (an in-process edge, an edge in another process over
// huanxin.internal.LedgerService); an edge may refuse earlier, never more leniently.
//
// Field paths are those of the public request ("purchase.price_fen", "merchant.program_ids"),
// so a refusal reads the same whichever process gives it. Identities arrive as HMAC refs.
#ifndef HUANXIN_LEDGER_COMMANDS_VALIDATE_COMMAND_H_
#define HUANXIN_LEDGER_COMMANDS_VALIDATE_COMMAND_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/recycling.pb.h"

namespace huanxin::ledger {

// The public RPC ("IssuanceService/IssueVoucher") whose request `cmd` carries out; "" for
// the ledger's own commands (expiry, fraud rules), which no edge may submit.
absl::string_view MethodOf(const internal::Command& cmd);

// The actor prefix of the ledger's own commands (the expiry sweeper, fraud rules from the
// configuration). No principal an edge admits has it (common/auth.h knows no such role).
inline constexpr char kSystemActorPrefix[] = "system:";

// OK when the ledger may run `cmd`; otherwise, checked in this order:
//   - the ledger's own commands (MethodOf is ""): PERMISSION_DENIED unless the actor starts
//     with kSystemActorPrefix;
//   - the actor: a principal (ParsePrincipal's errors) whose role may call MethodOf(cmd)
//     (Authorize: PERMISSION_DENIED);
//   - request_id, the idempotency key, and every field of the operation: the first
//     INVALID_ARGUMENT FieldError; a command with no operation is INVALID_ARGUMENT "request";
//   - the tenant rule (RequireTenant, common/auth.h): a retailer redeems and reverses only for its merchant,
//     a recycler confirms only as itself.
absl::Status ValidateCommand(const internal::Command& cmd);

// OK when `receipt` (field path "receipt") may be confirmed, else the first FieldError:
//   receipt_id and state empty (output only); certificate_number and serial_number printable
//   ASCII without spaces, 1-64 bytes; item_kind VEHICLE or APPLIANCE; category, when given,
//   [a-z0-9_]{1,64}; recycler_id [a-z0-9-]{3,64}; scrapped_at, when set, a valid Timestamp.
//   VEHICLE needs `vehicle`: energy_type PETROL, DIESEL, NEV or OTHER; emission_standard
//   0..6, and 1..6 for petrol and diesel (a pre-国一 car is recorded as 1); registration_date
//   and owned_since real "YYYY-MM-DD" dates not after today; displacement_ml 0..20000.
//   APPLIANCE takes no `vehicle`. The owner is not looked at: the edge replaces it by
//   owner_ref.
absl::Status ValidateScrapReceipt(const v1::ScrapReceipt& receipt);

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_COMMANDS_VALIDATE_COMMAND_H_
