// GetSettlement pages its lines through the real server (default 100 a page, at most 1000,
// next_page_token until the last), and huanxinctl's settlement get and export follow every
// page: a settlement of 1,001 redemptions takes two pages of the largest size.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

constexpr int kLines = 1001;

// Soft checks that would send a burst of sales on one till to review are off.
constexpr char kQuietRules[] =
    "fraud.terminal_velocity_max=100000\nfraud.merchant_burst_min=1000000\n";

std::string Ctl(const std::string& address, const std::string& args) {
  const std::string cmd = std::string(HUANXINCTL_PATH) + " --addr " + address + " " + args;
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  pclose(pipe);
  return out;
}

int CountOf(const std::string& text, const std::string& needle) {
  int count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

TEST(SettlementPages, ServerPagesAndCtlFollowsEveryPage) {
  const std::string config = ::testing::TempDir() + "/settlement-pages.conf";
  std::ofstream(config) << kQuietRules;
  ServerProcess server({"--config=" + config});
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  const std::string pid = UniqueId("pages");
  const std::string mid = UniqueId("m-pages");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), int64_t{kLines} * 200000, mid));
  for (int i = 0; i < kLines; ++i) {
    const std::string id_number = MintIdNumber();
    v1::Voucher voucher;
    HX_ASSERT_OK(api.Issue(pid, "refrigerator", id_number, &voucher));
    v1::Redemption redemption;
    HX_ASSERT_OK(api.Redeem(MakeRedeem(voucher.voucher_id(), mid, id_number,
                                       MakePurchase("refrigerator", 100000, 1)),
                            &redemption));
    ASSERT_EQ(redemption.state(), v1::Redemption::COMPLETED);
  }
  v1::Settlement settlement;
  HX_ASSERT_OK(api.CreateSettlement(mid, NowTimestamp(), &settlement));
  ASSERT_EQ(settlement.redemption_count(), kLines);

  v1::GetSettlementRequest req;
  req.set_settlement_id(settlement.settlement_id());
  v1::SettlementDetail page;
  HX_ASSERT_OK(Call(api.stubs().admin.get(), &v1::AdminService::Stub::GetSettlement, kAdmin, req,
                    &page));
  EXPECT_EQ(page.lines_size(), 100);
  EXPECT_EQ(page.settlement().redemption_count(), kLines);
  EXPECT_FALSE(page.next_page_token().empty());
  req.set_page_size(5000);  // clamped to 1000
  req.set_page_token(page.next_page_token());
  HX_ASSERT_OK(Call(api.stubs().admin.get(), &v1::AdminService::Stub::GetSettlement, kAdmin, req,
                    &page));
  EXPECT_EQ(page.lines_size(), 901);
  EXPECT_TRUE(page.next_page_token().empty());
  req.set_page_token("not-a-token");
  grpc::Status s = Call(api.stubs().admin.get(), &v1::AdminService::Stub::GetSettlement, kAdmin,
                        req, &page);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"page_token"});

  const std::string get =
      Ctl(server.address(), "--as " + std::string(kAuditor) + " settlement get " +
                                settlement.settlement_id());
  EXPECT_EQ(CountOf(get, "\n  redemption "), kLines) << get.substr(0, 500);
  const std::string csv =
      Ctl(server.address(), "--as " + std::string(kAuditor) + " settlement export " +
                                settlement.settlement_id());
  EXPECT_EQ(CountOf(csv, settlement.settlement_id() + "," + mid + ","), kLines)
      << csv.substr(0, 500);
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
