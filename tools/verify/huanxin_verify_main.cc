// huanxin-verify: an auditor's check of a Huanxin ledger that trusts nothing but the
// checkpoint verifier key. See options.cc for the command line and verifier.h for the checks.
//
// Online, the reads are ordered so that nothing races: every programme's stats first, then
// the checkpoint, then the entries. Each stats' ledger_seq is then below the checkpoint's
// size, and the books re-added from the entries are compared as of that seq.
#include <iostream>
#include <optional>
#include <string>

#include "common/build_info.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/signed_note.h"
#include "tools/verify/options.h"
#include "tools/verify/sources.h"
#include "tools/verify/verifier.h"

namespace huanxin::verify {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

int Failed(const std::string& what) {
  std::cerr << "FAIL " << what << "\n";
  return kExitFailed;
}

int Run(const Options& o) {
  // --previous: read and verified before anything else, with the same key.
  std::optional<note::Checkpoint> previous;
  if (!o.previous_file.empty()) {
    absl::StatusOr<std::string> text = ReadWholeFile(o.previous_file);
    if (!text.ok()) {
      std::cerr << "error: " << text.status().message() << "\n";
      return kExitUsage;
    }
    absl::StatusOr<note::Checkpoint> cp = note::VerifyCheckpoint(*text, o.vkey);
    if (!cp.ok()) {
      return Failed(absl::StrCat("previous checkpoint ", o.previous_file,
                                 ": does not verify with --vkey: ", cp.status().message()));
    }
    previous = *cp;
  }

  std::unique_ptr<ServerSource> server;
  std::vector<huanxin::v1::ProgramStats> stats;
  std::string note_text;
  huanxin::v1::Checkpoint served;
  if (!o.target.empty()) {
    server = std::make_unique<ServerSource>(o);
    absl::StatusOr<std::vector<huanxin::v1::ProgramStats>> all = server->ReadAllStats();
    if (!all.ok()) return Failed(std::string(all.status().message()));
    stats = std::move(*all);
    absl::StatusOr<huanxin::v1::Checkpoint> cp = server->ReadCheckpoint();
    if (!cp.ok()) return Failed(std::string(cp.status().message()));
    served = *cp;
    note_text = served.signed_note();
  } else {
    absl::StatusOr<std::string> text = ReadWholeFile(o.checkpoint_file);
    if (!text.ok()) {
      std::cerr << "error: " << text.status().message() << "\n";
      return kExitUsage;
    }
    note_text = *text;
  }

  // (a) The signature, with the only key trusted, and the origin is the key's name.
  absl::StatusOr<note::Checkpoint> checkpoint = note::VerifyCheckpoint(note_text, o.vkey);
  if (!checkpoint.ok()) {
    return Failed(absl::StrCat("checkpoint",
                               o.target.empty() ? " " + o.checkpoint_file : " from " + o.target,
                               ": signature does not verify with --vkey: ",
                               checkpoint.status().message()));
  }

  LedgerVerifier verifier(*checkpoint);
  if (server) {
    // The unsigned fields beside the note must say what the note says.
    if (served.tree_size() != static_cast<int64_t>(checkpoint->size) ||
        served.root_hash() != checkpoint->root_hash) {
      verifier.Fail(absl::FailedPreconditionError(absl::StrCat(
          "GetCheckpoint: tree_size ", served.tree_size(), " / root_hash ",
          absl::BytesToHexString(served.root_hash()), " differ from the signed note's size ",
          checkpoint->size, " / root ", absl::BytesToHexString(checkpoint->root_hash))));
    }
    absl::Status fed = server->FeedEntries(verifier);
    if (!fed.ok()) verifier.Fail(fed);
  } else {
    absl::Status fed = FeedExport(o.export_file, verifier);
    if (!fed.ok()) {
      std::cerr << "error: " << fed.message() << "\n";
      return kExitUsage;
    }
  }
  verifier.Finish();  // (b), (c)
  for (const huanxin::v1::ProgramStats& s : stats) verifier.CheckStats(s);  // (d)
  if (previous) {  // (e)
    verifier.CheckPrevious(*previous);
    if (server && previous->size > 0 && previous->size <= checkpoint->size) {
      absl::StatusOr<std::vector<merkle::Hash>> proof =
          server->ConsistencyProof(previous->size, checkpoint->size);
      if (!proof.ok()) {
        verifier.Fail(absl::FailedPreconditionError(
            absl::StrCat("not consistent: ", proof.status().message())));
      } else {
        verifier.CheckConsistencyProof(*previous, *proof);
      }
    }
  }

  if (!verifier.ok()) {
    for (const absl::Status& f : verifier.failures()) Failed(std::string(f.message()));
    if (verifier.failure_count() > verifier.failures().size()) {
      std::cerr << "... and " << verifier.failure_count() - verifier.failures().size()
                << " more\n";
    }
    std::cerr << "huanxin-verify: " << verifier.failure_count() << " problem"
              << (verifier.failure_count() == 1 ? "" : "s") << " found; the ledger does NOT "
              << "verify against this checkpoint\n";
    return kExitFailed;
  }
  if (!o.save_file.empty()) {
    absl::Status saved = WriteWholeFile(o.save_file, note_text);
    if (!saved.ok()) {
      std::cerr << "error: " << saved.message() << "\n";
      return kExitUsage;
    }
  }
  std::cout << "OK: the ledger verifies against the checkpoint signed by "
            << checkpoint->origin << "\n"
            << verifier.Summary() << "\n";
  if (previous) {
    std::cout << "extends the previous checkpoint of size " << previous->size
              << (server ? " (consistency proof verified)" : "") << "\n";
  }
  if (server) std::cout << "programme stats compared: " << stats.size() << "\n";
  if (!o.save_file.empty()) std::cout << "saved the checkpoint to " << o.save_file << "\n";
  return kExitOk;
}

}  // namespace
}  // namespace huanxin::verify

int main(int argc, char** argv) {
  huanxin::ExitIfVersionFlag(argc, argv, "huanxin-verify");
  using namespace huanxin::verify;
  absl::StatusOr<Options> options = ParseOptions(argc, argv);
  if (!options.ok()) {
    std::cerr << "error: " << options.status().message() << "\n\n" << UsageText();
    return kExitUsage;
  }
  if (options->help) {
    std::cout << UsageText();
    return kExitOk;
  }
  return Run(*options);
}
