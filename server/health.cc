#include "server/health.h"

#include "absl/time/time.h"
#include "common/log.h"
#include "server/connection_guard.h"

namespace huanxin::server {

HealthReporter::HealthReporter(std::vector<grpc::HealthCheckServiceInterface*> health,
                               ledger::LedgerApiPtr ledger, std::vector<std::string> services)
    : health_(std::move(health)), ledger_(std::move(ledger)), services_(std::move(services)) {
  Set(true);
  thread_ = std::thread([this] { Loop(); });
}

void HealthReporter::ShutDown() {
  {
    absl::MutexLock l(&mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  thread_.join();
  Set(false);
}

void HealthReporter::Set(bool serving) {
  for (grpc::HealthCheckServiceInterface* health : health_) {
    if (health == nullptr) continue;
    health->SetServingStatus("", serving);
    for (const std::string& s : services_) health->SetServingStatus(s, serving);
  }
}

void HealthReporter::Loop() {
  bool serving = true;
  for (;;) {
    {
      absl::MutexLock l(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), absl::Milliseconds(500))) return;
    }
    absl::Status health = ledger_->Health();
    if (health.ok()) health = ListenerHealth();
    if (health.ok() != serving) {
      serving = health.ok();
      LogLine("health", serving ? "info" : "error")
          .Str("status", serving ? "SERVING" : "NOT_SERVING")
          .Str("message", health.message());
      Set(serving);
    }
  }
}

}  // namespace huanxin::server
