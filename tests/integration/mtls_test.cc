// mTLS (docs/api.md "Principals and roles"): a huanxind with --tls_cert/--tls_key/
// --client_ca and certificates from tools/dev-ca.sh. The principal is the client
// certificate's CN and metadata never overrides it; no client certificate, a certificate of
// another CA, or a plaintext client never get a call through. huanxinctl and huanxin-verify
// speak mTLS with --ca/--tls_cert/--tls_key. An edge running apart reaches its ledger with
// its service certificate, which relays only that edge's commands; an all-in-one process
// serves no internal ledger service at all.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "huanxin/internal/ledger_service.grpc.pb.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

int RunTool(const std::string& cmd, std::string* out);

class MtlsTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    dir_ = std::make_unique<TempDir>();
    ca_ = dir_->path() + "/ca";
    other_ca_ = dir_->path() + "/other-ca";
    auto made = MakeDevCa(ca_, {"app:x"});
    if (made) made = MakeDevCa(other_ca_);
    if (!made) {
      error_ = made.message();
      return;
    }
    DevCaServerFiles files = DevCaServer(ca_);
    server_ = std::make_unique<ServerProcess>(
        ServerProcess::ServerTls{files.cert_file, files.key_file, files.ca_file},
        std::vector<std::string>{});
    auto started = server_->Start();
    if (!started) error_ = started.message();
  }
  static void TearDownTestSuite() {
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->StderrTail();
    }
    server_.reset();
    dir_.reset();
  }

 protected:
  void SetUp() override { ASSERT_TRUE(error_.empty()) << error_; }

  static Api Client(const std::string& principal, const std::string& ca_dir = "") {
    return Api(server_->address(), DevCaClient(ca_dir.empty() ? ca_ : ca_dir, principal));
  }

  static inline std::unique_ptr<TempDir> dir_;
  static inline std::string ca_, other_ca_, error_;
  static inline std::unique_ptr<ServerProcess> server_;
};

TEST_F(MtlsTest, CertificateCommonNameIsThePrincipal) {
  Api admin = Client("admin:ops");
  const std::string pid = UniqueId("mtls");
  // Metadata says nothing here (and is ignored anyway): the certificate says admin:ops.
  HX_ASSERT_OK(admin.CreateProgram(ApplianceProgram(pid), nullptr, "", ""));
  HX_EXPECT_OK(admin.GetProgram(pid, nullptr, ""));
  // The log names the certificate's principal.
  server_->Stop();
  EXPECT_NE(server_->StderrTail(100000).find("\"principal\":\"admin:ops\""), std::string::npos);
  ASSERT_TRUE(server_->Start());
}

TEST_F(MtlsTest, MetadataNeverOverridesTheCertificate) {
  Api app = Client("app:x");
  // app:x claims admin:ops in metadata: still app:x, which may not create programmes.
  grpc::Status s = app.CreateProgram(ApplianceProgram(UniqueId("mtls")), nullptr, "", kAdmin);
  EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"));
  EXPECT_NE(s.error_message().find("app:x"), std::string::npos) << Describe(s);
  // And an auditor certificate cannot become an app through metadata either.
  Api auditor = Client("auditor:commerce-bureau");
  s = auditor.Issue("no-such-programme", "refrigerator", MintIdNumber(), nullptr, "", kApp);
  EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"));
}

TEST_F(MtlsTest, ServiceCertificateMayCallNoPublicRpc) {
  Api service = Client("service:issuance");
  grpc::Status s = service.GetProgram("anything", nullptr, kAdmin);
  EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"));
}

// A command as a service certificate would send it: creating a programme as admin:ops.
internal::Command CreateProgramAsAdmin(const std::string& program_id) {
  internal::Command c;
  c.set_actor(kAdmin);
  c.set_request_id(NextRequestId("as-service"));
  *c.mutable_create_program()->mutable_program() = ApplianceProgram(program_id);
  return c;
}

TEST_F(MtlsTest, AllInOneServesNoLedgerServiceToAServiceCertificate) {
  Api service = Client("service:issuance");
  auto stub = internal::LedgerService::NewStub(service.stubs().channel);
  const std::string pid = UniqueId("mtls-internal");
  internal::Reply reply;
  grpc::Status s = Call(stub.get(), &internal::LedgerService::Stub::Execute, "",
                        CreateProgramAsAdmin(pid), &reply);
  EXPECT_EQ(s.error_code(), StatusCode::UNIMPLEMENTED) << Describe(s);
  s = Client("admin:ops").GetProgram(pid, nullptr, "");
  EXPECT_TRUE(IsRefusal(s, StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND")) << Describe(s);
}

TEST_F(MtlsTest, ACertificateWithTwoCommonNamesIsNoPrincipal) {
  // Signed by the deployment's own CA, naming an auditor first and an admin second: neither
  // may be read into it.
  const std::string d = dir_->path() + "/two-cn";
  const std::string ext = d + ".ext";
  {
    std::ofstream(ext) << "basicConstraints=CA:FALSE\n"
                          "keyUsage=critical,digitalSignature,keyEncipherment\n"
                          "extendedKeyUsage=clientAuth\n";
  }
  const std::string cmd =
      "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out " + d + ".key && " +
      "openssl req -new -key " + d + ".key -subj '/O=Huanxin development/CN=auditor:commerce-bureau/CN=admin:ops' -out " + d + ".csr && " +
      "openssl x509 -req -in " + d + ".csr -CA " + ca_ + "/ca.crt -CAkey " + ca_ +
      "/ca.key -CAcreateserial -CAserial " + d + ".srl -days 1 -sha256 -extfile " + ext + " -out " + d + ".crt";
  std::string out;
  ASSERT_EQ(RunTool(cmd, &out), 0) << out;
  Api two(server_->address(), ClientTls{ca_ + "/ca.crt", d + ".crt", d + ".key"});
  grpc::Status s = two.GetProgram("anything", nullptr, "");
  EXPECT_TRUE(IsRefusal(s, StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED")) << Describe(s);
  // One Common Name, as ever, is a principal.
  s = Client("auditor:commerce-bureau").GetProgram("anything", nullptr, "");
  EXPECT_TRUE(IsRefusal(s, StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND")) << Describe(s);
}

TEST_F(MtlsTest, NoClientCertificateFailsTheHandshake) {
  Api anonymous(server_->address(), ClientTls{ca_ + "/ca.crt", "", ""});
  grpc::Status s = anonymous.GetProgram("anything", nullptr, kAdmin);
  EXPECT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << Describe(s);
}

TEST_F(MtlsTest, CertificateOfAnotherCaFails) {
  // A client of another CA, trusting our server's CA so that only the client side is wrong.
  ClientTls tls = DevCaClient(other_ca_, "admin:ops");
  tls.ca_file = ca_ + "/ca.crt";
  Api stranger(server_->address(), tls);
  grpc::Status s = stranger.GetProgram("anything", nullptr, kAdmin);
  EXPECT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << Describe(s);
  // And a client that trusts only the other CA refuses our server.
  Api wrong_trust = Client("admin:ops", other_ca_);
  s = wrong_trust.GetProgram("anything", nullptr, kAdmin);
  EXPECT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << Describe(s);
}

TEST_F(MtlsTest, PlaintextClientGetsNothing) {
  Api plain(server_->address());
  grpc::Status s = plain.GetProgram("anything", nullptr, kAdmin);
  EXPECT_EQ(s.error_code(), StatusCode::UNAVAILABLE) << Describe(s);
}

TEST_F(MtlsTest, HealthIsServedOverTls) {
  Api auditor = Client("auditor:commerce-bureau");
  EXPECT_EQ(HealthStatus(auditor.stubs().channel, ""), "SERVING");
}

int RunTool(const std::string& cmd, std::string* out) {
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out->append(buf, n);
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST_F(MtlsTest, CtlAndVerifySpeakMtls) {
  Api admin = Client("admin:ops");
  const std::string pid = UniqueId("mtls-ctl");
  HX_ASSERT_OK(admin.CreateProgram(ApplianceProgram(pid), nullptr, "", ""));
  const std::string tls = " --ca " + ca_ + "/ca.crt --tls_cert " + ca_ +
                          "/auditor.commerce-bureau.crt --tls_key " + ca_ +
                          "/auditor.commerce-bureau.key";
  std::string out;
  int rc = RunTool(std::string(HUANXINCTL_PATH) + " --addr " + server_->address() + tls +
                       " program list",
                   &out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(pid), std::string::npos) << out;

  v1::Checkpoint cp;
  HX_ASSERT_OK(Call(admin.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, "",
                    v1::GetCheckpointRequest(), &cp));
  out.clear();
  rc = RunTool(std::string(HUANXIN_VERIFY_PATH) + " --vkey '" + cp.verifier_key() +
                   "' --target " + server_->address() + tls,
               &out);
  EXPECT_EQ(rc, 0) << out;

  // Without the TLS flags the CLI cannot reach an mTLS server.
  out.clear();
  rc = RunTool(std::string(HUANXINCTL_PATH) + " --addr " + server_->address() +
                   " --as admin:ops --timeout 3 program list",
               &out);
  EXPECT_EQ(rc, 1) << out;
}

// Under mTLS the certificate decides the principal: a different --as is ignored by the
// server, and huanxinctl says so on stderr; the same one, or none, passes quietly.
TEST_F(MtlsTest, CtlWarnsWhenAsIsNotTheCertificate) {
  const std::string ctl = std::string(HUANXINCTL_PATH) + " --addr " + server_->address() +
                          " --ca " + ca_ + "/ca.crt --tls_cert " + ca_ +
                          "/auditor.commerce-bureau.crt --tls_key " + ca_ +
                          "/auditor.commerce-bureau.key";
  std::string out;
  EXPECT_EQ(RunTool(ctl + " --as admin:ops program list", &out), 0) << out;
  EXPECT_NE(out.find("warning: --as admin:ops is ignored under mTLS"), std::string::npos) << out;
  EXPECT_NE(out.find("CN auditor:commerce-bureau"), std::string::npos) << out;
  for (const std::string as : {" --as auditor:commerce-bureau", ""}) {
    out.clear();
    EXPECT_EQ(RunTool(ctl + as + " program list", &out), 0) << out;
    EXPECT_EQ(out.find("warning"), std::string::npos) << as << "\n" << out;
  }
}

// The split deployment under mTLS: an edge presents its service certificate
// (--ledger_tls_cert/--ledger_tls_key, CN service:<edge name>) to a ledger-only huanxind and
// trusts --client_ca for the ledger's certificate; a client's call goes through it. Another
// edge's certificate cannot do the admin edge's work.
TEST_F(MtlsTest, AnEdgeReachesItsLedgerWithItsServiceCertificate) {
  DevCaServerFiles files = DevCaServer(ca_);
  const ServerProcess::ServerTls tls{files.cert_file, files.key_file, files.ca_file};
  ServerProcess ledger(tls, {"--services=ledger"});
  ASSERT_TRUE(ledger.Start());
  const std::vector<std::string> edge_flags = {
      "--services=admin", "--ledger_address=" + ledger.address(), "--edge_name=admin"};
  // Without its client certificate the edge does not start, and says which flags it needs.
  ServerProcess bare(tls, edge_flags);
  EXPECT_FALSE(bare.Start());
  EXPECT_NE(bare.StderrTail().find("--ledger_tls_cert and --ledger_tls_key"), std::string::npos)
      << bare.StderrTail();
  std::vector<std::string> with_cert = edge_flags;
  with_cert.push_back("--ledger_tls_cert=" + ca_ + "/service.admin.crt");
  with_cert.push_back("--ledger_tls_key=" + ca_ + "/service.admin.key");
  ServerProcess edge(tls, with_cert);
  ASSERT_TRUE(edge.Start());
  Api admin(edge.address(), DevCaClient(ca_, "admin:ops"));
  const std::string pid = UniqueId("mtls-split");
  HX_ASSERT_OK(admin.CreateProgram(ApplianceProgram(pid), nullptr, "", ""));
  v1::Program program;
  HX_EXPECT_OK(admin.GetProgram(pid, &program, ""));
  EXPECT_EQ(program.program_id(), pid);

  // The issuance edge's certificate, calling the ledger itself, may not create a programme
  // (as admin:ops or anyone).
  Api issuance_edge(ledger.address(), DevCaClient(ca_, "service:issuance"));
  auto stub = internal::LedgerService::NewStub(issuance_edge.stubs().channel);
  const std::string stolen = UniqueId("mtls-stolen");
  internal::Reply reply;
  grpc::Status s = Call(stub.get(), &internal::LedgerService::Stub::Execute, "",
                        CreateProgramAsAdmin(stolen), &reply);
  EXPECT_TRUE(IsRefusal(s, StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED")) << Describe(s);
  EXPECT_NE(s.error_message().find("service:issuance"), std::string::npos) << Describe(s);
  s = admin.GetProgram(stolen, nullptr, "");
  EXPECT_TRUE(IsRefusal(s, StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND")) << Describe(s);
  EXPECT_EQ(edge.Stop(), 0) << edge.StderrTail();
  EXPECT_EQ(ledger.Stop(), 0) << ledger.StderrTail();
}

TEST(MtlsStartup, RefusesToStartWithoutTlsOrInsecure) {
  TempDir dir;
  std::string out;
  int rc = RunTool(std::string(HUANXIND_PATH) + " --listen=127.0.0.1:0 --data_dir=" +
                       dir.path() + "/data",
                   &out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("refusing to serve without mTLS"), std::string::npos) << out;
  EXPECT_EQ(out.find("listening on"), std::string::npos) << out;

  out.clear();
  rc = RunTool(std::string(HUANXIND_PATH) + " --listen=127.0.0.1:0 --insecure --tls_cert=x" +
                   " --data_dir=" + dir.path() + "/data",
               &out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("exclude each other"), std::string::npos) << out;
}

}  // namespace
}  // namespace huanxin::itest
