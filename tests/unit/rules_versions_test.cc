// Amending a programme's rules (UpdateProgramRules): each amendment is a new rules version
// with a time it takes effect; vouchers are issued and redeemed under the version in force
// then, a redemption names its version, a voucher never pays more than it holds, and bad
// amendments name their field.
#include <string>

#include "common/proto_time.h"
#include "common/status.h"
#include "tests/unit/ledger_fixture.h"

namespace huanxin::testing {
namespace {

class RulesVersionsTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    SetUpProgram("p-one", "m-one", 100'000'000);
  }

  // The fixture's rules with the refrigerator at `rate_bp` for grade 1 and cap `cap_fen`.
  internal::Command Amend(int32_t rate_bp, int64_t cap_fen, absl::Time from,
                          const std::string& rid) {
    internal::Command c = As("admin:ops", rid);
    v1::UpdateProgramRulesRequest* u = c.mutable_update_program_rules();
    u->set_program_id("p-one");
    *u->mutable_rules() = ledger_->GetProgram("p-one")->rules();
    u->mutable_rules(0)->set_grade1_rate_bp(rate_bp);
    u->mutable_rules(0)->set_cap_fen(cap_fen);
    *u->mutable_effective_from() = ToProto(from);
    return c;
  }
};

TEST_F(RulesVersionsTest, AVersionDecidesFromItsTimeOnAndRedemptionsNameIt) {
  // Version 2 from tomorrow: 15%, cap ¥1,500.
  const v1::Program amended =
      MustExecute(Amend(1500, 150000, kStart + absl::Hours(24), "amend-1")).program();
  EXPECT_EQ(amended.rules_version(), 2);
  EXPECT_EQ(FromProto(amended.rules_effective_from()), kStart + absl::Hours(24));
  EXPECT_EQ(ledger_->GetProgram("p-one")->rules(0).grade1_rate_bp(), 1500);

  // Today version 1 decides: the hold is ¥2,000 and 20% is paid.
  const std::string v1 = MustExecute(Issue("p-one", "refrigerator", "c1", "i1")).voucher().voucher_id();
  EXPECT_EQ(ledger_->GetVoucher(v1)->held_fen(), 200000);
  const v1::Redemption today = MustExecute(Redeem(v1, "m-one", "c1", 500000, "r1")).redemption();
  EXPECT_EQ(today.subsidy_fen(), 100000);
  EXPECT_EQ(today.rules_version(), 1);

  // Tomorrow version 2 decides, for issuance and redemption alike.
  const std::string early = MustExecute(Issue("p-one", "refrigerator", "c2", "i2")).voucher().voucher_id();
  clock_->Advance(absl::Hours(25));
  const std::string late = MustExecute(Issue("p-one", "refrigerator", "c3", "i3")).voucher().voucher_id();
  EXPECT_EQ(ledger_->GetVoucher(late)->held_fen(), 150000);
  const v1::Redemption a = MustExecute(Redeem(early, "m-one", "c2", 500000, "r2")).redemption();
  EXPECT_EQ(a.subsidy_fen(), 75000);
  EXPECT_EQ(a.rules_version(), 2);
  const v1::ProgramStats stats = *ledger_->GetProgramStats("p-one");
  EXPECT_EQ(stats.funded_fen(),
            stats.available_fen() + stats.held_fen() + stats.payable_fen() + stats.settled_fen());

  // An adjustment of the first sale recomputes under version 1, its own: 20% of ¥4,000.
  internal::Command adjust = As("retailer:m-one", "adj");
  adjust.mutable_adjust_redemption()->set_redemption_id(today.redemption_id());
  adjust.mutable_adjust_redemption()->set_merchant_id("m-one");
  adjust.mutable_adjust_redemption()->set_new_price_fen(400000);
  adjust.mutable_adjust_redemption()->set_reason("partial refund");
  EXPECT_EQ(MustExecute(adjust).redemption().subsidy_fen(), 80000);
}

TEST_F(RulesVersionsTest, AVoucherNeverPaysMoreThanItHolds) {
  const std::string v = MustExecute(Issue("p-one", "refrigerator", "c1", "i1")).voucher().voucher_id();
  MustExecute(Amend(3000, 300000, kStart, "raise"));  // 30%, cap ¥3,000, from now
  const v1::Redemption d = MustExecute(Redeem(v, "m-one", "c1", 1000000, "r1")).redemption();
  EXPECT_EQ(d.subsidy_fen(), 200000) << "the voucher holds ¥2,000";
  const std::string later = MustExecute(Issue("p-one", "refrigerator", "c2", "i2")).voucher().voucher_id();
  EXPECT_EQ(MustExecute(Redeem(later, "m-one", "c2", 1000000, "r2")).redemption().subsidy_fen(),
            300000);
}

TEST_F(RulesVersionsTest, BadAmendmentsNameTheirField) {
  auto field_of = [&](internal::Command c) { return FieldOf(ledger_->Execute(std::move(c)).status()); };
  EXPECT_EQ(field_of(Amend(1500, 150000, kStart - absl::Hours(1), "past")), "effective_from");
  EXPECT_EQ(field_of(Amend(1500, 150000, kStart + absl::Hours(24 * 400), "after-end")),
            "effective_from");
  EXPECT_EQ(field_of(Amend(1500, 0, kStart, "no-cap")), "rules[0].cap_fen");
  internal::Command dropped = Amend(1500, 150000, kStart, "dropped");
  dropped.mutable_update_program_rules()->mutable_rules()->RemoveLast();
  EXPECT_EQ(field_of(dropped), "rules");
  internal::Command car = Amend(1500, 150000, kStart, "car-rule");
  car.mutable_update_program_rules()->mutable_rules(0)->mutable_new_vehicle()->add_energy_types(
      v1::Vehicle::NEV);
  EXPECT_EQ(field_of(car), "rules[0].new_vehicle");
  // Versions go forward: a second amendment may not take effect before the first.
  MustExecute(Amend(1500, 150000, kStart + absl::Hours(48), "v2"));
  EXPECT_EQ(field_of(Amend(1000, 150000, kStart + absl::Hours(24), "v3-early")), "effective_from");
  EXPECT_EQ(MustExecute(Amend(1000, 150000, kStart + absl::Hours(72), "v3")).program().rules_version(), 3);
  // Only an admin amends.
  internal::Command as_app = Amend(1500, 150000, kStart, "app");
  as_app.set_actor("app:claim");
  EXPECT_EQ(ledger_->Execute(std::move(as_app)).status().code(), absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace huanxin::testing
