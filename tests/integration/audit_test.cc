// AuditService against a real server: signed checkpoints that advance and verify, inclusion
// and consistency proofs checked by the verifier's own code, the whole log re-hashed into the
// checkpoint's root, filters and paging that return exactly the matching entries, and a
// stream that follows new entries.
#include <atomic>
#include <set>
#include <thread>

#include "common/auth.h"
#include "common/merkle.h"
#include "common/signed_note.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

class AuditTest : public SharedServerTest<AuditTest> {
 protected:
  v1::Checkpoint Checkpoint() {
    v1::Checkpoint cp;
    EXPECT_TRUE(IsOk(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint,
                          kAuditor, v1::GetCheckpointRequest(), &cp)));
    return cp;
  }

  // Every entry, from a non-following stream.
  std::vector<v1::EntryWithLeaf> AllEntries() {
    auto ctx = MakeContext(kAuditor);
    v1::StreamEntriesRequest req;
    auto reader = api().stubs().audit->StreamEntries(ctx.get(), req);
    std::vector<v1::EntryWithLeaf> out;
    v1::EntryWithLeaf e;
    while (reader->Read(&e)) out.push_back(e);
    EXPECT_TRUE(IsOk(reader->Finish()));
    return out;
  }

  std::vector<v1::LedgerEntry> List(const v1::EntryFilter& filter, int page_size) {
    std::vector<v1::LedgerEntry> out;
    v1::ListEntriesRequest req;
    *req.mutable_filter() = filter;
    req.set_page_size(page_size);
    for (int pages = 0; pages < 1000; ++pages) {
      v1::ListEntriesResponse resp;
      EXPECT_TRUE(IsOk(Call(api().stubs().audit.get(), &v1::AuditService::Stub::ListEntries,
                            kAuditor, req, &resp)));
      EXPECT_LE(resp.entries_size(), page_size);
      for (const auto& e : resp.entries()) out.push_back(e);
      if (resp.next_page_token().empty()) break;
      req.set_page_token(resp.next_page_token());
    }
    return out;
  }

  // A funded programme with a merchant, and `n` vouchers for distinct consumers.
  std::string Populate(int n, std::vector<std::string>* id_numbers = nullptr) {
    const std::string program = UniqueId("p-audit");
    EXPECT_TRUE(IsOk(api().CreateProgram(ApplianceProgram(program))));
    EXPECT_TRUE(IsOk(api().FundProgram(program, 100'000'000)));
    for (int i = 0; i < n; ++i) {
      const std::string id = MintIdNumber();
      if (id_numbers) id_numbers->push_back(id);
      EXPECT_TRUE(IsOk(api().Issue(program, "refrigerator", id)));
    }
    return program;
  }
};

std::vector<int64_t> Seqs(const std::vector<v1::LedgerEntry>& entries) {
  std::vector<int64_t> out;
  for (const auto& e : entries) out.push_back(e.seq());
  return out;
}

TEST_F(AuditTest, CheckpointsAdvanceAndEveryProofVerifies) {
  Populate(3);
  v1::Checkpoint first = Checkpoint();
  auto cp1 = note::VerifyCheckpoint(first.signed_note(), first.verifier_key());
  ASSERT_TRUE(cp1.ok()) << cp1.status();
  EXPECT_EQ(cp1->size, static_cast<uint64_t>(first.tree_size()));
  EXPECT_EQ(cp1->root_hash, first.root_hash());

  Populate(2);
  v1::Checkpoint second = Checkpoint();
  auto cp2 = note::VerifyCheckpoint(second.signed_note(), first.verifier_key());
  ASSERT_TRUE(cp2.ok()) << cp2.status();
  ASSERT_GT(cp2->size, cp1->size);

  v1::GetConsistencyProofRequest creq;
  creq.set_first_size(first.tree_size());
  creq.set_second_size(second.tree_size());
  v1::ConsistencyProof cproof;
  HX_ASSERT_OK(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetConsistencyProof,
                    kAuditor, creq, &cproof));
  std::vector<merkle::Hash> hashes(cproof.hashes().begin(), cproof.hashes().end());
  EXPECT_TRUE(merkle::VerifyConsistency(cp1->size, cp2->size, cp1->root_hash, cp2->root_hash,
                                        hashes).ok());
  // A rewritten history cannot pass: the same proof against another old root fails.
  std::string forged = cp1->root_hash;
  forged[0] ^= 1;
  EXPECT_FALSE(merkle::VerifyConsistency(cp1->size, cp2->size, forged, cp2->root_hash, hashes).ok());

  for (int64_t seq = 0; seq < second.tree_size(); ++seq) {
    v1::GetEntryRequest ereq;
    ereq.set_seq(seq);
    v1::EntryWithLeaf entry;
    HX_ASSERT_OK(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetEntry, kAuditor,
                      ereq, &entry));
    EXPECT_EQ(entry.entry().seq(), seq);
    v1::GetInclusionProofRequest ireq;
    ireq.set_seq(seq);
    ireq.set_tree_size(second.tree_size());
    v1::InclusionProof iproof;
    HX_ASSERT_OK(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetInclusionProof,
                      kAuditor, ireq, &iproof));
    std::vector<merkle::Hash> path(iproof.hashes().begin(), iproof.hashes().end());
    EXPECT_TRUE(merkle::VerifyInclusion(seq, second.tree_size(),
                                        merkle::LeafHash(entry.leaf_data()), path,
                                        second.root_hash()).ok())
        << "seq " << seq;
  }
}

TEST_F(AuditTest, TheWholeLogRehashesToTheCheckpointRoot) {
  Populate(4);
  v1::Checkpoint cp = Checkpoint();
  std::vector<v1::EntryWithLeaf> entries = AllEntries();
  ASSERT_GE(entries.size(), static_cast<size_t>(cp.tree_size()));
  merkle::MemoryTree tree;
  for (size_t i = 0; i < static_cast<size_t>(cp.tree_size()); ++i) {
    EXPECT_EQ(entries[i].entry().seq(), static_cast<int64_t>(i)) << "seqs are gap-free";
    v1::LedgerEntry parsed;
    ASSERT_TRUE(parsed.ParseFromString(entries[i].leaf_data()));
    EXPECT_EQ(parsed.SerializeAsString(), entries[i].entry().SerializeAsString());
    tree.Append(merkle::LeafHash(entries[i].leaf_data()));
  }
  auto root = tree.Root();
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, cp.root_hash());
}

TEST_F(AuditTest, FiltersAndPagingReturnExactlyTheMatchingEntries) {
  std::vector<std::string> ids;
  const std::string a = Populate(5, &ids);
  const std::string b = Populate(3);

  v1::EntryFilter by_program;
  by_program.set_program_id(a);
  std::vector<v1::LedgerEntry> all = List(by_program, 1000);
  ASSERT_EQ(all.size(), 7u);  // created, funded, 5 vouchers
  for (const auto& e : all) EXPECT_NE(e.DebugString().find(a), std::string::npos);
  EXPECT_EQ(Seqs(List(by_program, 2)), Seqs(all)) << "paging returns the same entries";

  v1::EntryFilter issued = by_program;
  issued.add_types(v1::LedgerEntry::VOUCHER_ISSUED);
  EXPECT_EQ(List(issued, 3).size(), 5u);

  v1::EntryFilter one_consumer;
  *one_consumer.mutable_consumer() = Consumer(ids[2]);
  std::vector<v1::LedgerEntry> mine = List(one_consumer, 10);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].voucher_issued().voucher().program_id(), a);

  v1::EntryFilter from_seq = by_program;
  from_seq.set_from_seq(all[3].seq());
  EXPECT_EQ(List(from_seq, 100).size(), 4u);

  v1::EntryFilter window = by_program;
  *window.mutable_from_time() = all[2].time();
  *window.mutable_to_time() = all[4].time();
  for (const auto& e : List(window, 100)) {
    EXPECT_GE(e.seq(), all[2].seq());
    EXPECT_LE(e.seq(), all[4].seq());
  }

  v1::EntryFilter by_b;
  by_b.set_program_id(b);
  EXPECT_EQ(List(by_b, 1).size(), 5u);
}

TEST_F(AuditTest, AFollowingStreamDeliversNewEntries) {
  Populate(1);
  const int64_t size = Checkpoint().tree_size();
  grpc::ClientContext ctx;
  ctx.AddMetadata(kPrincipalHeader, kAuditor);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::StreamEntriesRequest req;
  req.set_from_seq(size);
  req.set_follow(true);
  auto reader = api().stubs().audit->StreamEntries(&ctx, req);
  std::atomic<int64_t> seen{-1};
  std::thread follower([&] {
    v1::EntryWithLeaf e;
    while (reader->Read(&e)) {
      seen = e.entry().seq();
      if (e.entry().seq() >= size + 2) break;
    }
  });
  Populate(1);  // three new entries: created, funded, issued
  follower.join();
  EXPECT_EQ(seen.load(), size + 2);
  ctx.TryCancel();
  reader->Finish();
}

TEST_F(AuditTest, BadArgumentsAndRolesAreRefused) {
  Populate(3);
  v1::GetEntryRequest ereq;
  ereq.set_seq(1'000'000);
  v1::EntryWithLeaf entry;
  EXPECT_TRUE(IsRefusal(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetEntry,
                             kAuditor, ereq, &entry),
                        grpc::StatusCode::NOT_FOUND, "ENTRY_NOT_FOUND"));
  v1::GetConsistencyProofRequest creq;
  creq.set_first_size(5);
  creq.set_second_size(2);
  v1::ConsistencyProof cproof;
  EXPECT_TRUE(HasFieldViolation(Call(api().stubs().audit.get(),
                                     &v1::AuditService::Stub::GetConsistencyProof, kAuditor,
                                     creq, &cproof),
                                "first_size"));
  v1::ListEntriesResponse resp;
  EXPECT_EQ(Call(api().stubs().audit.get(), &v1::AuditService::Stub::ListEntries, kApp,
                 v1::ListEntriesRequest(), &resp)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace huanxin::itest
