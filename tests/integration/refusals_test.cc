// Every refusal of docs/api.md's reason table that the foundation serves, checked by gRPC code,
// ErrorInfo reason and domain, and message prefix. A refused redemption leaves the voucher
// ISSUED and redeemable: most tests redeem it properly afterwards.
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr int64_t kFund = 100000000;  // ¥1,000,000

class RefusalsTest : public SharedServerTest<RefusalsTest> {
 protected:
  // A funded appliance programme and a merchant whitelisted for it.
  void MakeAppliance(std::string* pid, std::string* mid, int64_t ttl_seconds = 3 * 86400,
                     int64_t fund = kFund) {
    *pid = UniqueId("appl");
    *mid = UniqueId("m");
    ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(*pid, ttl_seconds), fund, *mid));
  }
  void MakeDigital(std::string* pid, std::string* mid) {
    *pid = UniqueId("digi");
    *mid = UniqueId("m");
    ASSERT_TRUE(api().SetUpProgram(DigitalProgram(*pid), kFund, *mid));
  }
  void IssueOk(const std::string& pid, const std::string& category, const std::string& id,
               v1::Voucher* v) {
    HX_ASSERT_OK(api().Issue(pid, category, id, v));
    ASSERT_EQ(v->state(), v1::Voucher::ISSUED);
  }
  // The voucher is still ISSUED, and a proper redemption of it succeeds (with `subsidy` when
  // given).
  void ExpectStillRedeemable(const v1::Voucher& v, const std::string& mid,
                             const std::string& payer, const v1::Purchase& good,
                             int64_t subsidy = -1) {
    EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::ISSUED));
    v1::Redemption r;
    HX_EXPECT_OK(api().Redeem(MakeRedeem(v.voucher_id(), mid, payer, good), &r));
    EXPECT_EQ(r.state(), v1::Redemption::COMPLETED);
    if (subsidy >= 0) {
      EXPECT_EQ(r.subsidy_fen(), subsidy);
      EXPECT_EQ(r.consumer_pays_fen(), good.price_fen() - subsidy);
    }
    EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::REDEEMED));
  }
};

TEST_F(RefusalsTest, VoucherNotFound) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  v1::Voucher v;
  EXPECT_TRUE(IsRefusal(api().GetVoucher("v-does-not-exist", &v), StatusCode::NOT_FOUND,
                        "VOUCHER_NOT_FOUND"));
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem("v-does-not-exist", mid, MintIdNumber(),
                                                MakePurchase("refrigerator", 100000, 1))),
                        StatusCode::NOT_FOUND, "VOUCHER_NOT_FOUND"));
  v1::QuoteSubsidyResponse q;
  EXPECT_TRUE(IsRefusal(api().Quote("v-does-not-exist", MakePurchase("refrigerator", 100000, 1),
                                    mid, &q),
                        StatusCode::NOT_FOUND, "VOUCHER_NOT_FOUND"));
}

TEST_F(RefusalsTest, VoucherExpired) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid, /*ttl_seconds=*/1));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", id, &v));
  EXPECT_LE(v.expires_at().seconds() - v.issued_at().seconds(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(v.voucher_id(), mid, id,
                                                MakePurchase("refrigerator", 500000, 1))),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_EXPIRED"));
  v1::Voucher after;
  HX_ASSERT_OK(api().GetVoucher(v.voucher_id(), &after));
  EXPECT_NE(after.state(), v1::Voucher::REDEEMED);
}

TEST_F(RefusalsTest, VoucherAlreadyRedeemed) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", id, &v));
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", 500000, 1))));
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(v.voucher_id(), mid, id,
                                                MakePurchase("refrigerator", 600000, 1))),
                        StatusCode::FAILED_PRECONDITION, "VOUCHER_ALREADY_REDEEMED"));
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_redeemed(), 1);
  EXPECT_EQ(stats.payable_fen(), 100000);  // 20% of ¥5,000 once, not twice
}

// The refusals of one bad sale, each recorded and leaving the voucher ISSUED: the same
// voucher is then redeemed with the good sale. One row per reason.
TEST_F(RefusalsTest, ABadSaleIsRefusedAndTheVoucherStaysRedeemable) {
  enum class Who { kClaimant, kStranger };
  struct Row {
    const char* reason;
    StatusCode code;
    bool digital;      // the digital programme (phone) rather than the appliance one
    Who payer;
    bool other_shop;   // a merchant whitelisted only for another programme
    v1::Purchase bad, good;
    int64_t good_subsidy;
  };
  v1::Purchase no_serial = MakePurchase("phone", 399900, 0);
  no_serial.clear_serial_number();
  const Row rows[] = {
      {"VOUCHER_NOT_OWNED", StatusCode::FAILED_PRECONDITION, false, Who::kStranger, false,
       MakePurchase("refrigerator", 500000, 1), MakePurchase("refrigerator", 500000, 1), 100000},
      {"CATEGORY_MISMATCH", StatusCode::INVALID_ARGUMENT, false, Who::kClaimant, false,
       MakePurchase("television", 500000, 1), MakePurchase("refrigerator", 500000, 1), 100000},
      // Grade 3 gets nothing; grade 2 gets 15% of ¥5,000.
      {"ENERGY_GRADE_INELIGIBLE", StatusCode::FAILED_PRECONDITION, false, Who::kClaimant, false,
       MakePurchase("refrigerator", 500000, 3), MakePurchase("refrigerator", 500000, 2), 75000},
      // ¥6,000.01 is one fen over the ceiling; ¥6,000.00 gets 15% = ¥900, capped at ¥500.
      {"PRICE_ABOVE_CEILING", StatusCode::FAILED_PRECONDITION, true, Who::kClaimant, false,
       MakePurchase("phone", 600001, 0), MakePurchase("phone", 600000, 0), 50000},
      {"SERIAL_REQUIRED", StatusCode::FAILED_PRECONDITION, true, Who::kClaimant, false,
       no_serial, MakePurchase("phone", 399900, 0), 50000},
      {"MERCHANT_NOT_ELIGIBLE", StatusCode::FAILED_PRECONDITION, false, Who::kClaimant, true,
       MakePurchase("refrigerator", 500000, 1), MakePurchase("refrigerator", 500000, 1), 100000},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.reason);
    std::string pid, mid, other_pid, other_mid;
    if (row.digital) {
      ASSERT_NO_FATAL_FAILURE(MakeDigital(&pid, &mid));
      ASSERT_NO_FATAL_FAILURE(MakeAppliance(&other_pid, &other_mid));
    } else {
      ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
      ASSERT_NO_FATAL_FAILURE(MakeDigital(&other_pid, &other_mid));
    }
    const std::string claimant = MintIdNumber();
    v1::Voucher v;
    ASSERT_NO_FATAL_FAILURE(IssueOk(pid, row.good.category(), claimant, &v));
    const std::string payer = row.payer == Who::kStranger ? MintIdNumber() : claimant;
    const std::string shop = row.other_shop ? other_mid : mid;
    EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(v.voucher_id(), shop, payer, row.bad)),
                          row.code, row.reason));
    ASSERT_NO_FATAL_FAILURE(ExpectStillRedeemable(v, mid, claimant, row.good, row.good_subsidy));
  }
}

TEST_F(RefusalsTest, DuplicateSerial) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeDigital(&pid, &mid));
  const std::string a = MintIdNumber(), b = MintIdNumber();
  v1::Voucher va, vb;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "phone", a, &va));
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "phone", b, &vb));
  const std::string imei = UniqueId("IMEI8613");
  v1::Purchase first = MakePurchase("phone", 499900, 0);
  first.set_serial_number(imei);
  HX_ASSERT_OK(api().Redeem(MakeRedeem(va.voucher_id(), mid, a, first)));
  v1::Purchase again = MakePurchase("phone", 499900, 0);  // new invoice, same IMEI
  again.set_serial_number(imei);
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(vb.voucher_id(), mid, b, again)),
                        StatusCode::FAILED_PRECONDITION, "DUPLICATE_SERIAL"));
  ExpectStillRedeemable(vb, mid, b, MakePurchase("phone", 499900, 0));
}

TEST_F(RefusalsTest, DuplicateInvoice) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string a = MintIdNumber(), b = MintIdNumber();
  v1::Voucher va, vb;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", a, &va));
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", b, &vb));
  v1::Purchase first = MakePurchase("refrigerator", 500000, 1);
  HX_ASSERT_OK(api().Redeem(MakeRedeem(va.voucher_id(), mid, a, first)));
  v1::Purchase again = MakePurchase("refrigerator", 500000, 1);  // new serial, same invoice
  again.set_invoice_number(first.invoice_number());
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(vb.voucher_id(), mid, b, again)),
                        StatusCode::FAILED_PRECONDITION, "DUPLICATE_INVOICE"));
  ExpectStillRedeemable(vb, mid, b, MakePurchase("refrigerator", 500000, 1));
}

TEST_F(RefusalsTest, MerchantSuspended) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", id, &v));
  v1::Merchant m;
  HX_ASSERT_OK(api().SetMerchantState(mid, v1::Merchant::SUSPENDED, &m));
  EXPECT_EQ(m.state(), v1::Merchant::SUSPENDED);
  EXPECT_TRUE(IsRefusal(api().Redeem(MakeRedeem(v.voucher_id(), mid, id,
                                                MakePurchase("refrigerator", 500000, 1))),
                        StatusCode::FAILED_PRECONDITION, "MERCHANT_NOT_ELIGIBLE"));
  // Reinstated, the merchant can redeem the same voucher.
  HX_ASSERT_OK(api().SetMerchantState(mid, v1::Merchant::ACTIVE, &m));
  EXPECT_EQ(m.state(), v1::Merchant::ACTIVE);
  ExpectStillRedeemable(v, mid, id, MakePurchase("refrigerator", 500000, 1));
}

TEST_F(RefusalsTest, BudgetExhausted) {
  constexpr int kHolds = 3;
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid, 3 * 86400, kHolds * 200000));
  for (int i = 0; i < kHolds; ++i) {
    v1::Voucher v;
    ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", MintIdNumber(), &v));
  }
  const std::string late = MintIdNumber();
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", late), StatusCode::RESOURCE_EXHAUSTED,
                        "BUDGET_EXHAUSTED"));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "television", late), StatusCode::RESOURCE_EXHAUSTED,
                        "BUDGET_EXHAUSTED"));
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.funded_fen(), kHolds * 200000);
  EXPECT_EQ(stats.held_fen(), kHolds * 200000);
  EXPECT_EQ(stats.available_fen(), 0);
  EXPECT_EQ(stats.vouchers_issued(), kHolds);
  EXPECT_EQ(stats.funded_fen(), stats.available_fen() + stats.held_fen() + stats.payable_fen() +
                                    stats.settled_fen());
  // More money, and the refused consumer gets a voucher.
  HX_ASSERT_OK(api().FundProgram(pid, 200000));
  v1::Voucher v;
  HX_EXPECT_OK(api().Issue(pid, "refrigerator", late, &v));
}

TEST_F(RefusalsTest, ConsumerLimitReached) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", id, &v));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "refrigerator", id),
                        StatusCode::FAILED_PRECONDITION, "CONSUMER_LIMIT_REACHED"));
  // Air conditioners: up to 3 per consumer.
  for (int i = 0; i < 3; ++i) {
    v1::Voucher ac;
    HX_ASSERT_OK(api().Issue(pid, "air_conditioner", id, &ac)) << "air conditioner #" << i + 1;
  }
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "air_conditioner", id),
                        StatusCode::FAILED_PRECONDITION, "CONSUMER_LIMIT_REACHED"));
  // Another category is its own entitlement.
  HX_EXPECT_OK(api().Issue(pid, "television", id));
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 5);
  EXPECT_EQ(stats.held_fen(), 5 * 200000);
}

TEST_F(RefusalsTest, ProgramNotFound) {
  EXPECT_TRUE(IsRefusal(api().Issue("no-such-program", "refrigerator", MintIdNumber()),
                        StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND"));
  EXPECT_TRUE(IsRefusal(api().GetProgram("no-such-program"), StatusCode::NOT_FOUND,
                        "PROGRAM_NOT_FOUND"));
  v1::ProgramStats stats;
  EXPECT_TRUE(IsRefusal(api().Stats("no-such-program", &stats), StatusCode::NOT_FOUND,
                        "PROGRAM_NOT_FOUND"));
  EXPECT_TRUE(IsRefusal(api().FundProgram("no-such-program", 100), StatusCode::NOT_FOUND,
                        "PROGRAM_NOT_FOUND"));
}

TEST_F(RefusalsTest, UnknownCategory) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "hovercraft", MintIdNumber()),
                        StatusCode::INVALID_ARGUMENT, "UNKNOWN_CATEGORY"));
}

TEST_F(RefusalsTest, CategoryNotInProgrammeIsUnknown) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  // "phone" is a real category, but this appliance programme has no rule for it.
  EXPECT_TRUE(IsRefusal(api().Issue(pid, "phone", MintIdNumber()), StatusCode::INVALID_ARGUMENT,
                        "UNKNOWN_CATEGORY"));
}

TEST_F(RefusalsTest, InvalidIdNumber) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  const std::string good = MintIdNumber();
  grpc::Status s = api().Issue(pid, "refrigerator", WithBadCheckDigit(good));
  EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_ID_NUMBER"));
  EXPECT_TRUE(HasFieldViolation(s, "consumer.id_number"));
  // The message must not echo the rejected number either.
  EXPECT_EQ(s.error_message().find(WithBadCheckDigit(good)), std::string::npos)
      << s.error_message();

  s = api().Issue(pid, "refrigerator", good.substr(0, 17));
  EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_ID_NUMBER"));
  EXPECT_TRUE(HasFieldViolation(s, "consumer.id_number"));

  // A payer with a bad ID number at the till.
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", good, &v));
  s = api().Redeem(MakeRedeem(v.voucher_id(), mid, WithBadCheckDigit(good),
                              MakePurchase("refrigerator", 500000, 1)));
  EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_ID_NUMBER"));
  EXPECT_TRUE(HasFieldViolation(s, "payer.id_number"));
  ExpectStillRedeemable(v, mid, good, MakePurchase("refrigerator", 500000, 1));
}

TEST_F(RefusalsTest, ProgramExists) {
  const std::string pid = UniqueId("dup");
  HX_ASSERT_OK(api().CreateProgram(ApplianceProgram(pid)));
  EXPECT_TRUE(IsRefusal(api().CreateProgram(ApplianceProgram(pid)), StatusCode::ALREADY_EXISTS,
                        "PROGRAM_EXISTS"));
}

TEST_F(RefusalsTest, InvalidProgramRuleWithoutBound) {
  const std::string pid = UniqueId("unbounded");
  v1::Program p = ApplianceProgram(pid);
  // rules[1] (air_conditioner): neither cap_fen nor fixed_amount_fen, so no bounded hold.
  p.mutable_rules(1)->clear_cap_fen();
  p.mutable_rules(1)->clear_fixed_amount_fen();
  grpc::Status s = api().CreateProgram(p);
  EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_PROGRAM"));
  EXPECT_TRUE(HasFieldViolation(s, "program.rules[1]", /*prefix_ok=*/true));
  EXPECT_TRUE(IsRefusal(api().GetProgram(pid), StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND"))
      << "an invalid programme must not be created";
}

// Malformed numbers are field errors, and extreme ones neither crash nor overflow.
TEST_F(RefusalsTest, MalformedAndExtremeAmounts) {
  std::string pid, mid;
  ASSERT_NO_FATAL_FAILURE(MakeAppliance(&pid, &mid));
  for (int64_t amount : {int64_t{0}, int64_t{-100}}) {
    grpc::Status s = api().FundProgram(pid, amount);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << amount << ": " << Describe(s);
    EXPECT_TRUE(HasFieldViolation(s, "amount_fen")) << amount;
  }
  const std::string id = MintIdNumber();
  v1::Voucher v;
  ASSERT_NO_FATAL_FAILURE(IssueOk(pid, "refrigerator", id, &v));
  grpc::Status s = api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", -500000, 1)));
  EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(s);
  EXPECT_TRUE(HasFieldViolation(s, "purchase.price_fen"));

  // price * rate would overflow int64: either refused as malformed or capped exactly.
  v1::QuoteSubsidyResponse q;
  s = api().Quote(v.voucher_id(), MakePurchase("refrigerator", INT64_MAX, 1), mid, &q);
  if (s.ok()) {
    EXPECT_EQ(q.subsidy_fen(), 200000);
    EXPECT_EQ(q.consumer_pays_fen(), INT64_MAX - 200000);
  } else {
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << Describe(s);
  }
  EXPECT_TRUE(server().running()) << server().StderrTail();
  ExpectStillRedeemable(v, mid, id, MakePurchase("refrigerator", 500000, 1));
}

}  // namespace
}  // namespace huanxin::itest
