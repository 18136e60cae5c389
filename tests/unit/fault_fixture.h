// LedgerTest over a fault-injecting file system (tests/unit/fault_env.h): PowerCycle() pulls the
// plug and brings the ledger back on what was durable; the Expect* checks state what must hold
// of any ledger after any crash (the state is a replay of the entries, the books balance, no
// request key has two effects).
#ifndef HUANXIN_TESTS_UNIT_FAULT_FIXTURE_H_
#define HUANXIN_TESTS_UNIT_FAULT_FIXTURE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ledger/replay.h"
#include "ledger_fixture.h"
#include "storage/db.h"
#include "tests/unit/fault_env.h"

namespace huanxin::testing {

class FaultLedgerTest : public LedgerTest {
 protected:
  void SetUp() override { Open(); }
  // The ledger refers to env_, which is destroyed before LedgerTest's members.
  void TearDown() override { ledger_.reset(); }

  void Open() {
    ledger_.reset();
    ledger::LocalLedger::Options options;
    options.sweep_interval = absl::ZeroDuration();
    options.db = db_options_;
    options.db.env = env_.env();
    options.writer = writer_options_;
    auto l = ledger::LocalLedger::Open(dir_.path() + "/ledger", clock_, options);
    ASSERT_TRUE(l.ok()) << l.status();
    ledger_ = std::move(*l);
  }

  // Power loss at this instant: whatever was not synced is gone; then the ledger restarts.
  void PowerCycle() {
    env_.Crash();
    ledger_.reset();
    absl::Status s = env_.PowerLoss();
    ASSERT_TRUE(s.ok()) << s;
    ASSERT_NO_FATAL_FAILURE(Open());
  }

  // Replaying the entries into an empty database gives byte-identical column families.
  void ExpectStateIsReplayOfEntries() {
    TempDir other;
    auto rebuilt = storage::Db::Open(other.path());
    ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
    auto n = ledger::Replay(*ledger_->db(), rebuilt->get());
    ASSERT_TRUE(n.ok()) << n.status();  // DATA_LOSS on a gap in the seqs
    for (storage::Cf cf : {storage::Cf::kState, storage::Cf::kIndex, storage::Cf::kEntries,
                           storage::Cf::kTree, storage::Cf::kMeta}) {
      ASSERT_EQ(Dump(*ledger_->db(), cf), Dump(**rebuilt, cf)) << storage::CfName(cf);
    }
  }

  void ExpectBooksBalance(const std::string& program) {
    auto s = ledger_->GetProgramStats(program);
    ASSERT_TRUE(s.ok()) << s.status();
    ASSERT_EQ(s->funded_fen(),
              s->available_fen() + s->held_fen() + s->payable_fen() + s->settled_fen())
        << s->DebugString();
  }

  // Every entry, in seq order, checked gap-free; and no (actor, request_id) with two entries.
  std::vector<v1::LedgerEntry> EntriesOnePerKey() {
    std::vector<v1::LedgerEntry> out;
    std::map<std::string, int64_t> by_key;
    for (;;) {
      auto page = ledger_->ReadEntries(static_cast<int64_t>(out.size()), 500);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok() || page->empty()) break;
      for (const auto& e : *page) {
        EXPECT_EQ(e.entry().seq(), static_cast<int64_t>(out.size()));
        if (!e.entry().request_id().empty()) {
          auto [it, fresh] =
              by_key.emplace(e.entry().actor() + "/" + e.entry().request_id(), e.entry().seq());
          EXPECT_TRUE(fresh) << "request " << it->first << " has entries " << it->second
                             << " and " << e.entry().seq();
        }
        out.push_back(e.entry());
      }
    }
    return out;
  }

  storage::testing::FaultEnv env_;
  storage::Db::Options db_options_;  // env is set by Open()
  ledger::Writer::Options writer_options_;
};

}  // namespace huanxin::testing

#endif  // HUANXIN_TESTS_UNIT_FAULT_FIXTURE_H_
