// AuditReader::ListEntries against a brute-force filter of the whole log: every filter shape
// (one index, an index joined with a type, no index), every page size, followed through its
// page tokens, returns exactly the matching entries in seq order.
#include <set>
#include <string>
#include <vector>

#include "ledger/entry_refs.h"
#include "ledger_fixture.h"

namespace huanxin::testing {
namespace {

class ListEntriesTest : public LedgerTest {
 protected:
  void SetUp() override {
    LedgerTest::SetUp();
    for (const char* p : {"p-a", "p-b"}) {
      MustExecute(CreateProgram(p));
      MustExecute(Fund(p, 100'000'000, std::string("fund-") + p));
    }
    MustExecute(Merchant("m-1", "p-a"));
    MustExecute(Merchant("m-2", "p-a"));
    for (int i = 0; i < 24; ++i) {
      const std::string consumer = absl::StrCat("c-", i % 8);
      const std::string program = i % 3 == 0 ? "p-b" : "p-a";
      const std::string category = i % 2 == 0 ? "refrigerator" : "air_conditioner";
      auto issued = ledger_->Execute(Issue(program, category, consumer, absl::StrCat("i-", i)));
      if (!issued.ok() || program != "p-a" || i % 4 == 3) continue;
      ledger_->Execute(Redeem(issued->voucher().voucher_id(), i % 2 ? "m-1" : "m-2", consumer,
                              300000, absl::StrCat("r-", i), category))
          .IgnoreError();
    }
  }

  std::vector<int64_t> Expected(const ledger::EntryQuery& q) {
    std::vector<int64_t> out;
    auto all = ledger_->ReadEntries(0, 100000);
    EXPECT_TRUE(all.ok());
    for (const auto& e : *all) {
      const v1::LedgerEntry& entry = e.entry();
      if (!q.types.empty() && !q.types.count(entry.type())) continue;
      const ledger::EntryRefs refs = ledger::RefsOf(entry);
      if (!q.program_id.empty() && !refs.programs.count(q.program_id)) continue;
      if (!q.merchant_id.empty() && !refs.merchants.count(q.merchant_id)) continue;
      if (!q.consumer_ref.empty() && !refs.consumers.count(q.consumer_ref)) continue;
      out.push_back(entry.seq());
    }
    return out;
  }

  std::vector<int64_t> Paged(const ledger::EntryQuery& q, int page_size) {
    std::vector<int64_t> out;
    int64_t start = 0;
    for (int pages = 0; pages < 1000; ++pages) {
      auto page = ledger_->ListEntries(q, page_size, start);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& e : page->entries()) out.push_back(e.seq());
      if (page->next_page_token().empty()) break;
      start = std::stoll(page->next_page_token());
    }
    return out;
  }
};

TEST_F(ListEntriesTest, EveryShapeAndPageSizeReturnsExactlyTheMatches) {
  std::vector<ledger::EntryQuery> queries;
  const std::vector<std::set<int>> type_sets = {
      {},
      {v1::LedgerEntry::VOUCHER_ISSUED},
      {v1::LedgerEntry::REDEMPTION_COMPLETED},
      {v1::LedgerEntry::MERCHANT_REGISTERED},
      {v1::LedgerEntry::VOUCHER_ISSUED, v1::LedgerEntry::REDEMPTION_COMPLETED}};
  for (const auto& types : type_sets) {
    for (int ref = 0; ref < 5; ++ref) {
      ledger::EntryQuery q;
      q.types = types;
      if (ref == 1) q.program_id = "p-a";
      if (ref == 2) q.merchant_id = "m-1";
      if (ref == 3) q.consumer_ref = RefOf("c-3");
      if (ref == 4) {
        q.program_id = "p-a";
        q.merchant_id = "m-2";
      }
      queries.push_back(q);
    }
  }
  int nonempty = 0;
  for (const auto& q : queries) {
    const std::vector<int64_t> want = Expected(q);
    nonempty += !want.empty();
    for (int page_size : {1, 2, 3, 7, 100}) {
      EXPECT_EQ(Paged(q, page_size), want)
          << "types " << q.types.size() << " program " << q.program_id << " merchant "
          << q.merchant_id << " consumer " << q.consumer_ref << " page " << page_size;
    }
  }
  EXPECT_GT(nonempty, 15) << "the fixture should make most shapes match something";
}

}  // namespace
}  // namespace huanxin::testing
