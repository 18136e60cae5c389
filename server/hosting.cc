#include "server/hosting.h"

#include <iterator>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/auth.h"
#include "common/clock.h"
#include "services/ledger_client/remote_ledger.h"
#include "services/admin/admin_service.h"
#include "services/issuance/issuance_service.h"
#include "services/ledger/ledger_service.h"
#include "services/recycling/recycling_service.h"
#include "services/redemption/redemption_service.h"

namespace huanxin::server {

absl::StatusOr<std::set<std::string>> ParseServices(absl::string_view flag) {
  std::set<std::string> known(std::begin(kServiceNames), std::end(kServiceNames));
  if (flag == "all") return known;
  std::set<std::string> out;
  for (absl::string_view name : absl::StrSplit(flag, ',')) {
    if (!known.count(std::string(name))) {
      return absl::InvalidArgumentError(
          absl::StrCat("--services: unknown service '", name, "'; use all, or a comma list of ",
                       absl::StrJoin(known, ",")));
    }
    if (!out.insert(std::string(name)).second) {
      return absl::InvalidArgumentError(absl::StrCat("--services: ", name, " named twice"));
    }
  }
  return out;
}

namespace {

// The edge services of `names`, in kServiceNames order.
std::vector<std::string> EdgesOf(const std::set<std::string>& names) {
  std::vector<std::string> out;
  for (const char* name : kServiceNames) {
    if (names.count(name) && absl::string_view(name) != "ledger") out.emplace_back(name);
  }
  return out;
}

}  // namespace

bool ServesLedgerService(const std::set<std::string>& names) {
  return HostsLedger(names) && names.size() < std::size(kServiceNames);
}

std::string EdgePrincipal(absl::string_view edge_name, const std::set<std::string>& names) {
  if (!edge_name.empty()) return absl::StrCat(role::kService, ":", edge_name);
  return EdgePrincipalFor(EdgesOf(names));
}

absl::StatusOr<ledger::LedgerApiPtr> ConnectLedger(const LedgerConfig& config) {
  if (HostsLedger(config.services)) {
    if (!config.ledger_address.empty()) {
      return absl::InvalidArgumentError(
          "--ledger_address is for services running apart from the ledger, but --services "
          "hosts the ledger here");
    }
    absl::StatusOr<std::unique_ptr<ledger::LocalLedger>> local = ledger::LocalLedger::Open(
        config.ledger_dir, std::make_shared<RealClock>(), config.local);
    if (!local.ok()) return local.status();
    return ledger::LedgerApiPtr(*std::move(local));
  }
  if (config.ledger_address.empty()) {
    return absl::InvalidArgumentError(
        "--services without ledger needs --ledger_address=HOST:PORT of the ledger");
  }
  if (config.ledger_credentials == nullptr) {
    return absl::InvalidArgumentError("no credentials for the ledger connection");
  }
  ledger_client::RemoteLedger::Options options;
  options.principal = config.service_principal;
  return ledger::LedgerApiPtr(ledger_client::RemoteLedger::Connect(
      config.ledger_address, config.ledger_credentials, std::move(options)));
}

HostedServices::HostedServices(const std::set<std::string>& names, edge::Deps deps,
                               edge::AuditOptions audit) {
  auto add = [&](std::unique_ptr<grpc::Service> s, const char* full_name) {
    services_.push_back(std::move(s));
    full_names_.emplace_back(full_name);
  };
  if (ServesLedgerService(names)) {
    add(std::make_unique<edge::LedgerService>(deps.ledger), "huanxin.internal.LedgerService");
  }
  if (names.count("admin")) add(std::make_unique<edge::AdminService>(deps), "huanxin.v1.AdminService");
  if (names.count("issuance")) {
    add(std::make_unique<edge::IssuanceService>(deps), "huanxin.v1.IssuanceService");
  }
  if (names.count("redemption")) {
    add(std::make_unique<edge::RedemptionService>(deps), "huanxin.v1.RedemptionService");
  }
  if (names.count("recycling")) {
    add(std::make_unique<edge::RecyclingService>(deps), "huanxin.v1.RecyclingService");
  }
  if (names.count("audit")) {
    add(std::make_unique<edge::AuditService>(deps, audit), "huanxin.v1.AuditService");
  }
}

void HostedServices::RegisterWith(grpc::ServerBuilder* builder) {
  for (auto& s : services_) builder->RegisterService(s.get());
}

}  // namespace huanxin::server
