// Price adjustments after the sale (AdjustRedemption): the subsidy is recomputed on the lower
// price, the difference goes back to the budget (or is owed after settlement, netted by the
// next one), only the merchant that redeemed may adjust, only lower, and the books balance.
#include <string>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "tests/unit/ledger_fixture.h"

namespace huanxin::testing {
namespace {

class AfterSaleTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SetUpProgram("p-one", "m-one", 100'000'000);
  }

  // A fresh consumer's refrigerator redeemed at m-one for `price_fen`.
  v1::Redemption Sale(const std::string& consumer, int64_t price_fen) {
    const std::string v = MustExecute(Issue("p-one", "refrigerator", consumer, "i-" + consumer))
                              .voucher()
                              .voucher_id();
    return MustExecute(Redeem(v, "m-one", consumer, price_fen, "r-" + consumer)).redemption();
  }

  internal::Command Adjust(const std::string& redemption_id, int64_t new_price_fen,
                           const std::string& rid, const std::string& merchant = "m-one") {
    internal::Command c = As("retailer:" + merchant, rid);
    v1::AdjustRedemptionRequest* a = c.mutable_adjust_redemption();
    a->set_redemption_id(redemption_id);
    a->set_merchant_id(merchant);
    a->set_new_price_fen(new_price_fen);
    a->set_reason("price protection");
    return c;
  }

  void ExpectBooksBalance() {
    absl::StatusOr<v1::ProgramStats> s = ledger_->GetProgramStats("p-one");
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_EQ(s->funded_fen(),
              s->available_fen() + s->held_fen() + s->payable_fen() + s->settled_fen());
  }
};

TEST_F(AfterSaleTest, ALowerPriceRecomputesTheSubsidyAndReturnsTheDifference) {
  const v1::Redemption sale = Sale("c1", 899900);  // 20% = ¥1,799.80
  ASSERT_EQ(sale.subsidy_fen(), 179980);
  const v1::Redemption adjusted = MustExecute(Adjust(sale.redemption_id(), 799900, "a1")).redemption();
  EXPECT_EQ(adjusted.price_fen(), 799900);
  EXPECT_EQ(adjusted.subsidy_fen(), 159980);
  EXPECT_EQ(adjusted.consumer_pays_fen(), 799900 - 159980);
  EXPECT_EQ(adjusted.state(), v1::Redemption::COMPLETED);
  EXPECT_EQ(adjusted.purchase().price_fen(), 899900) << "the sale as made stays recorded";
  const v1::ProgramStats stats = *ledger_->GetProgramStats("p-one");
  EXPECT_EQ(stats.payable_fen(), 159980);
  EXPECT_EQ(stats.available_fen(), 100'000'000 - 159980);
  ExpectBooksBalance();
  // The entry records the price and subsidy before, and the same key replays it.
  const v1::LedgerEntry e = ledger_->GetEntry(adjusted.ledger_seq())->entry();
  EXPECT_EQ(e.type(), v1::LedgerEntry::REDEMPTION_ADJUSTED);
  EXPECT_EQ(e.redemption_adjusted().price_before_fen(), 899900);
  EXPECT_EQ(e.redemption_adjusted().subsidy_before_fen(), 179980);
  EXPECT_EQ(MustExecute(Adjust(sale.redemption_id(), 799900, "a1")).seq(), adjusted.ledger_seq());
  // Above the cap the subsidy does not move: ¥12,000 -> ¥11,000 is ¥2,000 either way.
  const v1::Redemption capped = Sale("c2", 1200000);
  EXPECT_EQ(MustExecute(Adjust(capped.redemption_id(), 1100000, "a2")).redemption().subsidy_fen(),
            200000);
  ExpectBooksBalance();
}

TEST_F(AfterSaleTest, OnlyLowerOnlyItsOwnAndOnlyWhileCompletedOrSettled) {
  const v1::Redemption sale = Sale("c1", 500000);
  for (int64_t price : {int64_t{500000}, int64_t{600000}, int64_t{0}}) {
    absl::Status s = ledger_->Execute(Adjust(sale.redemption_id(), price, absl::StrCat("p", price))).status();
    EXPECT_EQ(FieldOf(s), "new_price_fen") << price << ": " << s;
  }
  MustExecute(Merchant("m-two", "p-one"));
  EXPECT_EQ(ReasonOf(ledger_->Execute(Adjust(sale.redemption_id(), 400000, "o", "m-two")).status()),
            reason::kRedemptionNotFound);
  internal::Command reverse = As("retailer:m-one", "rev");
  reverse.mutable_reverse_redemption()->set_redemption_id(sale.redemption_id());
  reverse.mutable_reverse_redemption()->set_merchant_id("m-one");
  MustExecute(reverse);
  EXPECT_EQ(ReasonOf(ledger_->Execute(Adjust(sale.redemption_id(), 400000, "after")).status()),
            reason::kRedemptionNotReversible);
  ExpectBooksBalance();
}

TEST_F(AfterSaleTest, AfterSettlementTheMerchantOwesTheDifferenceUntilTheNextSettlement) {
  const v1::Redemption first = Sale("c1", 899900);  // ¥1,799.80
  internal::Command settle = As("admin:ops", "settle-1");
  settle.mutable_create_settlement()->set_merchant_id("m-one");
  *settle.mutable_create_settlement()->mutable_up_to_time() = ToProto(clock_->Now());
  MustExecute(settle);
  const v1::Redemption adjusted =
      MustExecute(Adjust(first.redemption_id(), 499900, "a1")).redemption();  // ¥999.80
  EXPECT_EQ(adjusted.state(), v1::Redemption::SETTLED);
  EXPECT_EQ(ledger_->GetProgramStats("p-one")->payable_fen(), -80000);
  ExpectBooksBalance();
  clock_->Advance(absl::Minutes(1));
  Sale("c2", 500000);  // ¥1,000.00
  internal::Command next = As("admin:ops", "settle-2");
  next.mutable_create_settlement()->set_merchant_id("m-one");
  *next.mutable_create_settlement()->mutable_up_to_time() = ToProto(clock_->Now());
  const v1::Settlement s = MustExecute(next).settlement();
  EXPECT_EQ(s.gross_fen(), 100000);
  EXPECT_EQ(s.clawback_fen(), 80000);
  EXPECT_EQ(s.total_fen(), 20000);
  EXPECT_EQ(ledger_->GetProgramStats("p-one")->payable_fen(), 0);
  ExpectBooksBalance();
}

}  // namespace
}  // namespace huanxin::testing
