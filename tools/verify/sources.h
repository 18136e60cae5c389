// Where huanxin-verify gets what it checks: a running huanxind (source_server.cc) or files
// (source_export.cc). Sources only fetch and parse; every judgement is verifier.h's.
#ifndef HUANXIN_TOOLS_VERIFY_SOURCES_H_
#define HUANXIN_TOOLS_VERIFY_SOURCES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/merkle.h"
#include "huanxin/v1/audit.pb.h"
#include "huanxin/v1/common.pb.h"
#include "tools/verify/options.h"
#include "tools/verify/verifier.h"

namespace huanxin::verify {

// ---- files (source_export.cc)

// The whole file. The errno's code, naming the path, when it cannot be read.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path);
// Writes `contents` to PATH.tmp, then renames it over `path`.
absl::Status WriteWholeFile(const std::string& path, const std::string& contents);

// Feeds each non-empty line of the JSON-lines export at `path` (a huanxin.v1.EntryWithLeaf in
// protobuf JSON) to `verifier`, until it is complete(); later lines are counted as ignored.
// A line that is not such JSON is a failure recorded in `verifier` naming the line number
// (it is then skipped). Returns an error only when the file cannot be opened.
absl::Status FeedExport(const std::string& path, LedgerVerifier& verifier);

// ---- a running server (source_server.cc)

// An auditor's view of huanxind, over one channel. Every call carries the principal.
class ServerSource {
 public:
  explicit ServerSource(const Options& options);
  ~ServerSource();

  // AdminService.ListPrograms (every page), then AuditService.GetProgramStats of each.
  absl::StatusOr<std::vector<huanxin::v1::ProgramStats>> ReadAllStats();
  absl::StatusOr<huanxin::v1::Checkpoint> ReadCheckpoint();
  // StreamEntries from seq 0, into `verifier` until it is complete() or the stream ends;
  // then cancels the stream. An error when the stream fails before completion.
  absl::Status FeedEntries(LedgerVerifier& verifier);
  absl::StatusOr<std::vector<merkle::Hash>> ConsistencyProof(uint64_t first, uint64_t second);

 private:
  struct Stubs;
  std::string principal_;
  std::unique_ptr<Stubs> stubs_;
};

}  // namespace huanxin::verify

#endif  // HUANXIN_TOOLS_VERIFY_SOURCES_H_
