// The ledger core in-process over real RocksDB: durability across reopen, replay
// determinism, idempotency, atomic batches and the budget under concurrency.
#include <atomic>
#include <thread>
#include <vector>

#include "common/status.h"
#include "ledger/reply.h"
#include "ledger/replay.h"
#include "ledger/state.h"
#include "ledger_fixture.h"
#include "storage/batch.h"
#include "storage/keys.h"

namespace huanxin::testing {
namespace {

using storage::Cf;

TEST_F(LedgerTest, AcknowledgedWritesSurviveReopenAndSeqsStayGapFree) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 1'000'000, "fund-1"));
  MustExecute(Merchant("m-one", "p-one"));
  internal::Reply issued = MustExecute(Issue("p-one", "refrigerator", "c1", "issue-1"));
  internal::Reply redeemed =
      MustExecute(Redeem(issued.voucher().voucher_id(), "m-one", "c1", 899900, "redeem-1"));
  EXPECT_EQ(redeemed.seq(), 4);

  Reopen();
  auto voucher = ledger_->GetVoucher(issued.voucher().voucher_id());
  ASSERT_TRUE(voucher.ok()) << voucher.status();
  EXPECT_EQ(voucher->state(), v1::Voucher::REDEEMED);
  EXPECT_EQ(voucher->redemption_id(), redeemed.redemption().redemption_id());
  auto stats = ledger_->GetProgramStats("p-one");
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->funded_fen(), 1'000'000);
  EXPECT_EQ(stats->payable_fen(), 179980);
  EXPECT_EQ(stats->held_fen(), 0);
  EXPECT_EQ(stats->available_fen(), 1'000'000 - 179980);

  // After the restart the next entry follows on, and a retry still gets its first answer.
  internal::Reply again = MustExecute(Issue("p-one", "refrigerator", "c1", "issue-1"));
  EXPECT_EQ(again.voucher().voucher_id(), issued.voucher().voucher_id());
  EXPECT_EQ(again.seq(), issued.seq());
  internal::Reply next = MustExecute(Issue("p-one", "air_conditioner", "c1", "issue-2"));
  EXPECT_EQ(next.seq(), 5);
}

TEST_F(LedgerTest, ReplayingTheEntriesRebuildsByteIdenticalState) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 700'000, "fund-1"));
  MustExecute(Merchant("m-one", "p-one"));
  std::vector<std::string> vouchers;
  for (int i = 0; i < 3; ++i) {
    vouchers.push_back(MustExecute(Issue("p-one", "air_conditioner", "c1",
                                         absl::StrCat("issue-", i)))
                           .voucher()
                           .voucher_id());
  }
  // A denial (wrong payer), a cancellation, a redemption and an unrecorded refusal.
  EXPECT_FALSE(ledger_->Execute(Redeem(vouchers[0], "m-one", "c2", 300000, "r-0",
                                       "air_conditioner")).ok());
  internal::Command cancel = As("app:claim", "cancel-1");
  cancel.mutable_cancel_voucher()->set_voucher_id(vouchers[1]);
  MustExecute(cancel);
  MustExecute(Redeem(vouchers[0], "m-one", "c1", 300000, "r-1", "air_conditioner"));
  EXPECT_FALSE(ledger_->Execute(Issue("p-none", "refrigerator", "c9", "issue-9")).ok());
  clock_->Advance(absl::Hours(30));
  MustExecute(Fund("p-one", 5, "fund-2"));
  // A price adjustment and a rules amendment (its versions are state too).
  internal::Command adjust = As("retailer:m-one", "adjust-1");
  adjust.mutable_adjust_redemption()->set_redemption_id(
      ledger_->GetVoucher(vouchers[0])->redemption_id());
  adjust.mutable_adjust_redemption()->set_merchant_id("m-one");
  adjust.mutable_adjust_redemption()->set_new_price_fen(250000);
  adjust.mutable_adjust_redemption()->set_reason("price protection");
  MustExecute(adjust);
  internal::Command amend = As("admin:ops", "amend-1");
  amend.mutable_update_program_rules()->set_program_id("p-one");
  *amend.mutable_update_program_rules()->mutable_rules() = ledger_->GetProgram("p-one")->rules();
  amend.mutable_update_program_rules()->mutable_rules(0)->set_cap_fen(150000);
  MustExecute(amend);

  TempDir other;
  auto rebuilt = storage::Db::Open(other.path());
  ASSERT_TRUE(rebuilt.ok());
  auto n = ledger::Replay(*ledger_->db(), rebuilt->get());
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 12);
  for (Cf cf : {Cf::kState, Cf::kIndex, Cf::kEntries, Cf::kTree, Cf::kMeta}) {
    EXPECT_EQ(Dump(*ledger_->db(), cf), Dump(**rebuilt, cf)) << storage::CfName(cf);
  }
}

TEST_F(LedgerTest, SameKeyDifferentRequestIsRefusedAndKeysAreScopedToThePrincipal) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 1'000'000, "k"));
  auto reused = ledger_->Execute(Fund("p-one", 2'000'000, "k"));
  EXPECT_EQ(ReasonOf(reused.status()), reason::kIdempotencyKeyReused);
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kAlreadyExists);
  internal::Command other = Fund("p-one", 2'000'000, "k");
  other.set_actor("admin:someone-else");
  MustExecute(other);
  EXPECT_EQ(ledger_->GetProgramStats("p-one")->funded_fen(), 3'000'000);
}

TEST_F(LedgerTest, ADeniedRedemptionReplaysItsDenialAndLeavesTheVoucherUsable) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 1'000'000, "fund"));
  MustExecute(Merchant("m-one", "p-one"));
  std::string v = MustExecute(Issue("p-one", "refrigerator", "c1", "i")).voucher().voucher_id();
  auto denied = ledger_->Execute(Redeem(v, "m-one", "someone-else", 100000, "r"));
  EXPECT_EQ(ReasonOf(denied.status()), reason::kVoucherNotOwned);
  auto replayed = ledger_->Execute(Redeem(v, "m-one", "someone-else", 100000, "r"));
  EXPECT_EQ(replayed.status(), denied.status());
  EXPECT_EQ(ledger_->GetProgramStats("p-one")->redemptions_denied(), 1);
  EXPECT_EQ(ledger_->GetVoucher(v)->state(), v1::Voucher::ISSUED);
  MustExecute(Redeem(v, "m-one", "c1", 100000, "r2"));
}

TEST_F(LedgerTest, ABudgetThatFitsExactlyNHoldsIssuesExactlyNUnderConcurrency) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 5 * 200000, "fund"));
  std::atomic<int> ok{0}, exhausted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&, i] {
      auto r = ledger_->Execute(Issue("p-one", "refrigerator", absl::StrCat("c", i),
                                      absl::StrCat("issue-", i)));
      if (r.ok()) ++ok;
      if (ReasonOf(r.status()) == reason::kBudgetExhausted) ++exhausted;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 5);
  EXPECT_EQ(exhausted, 19);
  auto stats = ledger_->GetProgramStats("p-one");
  EXPECT_EQ(stats->held_fen(), 1'000'000);
  EXPECT_EQ(stats->available_fen(), 0);
}

TEST_F(LedgerTest, OneRequestIdFromManyThreadsHasOneEffect) {
  MustExecute(CreateProgram("p-one"));
  MustExecute(Fund("p-one", 10'000'000, "fund"));
  std::vector<std::string> ids(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto r = ledger_->Execute(Issue("p-one", "air_conditioner", "c1", "same-key"));
      if (r.ok()) ids[i] = r->voucher().voucher_id();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(ledger_->GetProgramStats("p-one")->vouchers_issued(), 1);
}

TEST(FingerprintTest, IgnoresActorAndRequestIdButNotTheRequest) {
  internal::Command a;
  a.set_actor("admin:a");
  a.set_request_id("k1");
  a.mutable_fund_program()->set_program_id("p");
  a.mutable_fund_program()->set_amount_fen(100);
  a.mutable_fund_program()->set_request_id("k1");
  internal::Command b = a;
  b.set_actor("admin:b");
  b.set_request_id("k2");
  b.mutable_fund_program()->set_request_id("k2");
  EXPECT_EQ(ledger::Fingerprint(a), ledger::Fingerprint(b));
  EXPECT_EQ(ledger::Fingerprint(a).size(), 32u);
  b.mutable_fund_program()->set_amount_fen(101);
  EXPECT_NE(ledger::Fingerprint(a), ledger::Fingerprint(b));
}

TEST(BatchTest, IsAllOrNothing) {
  TempDir dir;
  {
    auto db = storage::Db::Open(dir.path());
    ASSERT_TRUE(db.ok());
    storage::Batch batch(db->get());
    batch.Put(Cf::kState, "a", "1");
    batch.Put(Cf::kIndex, "b", "2");
    EXPECT_EQ(*batch.Get(Cf::kState, "a"), std::optional<std::string>("1"));
    EXPECT_FALSE((*db)->Get(Cf::kState, "a")->has_value());
    batch.Discard();
    EXPECT_FALSE(batch.Get(Cf::kState, "a")->has_value());
    batch.Put(Cf::kState, "c", "3");
    batch.Put(Cf::kIndex, "d", "4");
    ASSERT_TRUE(batch.Commit().ok());
    batch.Put(Cf::kState, "e", "5");  // never committed: as if the process died here
  }
  auto db = storage::Db::Open(dir.path());
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*(*db)->Get(Cf::kState, "c"), std::optional<std::string>("3"));
  EXPECT_EQ(*(*db)->Get(Cf::kIndex, "d"), std::optional<std::string>("4"));
  EXPECT_FALSE((*db)->Get(Cf::kState, "a")->has_value());
  EXPECT_FALSE((*db)->Get(Cf::kState, "e")->has_value());
}

TEST(KeysTest, SeqsSortNumericallyAndRoundTrip) {
  namespace keys = storage::keys;
  EXPECT_LT(keys::Seq(9), keys::Seq(10));
  EXPECT_LT(keys::Seq(255), keys::Seq(256));
  EXPECT_LT(keys::Seq(1LL << 40), keys::Seq((1LL << 40) + 1));
  EXPECT_EQ(keys::DecodeUint64(keys::Seq(123456789)), std::optional<uint64_t>(123456789));
  EXPECT_EQ(keys::DecodeUint64("short"), std::nullopt);
  // The idempotency key separates actor and request id so that no two pairs collide.
  EXPECT_NE(keys::Idempotency("a:b", "c"), keys::Idempotency("a", "b:c"));
}

}  // namespace
}  // namespace huanxin::testing
