// request_id idempotency (docs/api.md "Idempotency"): replays return the first response with one
// effect, reuse with a different request is refused, keys are scoped to the principal,
// recorded denials replay, malformed keys are rejected, and concurrent duplicates collapse.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr int64_t kFund = 100000000;

class IdempotencyTest : public SharedServerTest<IdempotencyTest> {
 protected:
  void MakeAppliance(std::string* pid, std::string* mid) {
    *pid = UniqueId("idem");
    *mid = UniqueId("m");
    ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(*pid), kFund, *mid));
  }
};

TEST_F(IdempotencyTest, IssueReplayReturnsSameVoucherOnce) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  const std::string rid = NextRequestId();
  v1::Voucher first, second;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &first, rid));
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &second, rid));
  EXPECT_EQ(first.voucher_id(), second.voucher_id());
  EXPECT_EQ(first.held_fen(), second.held_fen());
  EXPECT_EQ(first.ledger_seq(), second.ledger_seq());
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 1);
  EXPECT_EQ(stats.held_fen(), 200000);
}

TEST_F(IdempotencyTest, RedeemReplayReturnsSameRedemptionOnce) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  v1::RedeemRequest req = MakeRedeem(v.voucher_id(), mid, id,
                                     MakePurchase("refrigerator", 899900, 1));
  v1::Redemption first, second;
  HX_ASSERT_OK(api().Redeem(req, &first));
  HX_ASSERT_OK(api().Redeem(req, &second));
  EXPECT_EQ(first.redemption_id(), second.redemption_id());
  EXPECT_EQ(second.subsidy_fen(), 179980);
  EXPECT_EQ(second.state(), v1::Redemption::COMPLETED);
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_redeemed(), 1);
  EXPECT_EQ(stats.payable_fen(), 179980);
  EXPECT_EQ(stats.held_fen(), 0);
}

TEST_F(IdempotencyTest, FundReplayFundsOnce) {
  const std::string pid = UniqueId("idem-fund");
  HX_ASSERT_OK(api().CreateProgram(ApplianceProgram(pid)));
  const std::string rid = NextRequestId();
  v1::ProgramStats first, second, now;
  HX_ASSERT_OK(api().FundProgram(pid, 5000000, &first, rid));
  HX_ASSERT_OK(api().FundProgram(pid, 5000000, &second, rid));
  EXPECT_EQ(first.funded_fen(), 5000000);
  EXPECT_EQ(second.funded_fen(), 5000000);
  HX_ASSERT_OK(api().Stats(pid, &now));
  EXPECT_EQ(now.funded_fen(), 5000000);
  EXPECT_EQ(now.available_fen(), 5000000);
}

TEST_F(IdempotencyTest, CreateProgramReplayIsNotProgramExists) {
  const std::string pid = UniqueId("idem-create");
  const std::string rid = NextRequestId();
  const v1::Program program = ApplianceProgram(pid);  // built once: the same bytes twice
  v1::Program first, second;
  HX_ASSERT_OK(api().CreateProgram(program, &first, rid));
  HX_ASSERT_OK(api().CreateProgram(program, &second, rid))
      << "replaying CreateProgram with the same key must not be PROGRAM_EXISTS";
  EXPECT_EQ(first.program_id(), second.program_id());
  EXPECT_EQ(first.ledger_seq(), second.ledger_seq());
}

TEST_F(IdempotencyTest, SameKeyDifferentRequestIsRefused) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  const std::string rid = NextRequestId();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v, rid));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "television", id, nullptr, rid),
                        StatusCode::ALREADY_EXISTS, "IDEMPOTENCY_KEY_REUSED"));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", MintIdNumber(), nullptr, rid),
                        StatusCode::ALREADY_EXISTS, "IDEMPOTENCY_KEY_REUSED"));
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 1);

  // The same across services: a redemption reusing its key for another voucher.
  v1::Voucher other;
  const std::string id2 = MintIdNumber();
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id2, &other));
  v1::RedeemRequest req = MakeRedeem(v.voucher_id(), mid, id,
                                     MakePurchase("refrigerator", 500000, 1));
  HX_ASSERT_OK(api().Redeem(req));
  v1::RedeemRequest changed = MakeRedeem(other.voucher_id(), mid, id2,
                                         MakePurchase("refrigerator", 500000, 1));
  changed.set_request_id(req.request_id());
  EXPECT_TRUE(IsRefusal(api().Redeem(changed), StatusCode::ALREADY_EXISTS,
                        "IDEMPOTENCY_KEY_REUSED"));
  EXPECT_TRUE(api().VoucherIs(other.voucher_id(), v1::Voucher::ISSUED));
}

TEST_F(IdempotencyTest, KeysAreScopedToThePrincipal) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string rid = NextRequestId();
  // Two claim-app backends use the same request_id for different consumers: two keys.
  v1::Voucher a, b;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", MintIdNumber(), &a, rid, "app:luhuanxin"));
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", MintIdNumber(), &b, rid, "app:yunshanfu"));
  EXPECT_NE(a.voucher_id(), b.voucher_id());
  // ... and for the identical request: still two keys, two vouchers (air conditioners allow 3).
  const std::string rid2 = NextRequestId();
  const std::string id = MintIdNumber();
  v1::Voucher c, d;
  HX_ASSERT_OK(api().Issue(pid, "air_conditioner", id, &c, rid2, "app:luhuanxin"));
  HX_ASSERT_OK(api().Issue(pid, "air_conditioner", id, &d, rid2, "app:yunshanfu"));
  EXPECT_NE(c.voucher_id(), d.voucher_id());
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 4);
}

TEST_F(IdempotencyTest, DeniedRedemptionReplaysTheSameError) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  v1::RedeemRequest denied = MakeRedeem(v.voucher_id(), mid, id,
                                        MakePurchase("refrigerator", 500000, 3));
  grpc::Status first = api().Redeem(denied);
  ASSERT_TRUE(IsRefusal(first, StatusCode::FAILED_PRECONDITION, "ENERGY_GRADE_INELIGIBLE"));
  grpc::Status second = api().Redeem(denied);
  EXPECT_TRUE(IsRefusal(second, StatusCode::FAILED_PRECONDITION, "ENERGY_GRADE_INELIGIBLE"));
  EXPECT_EQ(second.error_message(), first.error_message());

  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.redemptions_denied(), 1) << "one denial recorded, not two";

  // The voucher is then redeemed properly; the denied key still replays its denial, not
  // VOUCHER_ALREADY_REDEEMED and not a success.
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", 500000, 1))));
  grpc::Status third = api().Redeem(denied);
  EXPECT_TRUE(IsRefusal(third, StatusCode::FAILED_PRECONDITION, "ENERGY_GRADE_INELIGIBLE"));
  EXPECT_EQ(third.error_message(), first.error_message());
}

TEST_F(IdempotencyTest, MalformedRequestIdIsInvalidArgument) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  for (const std::string& bad : {std::string("bad key!"), std::string(""),
                                 std::string(65, 'k'), std::string("键")}) {
    SCOPED_TRACE("request_id=\"" + bad + "\"");
    v1::IssueVoucherRequest req;
    req.set_request_id(bad);
    req.set_program_id(pid);
    req.set_category("refrigerator");
    *req.mutable_consumer() = Consumer(id);
    v1::Voucher out;
    grpc::Status s =
        Call(api().stubs().issuance.get(), &v1::IssuanceService::Stub::IssueVoucher, kApp, req,
             &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(s);
    EXPECT_TRUE(HasFieldViolation(s, "request_id"));
    EXPECT_EQ(DomainOf(s), "huanxin.v1") << Describe(s);
    EXPECT_FALSE(ReasonOf(s).empty()) << Describe(s);
    EXPECT_EQ(s.error_message().rfind(ReasonOf(s), 0), 0u) << Describe(s);
  }
  // 64 characters of the allowed set are fine.
  std::string max_key = "A-z.0:9_" + std::string(56, 'k');
  ASSERT_EQ(max_key.size(), 64u);
  HX_EXPECT_OK(api().Issue(pid, "refrigerator", id, nullptr, max_key));
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 1);

  // Also on another service.
  v1::FundProgramRequest fund;
  fund.set_request_id("bad key!");
  fund.set_program_id(pid);
  fund.set_amount_fen(100);
  v1::ProgramStats ignored;
  grpc::Status s = Call(api().stubs().admin.get(), &v1::AdminService::Stub::FundProgram, kAdmin,
                        fund, &ignored);
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(s);
  EXPECT_TRUE(HasFieldViolation(s, "request_id"));
}

TEST_F(IdempotencyTest, ConcurrentDuplicatesGetOneVoucher) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  const std::string rid = NextRequestId();
  constexpr int kThreads = 16;
  std::vector<v1::Voucher> out(kThreads);
  std::vector<grpc::Status> status(kThreads);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      // Each thread its own channel, so the calls really race on the server.
      Api own(server().address());
      ready++;
      while (ready.load() < kThreads) std::this_thread::yield();
      status[i] = own.Issue(pid, "refrigerator", id, &out[i], rid);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    HX_EXPECT_OK(status[i]) << "thread " << i;
    EXPECT_EQ(out[i].voucher_id(), out[0].voucher_id()) << "thread " << i;
  }
  EXPECT_FALSE(out[0].voucher_id().empty());
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 1);
  EXPECT_EQ(stats.held_fen(), 200000);
}

}  // namespace
}  // namespace huanxin::itest
