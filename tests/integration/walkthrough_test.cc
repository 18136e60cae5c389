// The happy path end to end: an operator sets up a programme and a merchant, the claim app
// issues a voucher, the till quotes and redeems it, and the books balance.
#include <cctype>
#include <string>

#include "common/id_number.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

// The ID-number arithmetic, against the standard's published examples, and the harness's
// synthetic numbers.
TEST(IdNumberHelper, CheckDigitMatchesGb11643Examples) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');
  EXPECT_EQ(IdNumberCheckChar("44052418800101001"), '4');
  std::string a = MintIdNumber(), b = MintIdNumber();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 18u);
  EXPECT_TRUE(ValidateIdNumber(a, "id").ok());
  EXPECT_EQ(a[17], IdNumberCheckChar(a.substr(0, 17)));
  EXPECT_NE(WithBadCheckDigit(a)[17], a[17]);
}

bool IsLowerHex(const std::string& s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

TEST(Walkthrough, FundIssueQuoteRedeemBalances) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());

  const std::string pid = "binzhou-appliance-2025";
  const std::string mid = "m-binzhou-suning";
  const int64_t kFund = 100000000;  // ¥1,000,000

  // Admin: create, fund, register the merchant.
  v1::Program created;
  HX_ASSERT_OK(api.CreateProgram(ApplianceProgram(pid), &created));
  EXPECT_EQ(created.program_id(), pid);
  EXPECT_EQ(created.state(), v1::Program::ACTIVE);
  EXPECT_EQ(created.rules_size(), 3);

  v1::ProgramStats funded;
  HX_ASSERT_OK(api.FundProgram(pid, kFund, &funded));
  EXPECT_EQ(funded.funded_fen(), kFund);
  EXPECT_EQ(funded.available_fen(), kFund);

  v1::Merchant merchant;
  HX_ASSERT_OK(api.RegisterMerchant(MakeMerchant(mid, {pid}), &merchant));
  EXPECT_EQ(merchant.merchant_id(), mid);
  EXPECT_EQ(merchant.state(), v1::Merchant::ACTIVE);

  v1::Program got;
  HX_ASSERT_OK(api.GetProgram(pid, &got));
  EXPECT_EQ(got.program_id(), pid);
  EXPECT_EQ(got.state(), v1::Program::ACTIVE);

  // App: issue a refrigerator voucher.
  const std::string id_number = MintIdNumber();
  v1::Voucher voucher;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", id_number, &voucher));
  EXPECT_FALSE(voucher.voucher_id().empty());
  EXPECT_EQ(voucher.program_id(), pid);
  EXPECT_EQ(voucher.category(), "refrigerator");
  EXPECT_EQ(voucher.state(), v1::Voucher::ISSUED);
  EXPECT_EQ(voucher.held_fen(), 200000);
  EXPECT_EQ(voucher.consumer_ref().size(), 32u) << voucher.consumer_ref();
  EXPECT_TRUE(IsLowerHex(voucher.consumer_ref())) << voucher.consumer_ref();
  EXPECT_EQ(voucher.consumer_ref().find(id_number), std::string::npos);
  EXPECT_NE(voucher.consumer_ref(), id_number);
  EXPECT_GT(voucher.expires_at().seconds(), voucher.issued_at().seconds());
  EXPECT_NEAR(voucher.expires_at().seconds() - voucher.issued_at().seconds(), 3 * 86400, 2);

  v1::ProgramStats after_issue;
  HX_ASSERT_OK(api.Stats(pid, &after_issue));
  EXPECT_EQ(after_issue.held_fen(), 200000);
  EXPECT_EQ(after_issue.available_fen(), kFund - 200000);
  EXPECT_EQ(after_issue.vouchers_issued(), 1);

  // Retailer: quote ¥8,999.00, grade 1: 20% = ¥1,799.80 (under the ¥2,000 cap).
  v1::Purchase purchase = MakePurchase("refrigerator", 899900, 1);
  v1::QuoteSubsidyResponse quote;
  HX_ASSERT_OK(api.Quote(voucher.voucher_id(), purchase, mid, &quote));
  EXPECT_EQ(quote.subsidy_fen(), 179980);
  EXPECT_EQ(quote.consumer_pays_fen(), 719920);

  // A quote changes nothing.
  HX_ASSERT_OK(api.Stats(pid, &after_issue));
  EXPECT_EQ(after_issue.held_fen(), 200000);
  EXPECT_EQ(after_issue.payable_fen(), 0);

  // Redeem.
  v1::Redemption redemption;
  HX_ASSERT_OK(api.Redeem(MakeRedeem(voucher.voucher_id(), mid, id_number, purchase),
                          &redemption));
  EXPECT_FALSE(redemption.redemption_id().empty());
  EXPECT_EQ(redemption.voucher_id(), voucher.voucher_id());
  EXPECT_EQ(redemption.merchant_id(), mid);
  EXPECT_EQ(redemption.price_fen(), 899900);
  EXPECT_EQ(redemption.subsidy_fen(), 179980);
  EXPECT_EQ(redemption.consumer_pays_fen(), 719920);
  EXPECT_EQ(redemption.decision(), v1::Redemption::ALLOW);
  EXPECT_EQ(redemption.state(), v1::Redemption::COMPLETED);

  v1::Redemption fetched;
  HX_ASSERT_OK(api.GetRedemption(redemption.redemption_id(), &fetched));
  EXPECT_EQ(fetched.redemption_id(), redemption.redemption_id());
  EXPECT_EQ(fetched.subsidy_fen(), 179980);
  EXPECT_EQ(fetched.state(), v1::Redemption::COMPLETED);

  v1::Voucher redeemed;
  HX_ASSERT_OK(api.GetVoucher(voucher.voucher_id(), &redeemed));
  EXPECT_EQ(redeemed.state(), v1::Voucher::REDEEMED);
  EXPECT_EQ(redeemed.redemption_id(), redemption.redemption_id());
  EXPECT_EQ(redeemed.consumer_ref(), voucher.consumer_ref());

  // The books: funded = available + held + payable + settled.
  v1::ProgramStats stats;
  HX_ASSERT_OK(api.Stats(pid, &stats));
  EXPECT_EQ(stats.funded_fen(), kFund);
  EXPECT_EQ(stats.funded_fen(), stats.available_fen() + stats.held_fen() + stats.payable_fen() +
                                    stats.settled_fen());
  EXPECT_EQ(stats.payable_fen(), 179980);
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.settled_fen(), 0);
  EXPECT_EQ(stats.available_fen(), kFund - 179980);
  EXPECT_EQ(stats.vouchers_issued(), 1);
  EXPECT_EQ(stats.vouchers_redeemed(), 1);

  EXPECT_EQ(server.Stop(), 0) << "huanxind should exit 0 on SIGTERM\n" << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
