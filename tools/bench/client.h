// Client: the channels and stubs a run uses, the principals it acts as, and the one-off
// synchronous calls around the timed phase (setup of a programme and merchant, the ledger
// size). The timed calls themselves are in workload.h.
#ifndef HUANXIN_TOOLS_BENCH_CLIENT_H_
#define HUANXIN_TOOLS_BENCH_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "huanxin/v1/issuance.grpc.pb.h"
#include "huanxin/v1/redemption.grpc.pb.h"
#include "tools/bench/options.h"

namespace huanxin::bench {

// Principals (insecure mode: sent as x-huanxin-principal).
inline constexpr char kAdmin[] = "admin:bench";
inline constexpr char kApp[] = "app:bench";
inline constexpr char kAuditor[] = "auditor:bench";
inline std::string Retailer(const std::string& merchant_id) { return "retailer:" + merchant_id; }

// The stubs of one channel.
struct Stubs {
  explicit Stubs(std::shared_ptr<grpc::Channel> c);
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::health::v1::Health::Stub> health;
  std::unique_ptr<v1::AdminService::Stub> admin;
  std::unique_ptr<v1::IssuanceService::Stub> issuance;
  std::unique_ptr<v1::RedemptionService::Stub> redemption;
  std::unique_ptr<v1::AuditService::Stub> audit;
};

// `channels` separate connections to the target (a local subchannel pool each, so they do
// not share one HTTP/2 connection). Thread-safe.
class Client {
 public:
  // Fails when TLS files cannot be read.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const Options& options);

  // The next channel's stubs, round-robin.
  Stubs& Next();
  // Waits until every channel is connected (or `deadline` passes).
  absl::Status WaitConnected(absl::Duration timeout);
  // Fills `ctx` with the call deadline and, in insecure mode, the principal header.
  void Prepare(grpc::ClientContext* ctx, const std::string& principal) const;

 private:
  explicit Client(const Options& options) : options_(options) {}
  const Options options_;
  std::vector<std::unique_ptr<Stubs>> stubs_;
  std::atomic<uint64_t> next_{0};
};

// "CODE REASON: message" of a failed call (the reason from its google.rpc.ErrorInfo).
std::string DescribeStatus(const grpc::Status& status);
// "CODE REASON", the key errors are counted by.
std::string ErrorKey(const grpc::Status& status);

// The programme and merchants a run works on.
struct Fixture {
  std::string program_id;
  std::vector<std::string> merchant_ids;  // at least one
};

// Creates an APPLIANCE programme (refrigerator: grade-1 20%, cap ¥2,000, one per consumer;
// started an hour ago, 30 days long, vouchers live 3 days), funds it with ¥100bn (50 million
// vouchers' holds), and registers `merchants` merchants whitelisted for it. Ids carry the run
// tag. REQUIRES: merchants >= 1.
absl::StatusOr<Fixture> SetUpFixture(Client& client, int merchants);

// The number of committed ledger entries (AuditService.GetCheckpoint tree_size).
absl::StatusOr<int64_t> LedgerSize(Client& client);

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_CLIENT_H_
