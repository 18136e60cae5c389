#include "tools/bench/workload.h"

#include <random>

#include "tools/bench/ids.h"

namespace huanxin::bench {
namespace {

constexpr int64_t kPriceFen = 899900;  // ¥8,999: a grade-1 fridge, subsidy ¥1,799.80
constexpr int kTerminals = 4096;       // spreads the per-terminal velocity check
constexpr int kSkus = 64;

// One call's context and messages, alive until its callback ends.
template <typename Req, typename Resp>
struct Call {
  grpc::ClientContext ctx;
  Req req;
  Resp resp;
};

uint32_t Roll100() {
  thread_local std::minstd_rand rng(std::random_device{}());
  return rng() % 100;
}

v1::Purchase MakePurchase(uint64_t n) {
  v1::Purchase p;
  p.set_sku("sku-fridge-" + std::to_string(n % kSkus));
  p.set_category("refrigerator");
  p.set_energy_grade(1);
  p.set_price_fen(kPriceFen);
  p.set_invoice_number(UniqueToken("inv"));
  p.set_serial_number(UniqueToken("sn"));
  p.set_brand("Haier");
  p.set_model("BCD-470");
  return p;
}

}  // namespace

const char* OpName(Op op) {
  switch (op) {
    case Op::kHealth: return "health";
    case Op::kIssue: return "issue";
    case Op::kRedeem: return "redeem";
    case Op::kQuote: return "quote";
    case Op::kAudit: return "audit";
  }
  return "?";
}

void VoucherPool::Push(PooledVoucher v) {
  absl::MutexLock l(&mu_);
  vouchers_.push_back(std::move(v));
}

std::optional<PooledVoucher> VoucherPool::Pop() {
  absl::MutexLock l(&mu_);
  if (vouchers_.empty()) return std::nullopt;
  PooledVoucher v = std::move(vouchers_.front());
  vouchers_.pop_front();
  return v;
}

size_t VoucherPool::size() const {
  absl::MutexLock l(&mu_);
  return vouchers_.size();
}

Workload::Workload(Client* client, Fixture fixture, Mode mode, std::shared_ptr<VoucherPool> pool,
                   bool keep_vouchers)
    : client_(client),
      fixture_(std::move(fixture)),
      mode_(mode),
      pool_(std::move(pool)),
      keep_vouchers_(keep_vouchers) {}

bool Workload::Start(Done done) {
  switch (mode_) {
    case Mode::kHealth: return StartOp(Op::kHealth, std::move(done));
    case Mode::kIssue: return StartOp(Op::kIssue, std::move(done));
    case Mode::kRedeem: return StartOp(Op::kRedeem, std::move(done));
    case Mode::kMixed: break;
  }
  const uint32_t roll = Roll100();
  const Op op = roll < 40 ? Op::kIssue : roll < 80 ? Op::kRedeem : roll < 90 ? Op::kQuote
                                                                           : Op::kAudit;
  return StartOp(op, std::move(done));
}

bool Workload::StartOp(Op op, Done done) {
  switch (op) {
    case Op::kHealth:
      Health(std::move(done));
      return true;
    case Op::kIssue:
      Issue(std::move(done));
      return true;
    case Op::kAudit:
      Audit(std::move(done));
      return true;
    case Op::kRedeem:
    case Op::kQuote:
      break;
  }
  std::optional<PooledVoucher> v = pool_->Pop();
  if (!v.has_value()) {
    if (mode_ != Mode::kMixed) return false;
    Issue(std::move(done));
    return true;
  }
  if (op == Op::kRedeem) {
    Redeem(*std::move(v), std::move(done));
  } else {
    Quote(*std::move(v), std::move(done));
  }
  return true;
}

void Workload::Health(Done done) {
  auto* c = new Call<grpc::health::v1::HealthCheckRequest, grpc::health::v1::HealthCheckResponse>;
  client_->Prepare(&c->ctx, "");
  client_->Next().health->async()->Check(&c->ctx, &c->req, &c->resp,
                                         [c, done = std::move(done)](grpc::Status s) {
    if (s.ok() && c->resp.status() != grpc::health::v1::HealthCheckResponse::SERVING) {
      s = grpc::Status(grpc::StatusCode::UNAVAILABLE, "health: not SERVING");
    }
    done(Op::kHealth, s);
    delete c;
  });
}

void Workload::Issue(Done done) {
  auto* c = new Call<v1::IssueVoucherRequest, v1::Voucher>;
  client_->Prepare(&c->ctx, kApp);
  c->req.set_request_id(UniqueToken("iss"));
  c->req.set_program_id(fixture_.program_id);
  c->req.set_category("refrigerator");
  c->req.mutable_consumer()->set_id_number(MintIdNumber());
  client_->Next().issuance->async()->IssueVoucher(
      &c->ctx, &c->req, &c->resp, [this, c, done = std::move(done)](grpc::Status s) {
        if (s.ok() && keep_vouchers_) {
          pool_->Push({c->resp.voucher_id(), c->req.consumer().id_number()});
        }
        done(Op::kIssue, s);
        delete c;
      });
}

const std::string& Workload::MerchantFor(uint64_t n) const {
  return fixture_.merchant_ids[n % fixture_.merchant_ids.size()];
}

void Workload::Redeem(PooledVoucher v, Done done) {
  const uint64_t n = n_++;
  const std::string& merchant = MerchantFor(n);
  auto* c = new Call<v1::RedeemRequest, v1::Redemption>;
  client_->Prepare(&c->ctx, Retailer(merchant));
  c->req.set_request_id(UniqueToken("rdm"));
  c->req.set_voucher_id(v.voucher_id);
  c->req.set_merchant_id(merchant);
  c->req.set_terminal_id("t-" + std::to_string(n % kTerminals));
  c->req.mutable_payer()->set_id_number(v.id_number);
  *c->req.mutable_purchase() = MakePurchase(n);
  client_->Next().redemption->async()->Redeem(&c->ctx, &c->req, &c->resp,
                                              [c, done = std::move(done)](grpc::Status s) {
    done(Op::kRedeem, s);
    delete c;
  });
}

void Workload::Quote(PooledVoucher v, Done done) {
  const uint64_t n = n_++;
  auto* c = new Call<v1::QuoteSubsidyRequest, v1::QuoteSubsidyResponse>;
  client_->Prepare(&c->ctx, Retailer(MerchantFor(n)));
  c->req.set_voucher_id(v.voucher_id);
  *c->req.mutable_purchase() = MakePurchase(n);
  client_->Next().redemption->async()->QuoteSubsidy(
      &c->ctx, &c->req, &c->resp,
      [this, c, v = std::move(v), done = std::move(done)](grpc::Status s) mutable {
        pool_->Push(std::move(v));  // a quote does not use the voucher up
        done(Op::kQuote, s);
        delete c;
      });
}

void Workload::Audit(Done done) {
  if (n_++ % 2 == 0) {
    auto* c = new Call<v1::GetProgramStatsRequest, v1::ProgramStats>;
    client_->Prepare(&c->ctx, kAuditor);
    c->req.set_program_id(fixture_.program_id);
    client_->Next().audit->async()->GetProgramStats(&c->ctx, &c->req, &c->resp,
                                                    [c, done = std::move(done)](grpc::Status s) {
      done(Op::kAudit, s);
      delete c;
    });
    return;
  }
  auto* c = new Call<v1::ListEntriesRequest, v1::ListEntriesResponse>;
  client_->Prepare(&c->ctx, kAuditor);
  c->req.mutable_filter()->set_program_id(fixture_.program_id);
  c->req.set_page_size(100);
  client_->Next().audit->async()->ListEntries(&c->ctx, &c->req, &c->resp,
                                              [c, done = std::move(done)](grpc::Status s) {
    done(Op::kAudit, s);
    delete c;
  });
}

}  // namespace huanxin::bench
