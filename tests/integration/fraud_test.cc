// The fraud checks against a real server started with a --config file of small
// thresholds: every soft rule just below, at and just above its threshold (PRICE_SPIKE,
// TERMINAL_VELOCITY, SHARED_IDENTITY at the claim and at the till, MERCHANT_BURST of a new
// merchant, ODD_HOURS; MERCHANT_BURST over a history is tests/unit/merchant_burst_test.cc);
// the review queue's approve and reject paths with the books balancing after every step; a
// denial on the record; merchants suspended or blacklisted after the claim; and config
// changes recorded as FRAUD_RULES_CHANGED and taking effect across a restart.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr int64_t kFund = 100000000;  // ¥1,000,000

// The current hour in Asia/Shanghai (UTC+8).
int ShanghaiHour() { return static_cast<int>(((std::time(nullptr) + 8 * 3600) / 3600) % 24); }

std::vector<std::string> Reasons(const v1::Redemption& d) {
  return {d.reasons().begin(), d.reasons().end()};
}

// A server whose --config file this fixture writes; each test starts its own.
class FraudTest : public ::testing::Test {
 protected:
  void TearDown() override {
    api_.reset();
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0) << server_->StderrTail();
    }
    server_.reset();
    if (!config_path_.empty()) std::remove(config_path_.c_str());
  }

  void WriteConfig(const std::string& text) {
    if (config_path_.empty()) {
      char path[] = "/tmp/hx-fraud-config-XXXXXX";
      const int fd = mkstemp(path);
      ASSERT_GE(fd, 0);
      close(fd);
      config_path_ = path;
    }
    std::ofstream out(config_path_, std::ios::trunc);
    out << "# fraud_test thresholds\n" << text;
    ASSERT_TRUE(out.good());
  }

  // Writes `config` and starts a fresh server with --config pointing at it, then sets up a
  // funded appliance programme and merchant mid_ whitelisted for it.
  void Start(const std::string& config) {
    WriteConfig(config);
    if (HasFatalFailure()) return;
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{"--config=" + config_path_});
    ASSERT_TRUE(server_->Start());
    api_ = std::make_unique<Api>(server_->address());
    pid_ = UniqueId("fraud-appliance");
    mid_ = UniqueId("m-fraud");
    ASSERT_TRUE(api_->SetUpProgram(ApplianceProgram(pid_), kFund, mid_));
  }

  // Rewrites the config and restarts the server on the same data directory (clean stop).
  void RestartWith(const std::string& config) {
    WriteConfig(config);
    if (HasFatalFailure()) return;
    ASSERT_EQ(server_->Stop(), 0) << server_->StderrTail();
    ASSERT_TRUE(server_->Start());
    api_ = std::make_unique<Api>(server_->address());
  }

  // A fresh consumer's refrigerator voucher, claimed with `identity` (id_number replaced).
  struct Claimed {
    std::string id_number;
    v1::Voucher voucher;
  };
  Claimed Claim(v1::ConsumerIdentity identity = {}, const std::string& category = "refrigerator") {
    Claimed c;
    c.id_number = MintIdNumber();
    identity.set_id_number(c.id_number);
    v1::IssueVoucherRequest req;
    req.set_request_id(NextRequestId());
    req.set_program_id(pid_);
    req.set_category(category);
    *req.mutable_consumer() = identity;
    EXPECT_TRUE(IsOk(Call(api_->stubs().issuance.get(), &v1::IssuanceService::Stub::IssueVoucher,
                          kApp, req, &c.voucher)));
    return c;
  }

  // Redeems `c`'s voucher at merchant `mid` (mid_ when empty) on `terminal`, paid by the
  // claimant (with `payer_extra`'s device/phone/card), for `sku` at `price_fen`.
  grpc::Status Redeem(const Claimed& c, const std::string& terminal, v1::Redemption* out,
                      int64_t price_fen = 899900, const std::string& sku = "",
                      const std::string& mid = "", const v1::ConsumerIdentity& payer_extra = {}) {
    v1::Purchase p = MakePurchase(c.voucher.category(), price_fen, 1);
    if (!sku.empty()) p.set_sku(sku);
    v1::RedeemRequest r = MakeRedeem(c.voucher.voucher_id(), mid.empty() ? mid_ : mid,
                                     c.id_number, p);
    r.set_terminal_id(terminal);
    v1::ConsumerIdentity payer = payer_extra;
    payer.set_id_number(c.id_number);
    *r.mutable_payer() = payer;
    return api_->Redeem(r, out);
  }

  // Claims and redeems for a fresh consumer; the redemption (decision checked by the caller).
  v1::Redemption ClaimAndRedeem(const std::string& terminal, int64_t price_fen = 899900,
                                const std::string& sku = "", const std::string& mid = "") {
    Claimed c = Claim();
    v1::Redemption d;
    EXPECT_TRUE(IsOk(Redeem(c, terminal, &d, price_fen, sku, mid)));
    return d;
  }

  std::vector<v1::LedgerEntry> Entries(v1::LedgerEntry::Type type, const std::string& merchant = "") {
    std::vector<v1::LedgerEntry> out;
    v1::ListEntriesRequest req;
    req.mutable_filter()->add_types(type);
    req.mutable_filter()->set_merchant_id(merchant);
    req.set_page_size(1000);
    do {
      v1::ListEntriesResponse resp;
      grpc::Status s = Call(api_->stubs().audit.get(), &v1::AuditService::Stub::ListEntries,
                            kAuditor, req, &resp);
      EXPECT_TRUE(IsOk(s));
      if (!s.ok()) break;
      out.insert(out.end(), resp.entries().begin(), resp.entries().end());
      req.set_page_token(resp.next_page_token());
    } while (!req.page_token().empty());
    return out;
  }

  std::vector<v1::Review> Reviews(v1::Review::State state) {
    v1::ListReviewsRequest req;
    req.set_state(state);
    req.set_page_size(1000);
    v1::ListReviewsResponse resp;
    EXPECT_TRUE(IsOk(Call(api_->stubs().audit.get(), &v1::AuditService::Stub::ListReviews,
                          kAuditor, req, &resp)));
    return {resp.reviews().begin(), resp.reviews().end()};
  }

  grpc::Status Resolve(const std::string& review_id, v1::ResolveReviewRequest::Resolution res,
                       v1::Review* out, const std::string& principal = kAuditor,
                       const std::string& rid = "") {
    v1::ResolveReviewRequest req;
    req.set_request_id(rid.empty() ? NextRequestId() : rid);
    req.set_review_id(review_id);
    req.set_resolution(res);
    req.set_note("核查 checked by the bureau");
    return Call(api_->stubs().audit.get(), &v1::AuditService::Stub::ResolveReview, principal, req,
                out);
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Api> api_;
  std::string config_path_, pid_, mid_;
};

// Each evaluates its argument once.
#define EXPECT_ALLOW(expr)                                                    \
  do {                                                                        \
    const v1::Redemption& hx_d = (expr);                                      \
    EXPECT_EQ(hx_d.decision(), v1::Redemption::ALLOW) << hx_d.DebugString();  \
    EXPECT_EQ(hx_d.state(), v1::Redemption::COMPLETED);                       \
    EXPECT_TRUE(hx_d.reasons().empty());                                      \
  } while (0)

#define EXPECT_REVIEW(expr, rule)                                              \
  do {                                                                         \
    const v1::Redemption& hx_d = (expr);                                       \
    EXPECT_EQ(hx_d.decision(), v1::Redemption::REVIEW) << hx_d.DebugString();  \
    EXPECT_EQ(hx_d.state(), v1::Redemption::UNDER_REVIEW);                     \
    EXPECT_EQ(Reasons(hx_d), std::vector<std::string>{rule});                  \
    EXPECT_FALSE(hx_d.review_id().empty());                                    \
  } while (0)

// ---------------------------------------------------------------------------------------------
// The soft rules at their thresholds

TEST_F(FraudTest, TerminalVelocityReviewsTheRedemptionAfterTheMax) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.terminal_velocity_max = 3\n"));
  for (int i = 1; i <= 3; ++i) {  // below, then at the max: allowed
    v1::Redemption d = ClaimAndRedeem("till-1");
    SCOPED_TRACE("redemption " + std::to_string(i));
    EXPECT_ALLOW(d);
  }
  v1::Redemption fourth = ClaimAndRedeem("till-1");  // just above
  EXPECT_REVIEW(fourth, "TERMINAL_VELOCITY");
  v1::Redemption fifth = ClaimAndRedeem("till-1");
  EXPECT_REVIEW(fifth, "TERMINAL_VELOCITY");
  v1::Redemption other = ClaimAndRedeem("till-2");  // another terminal of the same store
  EXPECT_ALLOW(other);
  v1::ProgramStats stats;
  ASSERT_TRUE(api_->BooksBalance(pid_, &stats));
  EXPECT_EQ(stats.redemptions_under_review(), 2);
  // The entry records the rule set that decided.
  v1::Redemption got;
  HX_ASSERT_OK(api_->GetRedemption(fourth.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::UNDER_REVIEW);
  EXPECT_EQ(got.review_id(), fourth.review_id());
}

TEST_F(FraudTest, PriceSpikeAbove130PercentOfTheMedianOnceFiveSales) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.price_spike_min_sales = 5\nfraud.price_spike_pct = 130\n"));
  const std::string sku = UniqueId("sku-haier-bcd");
  // Below min_sales: four sales at ¥1,000, then ¥2,000 is allowed (too little history).
  const std::string young = UniqueId("sku-young");
  for (int i = 0; i < 4; ++i) EXPECT_ALLOW(ClaimAndRedeem(UniqueId("t"), 100000, young));
  EXPECT_ALLOW(ClaimAndRedeem(UniqueId("t"), 200000, young));

  for (int i = 0; i < 5; ++i) EXPECT_ALLOW(ClaimAndRedeem(UniqueId("t"), 100000, sku));
  v1::Redemption at = ClaimAndRedeem(UniqueId("t"), 130000, sku);  // exactly 130%: not above
  EXPECT_ALLOW(at);
  v1::Redemption above = ClaimAndRedeem(UniqueId("t"), 130001, sku);  // ¥1,300.01
  EXPECT_REVIEW(above, "PRICE_SPIKE");
  // A spiked sale under review does not teach the SKU its price: the next one is caught too.
  v1::Redemption again = ClaimAndRedeem(UniqueId("t"), 130001, sku);
  EXPECT_REVIEW(again, "PRICE_SPIKE");
  // Another SKU is unaffected.
  EXPECT_ALLOW(ClaimAndRedeem(UniqueId("t"), 130001, UniqueId("sku-other")));
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

TEST_F(FraudTest, SharedDeviceAtClaimReviewsTheThirdConsumer) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.shared_identity_consumers = 3\n"));
  v1::ConsumerIdentity scalper;
  scalper.set_device_id(UniqueId("scalper-device"));
  Claimed first = Claim(scalper), second = Claim(scalper), third = Claim(scalper),
          fourth = Claim(scalper);
  v1::Redemption d1, d2, d3, d4;
  // Redeemed out of claim order: the rank is the order in which consumers were seen.
  HX_ASSERT_OK(Redeem(third, UniqueId("t"), &d3, 899900, "", "", scalper));
  HX_ASSERT_OK(Redeem(second, UniqueId("t"), &d2, 899900, "", "", scalper));
  HX_ASSERT_OK(Redeem(first, UniqueId("t"), &d1, 899900, "", "", scalper));
  HX_ASSERT_OK(Redeem(fourth, UniqueId("t"), &d4, 899900, "", "", scalper));
  EXPECT_ALLOW(d1);
  EXPECT_ALLOW(d2);  // just below: the 2nd consumer
  EXPECT_REVIEW(d3, "SHARED_IDENTITY");  // at the threshold: the 3rd
  EXPECT_REVIEW(d4, "SHARED_IDENTITY");
  // A device of only two consumers is fine.
  v1::ConsumerIdentity pair;
  pair.set_device_id(UniqueId("family-device"));
  Claimed a = Claim(pair), b = Claim(pair);
  v1::Redemption da, db;
  HX_ASSERT_OK(Redeem(a, UniqueId("t"), &da, 899900, "", "", pair));
  HX_ASSERT_OK(Redeem(b, UniqueId("t"), &db, 899900, "", "", pair));
  EXPECT_ALLOW(da);
  EXPECT_ALLOW(db);
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

TEST_F(FraudTest, SharedPhoneOrCardAtTheTillCounts) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.shared_identity_consumers = 3\n"));
  v1::ConsumerIdentity phone;
  phone.set_phone(UniqueId("1390000"));
  Claimed a = Claim(phone), b = Claim(phone);
  v1::Redemption da, db;
  HX_ASSERT_OK(Redeem(a, UniqueId("t"), &da, 899900, "", "", phone));
  HX_ASSERT_OK(Redeem(b, UniqueId("t"), &db, 899900, "", "", phone));
  EXPECT_ALLOW(db);
  // A third consumer claimed with nothing shared, but pays with the same phone at the till.
  Claimed c = Claim();
  v1::Redemption dc;
  HX_ASSERT_OK(Redeem(c, UniqueId("t"), &dc, 899900, "", "", phone));
  EXPECT_REVIEW(dc, "SHARED_IDENTITY");

  // Bank cards: two consumers pay with one card at the till, the third is reviewed.
  v1::ConsumerIdentity card;
  card.set_bank_card(UniqueId("6222021"));
  std::vector<v1::Redemption> ds(3);
  for (int i = 0; i < 3; ++i) {
    Claimed x = Claim();
    HX_ASSERT_OK(Redeem(x, UniqueId("t"), &ds[i], 899900, "", "", card));
  }
  EXPECT_ALLOW(ds[0]);
  EXPECT_ALLOW(ds[1]);
  EXPECT_REVIEW(ds[2], "SHARED_IDENTITY");
}

// A new merchant, without the hours of history a real server cannot skip (the mean over them
// is tested with a manual clock in tests/unit/merchant_burst_test.cc): merchant_burst_min an
// hour stands in for its mean, so with a multiple of 1 the 4th in the hour is a burst.
TEST_F(FraudTest, MerchantBurstOfANewMerchantAboveTheMinimumTimesTheMultiple) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.merchant_burst_min = 3\nfraud.merchant_burst_multiple = 1\n"
                                "fraud.merchant_burst_min_history_hours = 24\n"));
  for (const char* till : {"till-1", "till-2", "till-3"}) {
    EXPECT_ALLOW(ClaimAndRedeem(till));  // the 3rd: at the minimum, not above 1 x 3
  }
  v1::Redemption fourth = ClaimAndRedeem("till-4");
  EXPECT_REVIEW(fourth, "MERCHANT_BURST");
  // Another merchant's hour is its own.
  const std::string other = UniqueId("m-quiet");
  HX_ASSERT_OK(api_->RegisterMerchant(MakeMerchant(other, {pid_})));
  EXPECT_ALLOW(ClaimAndRedeem("till-1", 899900, "", other));
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

TEST_F(FraudTest, OddHoursWhenEnabledAndInsideTheWindow) {
  const int h = ShanghaiHour();
  // The window starts the hour after this one: allowed.
  ASSERT_NO_FATAL_FAILURE(Start("fraud.odd_hours_enabled = true\nfraud.odd_hours_start = " +
                                std::to_string((h + 1) % 24) + "\nfraud.odd_hours_end = " +
                                std::to_string((h + 2) % 24) + "\n"));
  v1::Redemption outside = ClaimAndRedeem(UniqueId("t"));
  if (ShanghaiHour() != h) GTEST_SKIP() << "the hour changed during the test";
  EXPECT_ALLOW(outside);
  // A window holding this hour (wrapping midnight when it must): reviewed.
  ASSERT_NO_FATAL_FAILURE(RestartWith("fraud.odd_hours_enabled = true\nfraud.odd_hours_start = " +
                                      std::to_string(h) + "\nfraud.odd_hours_end = " +
                                      std::to_string((h + 2) % 24) + "\n"));
  v1::Redemption inside = ClaimAndRedeem(UniqueId("t"));
  EXPECT_REVIEW(inside, "ODD_HOURS");
  // The same window, switched off: allowed.
  ASSERT_NO_FATAL_FAILURE(RestartWith("fraud.odd_hours_enabled = false\nfraud.odd_hours_start = " +
                                      std::to_string(h) + "\nfraud.odd_hours_end = " +
                                      std::to_string((h + 2) % 24) + "\n"));
  EXPECT_ALLOW(ClaimAndRedeem(UniqueId("t")));
}

// ---------------------------------------------------------------------------------------------
// Reviews: approve and reject

TEST_F(FraudTest, ApproveSettlesAndRejectReturnsTheSubsidy) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.terminal_velocity_max = 1\n"));
  v1::ProgramStats s0;
  ASSERT_TRUE(api_->BooksBalance(pid_, &s0));
  v1::Redemption allowed = ClaimAndRedeem("till-1", 899900);   // ¥1,799.80
  v1::Redemption approve = ClaimAndRedeem("till-1", 500000);   // ¥1,000.00
  v1::Redemption reject = ClaimAndRedeem("till-1", 300000);    // ¥600.00
  EXPECT_ALLOW(allowed);
  EXPECT_REVIEW(approve, "TERMINAL_VELOCITY");
  EXPECT_REVIEW(reject, "TERMINAL_VELOCITY");
  v1::ProgramStats s1;
  ASSERT_TRUE(api_->BooksBalance(pid_, &s1));
  EXPECT_EQ(s1.redemptions_under_review(), 2);
  EXPECT_EQ(s1.payable_fen(), 179980 + 100000 + 60000);

  // The queue shows both, oldest first, with their rule ids.
  std::vector<v1::Review> open = Reviews(v1::Review::OPEN);
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].review_id(), approve.review_id());
  EXPECT_EQ(open[0].redemption_id(), approve.redemption_id());
  EXPECT_EQ(open[1].redemption_id(), reject.redemption_id());
  EXPECT_EQ(std::vector<std::string>(open[0].reasons().begin(), open[0].reasons().end()),
            std::vector<std::string>{"TERMINAL_VELOCITY"});
  EXPECT_EQ(open[0].state(), v1::Review::OPEN);
  // STATE_UNSPECIFIED is no state, and a token no page gave is no token: both refused.
  v1::ListReviewsRequest bad;
  v1::ListReviewsResponse listed;
  grpc::Status s = Call(api_->stubs().audit.get(), &v1::AuditService::Stub::ListReviews,
                        kAuditor, bad, &listed);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"state"});
  bad.set_state(v1::Review::OPEN);
  for (const std::string token : {"zz", "00", "0123456789abcdef", "0123456789ABCDEF00"}) {
    bad.set_page_token(token);
    s = Call(api_->stubs().audit.get(), &v1::AuditService::Stub::ListReviews, kAuditor, bad,
             &listed);
    EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD"))
        << token << ": " << Describe(s);
    EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"page_token"}) << token;
  }

  // Before approval only the allowed sale is settled.
  v1::Settlement first;
  HX_ASSERT_OK(api_->CreateSettlement(mid_, NowTimestamp(), &first));
  EXPECT_EQ(first.redemption_count(), 1);
  EXPECT_EQ(first.total_fen(), 179980);
  ASSERT_TRUE(api_->BooksBalance(pid_));

  // Only an auditor resolves.
  v1::Review ignored;
  EXPECT_EQ(Resolve(approve.review_id(), v1::ResolveReviewRequest::APPROVE, &ignored, kAdmin)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Resolve(approve.review_id(), v1::ResolveReviewRequest::APPROVE, &ignored,
                    Retailer(mid_))
                .error_code(),
            StatusCode::PERMISSION_DENIED);

  // Approve: COMPLETED and settleable.
  v1::Review approved;
  const std::string approve_rid = NextRequestId();
  HX_ASSERT_OK(Resolve(approve.review_id(), v1::ResolveReviewRequest::APPROVE, &approved, kAuditor,
                       approve_rid));
  EXPECT_EQ(approved.state(), v1::Review::APPROVED);
  EXPECT_EQ(approved.note(), "核查 checked by the bureau");
  v1::Review replay;  // the same key answers the same again
  HX_ASSERT_OK(Resolve(approve.review_id(), v1::ResolveReviewRequest::APPROVE, &replay, kAuditor,
                       approve_rid));
  EXPECT_EQ(replay.SerializeAsString(), approved.SerializeAsString());
  v1::Redemption got;
  HX_ASSERT_OK(api_->GetRedemption(approve.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::COMPLETED);
  v1::ProgramStats s2;
  ASSERT_TRUE(api_->BooksBalance(pid_, &s2));
  EXPECT_EQ(s2.redemptions_under_review(), 1);
  v1::Settlement second;
  HX_ASSERT_OK(api_->CreateSettlement(mid_, NowTimestamp(), &second));
  EXPECT_EQ(second.redemption_count(), 1);
  EXPECT_EQ(second.total_fen(), 100000);
  HX_ASSERT_OK(api_->GetRedemption(approve.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::SETTLED);
  v1::ProgramStats s3;
  ASSERT_TRUE(api_->BooksBalance(pid_, &s3));

  // Reject: REJECTED, the subsidy back in the budget, the merchant not paid.
  v1::Review rejected;
  HX_ASSERT_OK(Resolve(reject.review_id(), v1::ResolveReviewRequest::REJECT, &rejected));
  EXPECT_EQ(rejected.state(), v1::Review::REJECTED);
  HX_ASSERT_OK(api_->GetRedemption(reject.redemption_id(), &got));
  EXPECT_EQ(got.state(), v1::Redemption::REJECTED);
  v1::ProgramStats s4;
  ASSERT_TRUE(api_->BooksBalance(pid_, &s4));
  EXPECT_EQ(s4.redemptions_under_review(), 0);
  EXPECT_EQ(s4.available_fen(), s3.available_fen() + 60000);
  EXPECT_EQ(s4.payable_fen(), s3.payable_fen() - 60000);
  EXPECT_EQ(s4.settled_fen(), s3.settled_fen());
  v1::Settlement none;
  EXPECT_TRUE(IsRefusal(api_->CreateSettlement(mid_, NowTimestamp(), &none),
                        StatusCode::FAILED_PRECONDITION, "NOTHING_TO_SETTLE"));

  // A second resolution is refused, either way.
  EXPECT_TRUE(IsRefusal(Resolve(approve.review_id(), v1::ResolveReviewRequest::REJECT, &ignored),
                        StatusCode::FAILED_PRECONDITION, "REVIEW_ALREADY_RESOLVED"));
  EXPECT_TRUE(IsRefusal(Resolve(reject.review_id(), v1::ResolveReviewRequest::APPROVE, &ignored),
                        StatusCode::FAILED_PRECONDITION, "REVIEW_ALREADY_RESOLVED"));
  EXPECT_TRUE(IsRefusal(Resolve("rv-nonexistent", v1::ResolveReviewRequest::APPROVE, &ignored),
                        StatusCode::NOT_FOUND, "REVIEW_NOT_FOUND"));
  EXPECT_TRUE(api_->BooksBalance(pid_));

  // The queue by state, and both resolutions on the record as the auditor's.
  EXPECT_TRUE(Reviews(v1::Review::OPEN).empty());
  std::vector<v1::Review> a = Reviews(v1::Review::APPROVED), r = Reviews(v1::Review::REJECTED);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].review_id(), approve.review_id());
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].review_id(), reject.review_id());
  std::vector<v1::LedgerEntry> resolved = Entries(v1::LedgerEntry::REVIEW_RESOLVED);
  ASSERT_EQ(resolved.size(), 2u);
  for (const auto& e : resolved) EXPECT_EQ(e.actor(), kAuditor);
}

// ---------------------------------------------------------------------------------------------
// Hard checks on the record

TEST_F(FraudTest, DenialIsOnTheRecordWithReasonAndActor) {
  ASSERT_NO_FATAL_FAILURE(Start(""));
  Claimed c = Claim();
  v1::RedeemRequest r = MakeRedeem(c.voucher.voucher_id(), mid_, MintIdNumber(),
                                   MakePurchase("refrigerator", 899900, 1));
  v1::Redemption out;
  EXPECT_TRUE(IsRefusal(api_->Redeem(r, &out), StatusCode::FAILED_PRECONDITION,
                        "VOUCHER_NOT_OWNED"));
  EXPECT_TRUE(IsRefusal(api_->Redeem(r, &out), StatusCode::FAILED_PRECONDITION,
                        "VOUCHER_NOT_OWNED"));  // the same key replays the denial
  std::vector<v1::LedgerEntry> denied = Entries(v1::LedgerEntry::REDEMPTION_DENIED, mid_);
  ASSERT_EQ(denied.size(), 1u) << "a replay adds no entry";
  const v1::LedgerEntry& e = denied[0];
  EXPECT_EQ(e.type(), v1::LedgerEntry::REDEMPTION_DENIED);
  EXPECT_EQ(e.actor(), Retailer(mid_));
  EXPECT_EQ(e.request_id(), r.request_id());
  EXPECT_EQ(e.redemption_denied().reason(), "VOUCHER_NOT_OWNED");
  EXPECT_EQ(e.redemption_denied().voucher_id(), c.voucher.voucher_id());
  EXPECT_EQ(e.redemption_denied().merchant_id(), mid_);
  EXPECT_EQ(e.redemption_denied().program_id(), pid_);
  EXPECT_FALSE(e.rule_set_version().empty());
  EXPECT_TRUE(e.postings().empty());
  EXPECT_TRUE(api_->VoucherIs(c.voucher.voucher_id(), v1::Voucher::ISSUED));
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

TEST_F(FraudTest, MerchantSuspendedOrBlacklistedAfterTheClaimIsDenied) {
  ASSERT_NO_FATAL_FAILURE(Start(""));
  const std::string black = UniqueId("m-black");
  HX_ASSERT_OK(api_->RegisterMerchant(MakeMerchant(black, {pid_})));
  Claimed c1 = Claim(), c2 = Claim();
  HX_ASSERT_OK(api_->SetMerchantState(mid_, v1::Merchant::SUSPENDED));
  HX_ASSERT_OK(api_->SetMerchantState(black, v1::Merchant::BLACKLISTED));
  v1::Redemption out;
  EXPECT_TRUE(IsRefusal(Redeem(c1, "till-1", &out), StatusCode::FAILED_PRECONDITION,
                        "MERCHANT_NOT_ELIGIBLE"));
  EXPECT_TRUE(IsRefusal(Redeem(c2, "till-1", &out, 899900, "", black),
                        StatusCode::FAILED_PRECONDITION, "MERCHANT_NOT_ELIGIBLE"));
  for (const std::string& m : {mid_, black}) {
    std::vector<v1::LedgerEntry> denied = Entries(v1::LedgerEntry::REDEMPTION_DENIED, m);
    ASSERT_EQ(denied.size(), 1u) << m;
    EXPECT_EQ(denied[0].redemption_denied().reason(), "MERCHANT_NOT_ELIGIBLE");
    EXPECT_EQ(denied[0].actor(), Retailer(m));
  }
  EXPECT_TRUE(api_->VoucherIs(c1.voucher.voucher_id(), v1::Voucher::ISSUED));
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

// ---------------------------------------------------------------------------------------------
// Config changes

TEST_F(FraudTest, ConfigChangeIsRecordedAndTakesEffect) {
  ASSERT_NO_FATAL_FAILURE(Start("fraud.terminal_velocity_max = 2\n"));
  std::vector<v1::LedgerEntry> changes = Entries(v1::LedgerEntry::FRAUD_RULES_CHANGED);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].fraud_rules_changed().rules().terminal_velocity_max(), 2);
  EXPECT_EQ(changes[0].fraud_rules_changed().rules().price_spike_pct(), 130);  // a default
  EXPECT_ALLOW(ClaimAndRedeem("till-a"));
  EXPECT_ALLOW(ClaimAndRedeem("till-a"));
  v1::Redemption third = ClaimAndRedeem("till-a");
  EXPECT_REVIEW(third, "TERMINAL_VELOCITY");

  // The same config again: nothing new on the record.
  ASSERT_NO_FATAL_FAILURE(RestartWith("fraud.terminal_velocity_max = 2\n"));
  EXPECT_EQ(Entries(v1::LedgerEntry::FRAUD_RULES_CHANGED).size(), 1u);

  // A new threshold: recorded, and it decides from then on.
  ASSERT_NO_FATAL_FAILURE(RestartWith("fraud.terminal_velocity_max = 4\n"));
  changes = Entries(v1::LedgerEntry::FRAUD_RULES_CHANGED);
  ASSERT_EQ(changes.size(), 2u);
  const v1::LedgerEntry& change = changes[1];
  EXPECT_EQ(change.fraud_rules_changed().rules().terminal_velocity_max(), 4);
  EXPECT_TRUE(change.postings().empty());
  for (int i = 1; i <= 4; ++i) {
    SCOPED_TRACE("redemption " + std::to_string(i) + " on till-b");
    EXPECT_ALLOW(ClaimAndRedeem("till-b"));  // the 3rd and 4th would be reviewed under max 2
  }
  v1::Redemption fifth = ClaimAndRedeem("till-b");
  EXPECT_REVIEW(fifth, "TERMINAL_VELOCITY");
  // The entry that decided names the rule set in force: the change's seq.
  v1::GetEntryRequest req;
  req.set_seq(fifth.ledger_seq());
  v1::EntryWithLeaf entry;
  HX_ASSERT_OK(Call(api_->stubs().audit.get(), &v1::AuditService::Stub::GetEntry, kAuditor, req,
                    &entry));
  const std::string version = entry.entry().rule_set_version();
  const std::string suffix = "@" + std::to_string(change.seq());
  EXPECT_TRUE(version.size() > suffix.size() &&
              version.compare(version.size() - suffix.size(), suffix.size(), suffix) == 0)
      << version << " should end with " << suffix;
  // Back to the first threshold: a third change.
  ASSERT_NO_FATAL_FAILURE(RestartWith("fraud.terminal_velocity_max = 2\n"));
  EXPECT_EQ(Entries(v1::LedgerEntry::FRAUD_RULES_CHANGED).size(), 3u);
  EXPECT_ALLOW(ClaimAndRedeem("till-c"));
  EXPECT_TRUE(api_->BooksBalance(pid_));
}

TEST_F(FraudTest, InvalidConfigKeepsTheServerFromStarting) {
  WriteConfig("fraud.price_spike_pct = 50\n");
  ServerProcess bad({"--config=" + config_path_});
  EXPECT_FALSE(bad.Start());
  WriteConfig("fraud.no_such_rule = 1\n");
  ServerProcess unknown({"--config=" + config_path_});
  EXPECT_FALSE(unknown.Start());
}

}  // namespace
}  // namespace huanxin::itest
