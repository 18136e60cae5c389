// Workload: the calls of each mode, started on the gRPC callback API so that a few threads
// keep many calls in flight. A call's owner (the driver) learns of its end through `Done`,
// which runs on a gRPC thread: it must be quick and must not block.
//
// Mixes: health, issue and redeem make only that call; mixed makes 40% issue, 40% redeem,
// 10% quote, 10% audit reads (GetProgramStats and a ListEntries page of the programme, in
// turn). Redeem and quote take a voucher from the shared VoucherPool: redeem consumes it,
// quote puts it back; a mixed run issues instead when the pool is empty.
#ifndef HUANXIN_TOOLS_BENCH_WORKLOAD_H_
#define HUANXIN_TOOLS_BENCH_WORKLOAD_H_

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "tools/bench/client.h"
#include "tools/bench/options.h"

namespace huanxin::bench {

enum class Op { kHealth = 0, kIssue, kRedeem, kQuote, kAudit };
inline constexpr int kOpCount = 5;
const char* OpName(Op op);

// An issued voucher and its claimant's ID number (the payer who may redeem it).
struct PooledVoucher {
  std::string voucher_id;
  std::string id_number;
};

// Vouchers ready to redeem, oldest first. Thread-safe.
class VoucherPool {
 public:
  void Push(PooledVoucher v);
  std::optional<PooledVoucher> Pop();
  size_t size() const;

 private:
  mutable absl::Mutex mu_;
  std::deque<PooledVoucher> vouchers_ ABSL_GUARDED_BY(mu_);
};

class Workload {
 public:
  // The call ended: the op it made and its status.
  using Done = std::function<void(Op op, const grpc::Status& status)>;

  // `keep_vouchers`: issued vouchers go into `pool` (redeem preparation and mixed).
  // REQUIRES: `client` outlives the Workload and every call it started.
  Workload(Client* client, Fixture fixture, Mode mode, std::shared_ptr<VoucherPool> pool,
           bool keep_vouchers);

  // Starts the mix's next call. False, with nothing started and `done` dropped, when the call
  // cannot be made: a redeem (mode redeem) with the pool empty.
  bool Start(Done done);

 private:
  bool StartOp(Op op, Done done);
  void Health(Done done);
  void Issue(Done done);
  void Redeem(PooledVoucher v, Done done);
  void Quote(PooledVoucher v, Done done);
  void Audit(Done done);
  // The merchant of the n-th redemption or quote: round-robin over the fixture's.
  const std::string& MerchantFor(uint64_t n) const;

  Client* const client_;
  const Fixture fixture_;
  const Mode mode_;
  const std::shared_ptr<VoucherPool> pool_;
  const bool keep_vouchers_;
  std::atomic<uint64_t> n_{0};
};

}  // namespace huanxin::bench

#endif  // HUANXIN_TOOLS_BENCH_WORKLOAD_H_
