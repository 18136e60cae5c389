// The online source: huanxind's AdminService and AuditService, as an auditor.
#include <chrono>
#include <fstream>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "common/auth.h"
#include "absl/strings/str_cat.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "tools/verify/sources.h"

namespace huanxin::verify {

namespace v1 = ::huanxin::v1;

namespace {

constexpr auto kUnaryDeadline = std::chrono::seconds(30);

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// mTLS when options.tls_ca_file is set (ParseOptions checked the files), else plaintext.
std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials(const Options& options) {
  if (options.tls_ca_file.empty()) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(options.tls_ca_file);
  if (!options.tls_cert_file.empty()) {
    ssl.pem_cert_chain = ReadFile(options.tls_cert_file);
    ssl.pem_private_key = ReadFile(options.tls_key_file);
  }
  return grpc::SslCredentials(ssl);
}

absl::Status FromGrpc(const grpc::Status& s, const std::string& rpc) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(rpc, " failed: ", s.error_message()));
}

}  // namespace

struct ServerSource::Stubs {
  std::unique_ptr<v1::AdminService::Stub> admin;
  std::unique_ptr<v1::AuditService::Stub> audit;
};

ServerSource::ServerSource(const Options& options)
    : principal_(options.principal), stubs_(std::make_unique<Stubs>()) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  auto channel = grpc::CreateCustomChannel(options.target, ChannelCredentials(options), args);
  stubs_->admin = v1::AdminService::NewStub(channel);
  stubs_->audit = v1::AuditService::NewStub(channel);
}

ServerSource::~ServerSource() = default;

namespace {
void PrepareUnary(grpc::ClientContext& ctx, const std::string& principal) {
  ctx.AddMetadata(kPrincipalHeader, principal);
  ctx.set_deadline(std::chrono::system_clock::now() + kUnaryDeadline);
}
}  // namespace

absl::StatusOr<std::vector<v1::ProgramStats>> ServerSource::ReadAllStats() {
  std::vector<std::string> ids;
  v1::ListProgramsRequest req;
  req.set_page_size(1000);
  for (;;) {
    grpc::ClientContext ctx;
    PrepareUnary(ctx, principal_);
    v1::ListProgramsResponse resp;
    grpc::Status s = stubs_->admin->ListPrograms(&ctx, req, &resp);
    if (!s.ok()) return FromGrpc(s, "AdminService.ListPrograms");
    for (const v1::Program& p : resp.programs()) ids.push_back(p.program_id());
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  std::vector<v1::ProgramStats> out;
  for (const std::string& id : ids) {
    grpc::ClientContext ctx;
    PrepareUnary(ctx, principal_);
    v1::GetProgramStatsRequest sreq;
    sreq.set_program_id(id);
    v1::ProgramStats stats;
    grpc::Status s = stubs_->audit->GetProgramStats(&ctx, sreq, &stats);
    if (!s.ok()) return FromGrpc(s, "AuditService.GetProgramStats(" + id + ")");
    if (stats.program_id().empty()) stats.set_program_id(id);
    out.push_back(std::move(stats));
  }
  return out;
}

absl::StatusOr<v1::Checkpoint> ServerSource::ReadCheckpoint() {
  grpc::ClientContext ctx;
  PrepareUnary(ctx, principal_);
  v1::Checkpoint cp;
  grpc::Status s = stubs_->audit->GetCheckpoint(&ctx, v1::GetCheckpointRequest(), &cp);
  if (!s.ok()) return FromGrpc(s, "AuditService.GetCheckpoint");
  return cp;
}

absl::Status ServerSource::FeedEntries(LedgerVerifier& verifier) {
  if (verifier.complete()) return absl::OkStatus();  // an empty log
  grpc::ClientContext ctx;
  ctx.AddMetadata(kPrincipalHeader, principal_);  // no deadline: a big ledger takes a while
  v1::StreamEntriesRequest req;
  req.set_from_seq(0);
  req.set_follow(false);
  std::unique_ptr<grpc::ClientReader<v1::EntryWithLeaf>> reader =
      stubs_->audit->StreamEntries(&ctx, req);
  v1::EntryWithLeaf entry;
  while (!verifier.complete() && reader->Read(&entry)) verifier.Add(entry);
  if (verifier.complete()) {
    ctx.TryCancel();  // entries committed after the checkpoint are not needed
    reader->Finish();
    return absl::OkStatus();
  }
  grpc::Status s = reader->Finish();
  if (!s.ok()) return FromGrpc(s, "AuditService.StreamEntries");
  return absl::OkStatus();  // ended early: Finish() of the verifier names what is missing
}

absl::StatusOr<std::vector<merkle::Hash>> ServerSource::ConsistencyProof(uint64_t first,
                                                                         uint64_t second) {
  grpc::ClientContext ctx;
  PrepareUnary(ctx, principal_);
  v1::GetConsistencyProofRequest req;
  req.set_first_size(static_cast<int64_t>(first));
  req.set_second_size(static_cast<int64_t>(second));
  v1::ConsistencyProof proof;
  grpc::Status s = stubs_->audit->GetConsistencyProof(&ctx, req, &proof);
  if (!s.ok()) {
    return FromGrpc(s, absl::StrCat("AuditService.GetConsistencyProof(", first, ", ", second, ")"));
  }
  return std::vector<merkle::Hash>(proof.hashes().begin(), proof.hashes().end());
}

}  // namespace huanxin::verify
