// The one interface every edge service uses to reach the ledger (docs/design.md, One picture).
// LocalLedger (ledger/local_ledger.h) is the in-process implementation: commands go straight
// onto the writer's queue, reads come from RocksDB snapshots. A remote implementation (a gRPC
// client of the internal ledger service) arrives with the split deployment; nothing in an
// edge knows which one it has.
//
// Identities are HMAC-ed by the edge before they get here: no clear ID number crosses this
// interface. Every method is thread-safe.
#ifndef HUANXIN_LEDGER_LEDGER_API_H_
#define HUANXIN_LEDGER_LEDGER_API_H_

#include <functional>
#include <memory>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/admin.pb.h"
#include "huanxin/v1/audit.pb.h"
#include "ledger/audit_reader.h"
#include "huanxin/v1/common.pb.h"
#include "huanxin/v1/issuance.pb.h"
#include "huanxin/v1/redemption.pb.h"

namespace huanxin::ledger {

class LedgerApi {
 public:
  virtual ~LedgerApi() = default;

  using Done = std::function<void(absl::StatusOr<internal::Reply>)>;

  // Runs one command through the single writer. `done` runs exactly once, on a ledger thread
  // (or on the caller's, before Submit returns, when the command is refused at once), with
  // the reply once the command's entry is durable, or the refusal. It must not block: the
  // write RPCs finish their gRPC call from it, so no thread waits out the fsync. The
  // command's actor and request_id are the idempotency key. The ledger drops the command's
  // unknown fields and refuses, unrecorded, what ValidateCommand
  // (ledger/commands/validate_command.h) refuses.
  virtual void Submit(internal::Command command, Done done) = 0;
  // Submit, and wait for the outcome. Never from inside a `done` callback: that runs on the
  // thread that would have to answer it.
  absl::StatusOr<internal::Reply> Execute(internal::Command command);

  // Reads of committed state. NOT_FOUND with the API's reason when absent.
  virtual absl::StatusOr<v1::Program> GetProgram(absl::string_view program_id) = 0;
  // Programmes in id order after `page_token` (the last id of the previous page).
  virtual absl::StatusOr<v1::ListProgramsResponse> ListPrograms(int32_t page_size,
                                                                absl::string_view page_token) = 0;
  virtual absl::StatusOr<v1::Merchant> GetMerchant(absl::string_view merchant_id) = 0;
  virtual absl::StatusOr<v1::Voucher> GetVoucher(absl::string_view voucher_id) = 0;
  // A consumer's vouchers in id order after `page_token` (the last id of the previous page).
  virtual absl::StatusOr<v1::ListConsumerVouchersResponse> ListConsumerVouchers(
      absl::string_view consumer_ref, int32_t page_size, absl::string_view page_token) = 0;
  virtual absl::StatusOr<v1::Redemption> GetRedemption(absl::string_view redemption_id) = 0;
  // RECEIPT_NOT_FOUND when absent. Whose receipt it is, is the caller's check.
  virtual absl::StatusOr<v1::ScrapReceipt> GetScrapReceipt(absl::string_view receipt_id) = 0;
  virtual absl::StatusOr<v1::ProgramStats> GetProgramStats(absl::string_view program_id) = 0;
  // The settlement and one page of the redemptions it paid, as they stand now, in the order
  // the settlement lists them: at most EffectivePageSize(page_size) lines from `page_token`
  // (empty: the first), and next_page_token unless the page is the last. INVALID_ARGUMENT
  // naming page_token for a token no page of this settlement gave.
  virtual absl::StatusOr<v1::SettlementDetail> GetSettlement(absl::string_view settlement_id,
                                                             int32_t page_size,
                                                             absl::string_view page_token) = 0;
  // The subsidy `r` would get if redeemed now, by the very checks Redeem runs (less the
  // payer's, the receipt's and the serial and invoice a rule requires, which a quote made
  // before the sale does not have yet).
  virtual absl::StatusOr<v1::QuoteSubsidyResponse> Quote(const internal::Redeem& r) = 0;

  // Reviews in `state` (OPEN, APPROVED or REJECTED; INVALID_ARGUMENT naming state
  // otherwise), oldest first, after `page_token` (INVALID_ARGUMENT naming page_token for
  // one no page gave).
  virtual absl::StatusOr<v1::ListReviewsResponse> ListReviews(v1::Review::State state,
                                                              int32_t page_size,
                                                              absl::string_view page_token) = 0;

  // The log, for auditors (ledger/audit_reader.h says what each returns).
  virtual absl::StatusOr<v1::EntryWithLeaf> GetEntry(int64_t seq) = 0;
  virtual absl::StatusOr<std::vector<v1::EntryWithLeaf>> ReadEntries(int64_t from, int max) = 0;
  virtual absl::StatusOr<v1::ListEntriesResponse> ListEntries(const EntryQuery& query,
                                                              int32_t page_size,
                                                              int64_t start) = 0;
  virtual absl::StatusOr<v1::Checkpoint> GetCheckpoint() = 0;
  virtual absl::StatusOr<v1::InclusionProof> GetInclusionProof(int64_t seq,
                                                               int64_t tree_size) = 0;
  virtual absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(int64_t first,
                                                                   int64_t second) = 0;
  // Waits until more than `seen` entries are committed or `timeout` passes; returns the
  // committed size then.
  virtual int64_t WaitForEntries(int64_t seen, absl::Duration timeout) = 0;

  // OK while the ledger accepts writes; the storage fault otherwise.
  virtual absl::Status Health() = 0;

  // Writes a consistent copy of the whole ledger database to `destination_dir` on the
  // ledger's host (ledger/backup.h: absolute, must not exist) and answers its path and the
  // tree size and root of the log it holds. The key files are not part of it.
  virtual absl::StatusOr<v1::BackupResponse> Backup(absl::string_view destination_dir) = 0;
};
using LedgerApiPtr = std::shared_ptr<LedgerApi>;

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_LEDGER_API_H_
