// Health checking for huanxind: the gRPC health status of every hosted service, kept alike
// on the main server and the --health_listen one, and the builder option that keeps the
// health-only server free of every other service.
#ifndef HUANXIN_SERVER_HEALTH_H_
#define HUANXIN_SERVER_HEALTH_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/impl/server_builder_option.h"
#include "grpcpp/impl/server_builder_plugin.h"
#include "ledger/ledger_api.h"

namespace huanxin::server {

// The gRPC health status, set alike on every server given (the main one and the
// --health_listen one): SERVING while the ledger takes writes, NOT_SERVING after a storage
// fault or once a listener stopped accepting (server/connection_guard.h; both polled every
// 500 ms), and from shutdown on.
class HealthReporter {
 public:
  // Null entries are skipped.
  HealthReporter(std::vector<grpc::HealthCheckServiceInterface*> health,
                 ledger::LedgerApiPtr ledger, std::vector<std::string> services);
  // Reports NOT_SERVING for good and stops polling.
  void ShutDown();
  ~HealthReporter() { ShutDown(); }

 private:
  void Set(bool serving);
  void Loop();

  const std::vector<grpc::HealthCheckServiceInterface*> health_;
  const ledger::LedgerApiPtr ledger_;
  const std::vector<std::string> services_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Drops the builder plugins, among them server reflection, which its library registers for
// every ServerBuilder at static initialization: the --health_listen server then serves the
// default health service alone.
class WithoutPlugins : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments*) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>* plugins) override {
    plugins->clear();
  }
};

}  // namespace huanxin::server

#endif  // HUANXIN_SERVER_HEALTH_H_
