#include "common/auth.h"

#include <algorithm>
#include <initializer_list>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/check.h"
#include "common/status.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace huanxin {
namespace {

using Roles = absl::flat_hash_set<absl::string_view>;

// Who may call one RPC: its roles, and for an RPC that acts for a tenant the request field
// (a dotted path of singular fields) that must name the calling retailer or recycler.
struct Rule {
  Roles roles;
  absl::string_view tenant_field = "";
};

// RPC -> its rule. Auditors and admins may call every Get/List RPC.
const absl::flat_hash_map<absl::string_view, Rule>& Table() {
  static const auto* table = new absl::flat_hash_map<absl::string_view, Rule>{
      {"AdminService/CreateProgram", {{"admin"}}},
      {"AdminService/GetProgram", {{"admin", "auditor"}}},
      {"AdminService/ListPrograms", {{"admin", "auditor"}}},
      {"AdminService/FundProgram", {{"admin"}}},
      {"AdminService/SetProgramState", {{"admin"}}},
      {"AdminService/UpdateProgramRules", {{"admin"}}},
      {"AdminService/RegisterMerchant", {{"admin"}}},
      {"AdminService/GetMerchant", {{"admin", "auditor"}}},
      {"AdminService/SetMerchantState", {{"admin"}}},
      {"AdminService/RegisterRecycler", {{"admin"}}},
      {"AdminService/CreateSettlement", {{"admin"}}},
      {"AdminService/Backup", {{"admin"}}},
      // huanxin.internal.LedgerService: edges running apart from the ledger, only.
      {"LedgerService/Execute", {{"service"}}},
      {"LedgerService/GetProgram", {{"service"}}},
      {"LedgerService/ListPrograms", {{"service"}}},
      {"LedgerService/GetMerchant", {{"service"}}},
      {"LedgerService/GetVoucher", {{"service"}}},
      {"LedgerService/ListConsumerVouchers", {{"service"}}},
      {"LedgerService/GetRedemption", {{"service"}}},
      {"LedgerService/GetScrapReceipt", {{"service"}}},
      {"LedgerService/GetProgramStats", {{"service"}}},
      {"LedgerService/GetSettlement", {{"service"}}},
      {"LedgerService/Quote", {{"service"}}},
      {"LedgerService/ListReviews", {{"service"}}},
      {"LedgerService/GetEntry", {{"service"}}},
      {"LedgerService/ReadEntries", {{"service"}}},
      {"LedgerService/ListEntries", {{"service"}}},
      {"LedgerService/GetCheckpoint", {{"service"}}},
      {"LedgerService/GetInclusionProof", {{"service"}}},
      {"LedgerService/GetConsistencyProof", {{"service"}}},
      {"LedgerService/WaitForEntries", {{"service"}}},
      {"LedgerService/Health", {{"service"}}},
      {"LedgerService/Backup", {{"service"}}},
      {"AdminService/GetSettlement", {{"admin", "auditor"}}},
      {"IssuanceService/IssueVoucher", {{"app"}}},
      {"IssuanceService/GetVoucher", {{"app", "auditor", "admin"}}},
      {"IssuanceService/ListConsumerVouchers", {{"app", "auditor", "admin"}}},
      {"IssuanceService/CancelVoucher", {{"app"}}},
      {"RedemptionService/QuoteSubsidy", {{"retailer"}}},
      {"RedemptionService/Redeem", {{"retailer"}, "merchant_id"}},
      {"RedemptionService/ReverseRedemption", {{"retailer"}, "merchant_id"}},
      {"RedemptionService/AdjustRedemption", {{"retailer"}, "merchant_id"}},
      {"RedemptionService/GetRedemption", {{"retailer", "auditor", "admin"}}},
      {"RecyclingService/ConfirmScrapReceipt", {{"recycler"}, "receipt.recycler_id"}},
      {"RecyclingService/GetScrapReceipt", {{"recycler", "auditor", "admin"}}},
      {"RecyclingService/VoidScrapReceipt", {{"recycler"}}},
      {"AuditService/ListEntries", {{"auditor", "admin"}}},
      {"AuditService/GetEntry", {{"auditor", "admin"}}},
      {"AuditService/StreamEntries", {{"auditor", "admin"}}},
      {"AuditService/GetCheckpoint", {{"auditor", "admin"}}},
      {"AuditService/GetInclusionProof", {{"auditor", "admin"}}},
      {"AuditService/GetConsistencyProof", {{"auditor", "admin"}}},
      {"AuditService/GetProgramStats", {{"auditor", "admin"}}},
      {"AuditService/ListReviews", {{"auditor", "admin"}}},
      {"AuditService/ResolveReview", {{"auditor"}}},
  };
  return *table;
}

// Edge service name (in a service principal) -> the gRPC service whose RPCs it relays.
const absl::flat_hash_map<absl::string_view, absl::string_view>& RelayTable() {
  static const auto* table = new absl::flat_hash_map<absl::string_view, absl::string_view>{
      {"admin", "AdminService"},           {"issuance", "IssuanceService"},
      {"redemption", "RedemptionService"}, {"recycling", "RecyclingService"},
      {"audit", "AuditService"},
  };
  return *table;
}

const Roles& KnownRoles() {
  // `service` is allowed on nothing in huanxin.v1: its rows are the internal ledger RPCs.
  static const auto* roles = new Roles{role::kApp,     role::kRetailer, role::kRecycler,
                                      role::kAuditor, role::kAdmin,    role::kService};
  return *roles;
}

bool ValidId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<Principal> ParsePrincipal(absl::string_view text) {
  if (text.empty()) return Refuse(reason::kUnauthenticated, "no principal");
  size_t colon = text.find(':');
  if (colon == absl::string_view::npos || !ValidId(text.substr(colon + 1))) {
    return Refuse(reason::kUnauthenticated, "the principal must be <role>:<id>");
  }
  Principal p{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
  if (!KnownRoles().contains(p.role)) {
    return Refuse(reason::kPermissionDenied, absl::StrCat("unknown role ", p.role));
  }
  return p;
}

absl::Status Authorize(const Principal& p, absl::string_view method) {
  auto it = Table().find(method);
  if (it == Table().end() || !it->second.roles.contains(p.role)) {
    return Refuse(reason::kPermissionDenied,
                  absl::StrCat(p.name(), " may not call ", method));
  }
  return absl::OkStatus();
}

absl::Status AuthorizeRelay(const Principal& edge, absl::string_view method) {
  const absl::string_view service = method.substr(0, method.find('/'));
  if (edge.role == role::kService && !service.empty()) {
    const absl::string_view names = absl::string_view(edge.id).substr(0, edge.id.find('-'));
    for (absl::string_view name : absl::StrSplit(names, '.')) {
      auto it = RelayTable().find(name);
      if (name == "edge" || (it != RelayTable().end() && it->second == service)) {
        return absl::OkStatus();
      }
    }
  }
  return Refuse(reason::kPermissionDenied,
                absl::StrCat(edge.name(), " may not relay ", method, " to the ledger"));
}

std::string EdgePrincipalFor(const std::vector<std::string>& services) {
  return absl::StrCat(role::kService, ":", absl::StrJoin(services, "."));
}

std::vector<std::string> RolesAllowed(absl::string_view method) {
  std::vector<std::string> out;
  auto it = Table().find(method);
  if (it == Table().end()) return out;
  for (absl::string_view r : it->second.roles) out.emplace_back(r);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> KnownRoleNames() {
  std::vector<std::string> out(KnownRoles().begin(), KnownRoles().end());
  std::sort(out.begin(), out.end());
  return out;
}

absl::Status RequireTenant(const Principal& p, absl::string_view method,
                           const google::protobuf::Message& request) {
  auto it = Table().find(method);
  if (it == Table().end() || it->second.tenant_field.empty()) return absl::OkStatus();
  if (p.role != role::kRetailer && p.role != role::kRecycler) return absl::OkStatus();
  const absl::string_view path = it->second.tenant_field;
  const google::protobuf::Message* m = &request;
  std::string tenant;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    const google::protobuf::FieldDescriptor* field =
        m->GetDescriptor()->FindFieldByName(std::string(name));
    HX_CHECK(field != nullptr && !field->is_repeated(),
             absl::StrCat(method, "'s tenant field ", path, " is not in ",
                          request.GetDescriptor()->full_name()));
    if (field->type() == google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
      m = &m->GetReflection()->GetMessage(*m, field);
    } else {
      tenant = m->GetReflection()->GetString(*m, field);
    }
  }
  if (tenant != p.id) {
    return Refuse(reason::kPermissionDenied,
                  absl::StrCat(p.name(), " may not act for ", path, " ", tenant));
  }
  return absl::OkStatus();
}

}  // namespace huanxin
