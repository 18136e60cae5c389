// Programme rules as data through a real huanxind: a limit group shared by a national
// programme and a city top-up, a claim cap, vouchers valid in calendar days, a rule that
// requires the invoice, funding by source shown by GetProgramStats and huanxinctl, price
// adjustments after the sale, and rules amended as new versions.
#include <fstream>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"

#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

constexpr int64_t kFund = 100000000;  // ¥1,000,000

class ProgrammeRulesTest : public SharedServerTest<ProgrammeRulesTest> {};

TEST_F(ProgrammeRulesTest, ACityTopUpAndTheNationalProgrammeCountOneFridgeOnce) {
  const std::string group = UniqueId("group");
  const std::string national = UniqueId("national"), city = UniqueId("city");
  const std::string mid = UniqueId("m-group");
  v1::Program n = ApplianceProgram(national);
  n.set_limit_group(group);
  v1::Program c = ApplianceProgram(city);
  c.set_limit_group(group);
  ASSERT_TRUE(api().SetUpProgram(n, kFund, mid));
  ASSERT_TRUE(api().SetUpProgram(c, kFund, ""));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(national, "refrigerator", id, &v));
  EXPECT_EQ(v.limit_group(), group);
  grpc::Status s = api().Issue(city, "refrigerator", id);
  EXPECT_EQ(ReasonOf(s), "CONSUMER_LIMIT_REACHED") << Describe(s);

  v1::Program digital = DigitalProgram(UniqueId("digital"));
  digital.set_limit_group(group);
  s = api().CreateProgram(digital);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(s);
  EXPECT_EQ(ReasonOf(s), "INVALID_PROGRAM") << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"program.limit_group"}) << Describe(s);
}

TEST_F(ProgrammeRulesTest, AClaimCapEndsReclaimingAfterCancellations) {
  const std::string pid = UniqueId("claims");
  v1::Program p = ApplianceProgram(pid);
  p.set_max_claims_per_consumer(2);
  ASSERT_TRUE(api().SetUpProgram(p, kFund, ""));
  const std::string id = MintIdNumber();
  for (int i = 0; i < 2; ++i) {
    v1::Voucher v;
    HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
    HX_ASSERT_OK(api().CancelVoucher(v.voucher_id()));
  }
  grpc::Status s = api().Issue(pid, "refrigerator", id);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << Describe(s);
  EXPECT_EQ(ReasonOf(s), "CLAIM_LIMIT_REACHED") << Describe(s);
  EXPECT_TRUE(api().BooksBalance(pid));
}

TEST_F(ProgrammeRulesTest, ValidityDaysAndRequiredInvoices) {
  const std::string pid = UniqueId("days"), mid = UniqueId("m-days");
  v1::Program p = ApplianceProgram(pid);
  p.clear_voucher_ttl();
  p.set_voucher_validity_days(2);
  for (v1::CategoryRule& rule : *p.mutable_rules()) rule.set_requires_invoice(true);
  ASSERT_TRUE(api().SetUpProgram(p, kFund, mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  // Valid to 24:00 (UTC+8) of the day after the day of issue: a midnight in Shanghai, more
  // than 24 and at most 48 hours away.
  const int64_t left = v.expires_at().seconds() - v.issued_at().seconds();
  EXPECT_EQ((v.expires_at().seconds() + 8 * 3600) % 86400, 0) << v.DebugString();
  EXPECT_GT(left, 24 * 3600);
  EXPECT_LE(left, 48 * 3600);

  v1::Purchase purchase = MakePurchase("refrigerator", 399900, 1);
  purchase.clear_invoice_number();
  purchase.clear_serial_number();
  // A quote comes before the sale, so before its invoice: it names the subsidy all the same.
  v1::QuoteSubsidyResponse quote;
  HX_ASSERT_OK(api().Quote(v.voucher_id(), purchase, mid, &quote));
  EXPECT_EQ(quote.subsidy_fen(), 79980);
  purchase.set_serial_number(UniqueId("SN"));
  grpc::Status s = api().Redeem(MakeRedeem(v.voucher_id(), mid, id, purchase));
  EXPECT_EQ(ReasonOf(s), "INVOICE_REQUIRED") << Describe(s);
  purchase.set_invoice_number(UniqueId("INV"));
  v1::Redemption d;
  HX_ASSERT_OK(api().Redeem(MakeRedeem(v.voucher_id(), mid, id, purchase), &d));
  EXPECT_EQ(d.subsidy_fen(), 79980);
}

TEST_F(ProgrammeRulesTest, FundingAndSpendingBySourceInStatsAndHuanxinctl) {
  const std::string pid = UniqueId("sources"), mid = UniqueId("m-sources");
  v1::Program p = ApplianceProgram(pid);
  for (auto [source, bp] : {std::pair{v1::CENTRAL, 8500}, std::pair{v1::PROVINCIAL, 750},
                            std::pair{v1::MUNICIPAL, 750}}) {
    v1::CostShare* share = p.add_cost_shares();
    share->set_source(source);
    share->set_share_bp(bp);
  }
  ASSERT_TRUE(api().SetUpProgram(p, 0, mid));
  // Without a source, funding a programme with cost shares is refused, naming the field.
  grpc::Status s = api().FundProgram(pid, kFund);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"source"}) << Describe(s);

  auto ctl = [&](std::vector<std::string> args, const std::string& as = kAdmin) {
    args.insert(args.begin(), {"--as", as});
    return RunCtl(server().address(), std::move(args));
  };
  for (auto [source, yuan] : {std::pair{"CENTRAL", "850000"}, std::pair{"PROVINCIAL", "75000"},
                              std::pair{"MUNICIPAL", "75000"}}) {
    CliResult r = ctl({"program", "fund", pid, yuan, "--source", source});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  CliResult bad = ctl({"program", "fund", pid, "1", "--source", "CITY"});
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE(bad.err.find("--source"), std::string::npos) << bad.err;

  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", 399900, 1))));

  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  ASSERT_EQ(stats.funded_by_source_size(), 3) << stats.DebugString();
  EXPECT_EQ(stats.funded_by_source(0).amount_fen(), 85000000);
  ASSERT_EQ(stats.spent_by_source_size(), 3) << stats.DebugString();
  EXPECT_EQ(stats.spent_by_source(0).source(), v1::CENTRAL);
  EXPECT_EQ(stats.spent_by_source(0).amount_fen(), 67984);
  EXPECT_EQ(stats.spent_by_source(1).amount_fen(), 5998);

  CliResult program = ctl({"program", "get", pid});
  ASSERT_EQ(program.exit_code, 0) << program.out << program.err;
  EXPECT_NE(program.out.find("cost shares CENTRAL 85% PROVINCIAL 7.5% MUNICIPAL 7.5%"),
            std::string::npos)
      << program.out;
  CliResult shown = ctl({"program", "stats", pid}, kAuditor);
  ASSERT_EQ(shown.exit_code, 0) << shown.out << shown.err;
  EXPECT_NE(shown.out.find("funded by    CENTRAL ¥850,000.00  PROVINCIAL ¥75,000.00  "
                           "MUNICIPAL ¥75,000.00"),
            std::string::npos)
      << shown.out;
  EXPECT_NE(shown.out.find("spent by     CENTRAL ¥679.84  PROVINCIAL ¥59.98  MUNICIPAL ¥59.98"),
            std::string::npos)
      << shown.out;
}

TEST_F(ProgrammeRulesTest, APriceAdjustmentReturnsTheSubsidyDifferenceThroughHuanxinctl) {
  const std::string pid = UniqueId("adjust"), mid = UniqueId("m-adjust");
  ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(pid), kFund, mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  v1::Redemption d;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", 399900, 1)), &d));
  ASSERT_EQ(d.subsidy_fen(), 79980);

  // Price protection: ¥3,999 -> ¥3,499, the subsidy 20% of that.
  CliResult r = RunCtl(server().address(), {"--as", Retailer(mid), "redemption", "adjust",
                                            d.redemption_id(), "--price", "3499", "--reason",
                                            "price protection"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("subsidy ¥699.80"), std::string::npos) << r.out;
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 69980);
  EXPECT_EQ(stats.available_fen(), kFund - 69980);

  // Not higher, and not another merchant's sale.
  v1::AdjustRedemptionRequest higher;
  higher.set_request_id(UniqueId("adj"));
  higher.set_redemption_id(d.redemption_id());
  higher.set_merchant_id(mid);
  higher.set_new_price_fen(399900);
  higher.set_reason("typo");
  v1::Redemption out;
  grpc::Status s = Call(api().stubs().redemption.get(),
                        &v1::RedemptionService::Stub::AdjustRedemption, Retailer(mid), higher, &out);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"new_price_fen"}) << Describe(s);
  higher.set_merchant_id("m-other");
  higher.set_new_price_fen(100000);
  s = Call(api().stubs().redemption.get(), &v1::RedemptionService::Stub::AdjustRedemption,
           Retailer(mid), higher, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(ProgrammeRulesTest, AmendedRulesDecideFromTheirTimeAndHuanxinctlShowsTheVersion) {
  const std::string pid = UniqueId("amend"), mid = UniqueId("m-amend");
  v1::Program p = ApplianceProgram(pid);
  ASSERT_TRUE(api().SetUpProgram(p, kFund, mid));
  // The file an operator edits: the programme with its refrigerator at 15%, cap ¥1,500.
  for (v1::CategoryRule& rule : *p.mutable_rules()) {
    if (rule.category() != "refrigerator") continue;
    rule.set_grade1_rate_bp(1500);
    rule.set_cap_fen(150000);
  }
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(p, &json).ok());
  const std::string file = server().data_dir() + "/" + pid + ".json";
  std::ofstream(file) << json;
  CliResult r = RunCtl(server().address(),
                       {"--as", kAdmin, "program", "update-rules", pid, "--file", file});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("rules version 2, in force from"), std::string::npos) << r.out;

  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  EXPECT_EQ(v.held_fen(), 150000);
  v1::Redemption d;
  HX_ASSERT_OK(api().Redeem(
      MakeRedeem(v.voucher_id(), mid, id, MakePurchase("refrigerator", 399900, 1)), &d));
  EXPECT_EQ(d.subsidy_fen(), 59985);
  EXPECT_EQ(d.rules_version(), 2);

  // A version that would drop a category is refused, naming the field.
  p.mutable_rules()->RemoveLast();
  json.clear();
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(p, &json).ok());
  std::ofstream(file) << json;
  CliResult dropped = RunCtl(server().address(),
                             {"--as", kAdmin, "program", "update-rules", pid, "--file", file});
  EXPECT_EQ(dropped.exit_code, 1) << dropped.out << dropped.err;
  EXPECT_NE(dropped.err.find("INVALID_PROGRAM"), std::string::npos) << dropped.err;
  EXPECT_TRUE(api().BooksBalance(pid));
}

}  // namespace
}  // namespace huanxin::itest
