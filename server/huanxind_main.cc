// huanxind: the Huanxin server. Hosts the ledger and the edge services in one process
// (--services=all, the embedded default) over the RocksDB database in --data_dir.
//
// Prints "listening on HOST:PORT" on stdout once it serves (with --listen=127.0.0.1:0 the
// port is the one picked). On SIGTERM or SIGINT it stops taking calls, finishes the ones in
// flight, stops the ledger writer after its last batch, and exits 0.
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "common/clock.h"
#include "common/pii.h"
#include "common/signed_note.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "ledger/local_ledger.h"
#include "services/admin/admin_service.h"
#include "services/audit/audit_service.h"
#include "services/issuance/issuance_service.h"
#include "services/recycling/recycling_service.h"
#include "services/redemption/redemption_service.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:50051", "HOST:PORT to serve gRPC on; port 0 picks one");
ABSL_FLAG(std::string, data_dir, "./var", "directory of the RocksDB ledger and the key files");
ABSL_FLAG(std::string, services, "all",
          "services to host: all, or a comma list of ledger,issuance,redemption,recycling,audit,admin");
ABSL_FLAG(std::string, ledger_address, "", "HOST:PORT of the ledger when it runs apart");
ABSL_FLAG(bool, insecure, false,
          "plaintext gRPC with the principal taken from x-huanxin-principal: development only");
ABSL_FLAG(std::string, tls_cert, "", "server certificate (PEM) for mTLS");
ABSL_FLAG(std::string, tls_key, "", "server private key (PEM) for mTLS");
ABSL_FLAG(std::string, client_ca, "", "CA (PEM) that signs client certificates");
ABSL_FLAG(std::string, pii_key_file, "", "HMAC key for identities; default DATA_DIR/pii.key");
ABSL_FLAG(std::string, signing_key_file, "",
          "Ed25519 checkpoint key; default DATA_DIR/signing.key");
ABSL_FLAG(std::string, origin, "huanxin.local/ledger",
          "checkpoint origin and key name of this deployment, e.g. huanxin.binzhou/ledger");
ABSL_FLAG(std::string, metrics_listen, "", "HOST:PORT for Prometheus /metrics");
ABSL_FLAG(std::string, config, "", "configuration file");

namespace huanxin {
namespace {

int Fail(const std::string& message) {
  std::cerr << "huanxind: " << message << std::endl;
  return 2;
}

// Blocks SIGTERM and SIGINT in every thread, so that WaitForStopSignal receives them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int Run() {
  const sigset_t stop_signals = BlockStopSignals();
  if (absl::GetFlag(FLAGS_services) != "all" || !absl::GetFlag(FLAGS_ledger_address).empty()) {
    return Fail("only --services=all is implemented; split deployment comes later");
  }
  if (!absl::GetFlag(FLAGS_insecure)) {
    return Fail("mTLS (--tls_cert, --tls_key, --client_ca) is not implemented yet: "
                "run with --insecure on a trusted host for development");
  }
  const std::string dir = absl::GetFlag(FLAGS_data_dir);
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return Fail(absl::StrCat("cannot create --data_dir ", dir, ": ", strerror(errno)));
  }
  std::string pii_path = absl::GetFlag(FLAGS_pii_key_file);
  if (pii_path.empty()) pii_path = dir + "/pii.key";
  absl::StatusOr<PiiKey> pii = PiiKey::LoadOrCreate(pii_path);
  if (!pii.ok()) return Fail(std::string(pii.status().message()));

  std::string signing_path = absl::GetFlag(FLAGS_signing_key_file);
  if (signing_path.empty()) signing_path = dir + "/signing.key";
  absl::StatusOr<note::Signer> signer =
      note::Signer::LoadOrCreate(signing_path, absl::GetFlag(FLAGS_origin));
  if (!signer.ok()) return Fail(std::string(signer.status().message()));
  std::cerr << "huanxind: checkpoint verifier key: " << signer->VerifierKey() << std::endl;

  ledger::LocalLedger::Options options;
  options.signer = std::make_shared<const note::Signer>(*std::move(signer));
  options.origin = absl::GetFlag(FLAGS_origin);
  auto ledger = ledger::LocalLedger::Open(dir + "/ledger", std::make_shared<RealClock>(),
                                          std::move(options));
  if (!ledger.ok()) return Fail(std::string(ledger.status().message()));
  edge::Deps deps{std::shared_ptr<ledger::LedgerApi>(std::move(*ledger)),
                  std::make_shared<const PiiKey>(*std::move(pii))};

  edge::AdminService admin(deps);
  edge::IssuanceService issuance(deps);
  edge::RedemptionService redemption(deps);
  edge::AuditService audit(deps);
  edge::RecyclingService recycling(deps);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  std::cerr << "huanxind: WARNING: --insecure: plaintext gRPC, principals taken from "
               "x-huanxin-principal metadata without proof. Never use in production."
            << std::endl;
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), grpc::InsecureServerCredentials(), &port);
  builder.SetMaxReceiveMessageSize(4 << 20);
  builder.RegisterService(&admin);
  builder.RegisterService(&issuance);
  builder.RegisterService(&redemption);
  builder.RegisterService(&audit);
  builder.RegisterService(&recycling);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", absl::GetFlag(FLAGS_listen)));
  }
  const std::string host = absl::GetFlag(FLAGS_listen).substr(
      0, absl::GetFlag(FLAGS_listen).rfind(':'));
  std::cout << "listening on " << host << ":" << port << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  std::cerr << "huanxind: signal " << sig << ", finishing in-flight calls" << std::endl;
  // gRPC waits out the whole grace period while any client holds an idle connection, so it
  // is short: unary calls here take milliseconds. A call still running after it is
  // cancelled; a write the ledger already took is kept, and a retry with the same
  // request_id gets its answer.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  deps.ledger.reset();  // the writer answers what it has, then the database closes
  std::cerr << "huanxind: stopped" << std::endl;
  // Everything durable is closed. Skip gRPC's global teardown, which lingers for seconds
  // while a client still holds an idle connection.
  std::fflush(nullptr);
  _exit(0);
}

}  // namespace
}  // namespace huanxin

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Huanxin trade-in subsidy server");
  absl::ParseCommandLine(argc, argv);
  return huanxin::Run();
}
