// Durability and PII at rest: after SIGKILL and a restart on the same data directory every
// acknowledged effect is still there, acknowledged requests replay without new effects, the PII
// key file is private, and no clear ID number (or phone, bank card) is anywhere on disk or in
// the server's output.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using google::protobuf::util::MessageDifferencer;
namespace fs = std::filesystem;

std::string ListDir(const std::string& dir) {
  std::ostringstream os;
  for (const auto& e : fs::recursive_directory_iterator(dir)) os << "  " << e.path() << "\n";
  return os.str();
}

TEST(Restart, SurvivesSigkillAndKeepsPiiOffDisk) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  auto api = std::make_unique<Api>(server.address());

  const std::string pid = "binzhou-restart";
  const std::string mid = "m-restart";
  ASSERT_TRUE(api->SetUpProgram(ApplianceProgram(pid), 100000000, mid));

  // Two consumers with the optional identity fields too: all must stay off disk in clear.
  const std::string id_a = MintIdNumber();
  const std::string id_b = MintIdNumber();
  const std::string phone = "13905431234";
  const std::string bank_card = "6222021602001234567";
  const std::string device_id = "device-5f1c9a0e-77aa";

  v1::IssueVoucherRequest issue_req;
  issue_req.set_request_id(NextRequestId());
  issue_req.set_program_id(pid);
  issue_req.set_category("refrigerator");
  issue_req.mutable_consumer()->set_id_number(id_a);
  issue_req.mutable_consumer()->set_name("张三");
  issue_req.mutable_consumer()->set_phone(phone);
  issue_req.mutable_consumer()->set_device_id(device_id);
  issue_req.mutable_consumer()->set_bank_card(bank_card);
  v1::Voucher voucher;
  HX_ASSERT_OK(Call(api->stubs().issuance.get(), &v1::IssuanceService::Stub::IssueVoucher, kApp,
                    issue_req, &voucher));

  v1::RedeemRequest redeem_req =
      MakeRedeem(voucher.voucher_id(), mid, id_a, MakePurchase("refrigerator", 899900, 1));
  redeem_req.mutable_payer()->set_phone(phone);
  v1::Redemption redemption;
  HX_ASSERT_OK(api->Redeem(redeem_req, &redemption));

  // A second, unredeemed voucher (still held).
  v1::Voucher held;
  HX_ASSERT_OK(api->Issue(pid, "television", id_b, &held));
  // And a denied redemption attempt for it (a bad payer), so denials are on disk too.
  ASSERT_TRUE(IsRefusal(api->Redeem(MakeRedeem(held.voucher_id(), mid, id_a,
                                               MakePurchase("television", 300000, 1))),
                        grpc::StatusCode::FAILED_PRECONDITION, "VOUCHER_NOT_OWNED"));

  v1::Voucher voucher_before, held_before;
  v1::Redemption redemption_before;
  v1::ProgramStats stats_before;
  v1::Program program_before;
  HX_ASSERT_OK(api->GetVoucher(voucher.voucher_id(), &voucher_before));
  HX_ASSERT_OK(api->GetVoucher(held.voucher_id(), &held_before));
  HX_ASSERT_OK(api->GetRedemption(redemption.redemption_id(), &redemption_before));
  HX_ASSERT_OK(api->Stats(pid, &stats_before));
  HX_ASSERT_OK(api->GetProgram(pid, &program_before));
  EXPECT_EQ(voucher_before.state(), v1::Voucher::REDEEMED);
  EXPECT_EQ(stats_before.held_fen(), 200000);
  EXPECT_EQ(stats_before.payable_fen(), 179980);

  // Crash and come back on the same data directory.
  server.Kill();
  ASSERT_TRUE(server.Restart());
  api = std::make_unique<Api>(server.address());

  v1::Voucher voucher_after, held_after;
  v1::Redemption redemption_after;
  v1::ProgramStats stats_after;
  v1::Program program_after;
  HX_ASSERT_OK(api->GetVoucher(voucher.voucher_id(), &voucher_after));
  HX_ASSERT_OK(api->GetVoucher(held.voucher_id(), &held_after));
  HX_ASSERT_OK(api->GetRedemption(redemption.redemption_id(), &redemption_after));
  HX_ASSERT_OK(api->Stats(pid, &stats_after));
  HX_ASSERT_OK(api->GetProgram(pid, &program_after));
  EXPECT_TRUE(MessageDifferencer::Equals(voucher_before, voucher_after))
      << "before:\n" << voucher_before.DebugString() << "after:\n" << voucher_after.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(held_before, held_after))
      << "before:\n" << held_before.DebugString() << "after:\n" << held_after.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(redemption_before, redemption_after))
      << "before:\n" << redemption_before.DebugString() << "after:\n"
      << redemption_after.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(stats_before, stats_after))
      << "before:\n" << stats_before.DebugString() << "after:\n" << stats_after.DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(program_before, program_after))
      << "before:\n" << program_before.DebugString() << "after:\n" << program_after.DebugString();

  // Acknowledged requests replay their first responses, with no new effect.
  v1::Voucher voucher_replay;
  HX_EXPECT_OK(Call(api->stubs().issuance.get(), &v1::IssuanceService::Stub::IssueVoucher, kApp,
                    issue_req, &voucher_replay));
  EXPECT_EQ(voucher_replay.voucher_id(), voucher.voucher_id());
  EXPECT_TRUE(MessageDifferencer::Equals(voucher_replay, voucher))
      << "the replay should be the first response\nfirst:\n" << voucher.DebugString()
      << "replay:\n" << voucher_replay.DebugString();
  v1::Redemption redemption_replay;
  HX_EXPECT_OK(api->Redeem(redeem_req, &redemption_replay));
  EXPECT_EQ(redemption_replay.redemption_id(), redemption.redemption_id());
  EXPECT_TRUE(MessageDifferencer::Equals(redemption_replay, redemption))
      << "first:\n" << redemption.DebugString() << "replay:\n" << redemption_replay.DebugString();
  v1::ProgramStats stats_replayed;
  HX_ASSERT_OK(api->Stats(pid, &stats_replayed));
  EXPECT_TRUE(MessageDifferencer::Equals(stats_before, stats_replayed))
      << "replays must not change the books\nbefore:\n" << stats_before.DebugString()
      << "after:\n" << stats_replayed.DebugString();

  // New work still proceeds after the restart.
  v1::Voucher fresh;
  HX_EXPECT_OK(api->Issue(pid, "refrigerator", MintIdNumber(), &fresh));
  EXPECT_NE(fresh.voucher_id(), voucher.voucher_id());
  EXPECT_NE(fresh.voucher_id(), held.voucher_id());

  // A clean stop, so every file is as the server leaves it.
  EXPECT_EQ(server.Stop(), 0) << "huanxind should exit 0 on SIGTERM\n" << server.StderrTail();

  // The PII key file (default: a file in the data dir) is mode 0600; so is the signing key.
  bool found_pii_key = false;
  for (const auto& e : fs::recursive_directory_iterator(server.data_dir())) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    const bool pii = name.find("pii") != std::string::npos;
    const bool signing = name.find("sign") != std::string::npos;
    if (!pii && !signing) continue;
    found_pii_key = found_pii_key || pii;
    struct stat st;
    ASSERT_EQ(stat(e.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600) << e.path() << " has mode " << std::oct
                                       << (st.st_mode & 0777);
  }
  EXPECT_TRUE(found_pii_key) << "no PII key file (name containing \"pii\") in the data dir:\n"
                             << ListDir(server.data_dir());

  // No clear identity values anywhere: data dir (which holds the stderr log) and stdout.
  const std::vector<std::string> needles = {id_a, id_b, phone, bank_card, device_id, "张三"};
  std::vector<std::string> hits = FindClearValues(server.data_dir(), needles);
  EXPECT_TRUE(hits.empty()) << "clear identity values found:\n"
                            << ::testing::PrintToString(hits);
  const std::string out = server.stdout_text();
  for (const auto& n : needles) {
    EXPECT_EQ(out.find(n), std::string::npos) << "stdout contains " << n;
  }
  // Positive control: the same scan does see clear non-PII values the ledger stores (the
  // programme id), so an empty result above means something.
  EXPECT_FALSE(FindClearValues(server.data_dir(), {pid}).empty())
      << "the scan found not even the programme id; is the data readable?\n"
      << ListDir(server.data_dir());
  // The stderr log is really where we think it is, and was searched.
  EXPECT_TRUE(fs::exists(server.stderr_path()));
}

}  // namespace
}  // namespace huanxin::itest
