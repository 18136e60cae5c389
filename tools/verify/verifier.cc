#include "tools/verify/verifier.h"

#include <map>
#include <utility>

#include <google/protobuf/util/message_differencer.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace huanxin::verify {

namespace v1 = ::huanxin::v1;

namespace {

std::string Hex(absl::string_view bytes) { return absl::BytesToHexString(bytes); }

// A list of numbers, at most `max` of them, with "..." after.
std::string ShortList(const std::vector<int64_t>& values, size_t max = 10) {
  std::vector<int64_t> head(values.begin(),
                            values.begin() + static_cast<long>(std::min(max, values.size())));
  return absl::StrCat(absl::StrJoin(head, ", "), values.size() > max ? ", ..." : "");
}

// What differs between two entries, as MessageDifferencer reports it (one line).
std::string Differences(const v1::LedgerEntry& expected, const v1::LedgerEntry& got) {
  std::string report;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(expected, got)) return "";
  while (!report.empty() && report.back() == '\n') report.pop_back();
  for (char& c : report) {
    if (c == '\n') c = ';';
  }
  if (report.size() > 600) report = report.substr(0, 600) + "...";
  return report;
}

}  // namespace

LedgerVerifier::LedgerVerifier(note::Checkpoint checkpoint) : checkpoint_(std::move(checkpoint)) {}

void LedgerVerifier::Fail(absl::Status status) {
  ++failure_count_;
  if (failures_.size() < kMaxFailures) failures_.push_back(std::move(status));
}

void LedgerVerifier::Add(const v1::EntryWithLeaf& e) {
  if (taken_ >= checkpoint_.size) {
    ++ignored_;
    return;
  }
  const int64_t position = static_cast<int64_t>(taken_++);
  v1::LedgerEntry leaf;
  const bool parsed = leaf.ParseFromString(e.leaf_data());
  const int64_t seq = e.has_entry() ? e.entry().seq() : (parsed ? leaf.seq() : position);
  seqs_seen_.push_back(seq);
  if (!order_broken_ && seq != position) {
    order_broken_ = true;
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "entry #", position + 1, " of the source has seq ", seq, ", expected seq ", position,
        ": entries must be exactly seq 0..", checkpoint_.size - 1,
        " in order, without gaps or duplicates")));
  }
  if (order_broken_) return;

  if (!parsed) {
    Fail(absl::FailedPreconditionError(absl::StrCat("seq ", seq, ": leaf_data (",
                                                    e.leaf_data().size(),
                                                    " bytes) does not parse as a LedgerEntry")));
  } else {
    if (leaf.seq() != seq) {
      Fail(absl::FailedPreconditionError(absl::StrCat(
          "seq ", seq, ": leaf_data holds seq ", leaf.seq(), ", expected seq ", seq)));
    }
    if (e.has_entry()) {
      std::string diff = Differences(e.entry(), leaf);
      if (!diff.empty()) {
        Fail(absl::FailedPreconditionError(absl::StrCat(
            "seq ", seq, ": leaf_data differs from the entry sent beside it (expected the entry, "
            "got the leaf): ", diff)));
      }
    }
    if (!books_broken_) {
      absl::Status s = books_.Apply(leaf);
      if (!s.ok()) {
        books_broken_ = true;
        Fail(std::move(s));
      }
    }
  }
  tree_.Append(merkle::LeafHash(e.leaf_data()));
}

void LedgerVerifier::DiagnoseOrder() {
  std::map<int64_t, int> count;
  for (int64_t s : seqs_seen_) ++count[s];
  std::vector<int64_t> missing, duplicated;
  for (int64_t s = 0; s < static_cast<int64_t>(checkpoint_.size); ++s) {
    auto it = count.find(s);
    if (it == count.end()) {
      missing.push_back(s);
    } else if (it->second > 1) {
      duplicated.push_back(s);
    }
  }
  if (!missing.empty()) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        missing.size() == 1 ? "seq " : "seqs ", ShortList(missing),
        missing.size() == 1 ? " is" : " are", " missing (entry dropped)")));
  }
  if (!duplicated.empty()) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        duplicated.size() == 1 ? "seq " : "seqs ", ShortList(duplicated),
        " appear", duplicated.size() == 1 ? "s" : "", " more than once (duplicated entry)")));
  }
  if (missing.empty() && duplicated.empty()) {
    std::vector<std::string> misplaced;
    for (size_t i = 0; i < seqs_seen_.size() && misplaced.size() < 10; ++i) {
      if (seqs_seen_[i] != static_cast<int64_t>(i)) {
        misplaced.push_back(absl::StrCat("position ", i, " holds seq ", seqs_seen_[i]));
      }
    }
    Fail(absl::FailedPreconditionError(
        absl::StrCat("entries out of order (reordered): ", absl::StrJoin(misplaced, ", "))));
  }
}

void LedgerVerifier::Finish() {
  finished_ = true;
  if (order_broken_) {
    DiagnoseOrder();
  }
  if (taken_ < checkpoint_.size) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "the source ended after ", taken_, " entries; the checkpoint covers ", checkpoint_.size,
        order_broken_ ? "" : absl::StrCat(" (seq ", taken_, "..", checkpoint_.size - 1,
                                          " never came)"))));
    return;
  }
  if (order_broken_) return;  // the root of out-of-order leaves means nothing
  absl::StatusOr<merkle::Hash> root = tree_.RootAt(checkpoint_.size);
  if (!root.ok()) {
    Fail(root.status());
    return;
  }
  if (*root != checkpoint_.root_hash) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "root mismatch: the checkpoint for size ", checkpoint_.size, " signs root ",
        Hex(checkpoint_.root_hash), ", the entries' leaf_data hash to ", Hex(*root))));
  }
}

void LedgerVerifier::CheckStats(const v1::ProgramStats& stats) {
  const std::string& p = stats.program_id();
  if (stats.funded_fen() != stats.available_fen() + stats.held_fen() + stats.payable_fen() +
                                stats.settled_fen()) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "GetProgramStats(", p, ") does not balance: ",
        FormatMoney({stats.funded_fen(), stats.available_fen(), stats.held_fen(),
                     stats.payable_fen(), stats.settled_fen()}))));
  }
  if (order_broken_ || books_broken_ || taken_ < checkpoint_.size) return;  // already failed
  if (stats.ledger_seq() < 0 || static_cast<uint64_t>(stats.ledger_seq()) >= checkpoint_.size) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "GetProgramStats(", p, ") is as of seq ", stats.ledger_seq(),
        ", outside the checkpoint (seq 0..", checkpoint_.size - 1,
        "): stats were read before the checkpoint, so the log went backwards")));
    return;
  }
  absl::Status s = books_.Compare(stats);
  if (!s.ok()) Fail(std::move(s));
}

void LedgerVerifier::CheckPrevious(const note::Checkpoint& previous) {
  if (previous.origin != checkpoint_.origin) {
    Fail(absl::FailedPreconditionError(
        absl::StrCat("the previous checkpoint is for origin \"", previous.origin,
                     "\", this one for \"", checkpoint_.origin, "\"")));
  }
  if (previous.size > checkpoint_.size) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "history rewritten: the previous checkpoint has size ", previous.size,
        ", larger than the new checkpoint's size ", checkpoint_.size, " (the log shrank)")));
    return;
  }
  if (order_broken_ || taken_ < previous.size) return;  // already failed
  absl::StatusOr<merkle::Hash> root = tree_.RootAt(previous.size);
  if (!root.ok()) {
    Fail(root.status());
    return;
  }
  if (*root != previous.root_hash) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "history rewritten: the previous checkpoint (size ", previous.size, ") signs root ",
        Hex(previous.root_hash), ", but the first ", previous.size, " entries now hash to ",
        Hex(*root))));
  }
}

void LedgerVerifier::CheckConsistencyProof(const note::Checkpoint& previous,
                                           const std::vector<merkle::Hash>& proof) {
  if (previous.size == 0 || previous.size > checkpoint_.size) return;
  absl::Status s = merkle::VerifyConsistency(previous.size, checkpoint_.size, previous.root_hash,
                                             checkpoint_.root_hash, proof);
  if (!s.ok()) {
    Fail(absl::FailedPreconditionError(absl::StrCat(
        "not consistent: the server's consistency proof from size ", previous.size, " to ",
        checkpoint_.size, " does not verify: ", s.message())));
  }
}

std::string LedgerVerifier::Summary() const {
  std::string out = absl::StrCat("origin ", checkpoint_.origin, "\nentries ", taken_);
  if (taken_ > 0) absl::StrAppend(&out, " (seq 0..", taken_ - 1, ")");
  if (ignored_ > 0) absl::StrAppend(&out, ", ", ignored_, " past the checkpoint ignored");
  absl::StrAppend(&out, "\ntree size ", checkpoint_.size, "\nroot ", Hex(checkpoint_.root_hash),
                  "\nprogrammes ", books_.programs().size());
  for (const auto& [program, money] : books_.programs()) {
    absl::StrAppend(&out, "\n  ", program, "  ", FormatMoney(money));
  }
  return out;
}

}  // namespace huanxin::verify
