#include "ledger/audit_reader.h"

#include <algorithm>
#include <functional>

#include "absl/strings/str_cat.h"
#include "common/merkle.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "ledger/entry_refs.h"
#include "storage/keys.h"
#include "storage/tree.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

// A page of ListEntries stops after examining this many candidates (entries read), or after
// this many candidates of an index join (a seek or two in the index column family each).
constexpr int kMaxExamined = 20000;
// ... or once its entries take this many bytes (a page stays far below gRPC's 4 MiB default
// message limit even when it holds a large settlement entry).
constexpr size_t kMaxPageBytes = 1 << 20;
constexpr int kMaxJoinSteps = 1024;

absl::StatusOr<int64_t> CommittedSize(const storage::KvReader& kv) {
  HX_ASSIGN_OR_RETURN(auto next, kv.Get(Cf::kMeta, keys::kNextSeq));
  if (!next.has_value()) return 0;
  std::optional<uint64_t> n = keys::DecodeUint64(*next);
  if (!n.has_value()) return absl::DataLossError("corrupt next_seq");
  return static_cast<int64_t>(*n);
}

absl::StatusOr<v1::EntryWithLeaf> ReadEntry(const storage::KvReader& kv, int64_t seq) {
  HX_ASSIGN_OR_RETURN(auto bytes, kv.Get(Cf::kEntries, keys::Seq(seq)));
  if (!bytes.has_value()) return absl::DataLossError(absl::StrCat("entry ", seq, " is missing"));
  v1::EntryWithLeaf out;
  if (!out.mutable_entry()->ParseFromString(*bytes)) {
    return absl::DataLossError(absl::StrCat("entry ", seq, " is corrupt"));
  }
  out.set_leaf_data(*std::move(bytes));
  return out;
}

// The root of the first n leaves of the tree `subtrees` reads, for any n up to its size.
// `subtrees` must outlive the function.
CheckpointWitness::RootAt RootsOf(const merkle::SubtreeFn& subtrees) {
  return [&subtrees](uint64_t n) -> absl::StatusOr<std::string> {
    if (n == 0) return merkle::EmptyRoot();
    return merkle::RootOf(n, subtrees);
  };
}

// The first seq in [0, size) whose entry is at or after `t` (entry times never decrease).
absl::StatusOr<int64_t> FirstAtOrAfter(const storage::KvReader& kv, absl::Time t, int64_t size) {
  int64_t lo = 0, hi = size;
  while (lo < hi) {
    const int64_t mid = lo + (hi - lo) / 2;
    HX_ASSIGN_OR_RETURN(v1::EntryWithLeaf e, ReadEntry(kv, mid));
    if (FromProto(e.entry().time()) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

bool Matches(const EntryQuery& q, const v1::LedgerEntry& e) {
  if (!q.types.empty() && !q.types.count(e.type())) return false;
  if (q.from_time && FromProto(e.time()) < *q.from_time) return false;
  if (q.program_id.empty() && q.merchant_id.empty() && q.consumer_ref.empty()) return true;
  const EntryRefs refs = RefsOf(e);
  return (q.program_id.empty() || refs.programs.count(q.program_id)) &&
         (q.merchant_id.empty() || refs.merchants.count(q.merchant_id)) &&
         (q.consumer_ref.empty() || refs.consumers.count(q.consumer_ref));
}

// The most selective index for `q`, or "" to walk the entries themselves.
std::string IndexPrefix(const EntryQuery& q) {
  if (!q.consumer_ref.empty()) return keys::ByConsumerPrefix(q.consumer_ref);
  if (!q.merchant_id.empty()) return keys::ByMerchantPrefix(q.merchant_id);
  if (!q.program_id.empty()) return keys::ByProgramPrefix(q.program_id);
  if (q.types.size() == 1) return keys::ByTypePrefix(*q.types.begin());
  return "";
}

// Calls fn(seq) for every seq at or after `start` that is in both index ranges `a` and `b`
// (prefix + big-endian seq keys), in order, until fn returns false or a range ends; no entry
// is read. Walks `a` (the reference's index, usually the shorter) and seeks `b` (the type's)
// to each of its seqs, then moves `a` on to `b`'s position: one step when `b` is dense, a
// seek when it is sparse. Returns the seq to resume from when it stops after `max_steps`
// candidates of `a` (else -1).
absl::StatusOr<int64_t> Intersect(const storage::Db::View& view, const std::string& a,
                                  const std::string& b, int64_t start, int max_steps,
                                  const std::function<bool(int64_t)>& fn) {
  auto ca = view.NewCursor(Cf::kIndex);
  auto cb = view.NewCursor(Cf::kIndex);
  ca->Seek(a + keys::Seq(start));
  for (int steps = 0; ca->ValidUnder(a); ++steps) {
    const int64_t seq_a = keys::SeqSuffix(ca->key());
    if (steps >= max_steps) return seq_a;  // nothing before it is left to examine
    cb->Seek(b + keys::Seq(seq_a));
    if (!cb->ValidUnder(b)) break;
    const int64_t seq_b = keys::SeqSuffix(cb->key());
    if (seq_b == seq_a && !fn(seq_a)) return -1;
    const int64_t next = std::max(seq_b, seq_a + 1);
    ca->Next();
    if (ca->ValidUnder(a) && keys::SeqSuffix(ca->key()) < next) ca->Seek(a + keys::Seq(next));
  }
  HX_RETURN_IF_ERROR(ca->status());
  HX_RETURN_IF_ERROR(cb->status());
  return -1;
}

}  // namespace

absl::StatusOr<v1::EntryWithLeaf> AuditReader::GetEntry(int64_t seq) const {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  if (seq < 0 || seq >= size) {
    return Refuse(reason::kEntryNotFound, absl::StrCat("no entry ", seq, "; the log has ", size));
  }
  return ReadEntry(*view, seq);
}

absl::StatusOr<std::vector<v1::EntryWithLeaf>> AuditReader::ReadEntries(int64_t from,
                                                                        int max) const {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  std::vector<v1::EntryWithLeaf> out;
  for (int64_t seq = std::max<int64_t>(from, 0); seq < size && static_cast<int>(out.size()) < max;
       ++seq) {
    HX_ASSIGN_OR_RETURN(out.emplace_back(), ReadEntry(*view, seq));
  }
  return out;
}

absl::StatusOr<v1::ListEntriesResponse> AuditReader::ListEntries(const EntryQuery& q,
                                                                 int32_t page_size,
                                                                 int64_t start) const {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  start = std::max({start, q.from_seq, int64_t{0}});
  if (q.from_time) {
    HX_ASSIGN_OR_RETURN(int64_t first, FirstAtOrAfter(*view, *q.from_time, size));
    start = std::max(start, first);
  }
  v1::ListEntriesResponse out;
  int examined = 0;
  size_t bytes = 0;
  absl::Status failure;
  // Returns false to stop. `seq` is a candidate; `e` its entry.
  auto consider = [&](int64_t seq, const v1::EntryWithLeaf& e) {
    if (q.to_time && FromProto(e.entry().time()) > *q.to_time) return false;  // nothing later matches
    if (Matches(q, e.entry())) {
      *out.add_entries() = e.entry();
      bytes += e.leaf_data().size();
    }
    ++examined;
    if (out.entries_size() >= page_size || examined >= kMaxExamined || bytes >= kMaxPageBytes) {
      if (seq + 1 < size) out.set_next_page_token(absl::StrCat(seq + 1));
      return false;
    }
    return true;
  };
  // An index's candidate: read its entry and consider it; a read failure stops the walk.
  auto visit = [&](int64_t seq) {
    if (seq >= size) return false;
    absl::StatusOr<v1::EntryWithLeaf> e = ReadEntry(*view, seq);
    if (!e.ok()) {
      failure = e.status();
      return false;
    }
    return consider(seq, *e);
  };
  const std::string prefix = IndexPrefix(q);
  if (q.types.size() == 1 && prefix != keys::ByTypePrefix(*q.types.begin()) && !prefix.empty()) {
    // A reference and one type: join the reference's index with the type's, reading only
    // the entries in both.
    HX_ASSIGN_OR_RETURN(
        int64_t resume,
        Intersect(*view, prefix, keys::ByTypePrefix(*q.types.begin()), start, kMaxJoinSteps,
                  visit));
    HX_RETURN_IF_ERROR(failure);
    if (resume >= 0 && resume < size) out.set_next_page_token(absl::StrCat(resume));
    return out;
  }
  if (prefix.empty()) {
    for (int64_t seq = start; seq < size; ++seq) {
      HX_ASSIGN_OR_RETURN(v1::EntryWithLeaf e, ReadEntry(*view, seq));
      if (!consider(seq, e)) break;
    }
    return out;
  }
  HX_RETURN_IF_ERROR(view->ScanFrom(
      Cf::kIndex, prefix, prefix + keys::Seq(start),
      [&](absl::string_view key, absl::string_view) { return visit(keys::SeqSuffix(key)); }));
  HX_RETURN_IF_ERROR(failure);
  return out;
}

absl::StatusOr<v1::Checkpoint> AuditReader::GetCheckpoint() const {
  if (signer_ == nullptr) {
    return absl::FailedPreconditionError("this ledger has no signing key");
  }
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  const merkle::SubtreeFn subtrees = storage::StoredSubtrees(view.get());
  const CheckpointWitness::RootAt root_at = RootsOf(subtrees);
  HX_ASSIGN_OR_RETURN(merkle::Hash root, root_at(size));
  if (witness_ != nullptr) HX_RETURN_IF_ERROR(witness_->CheckExtends(size, root_at));
  v1::Checkpoint out;
  out.set_tree_size(size);
  out.set_root_hash(root);
  out.set_signed_note(
      signer_->Sign(note::CheckpointBody(note::Checkpoint{origin_, static_cast<uint64_t>(size), root})));
  out.set_verifier_key(signer_->VerifierKey());
  if (witness_ != nullptr) HX_RETURN_IF_ERROR(witness_->Record(size, root, out.signed_note()));
  return out;
}

absl::Status AuditReader::CheckWitness() const {
  if (witness_ == nullptr) return absl::OkStatus();
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  const merkle::SubtreeFn subtrees = storage::StoredSubtrees(view.get());
  return witness_->CheckExtends(size, RootsOf(subtrees));
}

absl::StatusOr<v1::InclusionProof> AuditReader::GetInclusionProof(int64_t seq,
                                                                  int64_t tree_size) const {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  if (tree_size == 0) tree_size = size;
  if (tree_size < 0 || tree_size > size) {
    return FieldError("tree_size", absl::StrCat("must be at most the log's size ", size));
  }
  if (seq < 0 || seq >= tree_size) {
    return FieldError("seq", absl::StrCat("must be below tree_size ", tree_size));
  }
  HX_ASSIGN_OR_RETURN(auto hashes, merkle::InclusionProof(seq, tree_size,
                                                          storage::StoredSubtrees(view.get())));
  v1::InclusionProof out;
  out.set_leaf_index(seq);
  out.set_tree_size(tree_size);
  for (auto& h : hashes) out.add_hashes(std::move(h));
  return out;
}

absl::StatusOr<v1::ConsistencyProof> AuditReader::GetConsistencyProof(int64_t first,
                                                                      int64_t second) const {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(int64_t size, CommittedSize(*view));
  if (second == 0) second = size;
  if (second < 1 || second > size) {
    return FieldError("second_size", absl::StrCat("must be 1 to the log's size ", size));
  }
  if (first < 1 || first > second) {
    return FieldError("first_size", absl::StrCat("must be 1 to second_size ", second));
  }
  HX_ASSIGN_OR_RETURN(auto hashes, merkle::ConsistencyProof(first, second,
                                                            storage::StoredSubtrees(view.get())));
  v1::ConsistencyProof out;
  out.set_first_size(first);
  out.set_second_size(second);
  for (auto& h : hashes) out.add_hashes(std::move(h));
  return out;
}

}  // namespace huanxin::ledger
