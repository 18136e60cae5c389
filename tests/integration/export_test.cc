// huanxinctl's exports as an auditor and the finance bureau use them, against a real
// huanxind: the audit CSV carries each entry's ids, the state it left and the reason given,
// and a denial's category; the settlement CSV carries each sale's invoice and serial number;
// --excel writes both for spreadsheets (UTF-8 BOM, Chinese headers, yuan with two decimals).
// The books count denials by category.
#include <stdio.h>
#include <sys/wait.h>

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr char kBom[] = "\xEF\xBB\xBF";

struct CtlOutput {
  int exit_code = -1;
  std::string out;  // stdout only
};

// An RFC 4180 document as rows of fields.
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

class ExportTest : public SharedServerTest<ExportTest> {
 protected:
  // huanxinctl --addr <server> `args`.
  static CtlOutput Ctl(const std::string& args) {
    CtlOutput r;
    const std::string cmd = std::string(HUANXINCTL_PATH) + " --addr " + server().address() +
                            " " + args + " 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof(buf), pipe)) > 0;) r.out.append(buf, n);
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }

  // A programme with a denied and a completed redemption, settled, then paused with
  // kPauseReason; a recycler with one appliance receipt.
  static void SetUpTestSuite() {
    SharedServerTest<ExportTest>::SetUpTestSuite();
    if (api_ == nullptr) return;
    pid_ = UniqueId("exp");
    mid_ = UniqueId("m-exp");
    rid_ = UniqueId("r-exp");
    ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(pid_), 10'000'000, mid_));
    const std::string owner = MintIdNumber();
    HX_ASSERT_OK(api().Issue(pid_, "refrigerator", owner, &voucher_));
    purchase_ = MakePurchase("refrigerator", 500000, 1);
    purchase_.set_invoice_number("37162500000123");  // 14 digits, as on a 发票
    grpc::Status not_owned =
        api().Redeem(MakeRedeem(voucher_.voucher_id(), mid_, MintIdNumber(), purchase_));
    ASSERT_TRUE(IsRefusal(not_owned, StatusCode::FAILED_PRECONDITION, "VOUCHER_NOT_OWNED"));
    HX_ASSERT_OK(api().Redeem(MakeRedeem(voucher_.voucher_id(), mid_, owner, purchase_),
                              &redemption_));
    HX_ASSERT_OK(api().CreateSettlement(mid_, NowTimestamp(), &settlement_));

    v1::SetProgramStateRequest pause;
    pause.set_request_id(NextRequestId());
    pause.set_program_id(pid_);
    pause.set_state(v1::Program::PAUSED);
    pause.set_reason(kPauseReason);
    v1::Program program;
    HX_ASSERT_OK(Call(api().stubs().admin.get(), &v1::AdminService::Stub::SetProgramState, kAdmin,
                      pause, &program));

    v1::RegisterRecyclerRequest reg;
    reg.set_request_id(NextRequestId());
    reg.mutable_recycler()->set_recycler_id(rid_);
    reg.mutable_recycler()->set_name("滨州家电回收有限公司");
    reg.mutable_recycler()->set_region_code("371600");
    reg.mutable_recycler()->add_accepts(v1::ScrapReceipt::APPLIANCE);
    v1::Recycler recycler;
    HX_ASSERT_OK(Call(api().stubs().admin.get(), &v1::AdminService::Stub::RegisterRecycler,
                      kAdmin, reg, &recycler));
    v1::ConfirmScrapReceiptRequest confirm;
    confirm.set_request_id(NextRequestId());
    v1::ScrapReceipt* r = confirm.mutable_receipt();
    r->set_certificate_number(UniqueId("HS3716"));
    r->set_item_kind(v1::ScrapReceipt::APPLIANCE);
    r->set_serial_number(UniqueId("OLD-FRIDGE"));
    r->set_category("refrigerator");
    *r->mutable_owner() = Consumer(owner);
    HX_ASSERT_OK(Call(api().stubs().recycling.get(),
                      &v1::RecyclingService::Stub::ConfirmScrapReceipt, "recycler:" + rid_, confirm,
                      &receipt_));
  }

  // The audit CSV's rows by column name; the header must be `header`.
  static std::vector<std::map<std::string, std::string>> AuditRows(const std::string& csv) {
    std::vector<std::vector<std::string>> rows = ParseCsv(csv);
    std::vector<std::map<std::string, std::string>> out;
    if (rows.empty()) return out;
    for (size_t i = 1; i < rows.size(); ++i) {
      std::map<std::string, std::string> row;
      EXPECT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
      for (size_t j = 0; j < rows[0].size() && j < rows[i].size(); ++j) {
        row[rows[0][j]] = rows[i][j];
      }
      out.push_back(row);
    }
    return out;
  }

  // The one row of `type` whose `column` is `value`.
  static std::map<std::string, std::string> Row(
      const std::vector<std::map<std::string, std::string>>& rows, const std::string& type,
      const std::string& column, const std::string& value) {
    std::map<std::string, std::string> found;
    int n = 0;
    for (const auto& row : rows) {
      auto t = row.find("type");
      auto c = row.find(column);
      if (t != row.end() && t->second == type && c != row.end() && c->second == value) {
        found = row;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << type << " rows with " << column << " = " << value;
    return found;
  }

  static constexpr char kPauseReason[] = "=1+2, 暂停发放 \"audit\"";
  static inline std::string pid_, mid_, rid_;
  static inline v1::Voucher voucher_;
  static inline v1::Purchase purchase_;
  static inline v1::Redemption redemption_;
  static inline v1::Settlement settlement_;
  static inline v1::ScrapReceipt receipt_;
};

TEST_F(ExportTest, AuditCsvRowsCarryIdsStatesReasonsAndDenialCategories) {
  CtlOutput csv = Ctl(std::string("--as ") + kAuditor + " audit export --format csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  EXPECT_EQ(csv.out.rfind(
                "seq,time,type,actor,program_id,merchant_id,amount_fen,postings,voucher_id,"
                "redemption_id,receipt_id,recycler_id,settlement_id,state,reason,"
                "denial_category\n",
                0),
            0u)
      << csv.out;
  const auto rows = AuditRows(csv.out);

  auto paused = Row(rows, "PROGRAM_STATE_CHANGED", "program_id", pid_);
  EXPECT_EQ(paused["state"], "PAUSED");
  EXPECT_EQ(paused["reason"], kPauseReason);  // verbatim: the machine form changes no text

  auto recycler = Row(rows, "RECYCLER_REGISTERED", "recycler_id", rid_);
  EXPECT_EQ(recycler["state"], "ACTIVE");

  auto issued = Row(rows, "VOUCHER_ISSUED", "voucher_id", voucher_.voucher_id());
  EXPECT_EQ(issued["program_id"], pid_);

  auto denied = Row(rows, "REDEMPTION_DENIED", "voucher_id", voucher_.voucher_id());
  EXPECT_EQ(denied["reason"], "VOUCHER_NOT_OWNED");
  EXPECT_EQ(denied["denial_category"], "INPUT");
  EXPECT_EQ(denied["merchant_id"], mid_);

  auto completed = Row(rows, "REDEMPTION_COMPLETED", "redemption_id",
                       redemption_.redemption_id());
  EXPECT_EQ(completed["voucher_id"], voucher_.voucher_id());
  EXPECT_EQ(completed["amount_fen"], std::to_string(redemption_.subsidy_fen()));
  EXPECT_EQ(completed["state"], "COMPLETED");
  EXPECT_EQ(completed["denial_category"], "");

  auto settled = Row(rows, "SETTLEMENT_CREATED", "settlement_id", settlement_.settlement_id());
  EXPECT_EQ(settled["merchant_id"], mid_);

  auto receipt = Row(rows, "RECEIPT_CONFIRMED", "receipt_id", receipt_.receipt_id());
  EXPECT_EQ(receipt["recycler_id"], rid_);
  EXPECT_EQ(receipt["state"], "CONFIRMED");
}

TEST_F(ExportTest, AuditCsvForExcel) {
  CtlOutput csv = Ctl(std::string("--as ") + kAuditor + " audit export --format csv --excel");
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  ASSERT_EQ(csv.out.rfind(kBom, 0), 0u) << "no UTF-8 byte order mark";
  const std::vector<std::vector<std::string>> rows = ParseCsv(csv.out.substr(3));
  ASSERT_GT(rows.size(), 1u);
  const std::vector<std::string> header = {
      "序号", "时间", "类型", "操作方", "项目编号", "商户编号", "金额(元)", "记账分录",
      "补贴券编号", "核销编号", "回收证明编号", "回收企业编号", "结算单编号", "状态", "原因",
      "拒绝类别"};
  EXPECT_EQ(rows[0], header);
  bool funded = false, paused = false;
  for (const auto& row : rows) {
    if (row.size() != header.size()) continue;
    if (row[2] == "PROGRAM_FUNDED" && row[4] == pid_) {
      funded = true;
      EXPECT_EQ(row[6], "100000.00");  // 10,000,000 fen
      EXPECT_NE(row[7].find("treasury -> budget:" + pid_ + " 100000.00"), std::string::npos)
          << row[7];
    }
    if (row[2] == "PROGRAM_STATE_CHANGED" && row[4] == pid_) {
      paused = true;
      // Excel would run "=1+2" as a formula: the cell starts with an apostrophe.
      EXPECT_EQ(row[14], std::string("'") + kPauseReason);
    }
  }
  EXPECT_TRUE(funded && paused) << csv.out;
  // --excel is a CSV form: jsonl refuses it as a usage error.
  EXPECT_EQ(Ctl(std::string("--as ") + kAuditor + " audit export --format jsonl --excel")
                .exit_code,
            2);
}

TEST_F(ExportTest, SettlementCsvCarriesInvoiceAndSerialAndHasAnExcelForm) {
  const std::string args =
      std::string("--as ") + kAuditor + " settlement export " + settlement_.settlement_id();
  CtlOutput csv = Ctl(args);
  ASSERT_EQ(csv.exit_code, 0) << csv.out;
  std::vector<std::vector<std::string>> rows = ParseCsv(csv.out);
  ASSERT_EQ(rows.size(), 2u) << csv.out;
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "settlement_id", "merchant_id", "redemption_id", "voucher_id",
                         "program_id", "redeemed_at", "price_fen", "subsidy_fen", "state",
                         "invoice_number", "serial_number"}));
  ASSERT_EQ(rows[1].size(), 11u);
  EXPECT_EQ(rows[1][2], redemption_.redemption_id());
  EXPECT_EQ(rows[1][6], "500000");
  EXPECT_EQ(rows[1][7], std::to_string(redemption_.subsidy_fen()));
  EXPECT_EQ(rows[1][9], "37162500000123");
  EXPECT_EQ(rows[1][10], purchase_.serial_number());

  CtlOutput excel = Ctl(args + " --excel");
  ASSERT_EQ(excel.exit_code, 0) << excel.out;
  ASSERT_EQ(excel.out.rfind(kBom, 0), 0u) << "no UTF-8 byte order mark";
  rows = ParseCsv(excel.out.substr(3));
  ASSERT_EQ(rows.size(), 2u) << excel.out;
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "结算单编号", "商户编号", "核销编号", "补贴券编号", "项目编号",
                         "核销时间", "售价(元)", "补贴金额(元)", "状态", "发票号码",
                         "产品序列号"}));
  ASSERT_EQ(rows[1].size(), 11u);
  EXPECT_EQ(rows[1][6], "5000.00");
  EXPECT_EQ(rows[1][7], "1000.00");  // 20% of ¥5,000, at most the ¥2,000 cap
  // 14 digits would show as 3.71625E+13 in Excel: kept as text.
  EXPECT_EQ(rows[1][9], "=\"37162500000123\"");
}

TEST_F(ExportTest, TheBooksCountDenialsByCategory) {
  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid_, &stats));
  EXPECT_EQ(stats.redemptions_denied(), 1);
  EXPECT_EQ(stats.redemptions_denied_input(), 1);
  EXPECT_EQ(stats.redemptions_denied_eligibility(), 0);
  EXPECT_EQ(stats.redemptions_denied_fraud(), 0);
  CtlOutput shown = Ctl(std::string("--as ") + kAuditor + " program stats " + pid_);
  EXPECT_NE(shown.out.find("denied by    input 1  eligibility 0  fraud 0"), std::string::npos)
      << shown.out;
}

}  // namespace
}  // namespace huanxin::itest
