#include "services/edge/call.h"

#include <atomic>
#include <chrono>
#include <string>

#include "common/auth.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/security/auth_context.h"

namespace huanxin::edge {
namespace {

constexpr char kCommonNameProperty[] = "x509_common_name";
constexpr char kSubjectProperty[] = "x509_subject";  // RFC 2253 form

// The number of CN attributes in an RFC 2253 distinguished name ("CN=a,O=b" or with a
// multi-valued RDN "CN=a+CN=b"); ',' and '+' inside values are escaped with '\'.
int CommonNamesIn(absl::string_view subject) {
  int count = 0;
  bool at_attribute_start = true;
  for (size_t i = 0; i < subject.size(); ++i) {
    if (at_attribute_start && absl::StartsWith(subject.substr(i), "CN=")) ++count;
    at_attribute_start = false;
    if (subject[i] == '\\') {
      ++i;  // the escaped character is part of the value
    } else if (subject[i] == ',' || subject[i] == '+') {
      at_attribute_start = true;
    }
  }
  return count;
}

std::atomic<const CallPolicy*> g_policy{nullptr};

const CallPolicy& Policy() {
  static const CallPolicy kDefault;
  const CallPolicy* p = g_policy.load(std::memory_order_acquire);
  return p != nullptr ? *p : kDefault;
}

absl::StatusOr<Principal> FromMetadata(const grpc::ServerContextBase* ctx) {
  const auto& md = ctx->client_metadata();
  auto it = md.find(kPrincipalHeader);
  if (it == md.end()) return ParsePrincipal("");
  return ParsePrincipal(absl::string_view(it->second.data(), it->second.size()));
}

absl::StatusOr<Principal> FromCertificate(const grpc::ServerContextBase* ctx) {
  std::shared_ptr<const grpc::AuthContext> auth = ctx->auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return Refuse(reason::kUnauthenticated, "no verified client certificate");
  }
  std::vector<grpc::string_ref> cns = auth->FindPropertyValues(kCommonNameProperty);
  std::vector<grpc::string_ref> subjects = auth->FindPropertyValues(kSubjectProperty);
  // gRPC reports only the subject's first CN as the common-name property: count them in the
  // whole subject, so a certificate naming two principals is not read as the first.
  if (cns.size() != 1 || subjects.size() != 1 ||
      CommonNamesIn(absl::string_view(subjects[0].data(), subjects[0].size())) != 1) {
    return Refuse(reason::kUnauthenticated,
                  "the client certificate must carry exactly one Common Name");
  }
  return ParsePrincipal(absl::string_view(cns[0].data(), cns[0].size()));
}

absl::StatusOr<Principal> Caller(const CallPolicy& policy, const grpc::ServerContextBase* ctx) {
  switch (policy.auth_mode) {
    case AuthMode::kMetadata:
      return FromMetadata(ctx);
    case AuthMode::kCertificate:
      break;
  }
  return FromCertificate(ctx);
}

// The caller of a call that may go ahead: its deadline has not passed, its principal is
// established, within its rate limit and allowed `method`. Sets `principal_name` as soon as
// the principal is known.
absl::StatusOr<Principal> Admit(const CallPolicy& policy, const grpc::ServerContextBase* ctx,
                                absl::string_view method, absl::Time start,
                                std::string* principal_name) {
  if (ctx->deadline() <= std::chrono::system_clock::now()) {
    return Refuse(reason::kDeadlineExceeded, "the call's deadline passed before it started");
  }
  absl::StatusOr<Principal> caller = Caller(policy, ctx);
  if (!caller.ok()) return caller.status();
  *principal_name = caller->name();
  if (policy.rate_limiter != nullptr && !policy.rate_limiter->Allow(*principal_name, start)) {
    return Refuse(reason::kRateLimited,
                  absl::StrCat(*principal_name, " is over its rate limit; retry with backoff"));
  }
  if (absl::Status s = Authorize(*caller, method); !s.ok()) return s;
  return caller;
}

void Observe(const CallPolicy& policy, absl::string_view method, absl::string_view principal,
             const absl::Status& status, absl::Time start) {
  if (policy.observer != nullptr) {
    policy.observer->OnCall(method, principal, status, absl::Now() - start);
  }
}

}  // namespace

void InstallCallPolicy(CallPolicy policy) {
  // The previous policy is leaked on purpose: a racing reader may still hold it.
  g_policy.store(new CallPolicy(std::move(policy)), std::memory_order_release);
}

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(std::string(status.message()));
  google::rpc::ErrorInfo info;
  info.set_reason(ReasonOf(status));
  info.set_domain("huanxin.v1");
  details.add_details()->PackFrom(info);
  if (std::string field = FieldOf(status); !field.empty()) {
    google::rpc::BadRequest bad;
    auto* v = bad.add_field_violations();
    v->set_field(field);
    v->set_description(std::string(status.message()));
    details.add_details()->PackFrom(bad);
  }
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()), details.SerializeAsString());
}

grpc::Status Serve(grpc::ServerContext* ctx, absl::string_view method,
                   const std::function<absl::Status(const Principal&)>& body) {
  const CallPolicy& policy = Policy();
  const absl::Time start = absl::Now();
  std::string principal;
  absl::StatusOr<Principal> caller = Admit(policy, ctx, method, start, &principal);
  absl::Status status = caller.ok() ? body(*caller) : caller.status();
  Observe(policy, method, principal, status, start);
  return ToGrpc(status);
}

StreamCall::StreamCall(const grpc::CallbackServerContext* ctx, absl::string_view method)
    : policy_(Policy()),
      method_(method),
      start_(absl::Now()),
      caller_(Admit(policy_, ctx, method, start_, &principal_)) {}

grpc::Status StreamCall::End(const absl::Status& status) const {
  Observe(policy_, method_, principal_, status, start_);
  return ToGrpc(status);
}

grpc::ServerUnaryReactor* ServeCommand(
    grpc::CallbackServerContext* ctx, absl::string_view method, ledger::LedgerApi* ledger,
    std::function<absl::StatusOr<internal::Command>(const Principal&)> command,
    std::function<void(internal::Reply*)> reply) {
  const CallPolicy& policy = Policy();
  const absl::Time start = absl::Now();
  grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
  std::string principal;
  absl::StatusOr<Principal> caller = Admit(policy, ctx, method, start, &principal);
  absl::StatusOr<internal::Command> cmd = caller.ok() ? command(*caller) : caller.status();
  if (!cmd.ok()) {
    Observe(policy, method, principal, cmd.status(), start);
    reactor->Finish(ToGrpc(cmd.status()));
    return reactor;
  }
  ledger->Submit(std::move(*cmd), [&policy, method, principal = std::move(principal), start,
                                   reactor, reply = std::move(reply)](
                                      absl::StatusOr<internal::Reply> r) {
    if (r.ok()) reply(&*r);
    Observe(policy, method, principal, r.status(), start);
    reactor->Finish(ToGrpc(r.status()));
  });
  return reactor;
}

}  // namespace huanxin::edge
