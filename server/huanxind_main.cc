// huanxind: the Huanxin server. Hosts the ledger and the edge services in one process
// (--services=all, the embedded default) over the RocksDB database in --data_dir.
//
// Prints "listening on HOST:PORT" on stdout once it serves (with --listen=127.0.0.1:0 the
// port is the one picked); with --metrics_listen it first prints "metrics at
// http://HOST:PORT/metrics", and with --health_listen "health on HOST:PORT" (a plaintext port
// serving grpc.health.v1.Health alone, for probes that have no client certificate). On
// SIGTERM or SIGINT it reports NOT_SERVING, stops taking calls, finishes the ones in flight,
// stops the ledger writer after its last batch, and exits 0.
//
// Security: mTLS (--tls_cert, --tls_key, --client_ca) with a required, verified client
// certificate whose CN is the caller's principal; plaintext only with --insecure, which says
// so loudly. Without either it refuses to start.
//
// Logs: one JSON object per line on stderr (common/log.h): start, stop, every RPC, faults.
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "absl/synchronization/mutex.h"
#include "common/build_info.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/config.h"
#include "common/pii.h"
#include "rules/fraud_config.h"
#include "common/rate_limiter.h"
#include "common/signed_note.h"
#include "grpc/support/log.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/generic/async_generic_service.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "server/connection_guard.h"
#include "server/data_dir.h"
#include "services/edge/malformed_request.h"
#include "server/health.h"
#include "server/hosting.h"
#include "server/metrics.h"
#include "server/tls.h"

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
ABSL_FLAG(std::string, edge_name, "",
          "this edge's name: it calls the ledger as principal service:NAME (the CN of its "
          "client certificate under mTLS); NAME names the edge services it may relay, "
          "e.g. issuance or admin.audit-1; default: the hosted edges joined by '.'");
ABSL_FLAG(std::string, ledger_tls_cert, "",
          "client certificate (PEM, CN service:EDGE_NAME) an edge presents to the ledger");
ABSL_FLAG(std::string, ledger_tls_key, "", "its private key (PEM)");
ABSL_FLAG(std::string, metrics_listen, "", "HOST:PORT for Prometheus /metrics");
ABSL_FLAG(std::string, health_listen, "",
          "HOST:PORT of a plaintext port serving only grpc.health.v1.Health, mirroring the "
          "main port's statuses (for Kubernetes gRPC probes, which present no client "
          "certificate); port 0 picks one");
ABSL_FLAG(std::string, config, "", "configuration file");
ABSL_FLAG(int32_t, min_free_disk_mb, 64,
          "free space the ledger's file system must have at start; less refuses to start");
ABSL_FLAG(bool, init, false,
          "create the data directory's keys and an empty ledger, then exit (refused when it "
          "already holds a ledger); the first start of an empty directory does the same");
ABSL_FLAG(double, rate_limit_per_principal, 2000,
          "calls per second each principal may make (token bucket); 0: unlimited");
ABSL_FLAG(double, rate_limit_burst, 0,
          "token bucket size per principal; 0: twice --rate_limit_per_principal");
ABSL_FLAG(int32_t, max_receive_message_bytes, 4 << 20, "largest request message accepted");
ABSL_FLAG(int32_t, max_send_message_bytes, 16 << 20, "largest response message sent");
ABSL_FLAG(int32_t, max_streams_per_principal,
          huanxin::edge::AuditOptions::kDefaultMaxStreamsPerPrincipal,
          "AuditService.StreamEntries calls one principal may hold open at once; 0: unlimited");

namespace huanxin {
namespace {

// gRPC core's own log lines, as JSON lines like every other.
void GrpcLog(gpr_log_func_args* args) {
  const char* level = args->severity == GPR_LOG_SEVERITY_ERROR     ? "error"
                      : args->severity == GPR_LOG_SEVERITY_INFO    ? "info"
                                                                   : "debug";
  LogLine("grpc", level)
      .Str("file", args->file != nullptr ? args->file : "")
      .Int("line", args->line)
      .Str("message", args->message != nullptr ? args->message : "");
}

int Fail(const std::string& message) {
  LogLine("fatal", "error").Str("message", message);
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
  gpr_set_log_function(GrpcLog);
  server::GuardConnections();
  absl::StatusOr<std::set<std::string>> services =
      server::ParseServices(absl::GetFlag(FLAGS_services));
  if (!services.ok()) return Fail(std::string(services.status().message()));
  server::TlsFlags tls;
  tls.insecure = absl::GetFlag(FLAGS_insecure);
  tls.tls_cert = absl::GetFlag(FLAGS_tls_cert);
  tls.tls_key = absl::GetFlag(FLAGS_tls_key);
  tls.client_ca = absl::GetFlag(FLAGS_client_ca);
  tls.ledger_tls_cert = absl::GetFlag(FLAGS_ledger_tls_cert);
  tls.ledger_tls_key = absl::GetFlag(FLAGS_ledger_tls_key);
  edge::AuthMode auth_mode = edge::AuthMode::kCertificate;
  auto credentials = server::ListeningCredentials(tls, &auth_mode);
  if (!credentials.ok()) return Fail(std::string(credentials.status().message()));
  // Held until the process exits: a second huanxind on this directory stops here.
  absl::StatusOr<server::DataDir> data_dir = server::DataDir::Lock(absl::GetFlag(FLAGS_data_dir));
  if (!data_dir.ok()) return Fail(std::string(data_dir.status().message()));
  const std::string dir = data_dir->path();
  auto metrics = std::make_shared<server::Metrics>();
  edge::Deps deps;
  // Edges hash identities on arrival: every edge of a deployment loads the same key file.
  if (server::HostsEdges(*services)) {
    std::string pii_path = absl::GetFlag(FLAGS_pii_key_file);
    if (pii_path.empty()) pii_path = dir + "/pii.key";
    absl::StatusOr<PiiKey> pii = PiiKey::LoadOrCreate(pii_path);
    if (!pii.ok()) return Fail(std::string(pii.status().message()));
    deps.pii = std::make_shared<const PiiKey>(*std::move(pii));
  }
  server::LedgerConfig ledger_config;
  ledger_config.services = *services;
  ledger_config.ledger_dir = data_dir->ledger_dir();
  ledger_config.ledger_address = absl::GetFlag(FLAGS_ledger_address);
  ledger_config.service_principal =
      server::EdgePrincipal(absl::GetFlag(FLAGS_edge_name), *services);
  if (!server::HostsLedger(*services)) {
    auto ledger_credentials = server::LedgerCredentials(tls, auth_mode);
    if (!ledger_credentials.ok()) {
      return Fail(std::string(ledger_credentials.status().message()));
    }
    ledger_config.ledger_credentials = *std::move(ledger_credentials);
  }
  std::string verifier_key;
  if (server::HostsLedger(*services)) {  // only the ledger signs checkpoints
    std::string signing_path = absl::GetFlag(FLAGS_signing_key_file);
    if (signing_path.empty()) signing_path = dir + "/signing.key";
    absl::StatusOr<note::Signer> signer =
        note::Signer::LoadOrCreate(signing_path, absl::GetFlag(FLAGS_origin));
    if (!signer.ok()) return Fail(std::string(signer.status().message()));
    verifier_key = signer->VerifierKey();
    ledger_config.local.signer = std::make_shared<const note::Signer>(*std::move(signer));
    ledger_config.local.origin = absl::GetFlag(FLAGS_origin);
    ledger_config.local.writer.observer = metrics;
    Config config;
    if (!absl::GetFlag(FLAGS_config).empty()) {
      absl::StatusOr<Config> read = ReadConfigFile(absl::GetFlag(FLAGS_config));
      if (!read.ok()) return Fail(std::string(read.status().message()));
      config = *std::move(read);
    }
    absl::StatusOr<v1::FraudRules> fraud_rules = fraud::RulesFromConfig(config);
    if (!fraud_rules.ok()) return Fail(std::string(fraud_rules.status().message()));
    ledger_config.local.fraud_rules = *std::move(fraud_rules);
    ledger_config.local.checkpoint_file = data_dir->checkpoint_file();
    if (absl::Status space = data_dir->CheckFreeSpace(
            static_cast<uint64_t>(absl::GetFlag(FLAGS_min_free_disk_mb)) << 20);
        !space.ok()) {
      return Fail(std::string(space.message()));
    }
    absl::StatusOr<bool> may_create = data_dir->MayCreateLedger();
    if (!may_create.ok()) return Fail(std::string(may_create.status().message()));
    if (absl::GetFlag(FLAGS_init) && !*may_create) {
      return Fail(absl::StrCat("--init: ", data_dir->ledger_dir(), " already holds a ledger"));
    }
    ledger_config.local.db.create_if_missing = *may_create;
  }
  absl::StatusOr<ledger::LedgerApiPtr> ledger = server::ConnectLedger(ledger_config);
  if (!ledger.ok()) return Fail(std::string(ledger.status().message()));
  deps.ledger = *std::move(ledger);
  if (absl::GetFlag(FLAGS_init)) {
    LogLine("initialised").Str("data_dir", dir).Str("checkpoint_verifier_key", verifier_key);
    std::cout << "initialised " << dir << std::endl;
    return 0;
  }
  auto hosted = std::make_unique<server::HostedServices>(
      *services, deps, edge::AuditOptions{absl::GetFlag(FLAGS_max_streams_per_principal)});

  RateLimiter::Options limits;
  limits.rate_per_second = absl::GetFlag(FLAGS_rate_limit_per_principal);
  limits.burst = absl::GetFlag(FLAGS_rate_limit_burst) > 0
                     ? absl::GetFlag(FLAGS_rate_limit_burst)
                     : 2 * limits.rate_per_second;
  edge::InstallCallPolicy(edge::CallPolicy{auth_mode, std::make_shared<RateLimiter>(limits),
                                           std::make_shared<server::CallLog>(metrics)});

  std::unique_ptr<server::MetricsServer> metrics_server;
  if (const std::string listen = absl::GetFlag(FLAGS_metrics_listen); !listen.empty()) {
    ledger::LedgerApi* ledger_ptr = deps.ledger.get();
    auto started = server::MetricsServer::Start(
        listen, [metrics, ledger_ptr] { return metrics->Render(ledger_ptr); });
    if (!started.ok()) return Fail(std::string(started.status().message()));
    metrics_server = *std::move(started);
    std::cout << "metrics at http://" << metrics_server->host() << ":" << metrics_server->port()
              << "/metrics" << std::endl;
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  if (auth_mode == edge::AuthMode::kMetadata) {
    LogLine("insecure", "warning")
        .Str("message",
             "WARNING: --insecure: plaintext gRPC, principals taken from x-huanxin-principal "
             "metadata without proof. Never use in production.");
  }
  builder.AddListeningPort(absl::GetFlag(FLAGS_listen), *credentials, &port);
  // gRPC sets SO_REUSEPORT by default: a second server on this port would then start and the
  // kernel would split the calls between two ledgers. With it off the bind fails instead.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.SetMaxReceiveMessageSize(absl::GetFlag(FLAGS_max_receive_message_bytes));
  {
    std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> i;
    i.push_back(edge::MalformedRequestInterceptorFactory());
    builder.experimental().SetInterceptorCreators(std::move(i));
  }
  builder.SetMaxSendMessageSize(absl::GetFlag(FLAGS_max_send_message_bytes));
  hosted->RegisterWith(&builder);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", absl::GetFlag(FLAGS_listen),
                             ": the address is in use (another huanxind?) or not local"));
  }
  const std::string host = absl::GetFlag(FLAGS_listen).substr(
      0, absl::GetFlag(FLAGS_listen).rfind(':'));
  // The probe port: plaintext whatever the main port speaks, no services registered, so only
  // the default health service answers. Every other method reaches the generic service,
  // whose stock reactor answers UNIMPLEMENTED; it is also what lets a server with no service
  // of its own start (gRPC wants some method before Start adds the health service).
  grpc::CallbackGenericService unimplemented;
  std::unique_ptr<grpc::Server> health_server;
  std::string health_address;
  if (const std::string listen = absl::GetFlag(FLAGS_health_listen); !listen.empty()) {
    grpc::ServerBuilder health_builder;
    int health_port = 0;
    health_builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &health_port);
    health_builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    health_builder.SetOption(std::make_unique<server::WithoutPlugins>());
    health_builder.RegisterCallbackGenericService(&unimplemented);
    health_server = health_builder.BuildAndStart();
    if (health_server == nullptr || health_port == 0 ||
        health_server->GetHealthCheckService() == nullptr) {
      server->Shutdown(std::chrono::system_clock::now());
      return Fail(absl::StrCat("cannot listen on --health_listen ", listen));
    }
    health_address = absl::StrCat(listen.substr(0, listen.rfind(':')), ":", health_port);
  }
  auto health = std::make_unique<server::HealthReporter>(
      std::vector<grpc::HealthCheckServiceInterface*>{
          server->GetHealthCheckService(),
          health_server == nullptr ? nullptr : health_server->GetHealthCheckService()},
      deps.ledger, hosted->names());
  LogLine("start")
      .Str("listen", absl::StrCat(host, ":", port))
      .Str("auth", auth_mode == edge::AuthMode::kCertificate ? "mtls" : "insecure")
      .Str("data_dir", dir)
      .Str("origin", absl::GetFlag(FLAGS_origin))
      .Str("checkpoint_verifier_key", verifier_key)
      .Str("metrics", metrics_server == nullptr
                          ? ""
                          : absl::StrCat(metrics_server->host(), ":", metrics_server->port()))
      .Str("health", health_address);
  if (health_server != nullptr) std::cout << "health on " << health_address << std::endl;
  std::cout << "listening on " << host << ":" << port << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  LogLine("stopping").Int("signal", sig).Str("message", "finishing in-flight calls");
  health->ShutDown();  // NOT_SERVING first, on both ports, so balancers drain this instance
  // gRPC waits out the whole grace period while any client holds an idle connection, so it
  // is short: unary calls here take milliseconds. A call still running after it is
  // cancelled; a write the ledger already took is kept, and a retry with the same
  // request_id gets its answer.
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  // The probe port stayed up through the grace period, answering NOT_SERVING.
  if (health_server != nullptr) {
    health_server->Shutdown(std::chrono::system_clock::now());  // cancels Watch streams
    health_server->Wait();
  }
  metrics_server.reset();
  health.reset();
  hosted.reset();       // the services hold the ledger too
  deps.ledger.reset();  // the writer answers what it has, then the database closes
  LogLine("stop").Int("signal", sig);
  // Everything durable is closed. Skip gRPC's global teardown, which lingers for seconds
  // while a client still holds an idle connection.
  std::fflush(nullptr);
  _exit(0);
}

}  // namespace
}  // namespace huanxin

int main(int argc, char** argv) {
  huanxin::SetUpFlagsUsage(
      "huanxind", "[--insecure | --tls_cert=PEM --tls_key=PEM --client_ca=PEM] [flags]",
      "the Huanxin trade-in subsidy server: the ledger and the edge services");
  absl::ParseCommandLine(argc, argv);
  // Debian's Abseil is built with its debug-mode deadlock detector on: every absl::Mutex
  // that gRPC creates and destroys per call pays for lock-graph bookkeeping (~2% of the
  // server's CPU under load). A detector for development, not for production.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return huanxin::Run();
}
