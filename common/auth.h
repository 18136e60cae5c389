// Who may call what (docs/api.md, Principals and roles). One table from RPC to roles and, for
// the RPCs that act for a tenant, the request field naming it: roles are checked in one place
// (services/edge/call.h) for every RPC, and an RPC missing from the table is denied; the
// tenant rule (a retailer acts only for its own merchant, a recycler only as itself) by
// RequireTenant wherever the request is decided (the ledger checks every command).
#ifndef HUANXIN_COMMON_AUTH_H_
#define HUANXIN_COMMON_AUTH_H_

#include <string>
#include <vector>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace huanxin {

// The roles of docs/api.md; `service` is the internal principal of an edge that reaches a
// ledger running apart.
namespace role {
inline constexpr char kApp[] = "app";
inline constexpr char kRetailer[] = "retailer";
inline constexpr char kRecycler[] = "recycler";
inline constexpr char kAuditor[] = "auditor";
inline constexpr char kAdmin[] = "admin";
inline constexpr char kService[] = "service";
}  // namespace role

// The metadata header that names the caller when huanxind runs --insecure (development):
// "<role>:<id>". Under mTLS the client certificate's CN names it instead.
inline constexpr char kPrincipalHeader[] = "x-huanxin-principal";

struct Principal {
  // app, retailer, recycler, auditor, admin; or service, the internal principal
  // (service:issuance, ...) an edge presents to a ledger that runs apart.
  std::string role;
  std::string id;    // for a retailer its merchant_id, for a recycler its recycler_id
  std::string name() const { return role + ":" + id; }
};

// Parses "<role>:<id>". UNAUTHENTICATED when empty or malformed (id: 1-64 characters of
// [A-Za-z0-9._-]); PERMISSION_DENIED for a role docs/api.md does not know.
absl::StatusOr<Principal> ParsePrincipal(absl::string_view text);

// PERMISSION_DENIED unless `p`'s role may call `method` ("AdminService/CreateProgram").
absl::Status Authorize(const Principal& p, absl::string_view method);

// PERMISSION_DENIED unless `edge` is a service principal that may relay `method`
// ("IssuanceService/IssueVoucher") to the ledger: a service principal names the edge
// services it hosts, service:<names>[-<instance>], where <names> is one of admin, issuance,
// redemption, recycling, audit or several joined by '.' (service:issuance,
// service:issuance-2, service:admin.audit-1), or `edge` for an edge hosting all five
// (service:edge-1); it relays only those services' RPCs.
absl::Status AuthorizeRelay(const Principal& edge, absl::string_view method);

// The service principal of an edge process hosting `services` (edge names as above, in the
// order given): "service:" and their names joined by '.'.
std::string EdgePrincipalFor(const std::vector<std::string>& services);

// The roles the table lets call `method`, sorted; empty for a method it does not list
// (which Authorize denies to everyone). For tests and documentation.
std::vector<std::string> RolesAllowed(absl::string_view method);

// Every role ParsePrincipal accepts, sorted.
std::vector<std::string> KnownRoleNames();

// The tenant rule of the same table: when `method` acts for a tenant (Redeem, ReverseRedemption
// and AdjustRedemption name a merchant_id, ConfirmScrapReceipt a receipt.recycler_id) and `p`
// is a retailer or recycler, that field of `request` (the RPC's request, or a ledger command
// with the same field) must be `p`'s own id; PERMISSION_DENIED naming the field otherwise.
// Other roles and RPCs pass.
absl::Status RequireTenant(const Principal& p, absl::string_view method,
                           const google::protobuf::Message& request);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_AUTH_H_
