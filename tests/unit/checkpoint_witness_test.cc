// The checkpoint witness: a ledger opens only when it extends the largest checkpoint it has
// signed, and every larger checkpoint is on disk before it is handed out.
#include "ledger/checkpoint_witness.h"

#include <filesystem>
#include <fstream>

#include "common/signed_note.h"
#include "ledger_fixture.h"

namespace huanxin::testing {
namespace {

std::shared_ptr<const note::Signer> TestSigner(char seed) {
  auto s = note::Signer::FromSeedForTesting(std::string(32, seed), "huanxin.test/ledger");
  EXPECT_TRUE(s.ok()) << s.status();
  return std::make_shared<const note::Signer>(*std::move(s));
}

class WitnessTest : public ::testing::Test {
 protected:
  // A ledger in `name` under the shared witness file.
  absl::StatusOr<std::unique_ptr<ledger::LocalLedger>> Open(const std::string& name,
                                                            char seed = 'k') {
    ledger::LocalLedger::Options o;
    o.sweep_interval = absl::ZeroDuration();
    o.signer = TestSigner(seed);
    o.origin = "huanxin.test/ledger";
    o.checkpoint_file = witness_file();
    return ledger::LocalLedger::Open(dir_.path() + "/" + name, clock_, o);
  }

  // Creates programmes named `prefix`-0.. in `l`.
  void Write(ledger::LocalLedger* l, const std::string& prefix, int n) {
    for (int i = 0; i < n; ++i) {
      internal::Command c;
      c.set_actor("admin:ops");
      c.set_request_id(prefix + std::to_string(i));
      v1::Program* p = c.mutable_create_program()->mutable_program();
      p->set_program_id(prefix + "-" + std::to_string(i));
      p->set_name("p");
      p->set_kind(v1::Program::DIGITAL);
      p->set_region_code("371600");
      *p->mutable_start_time() = ToProto(kStart);
      *p->mutable_end_time() = ToProto(kStart + absl::Hours(24));
      p->mutable_voucher_ttl()->set_seconds(86400);
      p->set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
      v1::CategoryRule* r = p->add_rules();
      r->set_category("phone");
      r->set_rate_bp(1500);
      r->set_cap_fen(50000);
      auto reply = l->Execute(std::move(c));
      ASSERT_TRUE(reply.ok()) << reply.status();
    }
  }

  // Ledger "a" with `n` entries, a checkpoint of them signed (and witnessed), closed.
  void SignedLedgerA(int n) {
    auto l = Open("a");
    ASSERT_TRUE(l.ok()) << l.status();
    Write(l->get(), "a", n);
    ASSERT_TRUE((*l)->GetCheckpoint().ok());
  }

  // Ledger `name` with `n` entries written with no witness, then reopened under it.
  absl::StatusOr<std::unique_ptr<ledger::LocalLedger>> UnwitnessedThenReopened(
      const std::string& name, const std::string& prefix, int n) {
    {
      auto l = ledger::LocalLedger::Open(dir_.path() + "/" + name, clock_,
                                         {.sweep_interval = absl::ZeroDuration()});
      EXPECT_TRUE(l.ok()) << l.status();
      if (l.ok()) Write(l->get(), prefix, n);
    }
    return Open(name);
  }

  std::string witness_file() const { return dir_.path() + "/checkpoint"; }

  TempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(kStart);
};

TEST_F(WitnessTest, EachLargerCheckpointIsRecordedBeforeItIsHandedOut) {
  auto l = Open("a");
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_FALSE(std::filesystem::exists(witness_file()));
  Write(l->get(), "a", 3);
  auto c = (*l)->GetCheckpoint();
  ASSERT_TRUE(c.ok()) << c.status();
  std::ifstream in(witness_file());
  std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(stored, c->signed_note());
  auto verified = note::VerifyCheckpoint(stored, c->verifier_key());
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->size, 3u);
}

TEST_F(WitnessTest, ALedgerThatExtendsTheSignedOneOpens) {
  SignedLedgerA(3);
  {
    auto l = Open("a");
    ASSERT_TRUE(l.ok()) << l.status();
    Write(l->get(), "b", 2);  // committed after the checkpoint: fine
  }
  auto again = Open("a");
  ASSERT_TRUE(again.ok()) << again.status();
  auto c = (*again)->GetCheckpoint();
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->tree_size(), 5);
}

TEST_F(WitnessTest, ASmallerLedgerUnderTheSameWitnessIsRefused) {
  SignedLedgerA(3);
  // "b" stands for the same ledger after losing entries: fewer than were signed.
  auto reopened = UnwitnessedThenReopened("b", "a", 2);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(reopened.status().message().find("holds 2 entries but signed a checkpoint of 3"),
            absl::string_view::npos)
      << reopened.status();
}

TEST_F(WitnessTest, ADifferentLedgerOfTheSameSizeIsRefused) {
  SignedLedgerA(3);
  auto reopened = UnwitnessedThenReopened("b", "other", 4);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(reopened.status().message().find("this is not the ledger that was signed"),
            absl::string_view::npos)
      << reopened.status();
}

TEST_F(WitnessTest, AWitnessSignedByAnotherKeyIsRefused) {
  SignedLedgerA(1);
  auto other_key = Open("a", 'z');
  ASSERT_FALSE(other_key.ok());
  EXPECT_EQ(other_key.status().code(), absl::StatusCode::kDataLoss) << other_key.status();
}

}  // namespace
}  // namespace huanxin::testing
