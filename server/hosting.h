// What one huanxind process hosts (docs/design.md, One picture):
//   --services=all (the default): the ledger and every edge in one process; edges call the
//       LocalLedger directly, with no serialization. The internal LedgerService is NOT
//       served: the ledger is reachable only through the edges, whose checks of caller and
//       input it runs itself.
//   --services=ledger: only huanxin.internal.LedgerService over the LocalLedger.
//   --services=issuance,redemption,... --ledger_address=HOST:PORT: those edges over a
//       RemoteLedger, as principal service:<edge name> (by default the hosted edges' names
//       joined by '.', e.g. service:issuance.redemption; common/auth.h, AuthorizeRelay).
//       Edges keep no state; run as many as needed.
// Any list naming `ledger` opens the ledger here and takes no --ledger_address; any list
// without it needs one. A list naming `ledger` and only some edges serves LedgerService for
// the edges that run elsewhere.
#ifndef HUANXIN_SERVER_HOSTING_H_
#define HUANXIN_SERVER_HOSTING_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/server_builder.h"
#include "ledger/ledger_api.h"
#include "ledger/local_ledger.h"
#include "services/audit/audit_service.h"
#include "services/edge/call.h"

namespace huanxin::server {

// The names --services accepts besides "all", which means all of them.
inline constexpr const char* kServiceNames[] = {"ledger", "issuance", "redemption",
                                                "recycling", "audit", "admin"};

// "all" or a comma list of kServiceNames (no duplicates, no empties). INVALID_ARGUMENT
// naming the flag otherwise.
absl::StatusOr<std::set<std::string>> ParseServices(absl::string_view flag);

inline bool HostsLedger(const std::set<std::string>& names) { return names.count("ledger") > 0; }
// True when some edge is hosted: then the process needs the PII key.
inline bool HostsEdges(const std::set<std::string>& names) {
  return names.size() > (HostsLedger(names) ? 1u : 0u);
}

// True when huanxin.internal.LedgerService is served: the ledger is hosted here and some
// edge is not (so it runs in another process). Never for --services=all.
bool ServesLedgerService(const std::set<std::string>& names);

// The principal an edge process presents to its ledger: service:<edge_name>, or with an
// empty `edge_name` service:<the hosted edges' names, in kServiceNames order, joined by '.'>.
std::string EdgePrincipal(absl::string_view edge_name, const std::set<std::string>& names);

struct LedgerConfig {
  std::set<std::string> services;  // from ParseServices
  // When the ledger is hosted here:
  std::string ledger_dir;                 // <data_dir>/ledger
  ledger::LocalLedger::Options local;     // signer, origin, sweep interval
  // When it is not:
  std::string ledger_address;             // HOST:PORT of a process hosting `ledger`
  // Insecure credentials only with --insecure; otherwise SSL credentials holding this
  // edge's client certificate, whose CN must be `service_principal`.
  std::shared_ptr<grpc::ChannelCredentials> ledger_credentials;
  std::string service_principal = "service:edge";
};

// Opens the LocalLedger (services include `ledger`) or makes a RemoteLedger client (they do
// not). INVALID_ARGUMENT when --ledger_address is missing or superfluous; the ledger's open
// error otherwise. A RemoteLedger does not wait for its ledger: until it answers, edge calls
// fail with UNAVAILABLE.
absl::StatusOr<ledger::LedgerApiPtr> ConnectLedger(const LedgerConfig& config);

// The gRPC service objects of one process.
class HostedServices {
 public:
  // One object per name in `names` over `deps` (deps.ledger from ConnectLedger; deps.pii
  // may be null when HostsEdges(names) is false); the audit service with `audit`.
  HostedServices(const std::set<std::string>& names, edge::Deps deps,
                 edge::AuditOptions audit = {});

  // Registers every service with `builder`.
  // REQUIRES: this object outlives the server built.
  void RegisterWith(grpc::ServerBuilder* builder);

  // Fully qualified gRPC names, e.g. "huanxin.v1.AdminService", for health and logs.
  const std::vector<std::string>& names() const { return full_names_; }

 private:
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::vector<std::string> full_names_;
};

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_HOSTING_H_
