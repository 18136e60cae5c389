#include "tools/ctl/client.h"

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "common/auth.h"
#include "common/flag_file.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace huanxin::ctl {

namespace {
constexpr char kLedgerService[] = "huanxin.internal.LedgerService";
}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const GlobalOptions& options) {
  if (options.tls_ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  auto ca = ReadFlagFile("ca", options.tls_ca_file);
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *ca;
  if (!options.tls_cert_file.empty()) {
    auto cert = ReadFlagFile("tls_cert", options.tls_cert_file);
    if (!cert.ok()) return cert.status();
    auto key = ReadFlagFile("tls_key", options.tls_key_file);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
  }
  return grpc::SslCredentials(ssl);
}

absl::StatusOr<std::string> CertificateCommonName(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* cert = bio == nullptr ? nullptr : PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  std::string cn;
  if (cert != nullptr) {
    char buffer[256];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer,
                                      sizeof buffer);
    if (n > 0) cn.assign(buffer, static_cast<size_t>(n));
    X509_free(cert);
  }
  if (cn.empty()) return absl::InvalidArgumentError("not a PEM certificate with a Common Name");
  return cn;
}

Client::Client(GlobalOptions options) : options_(std::move(options)) {}

std::shared_ptr<grpc::Channel> Client::channel() {
  if (!channel_) {
    auto credentials = MakeChannelCredentials(options_);
    if (!credentials.ok()) {
      // Unreadable certificate files: a usage error (exit 2), as for any unreadable input.
      std::cerr << "error: " << credentials.status().message() << "\n";
      std::exit(kExitUsage);
    }
    channel_ = grpc::CreateChannel(options_.addr, *credentials);
  }
  return channel_;
}

void Client::Prepare(grpc::ClientContext& context) const {
  if (!options_.principal.empty()) context.AddMetadata(kPrincipalHeader, options_.principal);
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options_.timeout_ms));
}

std::string Client::RequestId() {
  std::string id = options_.request_id;
  if (id.empty()) {
    std::random_device device;
    std::uniform_int_distribution<int> nibble(0, 15);
    id = "ctl-";
    for (int i = 0; i < 20; ++i) id += "0123456789abcdef"[nibble(device)];
  }
  std::cerr << "request-id: " << id << "\n";
  return id;
}

void Client::AddSecret(const std::string& value) {
  // Very short values (a one-character name) would mask unrelated text; skip them.
  if (value.size() >= 4) secrets_.push_back(value);
}

std::string Client::Redact(std::string text) const {
  for (const std::string& secret : secrets_) {
    std::string mask = MaskIdentity(secret);
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + mask.size())) {
      text.replace(pos, secret.size(), mask);
    }
  }
  return text;
}

namespace {

// Whether the server behind `channel` hosts `service`: its gRPC health service knows the name
// (huanxind registers every service it hosts there).
bool Hosts(const std::shared_ptr<grpc::Channel>& channel, const GlobalOptions& options,
           const std::string& service) {
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(options.timeout_ms));
  return grpc::health::v1::Health::NewStub(channel)->Check(&context, request, &response).ok();
}

}  // namespace

std::string Client::UnhostedServiceHint() const {
  if (!channel_) return "";
  for (const char* service : {"huanxin.v1.AdminService", "huanxin.v1.IssuanceService",
                              "huanxin.v1.RedemptionService", "huanxin.v1.RecyclingService",
                              "huanxin.v1.AuditService"}) {
    if (Hosts(channel_, options_, service)) {
      return ": " + options_.addr +
             " does not host the service this command calls (see that huanxind's --services)";
    }
  }
  if (!Hosts(channel_, options_, kLedgerService)) return "";
  return ": " + options_.addr +
         " serves only the internal ledger service (huanxind --services=ledger); point --addr "
         "at an edge (a huanxind with --services=admin,issuance,redemption,recycling,audit "
         "--ledger_address=" + options_.addr + ") or at an all-in-one huanxind";
}

namespace {

struct DecodedError {
  std::string reason;   // ErrorInfo.reason, or the message's prefix
  std::string message;  // the message without a leading "<reason>: "
  std::vector<std::pair<std::string, std::string>> violations;  // BadRequest
};

DecodedError Decode(const grpc::Status& status) {
  DecodedError out;
  out.message = status.error_message();
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const google::protobuf::Any& any : details.details()) {
      google::rpc::ErrorInfo info;
      google::rpc::BadRequest bad_request;
      if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
        if (out.reason.empty()) out.reason = info.reason();
      } else if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad_request)) {
        for (const auto& v : bad_request.field_violations()) {
          out.violations.emplace_back(v.field(), v.description());
        }
      }
    }
  }
  // Without ErrorInfo, the reason is the message's upper-case prefix, if it has one.
  size_t colon = out.message.find(':');
  std::string prefix = colon == std::string::npos ? "" : out.message.substr(0, colon);
  bool prefix_is_reason = !prefix.empty();
  for (char c : prefix) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) prefix_is_reason = false;
  }
  if (out.reason.empty() && prefix_is_reason) out.reason = prefix;
  // The message already starts with "<REASON>: "; print the reason once.
  if (!out.reason.empty() && prefix_is_reason && prefix == out.reason) {
    out.message.erase(0, colon + 1);
    if (!out.message.empty() && out.message.front() == ' ') out.message.erase(0, 1);
  }
  return out;
}

}  // namespace

std::string ErrorReason(const grpc::Status& status) { return Decode(status).reason; }

int Client::ReportError(const grpc::Status& status) const {
  DecodedError error = Decode(status);
  std::string line = std::string("error: ") + StatusCodeName(status.error_code());
  if (!error.reason.empty()) line += " " + error.reason + ":";
  if (!error.message.empty()) line += " " + error.message;
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && error.reason.empty()) {
    line += options_.tls_ca_file.empty()
                ? " (is huanxind listening on " + options_.addr + " with --insecure?)"
                : " (is huanxind listening on " + options_.addr +
                      " with mTLS, and do --ca and the certificate match it?)";
  }
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED && options_.principal.empty() &&
      options_.tls_cert_file.empty()) {
    line += "\n  no principal was given: add --as ROLE:ID (e.g. --as admin:ops, or set "
            "$HUANXIN_PRINCIPAL) for an --insecure huanxind, or under mTLS a client "
            "certificate whose CN is the principal (--ca, --tls_cert, --tls_key)";
  }
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED && error.reason.empty()) {
    line += UnhostedServiceHint();
  }
  std::cerr << Redact(line) << "\n";
  for (const auto& [field, description] : error.violations) {
    std::cerr << Redact("  field " + field + ": " + description) << "\n";
  }
  return kExitRpcError;
}

#define HX_STUB(accessor, member, Service)                               \
  huanxin::v1::Service::Stub& Client::accessor() {                       \
    if (!member) member = huanxin::v1::Service::NewStub(channel());      \
    return *member;                                                      \
  }
HX_STUB(admin, admin_, AdminService)
HX_STUB(audit, audit_, AuditService)
HX_STUB(issuance, issuance_, IssuanceService)
HX_STUB(redemption, redemption_, RedemptionService)
HX_STUB(recycling, recycling_, RecyclingService)
#undef HX_STUB

const char* StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "UNKNOWN";
  }
}

std::string MaskIdentity(const std::string& value) {
  if (value.size() == 18) return value.substr(0, 6) + std::string(8, '*') + value.substr(14);
  return std::string(value.size(), '*');
}

}  // namespace huanxin::ctl
