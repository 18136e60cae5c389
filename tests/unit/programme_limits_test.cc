// Programme rules as data, through the ledger over real RocksDB: limit groups shared across
// programmes, claim caps, validity in calendar days, required invoices, and funding by source.
#include <string>

#include "absl/time/civil_time.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"

namespace huanxin::testing {
namespace {

class ProgrammeLimitsTest : public LedgerTest {
 protected:
  // CreateProgram(id) in limit group `group`, with `kind`.
  internal::Command InGroup(const std::string& id, const std::string& group,
                            v1::Program::Kind kind = v1::Program::APPLIANCE) {
    internal::Command c = CreateProgram(id);
    c.mutable_create_program()->mutable_program()->set_limit_group(group);
    c.mutable_create_program()->mutable_program()->set_kind(kind);
    return c;
  }

  // A programme created, funded with ¥100,000 and whitelisted for merchant "m-<id>".
  void Ready(internal::Command create) {
    const std::string id = create.create_program().program().program_id();
    MustExecute(std::move(create));
    MustExecute(Fund(id, 10'000'000, "fund-" + id));
    MustExecute(Merchant("m-" + id, id));
  }

  internal::Command Cancel(const std::string& voucher, const std::string& rid) {
    internal::Command c = As("app:claim", rid);
    c.mutable_cancel_voucher()->set_voucher_id(voucher);
    c.mutable_cancel_voucher()->set_reason("changed mind");
    return c;
  }

  absl::Status Refusal(internal::Command c) { return ledger_->Execute(std::move(c)).status(); }
};

TEST_F(ProgrammeLimitsTest, ProgrammesOfOneLimitGroupCountOneFridgePerPersonOnce) {
  Ready(InGroup("national-2026", "appliance-2026"));
  Ready(InGroup("city-topup-2026", "appliance-2026"));
  Ready(CreateProgram("appliance-2025"));  // last year's, no group: its own count
  MustExecute(Issue("national-2026", "refrigerator", "wang", "i1"));

  absl::Status s = Refusal(Issue("city-topup-2026", "refrigerator", "wang", "i2"));
  EXPECT_EQ(ReasonOf(s), reason::kConsumerLimitReached) << s;
  MustExecute(Issue("city-topup-2026", "refrigerator", "li", "i3"));
  MustExecute(Issue("appliance-2025", "refrigerator", "wang", "i4"));
}

TEST_F(ProgrammeLimitsTest, TheTotalCapIsSharedAcrossTheGroup) {
  internal::Command a = InGroup("national-2026", "appliance-2026");
  a.mutable_create_program()->mutable_program()->set_per_consumer_total_cap_fen(100000);
  internal::Command b = InGroup("city-topup-2026", "appliance-2026");
  b.mutable_create_program()->mutable_program()->set_per_consumer_total_cap_fen(100000);
  Ready(std::move(a));
  Ready(std::move(b));
  std::string v = MustExecute(Issue("national-2026", "refrigerator", "wang", "i1"))
                      .voucher().voucher_id();
  // 20 % of ¥6,000 is ¥1,200, capped at the ¥1,000 total: the whole cap is used.
  EXPECT_EQ(MustExecute(Redeem(v, "m-national-2026", "wang", 600000, "r1")).redemption()
                .subsidy_fen(),
            100000);
  absl::Status s = Refusal(Issue("city-topup-2026", "air_conditioner", "wang", "i2"));
  EXPECT_EQ(ReasonOf(s), reason::kConsumerLimitReached) << s;
}

TEST_F(ProgrammeLimitsTest, ALimitGroupHoldsOneKindOfProgramme) {
  MustExecute(InGroup("national-2026", "appliance-2026"));
  absl::Status s =
      Refusal(InGroup("digital-2026", "appliance-2026", v1::Program::DIGITAL));
  EXPECT_EQ(ReasonOf(s), reason::kInvalidProgram) << s;
  EXPECT_EQ(FieldOf(s), "program.limit_group") << s;
  MustExecute(InGroup("city-topup-2026", "appliance-2026"));
}

TEST_F(ProgrammeLimitsTest, ClaimsAreCappedCountingCancelledAndExpiredVouchers) {
  internal::Command create = CreateProgram("capped");
  create.mutable_create_program()->mutable_program()->set_max_claims_per_consumer(3);
  Ready(std::move(create));
  std::string v1 = MustExecute(Issue("capped", "refrigerator", "wang", "i1")).voucher().voucher_id();
  MustExecute(Cancel(v1, "c1"));
  std::string v2 = MustExecute(Issue("capped", "refrigerator", "wang", "i2")).voucher().voucher_id();
  clock_->Advance(absl::Hours(24 * 3 + 1));
  ASSERT_TRUE(ledger_->SweepExpired().ok());
  EXPECT_EQ(ledger_->GetVoucher(v2)->state(), v1::Voucher::EXPIRED);
  std::string v3 = MustExecute(Issue("capped", "refrigerator", "wang", "i3")).voucher().voucher_id();
  MustExecute(Cancel(v3, "c3"));

  absl::Status s = Refusal(Issue("capped", "refrigerator", "wang", "i4"));
  EXPECT_EQ(ReasonOf(s), reason::kClaimLimitReached) << s;
  MustExecute(Issue("capped", "air_conditioner", "wang", "i5"));  // the cap is per category
}

TEST_F(ProgrammeLimitsTest, TheClaimCapStopsReclaimingAfterEachCancellation) {
  internal::Command create = CreateProgram("capped");
  create.mutable_create_program()->mutable_program()->set_max_claims_per_consumer(2);
  Ready(std::move(create));
  for (const char* rid : {"i1", "i2"}) {
    std::string v = MustExecute(Issue("capped", "refrigerator", "wang", rid)).voucher().voucher_id();
    MustExecute(Cancel(v, std::string("c-") + rid));
  }
  absl::Status s = Refusal(Issue("capped", "refrigerator", "wang", "i3"));
  EXPECT_EQ(ReasonOf(s), reason::kClaimLimitReached) << s;
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  MustExecute(Issue("capped", "refrigerator", "li", "i4"));
}

TEST_F(ProgrammeLimitsTest, ValidityDaysEndAtMidnightInShanghai) {
  const absl::TimeZone shanghai = absl::FixedTimeZone(8 * 3600);
  for (int days : {1, 2}) {
    const std::string id = "valid-" + std::to_string(days);
    internal::Command create = CreateProgram(id);
    create.mutable_create_program()->mutable_program()->clear_voucher_ttl();
    create.mutable_create_program()->mutable_program()->set_voucher_validity_days(days);
    Ready(std::move(create));
    // Issued 2025-06-01 10:00: valid to 24:00 of 06-01 (1 day) or of 06-02 (2 days).
    v1::Voucher v = MustExecute(Issue(id, "refrigerator", "wang", "i-" + id)).voucher();
    EXPECT_EQ(FromProto(v.expires_at()),
              absl::FromCivil(absl::CivilDay(2025, 6, 1 + days), shanghai))
        << days;
  }
}

TEST_F(ProgrammeLimitsTest, AVoucherExpiresWithItsProgrammeWhicheverComesFirst) {
  internal::Command create = CreateProgram("ending");
  v1::Program* p = create.mutable_create_program()->mutable_program();
  p->clear_voucher_ttl();
  p->set_voucher_validity_days(30);
  *p->mutable_end_time() = ToProto(kStart + absl::Hours(5));
  Ready(std::move(create));
  v1::Voucher v = MustExecute(Issue("ending", "refrigerator", "wang", "i1")).voucher();
  EXPECT_EQ(FromProto(v.expires_at()), kStart + absl::Hours(5));
}

TEST_F(ProgrammeLimitsTest, ARuleThatRequiresAnInvoiceRefusesASaleWithout) {
  internal::Command create = CreateProgram("invoiced");
  create.mutable_create_program()->mutable_program()->mutable_rules(0)->set_requires_invoice(true);
  Ready(std::move(create));
  std::string v = MustExecute(Issue("invoiced", "refrigerator", "wang", "i1")).voucher().voucher_id();
  absl::Status s = Refusal(Redeem(v, "m-invoiced", "wang", 399900, "r1"));
  EXPECT_EQ(ReasonOf(s), reason::kInvoiceRequired) << s;
  internal::Command with = Redeem(v, "m-invoiced", "wang", 399900, "r2");
  with.mutable_redeem()->mutable_purchase()->set_invoice_number("INV-2026-0001");
  EXPECT_EQ(MustExecute(std::move(with)).redemption().subsidy_fen(), 79980);
  EXPECT_EQ(ledger_->GetProgramStats("invoiced")->redemptions_denied_input(), 1);
}

TEST_F(ProgrammeLimitsTest, FundingAndSpendingAreReportedBySource) {
  internal::Command create = CreateProgram("shared");
  v1::Program* p = create.mutable_create_program()->mutable_program();
  for (auto [source, bp] : {std::pair{v1::CENTRAL, 8500}, std::pair{v1::PROVINCIAL, 750},
                            std::pair{v1::MUNICIPAL, 750}}) {
    v1::CostShare* share = p->add_cost_shares();
    share->set_source(source);
    share->set_share_bp(bp);
  }
  MustExecute(std::move(create));
  // A programme with cost shares takes funding only from its sources.
  absl::Status s = Refusal(Fund("shared", 100, "no-source"));
  EXPECT_EQ(FieldOf(s), "source") << s;
  internal::Command county = Fund("shared", 100, "county");
  county.mutable_fund_program()->set_source(v1::COUNTY);
  EXPECT_EQ(FieldOf(Refusal(std::move(county))), "source");

  for (auto [source, fen] : {std::pair{v1::MUNICIPAL, 750'000}, std::pair{v1::CENTRAL, 8'500'000},
                             std::pair{v1::PROVINCIAL, 750'000}, std::pair{v1::CENTRAL, 1}}) {
    internal::Command fund = Fund("shared", fen, "fund-" + std::to_string(source) + "-" +
                                                     std::to_string(fen));
    fund.mutable_fund_program()->set_source(source);
    MustExecute(std::move(fund));
  }
  MustExecute(Merchant("m-shared", "shared"));
  std::string v = MustExecute(Issue("shared", "refrigerator", "wang", "i1")).voucher().voucher_id();
  // ¥3,999 at 20 % is ¥799.80 = 79,980 fen: 85 % is 67,983; 7.5 % is 5,998.5, floored to
  // 5,998 twice; the fen left over goes to the first share, CENTRAL.
  MustExecute(Redeem(v, "m-shared", "wang", 399900, "r1"));

  absl::StatusOr<v1::ProgramStats> stats = ledger_->GetProgramStats("shared");
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->funded_by_source_size(), 3);
  EXPECT_EQ(stats->funded_by_source(0).source(), v1::CENTRAL);
  EXPECT_EQ(stats->funded_by_source(0).amount_fen(), 8'500'001);
  EXPECT_EQ(stats->funded_by_source(1).source(), v1::PROVINCIAL);
  EXPECT_EQ(stats->funded_by_source(1).amount_fen(), 750'000);
  EXPECT_EQ(stats->funded_by_source(2).source(), v1::MUNICIPAL);
  EXPECT_EQ(stats->funded_by_source(2).amount_fen(), 750'000);
  ASSERT_EQ(stats->spent_by_source_size(), 3);
  EXPECT_EQ(stats->spent_by_source(0).amount_fen(), 67'984);
  EXPECT_EQ(stats->spent_by_source(1).amount_fen(), 5'998);
  EXPECT_EQ(stats->spent_by_source(2).amount_fen(), 5'998);
}

TEST_F(ProgrammeLimitsTest, FundingWithoutSourcesIsReportedAsUnspecified) {
  MustExecute(CreateProgram("plain"));
  internal::Reply r = MustExecute(Fund("plain", 5000, "f1"));
  ASSERT_EQ(r.stats().funded_by_source_size(), 1);
  EXPECT_EQ(r.stats().funded_by_source(0).source(), v1::FUND_SOURCE_UNSPECIFIED);
  EXPECT_EQ(r.stats().funded_by_source(0).amount_fen(), 5000);
  EXPECT_EQ(r.stats().spent_by_source_size(), 0);
  EXPECT_EQ(ledger_->GetProgramStats("plain")->funded_by_source(0).amount_fen(), 5000);
}

TEST_F(ProgrammeLimitsTest, GroupAndClaimCountsSurviveReopen) {
  internal::Command create = InGroup("national-2026", "appliance-2026");
  create.mutable_create_program()->mutable_program()->set_max_claims_per_consumer(1);
  Ready(std::move(create));
  Ready(InGroup("city-topup-2026", "appliance-2026"));
  std::string v = MustExecute(Issue("national-2026", "refrigerator", "wang", "i1")).voucher().voucher_id();
  MustExecute(Cancel(v, "c1"));
  Reopen();
  EXPECT_EQ(ReasonOf(Refusal(Issue("national-2026", "refrigerator", "wang", "i2"))),
            reason::kClaimLimitReached);
  // The claim cap is the national programme's; the city programme shares its count but
  // sets no cap of its own.
  MustExecute(Issue("city-topup-2026", "refrigerator", "wang", "i3"));
}

}  // namespace
}  // namespace huanxin::testing
