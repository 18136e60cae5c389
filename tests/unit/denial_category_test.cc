// Refused redemptions by category: the table (rules/denial_category.h) gives every reason a
// redemption can be refused with its category; the ledger records it in the REDEMPTION_DENIED
// entry and the programme's books count denials by it; entries written before categories
// existed replay as they did, counted in the total only.
#include <string>
#include <vector>

#include "common/status.h"
#include "gtest/gtest.h"
#include "ledger/apply.h"
#include "ledger_fixture.h"
#include "rules/denial_category.h"
#include "storage/batch.h"
#include "storage/db.h"
#include "storage/keys.h"

namespace huanxin::testing {
namespace {

using Category = v1::RedemptionDenied::Category;

// Every reason CheckRedemption (ledger/commands/redemption.cc), CheckReceiptForRedemption
// (ledger/commands/recycling.cc) and ComputeSubsidy (rules/subsidy.cc) refuse a redemption
// with, by the category an auditor files it under.
struct Filed {
  Category category;
  std::vector<const char*> reasons;
};
const Filed kRedemptionRefusals[] = {
    {v1::RedemptionDenied::INPUT,
     {reason::kVoucherNotFound, reason::kMerchantNotFound, reason::kVoucherAlreadyRedeemed,
      reason::kVoucherNotOwned, reason::kCategoryMismatch, reason::kSerialRequired,
      reason::kScrapReceiptRequired, reason::kInvalidField, reason::kInvoiceRequired}},
    {v1::RedemptionDenied::ELIGIBILITY,
     {reason::kMerchantNotEligible, reason::kProgramNotActive, reason::kVoucherExpired,
      reason::kVoucherNotActive, reason::kEnergyGradeIneligible, reason::kPriceAboveCeiling,
      reason::kVehicleIneligible, reason::kNewVehicleIneligible}},
    {v1::RedemptionDenied::FRAUD,
     {reason::kDuplicateSerial, reason::kDuplicateInvoice, reason::kScrapReceiptInvalid}},
};

TEST(DenialCategoryTest, EveryRedemptionRefusalReasonHasItsCategory) {
  for (const Filed& filed : kRedemptionRefusals) {
    for (const char* r : filed.reasons) {
      EXPECT_NE(DenialCategory(r), v1::RedemptionDenied::CATEGORY_UNSPECIFIED) << r;
      EXPECT_EQ(v1::RedemptionDenied::Category_Name(DenialCategory(r)),
                v1::RedemptionDenied::Category_Name(filed.category))
          << r;
    }
  }
}

TEST(DenialCategoryTest, ReasonsThatRefuseNoRedemptionHaveNone) {
  for (const char* r : {reason::kBudgetExhausted, reason::kIdempotencyKeyReused,
                        reason::kUnavailable, "", "voucher_not_owned", "NO_SUCH_REASON"}) {
    EXPECT_EQ(DenialCategory(r), v1::RedemptionDenied::CATEGORY_UNSPECIFIED) << r;
  }
}

class DenialLedgerTest : public LedgerTest {
 protected:
  std::vector<v1::RedemptionDenied> Denials() {
    std::vector<v1::RedemptionDenied> out;
    auto entries = ledger_->ReadEntries(0, 1000);
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (!entries.ok()) return out;
    for (const v1::EntryWithLeaf& e : *entries) {
      if (e.entry().has_redemption_denied()) out.push_back(e.entry().redemption_denied());
    }
    return out;
  }
};

TEST_F(DenialLedgerTest, EachDenialRecordsItsCategoryAndTheBooksCountThemApart) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 1'000'000, "fund"));
  MustExecute(Merchant("m-one", "p-one"));
  const std::string a = MustExecute(Issue("p-one", "refrigerator", "c1", "i1")).voucher().voucher_id();
  const std::string b = MustExecute(Issue("p-one", "refrigerator", "c2", "i2")).voucher().voucher_id();

  // A till's mistake: the wrong customer's voucher.
  EXPECT_EQ(ReasonOf(ledger_->Execute(Redeem(a, "m-one", "c2", 100000, "r1")).status()),
            reason::kVoucherNotOwned);
  // Not subsidised: energy grade 3.
  internal::Command grade3 = Redeem(a, "m-one", "c1", 100000, "r2");
  grade3.mutable_redeem()->mutable_purchase()->set_energy_grade(3);
  EXPECT_EQ(ReasonOf(ledger_->Execute(grade3).status()), reason::kEnergyGradeIneligible);
  // Sold, then the same fridge (serial) claimed again on another voucher.
  internal::Command sold = Redeem(a, "m-one", "c1", 100000, "r3");
  sold.mutable_redeem()->mutable_purchase()->set_serial_number("SN-1");
  MustExecute(sold);
  internal::Command again = Redeem(b, "m-one", "c2", 100000, "r4");
  again.mutable_redeem()->mutable_purchase()->set_serial_number("SN-1");
  EXPECT_EQ(ReasonOf(ledger_->Execute(again).status()), reason::kDuplicateSerial);
  // A till scanning the redeemed voucher twice.
  EXPECT_EQ(ReasonOf(ledger_->Execute(Redeem(a, "m-one", "c1", 100000, "r5")).status()),
            reason::kVoucherAlreadyRedeemed);

  std::vector<v1::RedemptionDenied> denials = Denials();
  ASSERT_EQ(denials.size(), 4u);
  const Category want[] = {v1::RedemptionDenied::INPUT, v1::RedemptionDenied::ELIGIBILITY,
                           v1::RedemptionDenied::FRAUD, v1::RedemptionDenied::INPUT};
  for (size_t i = 0; i < denials.size(); ++i) {
    EXPECT_EQ(v1::RedemptionDenied::Category_Name(denials[i].category()),
              v1::RedemptionDenied::Category_Name(want[i]))
        << denials[i].reason();
  }
  auto stats = ledger_->GetProgramStats("p-one");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->redemptions_denied(), 4);
  EXPECT_EQ(stats->redemptions_denied_input(), 2);
  EXPECT_EQ(stats->redemptions_denied_eligibility(), 1);
  EXPECT_EQ(stats->redemptions_denied_fraud(), 1);
}

// An entry as the ledger wrote it before denials had categories: applied (as replay and an
// upgraded server do), it counts in redemptions_denied and in no category.
TEST(DenialReplayTest, AnEntryWithoutACategoryCountsInTheTotalOnly) {
  TempDir dir;
  auto db = storage::Db::Open(dir.path());
  ASSERT_TRUE(db.ok()) << db.status();
  auto apply = [&](int64_t seq, Category category) {
    v1::LedgerEntry e;
    e.set_seq(seq);
    *e.mutable_time() = ToProto(kStart);
    e.set_type(v1::LedgerEntry::REDEMPTION_DENIED);
    e.set_actor("retailer:m-old");
    v1::RedemptionDenied* d = e.mutable_redemption_denied();
    d->set_program_id("p-old");
    d->set_voucher_id("v-old");
    d->set_reason(reason::kVoucherNotOwned);
    d->set_category(category);
    storage::Batch batch(db->get());
    ASSERT_TRUE(ledger::Apply(e, &batch).ok());
    ASSERT_TRUE(batch.Commit().ok());
  };
  auto stats = [&] {
    v1::ProgramStats s;
    auto raw = (*db)->Get(storage::Cf::kState, storage::keys::Stats("p-old"));
    EXPECT_TRUE(raw.ok() && raw->has_value());
    if (raw.ok() && raw->has_value()) EXPECT_TRUE(s.ParseFromString(**raw));
    return s;
  };
  ASSERT_NO_FATAL_FAILURE(apply(0, v1::RedemptionDenied::CATEGORY_UNSPECIFIED));
  v1::ProgramStats old = stats();
  EXPECT_EQ(old.redemptions_denied(), 1);
  EXPECT_EQ(old.redemptions_denied_input() + old.redemptions_denied_eligibility() +
                old.redemptions_denied_fraud(),
            0);
  ASSERT_NO_FATAL_FAILURE(apply(1, v1::RedemptionDenied::INPUT));
  EXPECT_EQ(stats().redemptions_denied(), 2);
  EXPECT_EQ(stats().redemptions_denied_input(), 1);
}

}  // namespace
}  // namespace huanxin::testing
