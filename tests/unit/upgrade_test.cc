// A ledger written by an earlier release (tests/data/upgrade/ledger.tar.gz; make.sh there says
// how it was made and when to make a new one) under today's code: replaying its entries
// rebuilds the state that release wrote, byte for byte, so every old ledger reads back as it
// was; and the ledger opens, balances and takes today's commands.
#include <cstdlib>
#include <string>

#include "common/status.h"
#include "ledger/replay.h"
#include "ledger_fixture.h"
#include "storage/db.h"

namespace huanxin::testing {
namespace {

using storage::Cf;

// The released ledger, unpacked into `dir` (its data directory; the ledger in dir/ledger).
void Unpack(const std::string& dir) {
  const std::string cmd = "tar -C '" + dir + "' -xzf '" HUANXIN_SOURCE_DIR
                          "/tests/data/upgrade/ledger.tar.gz'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST(UpgradeTest, AnOldLedgerReplaysToTheStateItWrote) {
  TempDir dir, other;
  ASSERT_NO_FATAL_FAILURE(Unpack(dir.path()));
  storage::Db::Options existing;
  existing.create_if_missing = false;
  auto old = storage::Db::Open(dir.path() + "/ledger", existing);
  ASSERT_TRUE(old.ok()) << old.status();
  auto rebuilt = storage::Db::Open(other.path());
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  absl::StatusOr<int64_t> n = ledger::Replay(**old, rebuilt->get());
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_GE(*n, 40) << "the fixture holds the demo set and a day of sales";
  for (Cf cf : {Cf::kState, Cf::kIndex, Cf::kEntries, Cf::kTree, Cf::kMeta}) {
    EXPECT_EQ(Dump(**old, cf), Dump(**rebuilt, cf)) << storage::CfName(cf);
  }
}

class UpgradedLedgerTest : public LedgerTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Unpack(dir_.path()));
    LedgerTest::SetUp();
  }
};

TEST_F(UpgradedLedgerTest, TheOldBooksBalanceAndTodaysCommandsRun) {
  absl::StatusOr<v1::ListProgramsResponse> programs = ledger_->ListPrograms(0, "");
  ASSERT_TRUE(programs.ok()) << programs.status();
  EXPECT_EQ(programs->programs_size(), 8);
  for (const v1::Program& p : programs->programs()) {
    const v1::ProgramStats s = *ledger_->GetProgramStats(p.program_id());
    EXPECT_EQ(s.funded_fen(), s.available_fen() + s.held_fen() + s.payable_fen() + s.settled_fen())
        << p.program_id();
    EXPECT_EQ(p.rules_version(), 0) << "written before rules versions: version 1";
  }
  // A redemption of the old ledger, adjusted today under the rules that decided it.
  const v1::ProgramStats before = *ledger_->GetProgramStats("binzhou-appliance-2026");
  ASSERT_GT(before.payable_fen(), 0);
  absl::StatusOr<v1::ListEntriesResponse> sales = ledger_->ListEntries(
      ledger::EntryQuery{.types = {v1::LedgerEntry::REDEMPTION_COMPLETED}}, 100, 0);
  ASSERT_TRUE(sales.ok()) << sales.status();
  std::string unsettled;
  for (const v1::LedgerEntry& e : sales->entries()) {
    const v1::Redemption d = *ledger_->GetRedemption(e.redemption_completed().redemption().redemption_id());
    if (d.state() == v1::Redemption::COMPLETED) unsettled = d.redemption_id();
  }
  ASSERT_FALSE(unsettled.empty());
  const v1::Redemption d = *ledger_->GetRedemption(unsettled);
  internal::Command adjust = As("retailer:" + d.merchant_id(), "upgrade-adjust");
  adjust.mutable_adjust_redemption()->set_redemption_id(d.redemption_id());
  adjust.mutable_adjust_redemption()->set_merchant_id(d.merchant_id());
  adjust.mutable_adjust_redemption()->set_new_price_fen(d.price_fen() - 10000);
  adjust.mutable_adjust_redemption()->set_reason("price protection");
  const v1::Redemption adjusted = MustExecute(adjust).redemption();
  EXPECT_LT(adjusted.subsidy_fen(), d.subsidy_fen());
  const v1::ProgramStats after = *ledger_->GetProgramStats("binzhou-appliance-2026");
  EXPECT_EQ(after.payable_fen(), before.payable_fen() - (d.subsidy_fen() - adjusted.subsidy_fen()));
  EXPECT_EQ(after.funded_fen(),
            after.available_fen() + after.held_fen() + after.payable_fen() + after.settled_fen());
}

}  // namespace
}  // namespace huanxin::testing
