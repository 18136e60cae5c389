// huanxin.internal.LedgerService: the ledger, served to edges that run in other processes
// (proto/huanxin/internal/ledger_service.proto). Each RPC calls the same method of the
// LedgerApi it is given (the ledger process's LocalLedger) and answers its result; a
// refusal leaves as ToGrpc (services/edge/call.h) makes it, so services/ledger_client/remote_ledger.h can
// rebuild the very same absl::Status on the edge.
//
// Every RPC goes through Serve() as "LedgerService/<Rpc>", like any edge RPC: the auth table
// admits only principals of role `service`. Execute takes from each service principal only
// the commands of the edge services it names (AuthorizeRelay, common/auth.h), and the ledger
// checks the command's actor, tenant and fields as for any command (ValidateCommand,
// ledger/commands/validate_command.h): an edge's own checks are never relied on. No identity
// is hashed here: commands arrive with HMACs already in them.
#ifndef HUANXIN_SERVICES_LEDGER_LEDGER_SERVICE_H_
#define HUANXIN_SERVICES_LEDGER_LEDGER_SERVICE_H_

#include "huanxin/internal/ledger_service.grpc.pb.h"
#include "ledger/ledger_api.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// Execute is a callback method (services/edge/call.h, ServeCommand); the reads are sync.
class LedgerService final
    : public internal::LedgerService::WithCallbackMethod_Execute<internal::LedgerService::Service> {
 public:
  // REQUIRES: `ledger` is the in-process ledger (never a RemoteLedger: that would relay).
  explicit LedgerService(ledger::LedgerApiPtr ledger) : ledger_(std::move(ledger)) {}

  grpc::ServerUnaryReactor* Execute(grpc::CallbackServerContext* ctx,
                                    const internal::Command* req,
                                    internal::Reply* resp) override;
  grpc::Status GetProgram(grpc::ServerContext* ctx, const internal::IdRequest* req,
                          v1::Program* resp) override;
  grpc::Status ListPrograms(grpc::ServerContext* ctx, const internal::ListProgramsRequest* req,
                            v1::ListProgramsResponse* resp) override;
  grpc::Status GetMerchant(grpc::ServerContext* ctx, const internal::IdRequest* req,
                           v1::Merchant* resp) override;
  grpc::Status GetVoucher(grpc::ServerContext* ctx, const internal::IdRequest* req,
                          v1::Voucher* resp) override;
  grpc::Status ListConsumerVouchers(grpc::ServerContext* ctx,
                                    const internal::ConsumerVouchersRequest* req,
                                    v1::ListConsumerVouchersResponse* resp) override;
  grpc::Status GetRedemption(grpc::ServerContext* ctx, const internal::IdRequest* req,
                             v1::Redemption* resp) override;
  grpc::Status GetScrapReceipt(grpc::ServerContext* ctx, const internal::IdRequest* req,
                               v1::ScrapReceipt* resp) override;
  grpc::Status GetProgramStats(grpc::ServerContext* ctx, const internal::IdRequest* req,
                               v1::ProgramStats* resp) override;
  grpc::Status GetSettlement(grpc::ServerContext* ctx, const v1::GetSettlementRequest* req,
                             v1::SettlementDetail* resp) override;
  grpc::Status Quote(grpc::ServerContext* ctx, const internal::Redeem* req,
                     v1::QuoteSubsidyResponse* resp) override;
  grpc::Status ListReviews(grpc::ServerContext* ctx, const v1::ListReviewsRequest* req,
                           v1::ListReviewsResponse* resp) override;
  grpc::Status GetEntry(grpc::ServerContext* ctx, const internal::SeqRequest* req,
                        v1::EntryWithLeaf* resp) override;
  grpc::Status ReadEntries(grpc::ServerContext* ctx, const internal::ReadEntriesRequest* req,
                           internal::Entries* resp) override;
  grpc::Status ListEntries(grpc::ServerContext* ctx, const internal::EntryQuery* req,
                           v1::ListEntriesResponse* resp) override;
  grpc::Status GetCheckpoint(grpc::ServerContext* ctx, const internal::Empty* req,
                             v1::Checkpoint* resp) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* ctx,
                                 const internal::InclusionProofRequest* req,
                                 v1::InclusionProof* resp) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* ctx,
                                   const internal::ConsistencyProofRequest* req,
                                   v1::ConsistencyProof* resp) override;
  grpc::Status WaitForEntries(grpc::ServerContext* ctx,
                              const internal::WaitForEntriesRequest* req,
                              internal::WaitForEntriesResponse* resp) override;
  grpc::Status Health(grpc::ServerContext* ctx, const internal::Empty* req,
                      internal::Empty* resp) override;
  grpc::Status Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                      v1::BackupResponse* resp) override;

 private:
  ledger::LedgerApiPtr ledger_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_LEDGER_LEDGER_SERVICE_H_
