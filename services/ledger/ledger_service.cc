#include "services/ledger/ledger_service.h"

#include <algorithm>
#include <utility>

#include "common/proto_time.h"
#include "common/validate.h"
#include "ledger/commands/validate_command.h"

namespace huanxin::edge {
namespace {

// Bounds on what one call may ask of the ledger process.
constexpr int kMaxReadEntries = 1000;
constexpr int64_t kMaxWaitMs = 30000;

// Moves a result into the response, or returns its error.
template <typename T>
absl::Status Into(absl::StatusOr<T> got, T* out) {
  if (!got.ok()) return got.status();
  *out = *std::move(got);
  return absl::OkStatus();
}

ledger::EntryQuery QueryOf(const internal::EntryQuery& r) {
  ledger::EntryQuery q;
  q.types.insert(r.types().begin(), r.types().end());
  q.program_id = r.program_id();
  q.merchant_id = r.merchant_id();
  q.consumer_ref = r.consumer_ref();
  if (r.has_from_time()) q.from_time = FromProto(r.from_time());
  if (r.has_to_time()) q.to_time = FromProto(r.to_time());
  q.from_seq = r.from_seq();
  return q;
}

}  // namespace

grpc::ServerUnaryReactor* LedgerService::Execute(grpc::CallbackServerContext* ctx,
                                                 const internal::Command* req,
                                                 internal::Reply* resp) {
  return ServeCommand(
      ctx, "LedgerService/Execute", ledger_.get(),
      [&](const Principal& edge) -> absl::StatusOr<internal::Command> {
        // An edge relays only its own services' commands; the ledger then checks the actor,
        // the tenant and every field as for any command (LocalLedger::Submit).
        if (absl::Status s = AuthorizeRelay(edge, ledger::MethodOf(*req)); !s.ok()) return s;
        return *req;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply); });
}

grpc::Status LedgerService::GetProgram(grpc::ServerContext* ctx, const internal::IdRequest* req,
                                       v1::Program* resp) {
  return Serve(ctx, "LedgerService/GetProgram",
               [&](const Principal&) { return Into(ledger_->GetProgram(req->id()), resp); });
}

grpc::Status LedgerService::ListPrograms(grpc::ServerContext* ctx,
                                         const internal::ListProgramsRequest* req,
                                         v1::ListProgramsResponse* resp) {
  return Serve(ctx, "LedgerService/ListPrograms", [&](const Principal&) {
    return Into(ledger_->ListPrograms(req->page_size(), req->page_token()), resp);
  });
}

grpc::Status LedgerService::GetMerchant(grpc::ServerContext* ctx,
                                        const internal::IdRequest* req, v1::Merchant* resp) {
  return Serve(ctx, "LedgerService/GetMerchant",
               [&](const Principal&) { return Into(ledger_->GetMerchant(req->id()), resp); });
}

grpc::Status LedgerService::GetVoucher(grpc::ServerContext* ctx, const internal::IdRequest* req,
                                       v1::Voucher* resp) {
  return Serve(ctx, "LedgerService/GetVoucher",
               [&](const Principal&) { return Into(ledger_->GetVoucher(req->id()), resp); });
}

grpc::Status LedgerService::ListConsumerVouchers(grpc::ServerContext* ctx,
                                                 const internal::ConsumerVouchersRequest* req,
                                                 v1::ListConsumerVouchersResponse* resp) {
  return Serve(ctx, "LedgerService/ListConsumerVouchers", [&](const Principal&) {
    return Into(ledger_->ListConsumerVouchers(req->consumer_ref(), req->page_size(),
                                              req->page_token()),
                resp);
  });
}

grpc::Status LedgerService::GetRedemption(grpc::ServerContext* ctx,
                                          const internal::IdRequest* req,
                                          v1::Redemption* resp) {
  return Serve(ctx, "LedgerService/GetRedemption",
               [&](const Principal&) { return Into(ledger_->GetRedemption(req->id()), resp); });
}

grpc::Status LedgerService::GetScrapReceipt(grpc::ServerContext* ctx,
                                            const internal::IdRequest* req,
                                            v1::ScrapReceipt* resp) {
  return Serve(ctx, "LedgerService/GetScrapReceipt",
               [&](const Principal&) { return Into(ledger_->GetScrapReceipt(req->id()), resp); });
}

grpc::Status LedgerService::GetProgramStats(grpc::ServerContext* ctx,
                                            const internal::IdRequest* req,
                                            v1::ProgramStats* resp) {
  return Serve(ctx, "LedgerService/GetProgramStats",
               [&](const Principal&) { return Into(ledger_->GetProgramStats(req->id()), resp); });
}

grpc::Status LedgerService::GetSettlement(grpc::ServerContext* ctx,
                                          const v1::GetSettlementRequest* req,
                                          v1::SettlementDetail* resp) {
  return Serve(ctx, "LedgerService/GetSettlement", [&](const Principal&) {
    return Into(ledger_->GetSettlement(req->settlement_id(), req->page_size(), req->page_token()),
                resp);
  });
}

grpc::Status LedgerService::Quote(grpc::ServerContext* ctx, const internal::Redeem* req,
                                  v1::QuoteSubsidyResponse* resp) {
  return Serve(ctx, "LedgerService/Quote",
               [&](const Principal&) { return Into(ledger_->Quote(*req), resp); });
}

grpc::Status LedgerService::ListReviews(grpc::ServerContext* ctx,
                                        const v1::ListReviewsRequest* req,
                                        v1::ListReviewsResponse* resp) {
  return Serve(ctx, "LedgerService/ListReviews", [&](const Principal&) {
    return Into(ledger_->ListReviews(req->state(), req->page_size(), req->page_token()), resp);
  });
}

grpc::Status LedgerService::GetEntry(grpc::ServerContext* ctx, const internal::SeqRequest* req,
                                     v1::EntryWithLeaf* resp) {
  return Serve(ctx, "LedgerService/GetEntry",
               [&](const Principal&) { return Into(ledger_->GetEntry(req->seq()), resp); });
}

grpc::Status LedgerService::ReadEntries(grpc::ServerContext* ctx,
                                        const internal::ReadEntriesRequest* req,
                                        internal::Entries* resp) {
  return Serve(ctx, "LedgerService/ReadEntries", [&](const Principal&) -> absl::Status {
    const int max = std::clamp(req->max(), 0, kMaxReadEntries);
    absl::StatusOr<std::vector<v1::EntryWithLeaf>> got = ledger_->ReadEntries(req->from(), max);
    if (!got.ok()) return got.status();
    for (v1::EntryWithLeaf& e : *got) *resp->add_entries() = std::move(e);
    return absl::OkStatus();
  });
}

grpc::Status LedgerService::ListEntries(grpc::ServerContext* ctx,
                                        const internal::EntryQuery* req,
                                        v1::ListEntriesResponse* resp) {
  return Serve(ctx, "LedgerService/ListEntries", [&](const Principal&) {
    return Into(ledger_->ListEntries(QueryOf(*req), EffectivePageSize(req->page_size()),
                                     req->start()),
                resp);
  });
}

grpc::Status LedgerService::GetCheckpoint(grpc::ServerContext* ctx, const internal::Empty*,
                                          v1::Checkpoint* resp) {
  return Serve(ctx, "LedgerService/GetCheckpoint",
               [&](const Principal&) { return Into(ledger_->GetCheckpoint(), resp); });
}

grpc::Status LedgerService::GetInclusionProof(grpc::ServerContext* ctx,
                                              const internal::InclusionProofRequest* req,
                                              v1::InclusionProof* resp) {
  return Serve(ctx, "LedgerService/GetInclusionProof", [&](const Principal&) {
    return Into(ledger_->GetInclusionProof(req->seq(), req->tree_size()), resp);
  });
}

grpc::Status LedgerService::GetConsistencyProof(grpc::ServerContext* ctx,
                                                const internal::ConsistencyProofRequest* req,
                                                v1::ConsistencyProof* resp) {
  return Serve(ctx, "LedgerService/GetConsistencyProof", [&](const Principal&) {
    return Into(ledger_->GetConsistencyProof(req->first(), req->second()), resp);
  });
}

grpc::Status LedgerService::WaitForEntries(grpc::ServerContext* ctx,
                                           const internal::WaitForEntriesRequest* req,
                                           internal::WaitForEntriesResponse* resp) {
  return Serve(ctx, "LedgerService/WaitForEntries", [&](const Principal&) {
    const int64_t ms = std::clamp<int64_t>(req->timeout_ms(), 0, kMaxWaitMs);
    resp->set_size(ledger_->WaitForEntries(req->seen(), absl::Milliseconds(ms)));
    return absl::OkStatus();
  });
}

grpc::Status LedgerService::Health(grpc::ServerContext* ctx, const internal::Empty*,
                                   internal::Empty*) {
  return Serve(ctx, "LedgerService/Health", [&](const Principal&) { return ledger_->Health(); });
}

grpc::Status LedgerService::Backup(grpc::ServerContext* ctx, const v1::BackupRequest* req,
                                   v1::BackupResponse* resp) {
  return Serve(ctx, "LedgerService/Backup", [&](const Principal&) {
    return Into(ledger_->Backup(req->destination_dir()), resp);
  });
}

}  // namespace huanxin::edge
