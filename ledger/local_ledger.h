// LedgerApi in the ledger's own process: the single writer over an open RocksDB.
#ifndef HUANXIN_LEDGER_LOCAL_LEDGER_H_
#define HUANXIN_LEDGER_LOCAL_LEDGER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

#include "common/clock.h"
#include "ledger/audit_reader.h"
#include "ledger/backup.h"
#include "ledger/ledger_api.h"
#include "ledger/writer.h"
#include "storage/db.h"

namespace huanxin::ledger {

class LocalLedger : public LedgerApi {
 public:
  struct Options {
    // How often the expiry sweeper looks for vouchers past expires_at; zero: never (tests
    // then call SweepExpired themselves).
    absl::Duration sweep_interval = absl::Seconds(1);
    // Signs checkpoints; null: GetCheckpoint is FAILED_PRECONDITION.
    std::shared_ptr<const note::Signer> signer;
    // The checkpoint origin, e.g. "huanxin.binzhou/ledger".
    std::string origin = "huanxin.local/ledger";
    // The fraud rules to put in force at start (recorded as an entry when they differ from
    // those in force); none: keep what the ledger has.
    std::optional<v1::FraudRules> fraud_rules;
    // The writer's batch bounds, queue bound and observer (metrics: batch sizes, commit
    // latency, queue depth; null: none).
    Writer::Options writer;
    // How the database is opened (tests: a fault-injecting Env); default: plain RocksDB.
    storage::Db::Options db;
    // The file of the largest checkpoint signed (ledger/checkpoint_witness.h); with a signer,
    // Open refuses a ledger that does not extend it. Empty: no witness.
    std::string checkpoint_file;
  };

  // Opens (or, when options.db allows, creates) the database in `dir`, checks it against the
  // checkpoint witness (DATA_LOSS when committed entries are missing), starts the writer and
  // the expiry sweeper.
  static absl::StatusOr<std::unique_ptr<LocalLedger>> Open(const std::string& dir,
                                                           ClockPtr clock, Options options);
  // Stops the writer after it has answered everything submitted, then closes the database.
  ~LocalLedger() override;

  void Submit(internal::Command command, Done done) override;
  absl::StatusOr<v1::Program> GetProgram(absl::string_view program_id) override;
  absl::StatusOr<v1::ListProgramsResponse> ListPrograms(int32_t page_size,
                                                        absl::string_view page_token) override;
  absl::StatusOr<v1::Merchant> GetMerchant(absl::string_view merchant_id) override;
  absl::StatusOr<v1::Voucher> GetVoucher(absl::string_view voucher_id) override;
  absl::StatusOr<v1::ListConsumerVouchersResponse> ListConsumerVouchers(
      absl::string_view consumer_ref, int32_t page_size, absl::string_view page_token) override;
  absl::StatusOr<v1::Redemption> GetRedemption(absl::string_view redemption_id) override;
  absl::StatusOr<v1::ScrapReceipt> GetScrapReceipt(absl::string_view receipt_id) override;
  absl::StatusOr<v1::ProgramStats> GetProgramStats(absl::string_view program_id) override;
  absl::StatusOr<v1::SettlementDetail> GetSettlement(absl::string_view settlement_id,
                                                     int32_t page_size,
                                                     absl::string_view page_token) override;
  absl::StatusOr<v1::QuoteSubsidyResponse> Quote(const internal::Redeem& r) override;
  absl::StatusOr<v1::ListReviewsResponse> ListReviews(v1::Review::State state, int32_t page_size,
                                                      absl::string_view page_token) override;
  absl::StatusOr<v1::EntryWithLeaf> GetEntry(int64_t seq) override {
    return audit_->GetEntry(seq);
  }
  absl::StatusOr<std::vector<v1::EntryWithLeaf>> ReadEntries(int64_t from, int max) override {
    return audit_->ReadEntries(from, max);
  }
  absl::StatusOr<v1::ListEntriesResponse> ListEntries(const EntryQuery& q, int32_t page_size,
                                                      int64_t start) override {
    return audit_->ListEntries(q, page_size, start);
  }
  absl::StatusOr<v1::Checkpoint> GetCheckpoint() override { return audit_->GetCheckpoint(); }
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(int64_t seq, int64_t size) override {
    return audit_->GetInclusionProof(seq, size);
  }
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(int64_t first,
                                                           int64_t second) override {
    return audit_->GetConsistencyProof(first, second);
  }
  int64_t WaitForEntries(int64_t seen, absl::Duration timeout) override {
    return writer_->WaitForEntries(seen, timeout);
  }
  absl::Status Health() override;
  absl::StatusOr<v1::BackupResponse> Backup(absl::string_view destination_dir) override {
    return BackupDatabase(*db_, destination_dir);
  }

  // Submits an expiry command for every ISSUED voucher at or past expires_at (at most
  // `limit`), waits for them, and returns how many vouchers expired.
  absl::StatusOr<int> SweepExpired(int limit = 10000);

  storage::Db* db() { return db_.get(); }

 private:
  LocalLedger(std::unique_ptr<storage::Db> db, ClockPtr clock)
      : db_(std::move(db)), clock_(std::move(clock)) {}
  void SweepLoop(absl::Duration interval);

  std::unique_ptr<storage::Db> db_;
  ClockPtr clock_;
  std::unique_ptr<Writer> writer_;  // destroyed before db_
  std::unique_ptr<CheckpointWitness> witness_;  // null: none; outlives audit_
  std::unique_ptr<AuditReader> audit_;

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread sweeper_;
};

}  // namespace huanxin::ledger

#endif  // HUANXIN_LEDGER_LOCAL_LEDGER_H_
