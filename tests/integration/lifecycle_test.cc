// The budget lifecycle against a real huanxind: expiry (the in-server sweeper),
// cancellation, daily quotas, the per-consumer total cap, pause/resume/close, programme
// windows, funding tranches, returns under both refund policies, and merchant settlement with
// clawbacks. After every step that moves money the books must balance:
//   funded == available + held + payable + settled.
// One server per suite; every test uses its own programmes and merchants.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr int64_t kFund = 100000000;   // ¥1,000,000
constexpr int64_t kFridgeHold = 200000;  // ApplianceProgram's cap: ¥2,000

#define HX_ASSERT_BOOKS(pid) ASSERT_TRUE(api().BooksBalance(pid))
#define HX_EXPECT_BOOKS(pid) EXPECT_TRUE(api().BooksBalance(pid))

int64_t Nanos(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000000 + t.nanos();
}

class LifecycleTest : public SharedServerTest<LifecycleTest> {
 protected:
  // Creates `program` (its id already set), funds it with `fund`, registers merchant `mid`
  // whitelisted for it (when not empty).
  void SetUpProgram(const v1::Program& program, int64_t fund, const std::string& mid) {
    ASSERT_TRUE(api().SetUpProgram(program, fund, mid));
    HX_ASSERT_BOOKS(program.program_id());
  }

  // A fresh consumer's voucher of `category`, ISSUED.
  void IssueOk(const std::string& pid, const std::string& category, const std::string& id,
               v1::Voucher* v) {
    HX_ASSERT_OK(api().Issue(pid, category, id, v));
    ASSERT_EQ(v->state(), v1::Voucher::ISSUED);
    HX_ASSERT_BOOKS(pid);
  }

  // Issues a voucher of `category` to a fresh consumer and redeems it at `mid` for
  // `price_fen` (energy grade 1). `id_number` (when not null) receives the consumer.
  void IssueAndRedeem(const std::string& pid, const std::string& mid,
                      const std::string& category, int64_t price_fen, v1::Redemption* out,
                      std::string* id_number = nullptr, v1::Purchase* purchase_out = nullptr) {
    const std::string id = MintIdNumber();
    if (id_number != nullptr) *id_number = id;
    v1::Voucher v;
    ASSERT_NO_FATAL_FAILURE(IssueOk(pid, category, id, &v));
    v1::Purchase purchase = MakePurchase(category, price_fen, 1);
    if (purchase_out != nullptr) *purchase_out = purchase;
    HX_ASSERT_OK(api().Redeem(MakeRedeem(v.voucher_id(), mid, id, purchase), out));
    ASSERT_EQ(out->state(), v1::Redemption::COMPLETED);
    HX_ASSERT_BOOKS(pid);
  }

  // Polls GetVoucher (every 100 ms, at most `timeout`) until the voucher is `state`.
  ::testing::AssertionResult WaitForVoucherState(const std::string& voucher_id,
                                                 v1::Voucher::State state,
                                                 std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    v1::Voucher v;
    while (true) {
      grpc::Status s = api().GetVoucher(voucher_id, &v);
      if (!s.ok()) {
        return ::testing::AssertionFailure() << "GetVoucher " << voucher_id << ": "
                                             << Describe(s);
      }
      if (v.state() == state) return ::testing::AssertionSuccess();
      if (std::chrono::steady_clock::now() >= deadline) {
        return ::testing::AssertionFailure()
               << "voucher " << voucher_id << " is still "
               << v1::Voucher::State_Name(v.state()) << " after " << timeout.count()
               << " ms, want " << v1::Voucher::State_Name(state);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  // Sleeps until the local clock is `margin` past `t`.
  static void SleepPast(const google::protobuf::Timestamp& t, std::chrono::milliseconds margin) {
    const int64_t target = Nanos(t) + margin.count() * 1000000;
    const int64_t now = Nanos(NowTimestamp());
    if (target > now) std::this_thread::sleep_for(std::chrono::nanoseconds(target - now));
  }
};

// ---------------------------------------------------------------------------------------------
// Expiry

TEST_F(LifecycleTest, ExpirySweeperReleasesHoldsAndFreesEntitlement) {
  const std::string pid = UniqueId("lc-exp");
  const std::string mid = UniqueId("m-exp");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid, /*ttl_seconds=*/1), kFund, mid));
  const std::string a = MintIdNumber(), b = MintIdNumber();
  v1::Voucher va, vb;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &va));
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "air_conditioner", b, &vb));
  EXPECT_LE(va.expires_at().seconds() - va.issued_at().seconds(), 1);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 2 * kFridgeHold);
  EXPECT_EQ(stats.available_fen(), kFund - 2 * kFridgeHold);

  // The sweeper (every 1 s) expires both: VOUCHER_EXPIRED entries releasing the holds.
  ASSERT_TRUE(WaitForVoucherState(va.voucher_id(), v1::Voucher::EXPIRED,
                                  std::chrono::milliseconds(5000)));
  ASSERT_TRUE(WaitForVoucherState(vb.voucher_id(), v1::Voucher::EXPIRED,
                                  std::chrono::milliseconds(2000)));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.funded_fen(), kFund);
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.vouchers_issued(), 2);
  EXPECT_EQ(stats.vouchers_expired(), 2);
  EXPECT_EQ(stats.vouchers_redeemed(), 0);

  // After the sweep: redeeming is VOUCHER_EXPIRED and moves nothing.
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(va.voucher_id(), mid, a,
                                                MakePurchase("refrigerator", 500000, 1))),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_EXPIRED"));
  // An expired voucher cannot be cancelled.
  EXPECT_TRUE(IsRefusal(api().CancelVoucher(vb.voucher_id()), StatusCode::FAILED_PRECONDITION,
                        "VOUCHER_NOT_ACTIVE"));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_TRUE(api().VoucherIs(va.voucher_id(), v1::Voucher::EXPIRED));

  // The expired voucher no longer counts against the consumer: they may claim again (the
  // refrigerator's per_consumer_limit is 1).
  v1::Voucher again;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &again));
  EXPECT_NE(again.voucher_id(), va.voucher_id());
  EXPECT_EQ(again.consumer_ref(), va.consumer_ref());
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), kFridgeHold);
  EXPECT_EQ(stats.vouchers_issued(), 3);
}

TEST_F(LifecycleTest, RedeemAfterExpiresAtIsRefusedBeforeTheSweep) {
  const std::string pid = UniqueId("lc-exp");
  const std::string mid = UniqueId("m-exp");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid, /*ttl_seconds=*/1), kFund, mid));
  const std::string a = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &v));
  // Just past expires_at: the sweeper (1 s period) has most likely not run yet, and the
  // redemption must be refused either way.
  SleepPast(v.expires_at(), std::chrono::milliseconds(20));
  const v1::Purchase purchase = MakePurchase("refrigerator", 500000, 1);
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(v.voucher_id(), mid, a, purchase)),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_EXPIRED"));
  v1::QuoteSubsidyResponse quote;
  EXPECT_TRUE(IsRefusal(api().Quote(v.voucher_id(), purchase, mid, &quote),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_EXPIRED"));
  v1::Voucher now;
  HX_ASSERT_OK(api().GetVoucher(v.voucher_id(), &now));
  EXPECT_NE(now.state(), v1::Voucher::REDEEMED);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.vouchers_redeemed(), 0);

  // The sweep then releases the hold.
  ASSERT_TRUE(WaitForVoucherState(v.voucher_id(), v1::Voucher::EXPIRED,
                                  std::chrono::milliseconds(5000)));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.vouchers_expired(), 1);
}

// ---------------------------------------------------------------------------------------------
// Cancellation

TEST_F(LifecycleTest, CancelReleasesHoldAndFreesEntitlement) {
  const std::string pid = UniqueId("lc-cancel");
  const std::string mid = UniqueId("m-cancel");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, mid));
  const std::string a = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &v));

  // Only the app may cancel.
  EXPECT_EQ(api().CancelVoucher(v.voucher_id(), nullptr, "", Retailer(mid)).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().CancelVoucher(v.voucher_id(), nullptr, "", kAdmin).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::ISSUED));

  const std::string rid = NextRequestId();
  v1::Voucher cancelled;
  HX_ASSERT_OK(api().CancelVoucher(v.voucher_id(), &cancelled, rid));
  EXPECT_EQ(cancelled.voucher_id(), v.voucher_id());
  EXPECT_EQ(cancelled.state(), v1::Voucher::CANCELLED);
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::CANCELLED));
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.vouchers_cancelled(), 1);

  // The same request again: the first answer, no second release.
  v1::Voucher replay;
  HX_ASSERT_OK(api().CancelVoucher(v.voucher_id(), &replay, rid));
  EXPECT_EQ(replay.state(), v1::Voucher::CANCELLED);
  EXPECT_EQ(replay.ledger_seq(), cancelled.ledger_seq());
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.vouchers_cancelled(), 1);
  EXPECT_EQ(stats.available_fen(), kFund);

  // A new request: only an ISSUED voucher can be cancelled.
  EXPECT_TRUE(IsRefusal(api().CancelVoucher(v.voucher_id()), StatusCode::FAILED_PRECONDITION,
                        "VOUCHER_NOT_ACTIVE"));
  EXPECT_TRUE(IsRefusal(api().CancelVoucher("v-no-such-voucher"), StatusCode::NOT_FOUND,
                        "VOUCHER_NOT_FOUND"));
  // A cancelled voucher cannot be redeemed.
  grpc::Status s = api().Redeem(
      MakeRedeem(v.voucher_id(), mid, a, MakePurchase("refrigerator", 500000, 1)));
  EXPECT_TRUE(IsRefusal(s, StatusCode::FAILED_PRECONDITION, "VOUCHER_NOT_ACTIVE"));

  // The entitlement is free again: the consumer claims a new refrigerator voucher and uses it.
  v1::Voucher again;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &again));
  v1::Redemption r;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(again.voucher_id(), mid, a, MakePurchase("refrigerator", 500000, 1)), &r));
  EXPECT_EQ(r.subsidy_fen(), 100000);
  // A redeemed voucher cannot be cancelled.
  EXPECT_TRUE(IsRefusal(api().CancelVoucher(again.voucher_id()),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_NOT_ACTIVE"));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.payable_fen(), 100000);
  EXPECT_EQ(stats.available_fen(), kFund - 100000);
  EXPECT_EQ(stats.vouchers_issued(), 2);
  EXPECT_EQ(stats.vouchers_cancelled(), 1);
}

// A consumer's vouchers come back a page at a time, in id order, every one once, with the
// cancelled ones (claims count them); a bad page size or token names its field.
TEST_F(LifecycleTest, ConsumerVouchersComeInPages) {
  const std::string pid = UniqueId("lc-pages");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, ""));
  const std::string a = MintIdNumber();
  std::set<std::string> issued;
  for (int i = 0; i < 5; ++i) {  // claim, cancel, claim again
    v1::Voucher v;
    ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &v));
    issued.insert(v.voucher_id());
    if (i < 4) HX_ASSERT_OK(api().CancelVoucher(v.voucher_id()));
  }
  auto list = [&](int32_t page_size, const std::string& token,
                  v1::ListConsumerVouchersResponse* out) {
    v1::ListConsumerVouchersRequest req;
    *req.mutable_consumer() = Consumer(a);
    req.set_page_size(page_size);
    req.set_page_token(token);
    return Call(api().stubs().issuance.get(), &v1::IssuanceService::Stub::ListConsumerVouchers,
                kApp, req, out);
  };
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListConsumerVouchersResponse page;
    HX_ASSERT_OK(list(2, token, &page));
    EXPECT_LE(page.vouchers_size(), 2);
    for (const v1::Voucher& v : page.vouchers()) seen.push_back(v.voucher_id());
    token = page.next_page_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), issued);
  EXPECT_EQ(seen.size(), issued.size());

  v1::ListConsumerVouchersResponse all;
  HX_ASSERT_OK(list(0, "", &all));
  EXPECT_EQ(all.vouchers_size(), 5);
  EXPECT_TRUE(all.next_page_token().empty());
  EXPECT_EQ(FieldViolations(list(-1, "", &all)), std::vector<std::string>{"page_size"});
  EXPECT_EQ(FieldViolations(list(2, "bad token\n", &all)), std::vector<std::string>{"page_token"});

  // huanxinctl follows every page.
  CliResult ctl = RunCtl(server().address(), {"--as", kApp, "voucher", "list", "--id-number", a});
  ASSERT_EQ(ctl.exit_code, 0) << ctl.out << ctl.err;
  for (const std::string& id : issued) EXPECT_NE(ctl.out.find(id), std::string::npos) << ctl.out;
}

// ---------------------------------------------------------------------------------------------
// Quotas and controls

TEST_F(LifecycleTest, DailyVoucherLimit) {
  const std::string pid = UniqueId("lc-daily");
  v1::Program p = ApplianceProgram(pid);
  p.set_daily_voucher_limit(2);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(p, kFund, ""));
  v1::Voucher v1_, v2_;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", MintIdNumber(), &v1_));
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "television", MintIdNumber(), &v2_));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", MintIdNumber()),
                        StatusCode::RESOURCE_EXHAUSTED, "DAILY_QUOTA_EXHAUSTED"));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "air_conditioner", MintIdNumber()),
                        StatusCode::RESOURCE_EXHAUSTED, "DAILY_QUOTA_EXHAUSTED"));
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 2);
  EXPECT_EQ(stats.held_fen(), 2 * kFridgeHold);
  EXPECT_EQ(stats.available_fen(), kFund - 2 * kFridgeHold);

  // Another programme's quota is its own.
  const std::string other = UniqueId("lc-daily");
  v1::Program q = ApplianceProgram(other);
  q.set_daily_voucher_limit(1);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(q, kFund, ""));
  v1::Voucher w;
  ASSERT_NO_FATAL_FAILURE(IssueOk(other, "refrigerator", MintIdNumber(), &w));
  EXPECT_TRUE(IsRefusal(api().Issue(other, "refrigerator", MintIdNumber()),
                        StatusCode::RESOURCE_EXHAUSTED, "DAILY_QUOTA_EXHAUSTED"));
}

TEST_F(LifecycleTest, PerConsumerTotalCap) {
  const std::string pid = UniqueId("lc-cap");
  const std::string mid = UniqueId("m-cap");
  v1::Program p = ApplianceProgram(pid);
  p.set_per_consumer_total_cap_fen(300000);  // ¥3,000 per consumer over the programme
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(p, kFund, mid));
  const std::string a = MintIdNumber();

  // First air conditioner: 20% of ¥10,000 = ¥2,000 (the category cap).
  v1::Voucher v1_;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "air_conditioner", a, &v1_));
  v1::Redemption r1;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v1_.voucher_id(), mid, a, MakePurchase("air_conditioner", 1000000, 1)), &r1));
  EXPECT_EQ(r1.subsidy_fen(), 200000);
  HX_ASSERT_BOOKS(pid);

  // Second: only ¥1,000 of the programme cap is left.
  v1::Voucher v2_;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "air_conditioner", a, &v2_));
  const v1::Purchase second = MakePurchase("air_conditioner", 1000000, 1);
  v1::QuoteSubsidyResponse quote;
  HX_ASSERT_OK(api().Quote(v2_.voucher_id(), second, mid, &quote));
  EXPECT_EQ(quote.subsidy_fen(), 100000);
  EXPECT_EQ(quote.consumer_pays_fen(), 900000);
  v1::Redemption r2;
  HX_ASSERT_OK(api().Redeem(MakeRedeem(v2_.voucher_id(), mid, a, second), &r2));
  EXPECT_EQ(r2.subsidy_fen(), 100000);
  EXPECT_EQ(r2.consumer_pays_fen(), 900000);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 300000);
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund - 300000);

  // The cap is used up: no third voucher (although air_conditioner allows 3).
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "air_conditioner", a),
                        StatusCode::FAILED_PRECONDITION, "CONSUMER_LIMIT_REACHED"));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", a), StatusCode::FAILED_PRECONDITION,
                        "CONSUMER_LIMIT_REACHED"));
  // Another consumer is unaffected.
  v1::Voucher other;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "air_conditioner", MintIdNumber(), &other));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), kFridgeHold);
}

TEST_F(LifecycleTest, PauseResumeClose) {
  const std::string pid = UniqueId("lc-state");
  const std::string mid = UniqueId("m-state");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, mid));
  const std::string a = MintIdNumber(), b = MintIdNumber(), c = MintIdNumber();
  v1::Voucher va, vb, vc;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &va));
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", b, &vb));

  // Pause: no new vouchers, issued ones still redeem.
  v1::Program paused;
  HX_ASSERT_OK(api().SetProgramState(pid, v1::Program::PAUSED, &paused));
  EXPECT_EQ(paused.state(), v1::Program::PAUSED);
  v1::Program got;
  HX_ASSERT_OK(api().GetProgram(pid, &got));
  EXPECT_EQ(got.state(), v1::Program::PAUSED);
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", c), StatusCode::FAILED_PRECONDITION,
                        "PROGRAM_NOT_ACTIVE"));
  v1::Redemption ra;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(va.voucher_id(), mid, a, MakePurchase("refrigerator", 500000, 1)), &ra));
  EXPECT_EQ(ra.state(), v1::Redemption::COMPLETED);
  EXPECT_EQ(ra.subsidy_fen(), 100000);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), kFridgeHold);
  EXPECT_EQ(stats.payable_fen(), 100000);

  // Only admins change the state.
  EXPECT_EQ(api().SetProgramState(pid, v1::Program::ACTIVE, nullptr, "", kApp).error_code(),
            StatusCode::PERMISSION_DENIED);

  // Resume.
  v1::Program resumed;
  HX_ASSERT_OK(api().SetProgramState(pid, v1::Program::ACTIVE, &resumed));
  EXPECT_EQ(resumed.state(), v1::Program::ACTIVE);
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", c, &vc));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 2 * kFridgeHold);
  const int64_t cancelled_before = stats.vouchers_cancelled();

  // Close: every ISSUED voucher is cancelled and its hold released.
  v1::Program closed;
  HX_ASSERT_OK(api().SetProgramState(pid, v1::Program::CLOSED, &closed));
  EXPECT_EQ(closed.state(), v1::Program::CLOSED);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.payable_fen(), 100000);
  EXPECT_EQ(stats.available_fen(), kFund - 100000);
  EXPECT_EQ(stats.vouchers_cancelled(), cancelled_before + 2);
  EXPECT_TRUE(api().VoucherIs(vb.voucher_id(), v1::Voucher::CANCELLED));
  EXPECT_TRUE(api().VoucherIs(vc.voucher_id(), v1::Voucher::CANCELLED));
  EXPECT_TRUE(api().VoucherIs(va.voucher_id(), v1::Voucher::REDEEMED));

  // Closed stops issuing and redeeming.
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", MintIdNumber()),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(vb.voucher_id(), mid, b,
                                                MakePurchase("refrigerator", 500000, 1))),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));
  // ... for good.
  EXPECT_TRUE(IsRefusal(api().SetProgramState(pid, v1::Program::ACTIVE),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));
  EXPECT_TRUE(IsRefusal(api().SetProgramState(pid, v1::Program::PAUSED),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));
  HX_ASSERT_OK(api().GetProgram(pid, &got));
  EXPECT_EQ(got.state(), v1::Program::CLOSED);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.payable_fen(), 100000);

  // What the merchant earned before the close is still paid.
  v1::Settlement settlement;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &settlement));
  EXPECT_EQ(settlement.redemption_count(), 1);
  EXPECT_EQ(settlement.total_fen(), 100000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 100000);
}

TEST_F(LifecycleTest, OutsideStartAndEndTimeIsNotActive) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const std::string future = UniqueId("lc-window");
  v1::Program f = ApplianceProgram(future);
  *f.mutable_start_time() = UnixTimestamp(now + 3600);
  *f.mutable_end_time() = UnixTimestamp(now + 7200);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(f, kFund, ""));
  EXPECT_TRUE(IsRefusal(api().Issue(future, "refrigerator", MintIdNumber()),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));

  const std::string past = UniqueId("lc-window");
  v1::Program e = ApplianceProgram(past);
  *e.mutable_start_time() = UnixTimestamp(now - 7200);
  *e.mutable_end_time() = UnixTimestamp(now - 3600);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(e, kFund, ""));
  EXPECT_TRUE(IsRefusal(api().Issue(past, "refrigerator", MintIdNumber()),
                        StatusCode::FAILED_PRECONDITION, "PROGRAM_NOT_ACTIVE"));

  for (const std::string& pid : {future, past}) {
    v1::ProgramStats stats;
    ASSERT_TRUE(api().BooksBalance(pid, &stats));
    EXPECT_EQ(stats.vouchers_issued(), 0);
    EXPECT_EQ(stats.held_fen(), 0);
  }
}

TEST_F(LifecycleTest, FundingInTranches) {
  const std::string pid = UniqueId("lc-fund");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFridgeHold, ""));
  v1::Voucher va;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", MintIdNumber(), &va));
  const std::string b = MintIdNumber();
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", b), StatusCode::RESOURCE_EXHAUSTED,
                        "BUDGET_EXHAUSTED"));
  // A second tranche while vouchers are out.
  v1::ProgramStats after;
  HX_ASSERT_OK(api().FundProgram(pid, 150000, &after));
  EXPECT_EQ(after.funded_fen(), kFridgeHold + 150000);
  EXPECT_EQ(after.available_fen(), 150000);
  EXPECT_EQ(after.held_fen(), kFridgeHold);
  HX_ASSERT_BOOKS(pid);
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", b), StatusCode::RESOURCE_EXHAUSTED,
                        "BUDGET_EXHAUSTED"));
  // A third tranche makes room for the next voucher.
  HX_ASSERT_OK(api().FundProgram(pid, 50000, &after));
  EXPECT_EQ(after.funded_fen(), 2 * kFridgeHold);
  v1::Voucher vb;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", b, &vb));
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.funded_fen(), 2 * kFridgeHold);
  EXPECT_EQ(stats.available_fen(), 0);
  EXPECT_EQ(stats.held_fen(), 2 * kFridgeHold);
  // Paused programmes can be funded too.
  HX_ASSERT_OK(api().SetProgramState(pid, v1::Program::PAUSED));
  HX_ASSERT_OK(api().FundProgram(pid, 1000, &after));
  EXPECT_EQ(after.funded_fen(), 2 * kFridgeHold + 1000);
  HX_ASSERT_BOOKS(pid);
}

// ---------------------------------------------------------------------------------------------
// Returns

TEST_F(LifecycleTest, ReturnBeforeSettlementKeepsEntitlementUnderConsumedPolicy) {
  const std::string pid = UniqueId("lc-ret");
  const std::string mid = UniqueId("m-ret");
  v1::Program p = ApplianceProgram(pid);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(p, kFund, mid));
  std::string a;
  v1::Purchase purchase;
  v1::Redemption r;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 500000, &r, &a, &purchase));
  EXPECT_EQ(r.subsidy_fen(), 100000);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 100000);

  const std::string rid = NextRequestId();
  v1::Redemption reversed;
  HX_ASSERT_OK(api().Reverse(r.redemption_id(), mid, &reversed, rid));
  EXPECT_EQ(reversed.redemption_id(), r.redemption_id());
  EXPECT_EQ(reversed.state(), v1::Redemption::REVERSED);
  EXPECT_EQ(reversed.subsidy_fen(), 100000);
  v1::Redemption fetched;
  HX_ASSERT_OK(api().GetRedemption(r.redemption_id(), &fetched));
  EXPECT_EQ(fetched.state(), v1::Redemption::REVERSED);
  EXPECT_TRUE(api().VoucherIs(r.voucher_id(), v1::Voucher::REVERSED));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.redemptions_reversed(), 1);

  // Retried: the first answer, no second return.
  v1::Redemption replay;
  HX_ASSERT_OK(api().Reverse(r.redemption_id(), mid, &replay, rid));
  EXPECT_EQ(replay.state(), v1::Redemption::REVERSED);
  EXPECT_EQ(replay.ledger_seq(), reversed.ledger_seq());
  // A new request: a REVERSED redemption is not reversible.
  EXPECT_TRUE(IsRefusal(api().Reverse(r.redemption_id(), mid), StatusCode::FAILED_PRECONDITION,
                        "REDEMPTION_NOT_REVERSIBLE"));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.redemptions_reversed(), 1);

  // ENTITLEMENT_CONSUMED: the consumer's refrigerator entitlement stays used.
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", a), StatusCode::FAILED_PRECONDITION,
                        "CONSUMER_LIMIT_REACHED"));
  // The reversed voucher is not redeemable again.
  grpc::Status s = api().Redeem(
      MakeRedeem(r.voucher_id(), mid, a, MakePurchase("refrigerator", 500000, 1)));
  EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << Describe(s);

  // The returned item's serial may be subsidised again; its invoice may not.
  const std::string b = MintIdNumber();
  v1::Voucher vb;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", b, &vb));
  v1::Purchase same_invoice = MakePurchase("refrigerator", 500000, 1);
  same_invoice.set_invoice_number(purchase.invoice_number());
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(vb.voucher_id(), mid, b, same_invoice)),
                        StatusCode::FAILED_PRECONDITION, "DUPLICATE_INVOICE"));
  v1::Purchase same_serial = MakePurchase("refrigerator", 600000, 1);
  same_serial.set_serial_number(purchase.serial_number());
  v1::Redemption rb;
  HX_ASSERT_OK(api().Redeem(MakeRedeem(vb.voucher_id(), mid, b, same_serial), &rb));
  EXPECT_EQ(rb.subsidy_fen(), 120000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 120000);
  EXPECT_EQ(stats.available_fen(), kFund - 120000);

  // A settlement pays only what was not returned.
  v1::Settlement settlement;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &settlement));
  EXPECT_EQ(settlement.redemption_count(), 1);
  EXPECT_EQ(settlement.total_fen(), 120000);
  EXPECT_EQ(settlement.clawback_fen(), 0);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 120000);
}

TEST_F(LifecycleTest, ReturnRestoresEntitlementUnderRestoredPolicy) {
  const std::string pid = UniqueId("lc-ret");
  const std::string mid = UniqueId("m-ret");
  v1::Program p = ApplianceProgram(pid);
  p.set_refund_policy(v1::Program::ENTITLEMENT_RESTORED);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(p, kFund, mid));
  std::string a;
  v1::Redemption r;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 500000, &r, &a));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", a), StatusCode::FAILED_PRECONDITION,
                        "CONSUMER_LIMIT_REACHED"));
  HX_ASSERT_OK(api().Reverse(r.redemption_id(), mid));
  EXPECT_TRUE(api().VoucherIs(r.voucher_id(), v1::Voucher::REVERSED));
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.available_fen(), kFund);
  EXPECT_EQ(stats.payable_fen(), 0);

  // ENTITLEMENT_RESTORED: the consumer may claim and use a refrigerator voucher again.
  v1::Voucher again;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &again));
  v1::Redemption r2;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(again.voucher_id(), mid, a, MakePurchase("refrigerator", 400000, 1)), &r2));
  EXPECT_EQ(r2.subsidy_fen(), 80000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 80000);
  EXPECT_EQ(stats.available_fen(), kFund - 80000);
  // ... but only once more.
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", a), StatusCode::FAILED_PRECONDITION,
                        "CONSUMER_LIMIT_REACHED"));
}

TEST_F(LifecycleTest, ReturnRestoresTheConsumerTotalCap) {
  const std::string pid = UniqueId("lc-ret");
  const std::string mid = UniqueId("m-ret");
  v1::Program p = ApplianceProgram(pid);
  p.set_per_consumer_total_cap_fen(200000);
  p.set_refund_policy(v1::Program::ENTITLEMENT_RESTORED);
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(p, kFund, mid));
  std::string a;
  v1::Redemption r;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "air_conditioner", 1000000, &r, &a));
  EXPECT_EQ(r.subsidy_fen(), 200000);
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "air_conditioner", a), StatusCode::FAILED_PRECONDITION,
                        "CONSUMER_LIMIT_REACHED"));
  HX_ASSERT_OK(api().Reverse(r.redemption_id(), mid));
  HX_ASSERT_BOOKS(pid);
  // The returned subsidy no longer counts against the programme cap.
  v1::Voucher again;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "air_conditioner", a, &again));
  v1::Redemption r2;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(again.voucher_id(), mid, a, MakePurchase("air_conditioner", 1000000, 1)), &r2));
  EXPECT_EQ(r2.subsidy_fen(), 200000);
  HX_ASSERT_BOOKS(pid);
}

TEST_F(LifecycleTest, ReturnAfterSettlementLeavesMerchantOwingUntilNettedByNextSettlement) {
  const std::string pid = UniqueId("lc-claw");
  const std::string mid = UniqueId("m-claw");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, mid));
  v1::Redemption ra, rb;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 500000, &ra));  // ¥1,000
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 800000, &rb));  // ¥1,600
  EXPECT_EQ(ra.subsidy_fen() + rb.subsidy_fen(), 260000);

  v1::Settlement first;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &first));
  EXPECT_EQ(first.redemption_count(), 2);
  EXPECT_EQ(first.gross_fen(), 260000);
  EXPECT_EQ(first.clawback_fen(), 0);
  EXPECT_EQ(first.total_fen(), 260000);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 260000);
  EXPECT_EQ(stats.available_fen(), kFund - 260000);

  // Return a settled redemption: the subsidy goes back to the budget, the merchant owes it.
  v1::Redemption reversed;
  HX_ASSERT_OK(api().Reverse(ra.redemption_id(), mid, &reversed));
  EXPECT_EQ(reversed.state(), v1::Redemption::REVERSED);
  EXPECT_TRUE(api().VoucherIs(ra.voucher_id(), v1::Voucher::REVERSED));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), -100000);
  EXPECT_EQ(stats.settled_fen(), 260000);
  EXPECT_EQ(stats.available_fen(), kFund - 160000);
  EXPECT_EQ(stats.held_fen(), 0);
  // The first settlement's lines show the return as it stands now.
  v1::SettlementDetail detail;
  HX_ASSERT_OK(api().GetSettlement(first.settlement_id(), &detail));
  EXPECT_EQ(detail.settlement().total_fen(), 260000);
  ASSERT_EQ(detail.lines_size(), 2);
  for (const v1::Redemption& line : detail.lines()) {
    EXPECT_EQ(line.state(), line.redemption_id() == ra.redemption_id()
                                ? v1::Redemption::REVERSED
                                : v1::Redemption::SETTLED)
        << line.redemption_id();
  }

  // Nothing new to settle: the clawback alone does not make a settlement.
  EXPECT_TRUE(IsRefusal(api().CreateSettlement(mid, NowTimestamp()),
                        StatusCode::FAILED_PRECONDITION, "NOTHING_TO_SETTLE"));

  // The next redemption is netted: gross ¥2,000, clawback ¥1,000, paid ¥1,000.
  v1::Redemption rc;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 1000000, &rc));
  EXPECT_EQ(rc.subsidy_fen(), 200000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 100000);
  v1::Settlement second;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &second));
  EXPECT_EQ(second.redemption_count(), 1);
  EXPECT_EQ(second.gross_fen(), 200000);
  EXPECT_EQ(second.clawback_fen(), 100000);
  EXPECT_EQ(second.total_fen(), 100000);
  ASSERT_EQ(second.programs_size(), 1);
  EXPECT_EQ(second.programs(0).program_id(), pid);
  EXPECT_EQ(second.programs(0).gross_fen(), 200000);
  EXPECT_EQ(second.programs(0).clawback_fen(), 100000);
  EXPECT_EQ(second.programs(0).paid_fen(), 100000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 360000);  // = ¥1,600 + ¥2,000, the subsidies not returned
  EXPECT_EQ(stats.available_fen(), kFund - 360000);
  EXPECT_EQ(stats.redemptions_reversed(), 1);
}

TEST_F(LifecycleTest, ClawbackLargerThanGrossStaysOwed) {
  const std::string pid = UniqueId("lc-claw");
  const std::string mid = UniqueId("m-claw");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, mid));
  v1::Redemption ra;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 1000000, &ra));  // ¥2,000
  v1::Settlement s1;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &s1));
  EXPECT_EQ(s1.total_fen(), 200000);
  HX_ASSERT_OK(api().Reverse(ra.redemption_id(), mid));
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), -200000);

  // ¥1,000 of new subsidy against ¥2,000 owed: nothing paid, ¥1,000 still owed.
  v1::Redemption rb;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 500000, &rb));  // ¥1,000
  v1::Settlement s2;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &s2));
  EXPECT_EQ(s2.redemption_count(), 1);
  EXPECT_EQ(s2.gross_fen(), 100000);
  EXPECT_EQ(s2.clawback_fen(), 100000);
  EXPECT_EQ(s2.total_fen(), 0);
  ASSERT_EQ(s2.programs_size(), 1);
  EXPECT_EQ(s2.programs(0).paid_fen(), 0);
  v1::Redemption settled;
  HX_ASSERT_OK(api().GetRedemption(rb.redemption_id(), &settled));
  EXPECT_EQ(settled.state(), v1::Redemption::SETTLED);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), -100000);
  EXPECT_EQ(stats.settled_fen(), 200000);

  // ¥2,000 more: ¥1,000 netted, ¥1,000 paid, nothing owed any more.
  v1::Redemption rc;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 1000000, &rc));
  v1::Settlement s3;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &s3));
  EXPECT_EQ(s3.gross_fen(), 200000);
  EXPECT_EQ(s3.clawback_fen(), 100000);
  EXPECT_EQ(s3.total_fen(), 100000);
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 300000);  // = ¥1,000 + ¥2,000 not returned
  EXPECT_EQ(stats.available_fen(), kFund - 300000);
}

TEST_F(LifecycleTest, RetailerReversesOnlyItsOwnRedemptions) {
  const std::string pid = UniqueId("lc-roles");
  const std::string m1 = UniqueId("m-own");
  const std::string m2 = UniqueId("m-other");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, m1));
  HX_ASSERT_OK(api().RegisterMerchant(MakeMerchant(m2, {pid})));
  v1::Redemption r;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, m1, "refrigerator", 500000, &r));

  // Another merchant, as itself: to it the redemption does not exist.
  EXPECT_TRUE(IsRefusal(api().Reverse(r.redemption_id(), m2), StatusCode::NOT_FOUND,
                        "REDEMPTION_NOT_FOUND"));
  // Another merchant claiming to be m1; the app; an admin: not theirs to call.
  EXPECT_EQ(api().Reverse(r.redemption_id(), m1, nullptr, "", Retailer(m2)).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().Reverse(r.redemption_id(), m1, nullptr, "", kApp).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().Reverse(r.redemption_id(), m1, nullptr, "", kAdmin).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(IsRefusal(api().Reverse("d-no-such-redemption", m1), StatusCode::NOT_FOUND,
                        "REDEMPTION_NOT_FOUND"));
  v1::Redemption still;
  HX_ASSERT_OK(api().GetRedemption(r.redemption_id(), &still));
  EXPECT_EQ(still.state(), v1::Redemption::COMPLETED);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 100000);
  EXPECT_EQ(stats.redemptions_reversed(), 0);
  // Its own merchant may.
  HX_ASSERT_OK(api().Reverse(r.redemption_id(), m1));
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 0);
}

// ---------------------------------------------------------------------------------------------
// Settlement

TEST_F(LifecycleTest, SettlementPaysCompletedRedemptionsUpToTheCutOff) {
  const std::string p1 = UniqueId("lc-settle");
  const std::string p2 = UniqueId("lc-settle");
  const std::string mid = UniqueId("m-settle");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(p1), kFund, ""));
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(DigitalProgram(p2), kFund, ""));
  HX_ASSERT_OK(api().RegisterMerchant(MakeMerchant(mid, {p1, p2})));

  v1::Redemption r1, r2, r3;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(p1, mid, "refrigerator", 500000, &r1));  // ¥1,000
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(p2, mid, "phone", 300000, &r2));  // 15%: ¥450
  EXPECT_EQ(r2.subsidy_fen(), 45000);
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(p1, mid, "television", 300000, &r3));  // ¥600
  ASSERT_LT(Nanos(r2.redeemed_at()), Nanos(r3.redeemed_at()));
  const google::protobuf::Timestamp cut = r2.redeemed_at();

  // Only admins settle.
  EXPECT_EQ(api().CreateSettlement(mid, cut, nullptr, "", kApp).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().CreateSettlement(mid, cut, nullptr, "", Retailer(mid)).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().CreateSettlement(mid, cut, nullptr, "", kAuditor).error_code(),
            StatusCode::PERMISSION_DENIED);
  // up_to_time is required; the merchant must exist.
  {
    v1::CreateSettlementRequest req;
    req.set_request_id(NextRequestId());
    req.set_merchant_id(mid);
    v1::Settlement out;
    grpc::Status s = Call(api().stubs().admin.get(), &v1::AdminService::Stub::CreateSettlement,
                          kAdmin, req, &out);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(s);
    EXPECT_TRUE(HasFieldViolation(s, "up_to_time"));
  }
  EXPECT_TRUE(IsRefusal(api().CreateSettlement("m-no-such-merchant", cut),
                        StatusCode::NOT_FOUND, "MERCHANT_NOT_FOUND"));
  // Nothing yet before the first redemption.
  google::protobuf::Timestamp before = r1.redeemed_at();
  before.set_seconds(before.seconds() - 1);
  EXPECT_TRUE(IsRefusal(api().CreateSettlement(mid, before), StatusCode::FAILED_PRECONDITION,
                        "NOTHING_TO_SETTLE"));

  // Up to r2's redemption time (inclusive): r1 and r2, not r3.
  const std::string rid = NextRequestId();
  v1::Settlement s1;
  HX_ASSERT_OK(api().CreateSettlement(mid, cut, &s1, rid));
  EXPECT_FALSE(s1.settlement_id().empty());
  EXPECT_EQ(s1.merchant_id(), mid);
  EXPECT_EQ(s1.redemption_count(), 2);
  EXPECT_EQ(s1.gross_fen(), 145000);
  EXPECT_EQ(s1.clawback_fen(), 0);
  EXPECT_EQ(s1.total_fen(), 145000);
  ASSERT_EQ(s1.programs_size(), 2);
  for (const auto& line : s1.programs()) {
    const int64_t want = line.program_id() == p1 ? 100000 : 45000;
    EXPECT_TRUE(line.program_id() == p1 || line.program_id() == p2) << line.program_id();
    EXPECT_EQ(line.gross_fen(), want) << line.program_id();
    EXPECT_EQ(line.clawback_fen(), 0) << line.program_id();
    EXPECT_EQ(line.paid_fen(), want) << line.program_id();
  }
  v1::Redemption got;
  HX_ASSERT_OK(api().GetRedemption(r1.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::SETTLED);
  HX_ASSERT_OK(api().GetRedemption(r2.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::SETTLED);
  HX_ASSERT_OK(api().GetRedemption(r3.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::COMPLETED);
  v1::ProgramStats st1, st2;
  ASSERT_TRUE(api().BooksBalance(p1, &st1));
  ASSERT_TRUE(api().BooksBalance(p2, &st2));
  EXPECT_EQ(st1.payable_fen(), r3.subsidy_fen());
  EXPECT_EQ(st1.settled_fen(), 100000);
  EXPECT_EQ(st2.payable_fen(), 0);
  EXPECT_EQ(st2.settled_fen(), 45000);

  // The same request again: the same settlement, nothing paid twice.
  v1::Settlement replay;
  HX_ASSERT_OK(api().CreateSettlement(mid, cut, &replay, rid));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(replay, s1))
      << replay.DebugString() << "\nvs\n" << s1.DebugString();
  ASSERT_TRUE(api().BooksBalance(p1, &st1));
  EXPECT_EQ(st1.settled_fen(), 100000);
  EXPECT_EQ(st1.payable_fen(), r3.subsidy_fen());
  // The same key for a different cut-off.
  EXPECT_TRUE(IsRefusal(api().CreateSettlement(mid, NowTimestamp(), nullptr, rid),
                        StatusCode::ALREADY_EXISTS, "IDEMPOTENCY_KEY_REUSED"));
  // A new request for the same cut-off: everything up to it is settled.
  EXPECT_TRUE(IsRefusal(api().CreateSettlement(mid, cut), StatusCode::FAILED_PRECONDITION,
                        "NOTHING_TO_SETTLE"));

  // GetSettlement: the settlement and its lines, for admins and auditors.
  v1::SettlementDetail detail;
  HX_ASSERT_OK(api().GetSettlement(s1.settlement_id(), &detail));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(detail.settlement(), s1))
      << detail.settlement().DebugString() << "\nvs\n" << s1.DebugString();
  ASSERT_EQ(detail.lines_size(), 2);
  int64_t sum = 0;
  for (const v1::Redemption& line : detail.lines()) {
    EXPECT_TRUE(line.redemption_id() == r1.redemption_id() ||
                line.redemption_id() == r2.redemption_id())
        << line.redemption_id();
    EXPECT_EQ(line.merchant_id(), mid);
    EXPECT_EQ(line.state(), v1::Redemption::SETTLED);
    sum += line.subsidy_fen();
  }
  EXPECT_EQ(sum, s1.gross_fen());
  v1::SettlementDetail as_auditor;
  HX_ASSERT_OK(api().GetSettlement(s1.settlement_id(), &as_auditor, kAuditor));
  EXPECT_EQ(as_auditor.lines_size(), 2);
  EXPECT_EQ(api().GetSettlement(s1.settlement_id(), &as_auditor, kApp).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(api().GetSettlement(s1.settlement_id(), &as_auditor, Retailer(mid)).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(IsRefusal(api().GetSettlement("st-no-such-settlement", &as_auditor),
                        StatusCode::NOT_FOUND, "SETTLEMENT_NOT_FOUND"));

  // The rest, up to now.
  v1::Settlement s2;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &s2));
  EXPECT_NE(s2.settlement_id(), s1.settlement_id());
  EXPECT_EQ(s2.redemption_count(), 1);
  EXPECT_EQ(s2.total_fen(), r3.subsidy_fen());
  ASSERT_EQ(s2.programs_size(), 1);
  EXPECT_EQ(s2.programs(0).program_id(), p1);
  ASSERT_TRUE(api().BooksBalance(p1, &st1));
  EXPECT_EQ(st1.payable_fen(), 0);
  EXPECT_EQ(st1.settled_fen(), 100000 + r3.subsidy_fen());
  EXPECT_TRUE(IsRefusal(api().CreateSettlement(mid, NowTimestamp()),
                        StatusCode::FAILED_PRECONDITION, "NOTHING_TO_SETTLE"));
  // A settled redemption can still be returned (see the clawback tests); a settlement of
  // another merchant is untouched by this one.
  HX_EXPECT_BOOKS(p1);
  HX_EXPECT_BOOKS(p2);
}

// ---------------------------------------------------------------------------------------------
// huanxinctl: settlement get / export, redemption reverse

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(LifecycleTest, CtlSettlementGetExportAndReverse) {
  const std::string pid = UniqueId("lc-ctl");
  const std::string mid = UniqueId("m-ctl");
  ASSERT_NO_FATAL_FAILURE(SetUpProgram(ApplianceProgram(pid), kFund, mid));
  v1::Redemption ra, rb;
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "refrigerator", 500000, &ra));  // ¥1,000
  ASSERT_NO_FATAL_FAILURE(IssueAndRedeem(pid, mid, "television", 399900, &rb));  // ¥799.80
  v1::Settlement settlement;
  HX_ASSERT_OK(api().CreateSettlement(mid, NowTimestamp(), &settlement));
  ASSERT_EQ(settlement.total_fen(), 179980);

  auto run = [&](const std::string& args) {  // words without spaces or quotes
    return RunCtl(server().address(), absl::StrSplit(args, ' ', absl::SkipEmpty()));
  };

  // A return after settlement, from the till's command line.
  CliResult rev = run("--as " + Retailer(mid) + " redemption reverse " + ra.redemption_id() +
                      " --reason returned");
  ASSERT_EQ(rev.exit_code, 0) << rev.out << rev.err;
  EXPECT_NE(rev.out.find("REVERSED"), std::string::npos) << rev.out;
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), -100000);

  // settlement get: readable, with the programme line and both redemptions.
  CliResult get = run("--as " + std::string(kAuditor) + " settlement get " +
                      settlement.settlement_id());
  ASSERT_EQ(get.exit_code, 0) << get.out << get.err;
  EXPECT_NE(get.out.find(settlement.settlement_id()), std::string::npos) << get.out;
  EXPECT_NE(get.out.find(ra.redemption_id()), std::string::npos) << get.out;
  EXPECT_NE(get.out.find(rb.redemption_id()), std::string::npos) << get.out;
  EXPECT_NE(get.out.find(pid), std::string::npos) << get.out;
  EXPECT_NE(get.out.find("1,799.80"), std::string::npos) << get.out;

  // settlement get --json: the SettlementDetail as the server sent it.
  CliResult json = run("--as " + std::string(kAdmin) + " --json settlement get " +
                       settlement.settlement_id());
  ASSERT_EQ(json.exit_code, 0) << json.out << json.err;
  v1::SettlementDetail from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &from_json).ok()) << json.out;
  v1::SettlementDetail direct;
  HX_ASSERT_OK(api().GetSettlement(settlement.settlement_id(), &direct));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_json, direct))
      << from_json.DebugString() << "\nvs\n" << direct.DebugString();

  // settlement export: CSV on stdout, header first, money in integer fen.
  CliResult csv = run("--as " + std::string(kAuditor) + " settlement export " +
                      settlement.settlement_id());
  ASSERT_EQ(csv.exit_code, 0) << csv.out << csv.err;
  std::vector<std::string> lines = SplitLines(csv.out);
  ASSERT_EQ(lines.size(), 3u) << csv.out;
  EXPECT_EQ(lines[0],
            "settlement_id,merchant_id,redemption_id,voucher_id,program_id,redeemed_at,"
            "price_fen,subsidy_fen,state,invoice_number,serial_number");
  for (const v1::Redemption& r : {ra, rb}) {
    const bool reversed = r.redemption_id() == ra.redemption_id();
    const std::string prefix = settlement.settlement_id() + "," + mid + "," + r.redemption_id() +
                               "," + r.voucher_id() + "," + pid + ",";
    const std::string suffix = "," + std::to_string(r.price_fen()) + "," +
                               std::to_string(r.subsidy_fen()) + "," +
                               (reversed ? "REVERSED" : "SETTLED") + "," +
                               r.purchase().invoice_number() + "," +
                               r.purchase().serial_number();
    bool found = false;
    for (size_t i = 1; i < lines.size(); ++i) {
      const std::string& l = lines[i];
      if (l.rfind(prefix, 0) == 0 && l.size() > suffix.size() &&
          l.compare(l.size() - suffix.size(), suffix.size(), suffix) == 0) {
        found = true;
        // redeemed_at sits between: one RFC 3339 field without commas.
        const std::string at = l.substr(prefix.size(), l.size() - prefix.size() - suffix.size());
        EXPECT_EQ(at.find(','), std::string::npos) << l;
        EXPECT_GE(at.size(), 20u) << l;
      }
    }
    EXPECT_TRUE(found) << "no CSV line " << prefix << "..." << suffix << " in\n" << csv.out;
  }

  // --csv FILE writes the same text into the file.
  const std::string file = server().data_dir() + "/settlement.csv";
  CliResult to_file = run("--as " + std::string(kAdmin) + " settlement export " +
                          settlement.settlement_id() + " --csv " + file);
  ASSERT_EQ(to_file.exit_code, 0) << to_file.out << to_file.err;
  EXPECT_EQ(ReadWholeFile(file), csv.out);
  EXPECT_NE(to_file.out.find(file), std::string::npos) << to_file.out;

  // Refusals: an unknown settlement; the app may not read settlements.
  CliResult missing = run("--as " + std::string(kAuditor) + " settlement export st-nope");
  EXPECT_EQ(missing.exit_code, 1) << missing.out << missing.err;
  EXPECT_NE(missing.err.find("SETTLEMENT_NOT_FOUND"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.out, "");
  CliResult denied = run("--as " + std::string(kApp) + " settlement get " +
                         settlement.settlement_id());
  EXPECT_EQ(denied.exit_code, 1) << denied.out << denied.err;
  EXPECT_NE(denied.err.find("PERMISSION_DENIED"), std::string::npos) << denied.err;
  CliResult usage = run("--as " + std::string(kAdmin) + " settlement export");
  EXPECT_EQ(usage.exit_code, 2) << usage.out << usage.err;
}

}  // namespace
}  // namespace huanxin::itest
