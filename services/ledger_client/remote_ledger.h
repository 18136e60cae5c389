// LedgerApi over gRPC: what an edge uses when the ledger runs in another process
// (huanxind --services=issuance,... --ledger_address=HOST:PORT). Every method is one unary
// call of huanxin.internal.LedgerService (proto/huanxin/internal/ledger_service.proto),
// served there by services/ledger/ledger_service.h over the ledger's LocalLedger.
//
// Contract, beyond ledger_api.h's:
// - The caller is the principal `options.principal` ("service:<edge name>"): the channel's
//   credentials carry its client certificate under mTLS; the same name also goes out as
//   x-huanxin-principal metadata for --insecure development, where the ledger reads it.
// - Every call has a deadline (options.deadline; WaitForEntries: its timeout plus that).
// - The ledger's refusals come back unchanged: same code, same "<REASON>: <detail>" message,
//   same field (services/ledger_client/remote_status.h). When the ledger cannot be reached, or a call fails
//   in transport, the result is UNAVAILABLE ("UNAVAILABLE: ledger at ... : ..."), except a
//   deadline, which stays DEADLINE_EXCEEDED: an Execute may then have been applied, and a
//   retry with the same request_id gets its answer.
// - The channel connects lazily and reconnects by itself; a RemoteLedger never blocks
//   waiting for a ledger that is down (calls fail fast).
// - Submit is asynchronous (gRPC's callback API); the RemoteLedger must outlive the calls it
//   has in flight.
// Thread-safe.
#ifndef HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_LEDGER_H_
#define HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_LEDGER_H_

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/security/credentials.h"
#include "huanxin/internal/ledger_service.grpc.pb.h"
#include "ledger/ledger_api.h"

namespace huanxin::ledger_client {

using ledger::EntryQuery;

class RemoteLedger : public ledger::LedgerApi {
 public:
  struct Options {
    std::string principal = "service:edge";
    absl::Duration deadline = absl::Seconds(10);
    // The largest answer accepted (a ReadEntries chunk, a settlement with many lines).
    int max_receive_bytes = 64 << 20;
  };

  // A client of the ledger at `address` ("HOST:PORT") over `credentials`
  // (grpc::InsecureChannelCredentials() only with --insecure; otherwise SSL credentials
  // holding the edge's client certificate).
  static std::unique_ptr<RemoteLedger> Connect(
      const std::string& address, std::shared_ptr<grpc::ChannelCredentials> credentials,
      Options options);
  RemoteLedger(std::shared_ptr<grpc::Channel> channel, std::string address, Options options);

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
  absl::StatusOr<v1::EntryWithLeaf> GetEntry(int64_t seq) override;
  absl::StatusOr<std::vector<v1::EntryWithLeaf>> ReadEntries(int64_t from, int max) override;
  absl::StatusOr<v1::ListEntriesResponse> ListEntries(const EntryQuery& query, int32_t page_size,
                                                      int64_t start) override;
  absl::StatusOr<v1::Checkpoint> GetCheckpoint() override;
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(int64_t seq, int64_t tree_size) override;
  absl::StatusOr<v1::ConsistencyProof> GetConsistencyProof(int64_t first,
                                                           int64_t second) override;
  // On a failed call it waits out `timeout` (so a follower does not spin while the ledger is
  // away) and returns `seen`.
  int64_t WaitForEntries(int64_t seen, absl::Duration timeout) override;
  absl::Status Health() override;
  absl::StatusOr<v1::BackupResponse> Backup(absl::string_view destination_dir) override;

 private:
  using Stub = internal::LedgerService::Stub;
  template <typename Req, typename Resp>
  using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Req&, Resp*);

  // One unary call of `method` with `deadline`, its status mapped as the contract says.
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(Method<Req, Resp> method, const Req& request,
                            absl::Duration deadline) const;
  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(Method<Req, Resp> method, const Req& request) const {
    return Call(method, request, options_.deadline);
  }
  absl::Status Mapped(const grpc::Status& status) const;
  // Sets a call's deadline and principal metadata.
  void Prepare(grpc::ClientContext* ctx, absl::Duration deadline) const;

  std::unique_ptr<Stub> stub_;
  std::string address_;
  Options options_;
};

}  // namespace huanxin::ledger_client

#endif  // HUANXIN_SERVICES_LEDGER_CLIENT_REMOTE_LEDGER_H_
