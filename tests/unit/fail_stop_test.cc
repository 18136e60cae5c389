// What stops the writer and what does not: only a storage failure is fail-stop. A broken
// rule (here a programme whose rate the validation of today would refuse, as an older
// version might have written it) refuses the one command that meets it, and the ledger goes
// on taking writes.
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger_fixture.h"
#include "rocksdb/write_batch.h"
#include "storage/db.h"
#include "storage/keys.h"

namespace huanxin::testing {
namespace {

using storage::Cf;

TEST(IsStorageFailure, OnlyUnavailableAndDataLoss) {
  EXPECT_TRUE(IsStorageFailure(absl::UnavailableError("storage write: IO error")));
  EXPECT_TRUE(IsStorageFailure(absl::DataLossError("entry 3 is corrupt")));
  EXPECT_FALSE(IsStorageFailure(absl::InternalError("rule has a rate outside 0..10000 bp")));
  EXPECT_FALSE(IsStorageFailure(Refuse(reason::kBudgetExhausted, "no money")));
  EXPECT_FALSE(IsStorageFailure(absl::OkStatus()));
}

class FailStopTest : public LedgerTest {
 protected:
  // Rewrites the stored programme `id` with `edit` applied, behind the ledger's back.
  template <typename Edit>
  void EditStoredProgram(const std::string& id, Edit edit) {
    ledger_.reset();
    {
      auto db = storage::Db::Open(dir_.path() + "/ledger");
      ASSERT_TRUE(db.ok()) << db.status();
      auto raw = (*db)->Get(Cf::kState, storage::keys::Program(id));
      ASSERT_TRUE(raw.ok() && raw->has_value());
      v1::Program program;
      ASSERT_TRUE(program.ParseFromString(**raw));
      edit(&program);
      rocksdb::WriteBatch batch;
      ASSERT_TRUE(batch
                      .Put((*db)->handle(Cf::kState), storage::keys::Program(id),
                           program.SerializeAsString())
                      .ok());
      ASSERT_TRUE((*db)->Write(&batch).ok());
    }
    Reopen();
  }
};

TEST_F(FailStopTest, ABrokenRuleRefusesOneCommandAndTheLedgerGoesOn) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 1'000'000, "fund-1"));
  MustExecute(Merchant("m-one", "p-one"));
  internal::Reply issued = MustExecute(Issue("p-one", "refrigerator", "c1", "issue-1"));
  EditStoredProgram("p-one", [](v1::Program* p) { p->mutable_rules(0)->set_grade1_rate_bp(20000); });

  absl::StatusOr<internal::Reply> redeemed = ledger_->Execute(
      Redeem(issued.voucher().voucher_id(), "m-one", "c1", 899900, "redeem-1"));
  ASSERT_FALSE(redeemed.ok());
  EXPECT_EQ(redeemed.status().code(), absl::StatusCode::kInternal) << redeemed.status();
  EXPECT_TRUE(ledger_->Health().ok()) << ledger_->Health();

  // Nothing was recorded for it, and the ledger still writes.
  internal::Reply funded = MustExecute(Fund("p-one", 100, "fund-2"));
  EXPECT_EQ(funded.seq(), issued.seq() + 1);
  auto voucher = ledger_->GetVoucher(issued.voucher().voucher_id());
  ASSERT_TRUE(voucher.ok());
  EXPECT_EQ(voucher->state(), v1::Voucher::ISSUED);
}

}  // namespace
}  // namespace huanxin::testing
