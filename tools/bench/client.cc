#include "tools/bench/client.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "common/auth.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "tools/bench/ids.h"

namespace huanxin::bench {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || text.str().empty()) return absl::InvalidArgumentError("cannot read " + path);
  return text.str();
}

absl::Status FromGrpc(const grpc::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat(what, ": ", DescribeStatus(s)));
}

}  // namespace

Stubs::Stubs(std::shared_ptr<grpc::Channel> c)
    : channel(std::move(c)),
      health(grpc::health::v1::Health::NewStub(channel)),
      admin(v1::AdminService::NewStub(channel)),
      issuance(v1::IssuanceService::NewStub(channel)),
      redemption(v1::RedemptionService::NewStub(channel)),
      audit(v1::AuditService::NewStub(channel)) {}

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const Options& options) {
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options.insecure) {
    creds = grpc::InsecureChannelCredentials();
  } else {
    // The TLS seam: the certificate's CN is the only principal, so a multi-role mode needs a
    // server that maps it (a future --principal_map); plaintext is the default for now.
    grpc::SslCredentialsOptions ssl;
    auto ca = ReadFile(options.tls_ca);
    if (!ca.ok()) return ca.status();
    auto cert = ReadFile(options.tls_cert);
    if (!cert.ok()) return cert.status();
    auto key = ReadFile(options.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_root_certs = *ca;
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
    creds = grpc::SslCredentials(ssl);
  }
  std::unique_ptr<Client> client(new Client(options));
  for (int i = 0; i < options.channels; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("huanxin.bench.channel", i);  // distinct args: distinct connections
    client->stubs_.push_back(
        std::make_unique<Stubs>(grpc::CreateCustomChannel(options.target, creds, args)));
  }
  return client;
}

Stubs& Client::Next() { return *stubs_[next_++ % stubs_.size()]; }

absl::Status Client::WaitConnected(absl::Duration timeout) {
  const auto deadline = absl::ToChronoTime(absl::Now() + timeout);
  for (auto& s : stubs_) {
    if (!s->channel->WaitForConnected(deadline)) {
      return absl::UnavailableError(absl::StrCat("cannot connect to ", options_.target));
    }
  }
  return absl::OkStatus();
}

void Client::Prepare(grpc::ClientContext* ctx, const std::string& principal) const {
  ctx->set_deadline(std::chrono::system_clock::now() +
                    absl::ToChronoMilliseconds(options_.timeout));
  if (options_.insecure && !principal.empty()) ctx->AddMetadata(kPrincipalHeader, principal);
}

std::string ErrorKey(const grpc::Status& status) {
  std::string key = std::to_string(static_cast<int>(status.error_code()));
  static const char* const kNames[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int code = static_cast<int>(status.error_code());
  if (code >= 0 && code <= 16) key = kNames[code];
  google::rpc::Status details;
  if (!status.error_details().empty() && details.ParseFromString(status.error_details())) {
    for (const auto& any : details.details()) {
      google::rpc::ErrorInfo info;
      if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(&info)) {
        return absl::StrCat(key, " ", info.reason());
      }
    }
  }
  return key;
}

std::string DescribeStatus(const grpc::Status& status) {
  return absl::StrCat(ErrorKey(status), ": ", status.error_message());
}

absl::StatusOr<Fixture> SetUpFixture(Client& client, int merchants) {
  Fixture f;
  f.program_id = UniqueToken("bench");
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  Stubs& s = client.Next();
  {
    v1::CreateProgramRequest req;
    req.set_request_id(UniqueToken("setup"));
    v1::Program* p = req.mutable_program();
    p->set_program_id(f.program_id);
    p->set_name("huanxin-bench " + f.program_id);
    p->set_kind(v1::Program::APPLIANCE);
    p->set_region_code("371600");
    p->mutable_start_time()->set_seconds(now - 3600);
    p->mutable_end_time()->set_seconds(now + 30 * 86400);
    p->mutable_voucher_ttl()->set_seconds(3 * 86400);
    p->set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
    v1::CategoryRule* r = p->add_rules();
    r->set_category("refrigerator");
    r->set_grade1_rate_bp(2000);
    r->set_grade2_rate_bp(1500);
    r->set_cap_fen(200000);
    v1::Program out;
    grpc::ClientContext ctx;
    client.Prepare(&ctx, kAdmin);
    if (absl::Status st = FromGrpc(s.admin->CreateProgram(&ctx, req, &out), "CreateProgram");
        !st.ok()) {
      return st;
    }
  }
  {
    v1::FundProgramRequest req;
    req.set_request_id(UniqueToken("setup"));
    req.set_program_id(f.program_id);
    req.set_amount_fen(10'000'000'000'000);
    req.set_memo("huanxin-bench budget");
    v1::ProgramStats out;
    grpc::ClientContext ctx;
    client.Prepare(&ctx, kAdmin);
    if (absl::Status st = FromGrpc(s.admin->FundProgram(&ctx, req, &out), "FundProgram");
        !st.ok()) {
      return st;
    }
  }
  for (int i = 0; i < merchants; ++i) {
    f.merchant_ids.push_back(UniqueToken("m-bench"));
    v1::RegisterMerchantRequest req;
    req.set_request_id(UniqueToken("setup"));
    v1::Merchant* m = req.mutable_merchant();
    m->set_merchant_id(f.merchant_ids.back());
    m->set_name("huanxin-bench store");
    m->set_region_code("371602");
    m->add_program_ids(f.program_id);
    v1::Merchant out;
    grpc::ClientContext ctx;
    client.Prepare(&ctx, kAdmin);
    if (absl::Status st =
            FromGrpc(s.admin->RegisterMerchant(&ctx, req, &out), "RegisterMerchant");
        !st.ok()) {
      return st;
    }
  }
  return f;
}

absl::StatusOr<int64_t> LedgerSize(Client& client) {
  v1::GetCheckpointRequest req;
  v1::Checkpoint out;
  grpc::ClientContext ctx;
  client.Prepare(&ctx, kAuditor);
  if (absl::Status st = FromGrpc(client.Next().audit->GetCheckpoint(&ctx, req, &out),
                                 "GetCheckpoint");
      !st.ok()) {
    return st;
  }
  return out.tree_size();
}

}  // namespace huanxin::bench
