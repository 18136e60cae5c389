// huanxin.v1.AuditService: the commerce bureau's auditors (role auditor; admins may read).
// The log with proofs (entries, checkpoints, inclusion and consistency proofs, a follow
// stream), the programmes' books, and the review queue of the soft fraud checks.
#ifndef HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_
#define HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_

#include "huanxin/v1/audit.grpc.pb.h"
#include "services/audit/follow_hub.h"
#include "services/audit/stream_quota.h"
#include "services/edge/call.h"

namespace huanxin::edge {

// The write RPCs are callback methods (services/edge/call.h, ServeCommand), and so is the
// stream (services/audit/entry_stream.h), which may stay open for days; the other reads are
// sync.
using AuditServiceBase = v1::AuditService::WithCallbackMethod_ResolveReview<
    v1::AuditService::WithCallbackMethod_StreamEntries<v1::AuditService::Service>>;

struct AuditOptions {
  // StreamEntries calls one principal may hold open at once; more are refused with
  // RESOURCE_EXHAUSTED, reason RATE_LIMITED. <= 0: unlimited.
  int max_streams_per_principal = kDefaultMaxStreamsPerPrincipal;
  static constexpr int kDefaultMaxStreamsPerPrincipal = 16;
};

class AuditService final : public AuditServiceBase {
 public:
  explicit AuditService(Deps deps, AuditOptions options = {})
      : deps_(std::move(deps)), hub_(deps_.ledger.get()), quota_(options.max_streams_per_principal) {}

  grpc::Status ListEntries(grpc::ServerContext* ctx, const v1::ListEntriesRequest* req,
                           v1::ListEntriesResponse* resp) override;
  grpc::Status GetEntry(grpc::ServerContext* ctx, const v1::GetEntryRequest* req,
                        v1::EntryWithLeaf* resp) override;
  // Streams committed entries from from_seq; with follow, keeps streaming new ones until the
  // client cancels or the server stops. Holds one of the caller's stream slots while open.
  grpc::ServerWriteReactor<v1::EntryWithLeaf>* StreamEntries(
      grpc::CallbackServerContext* ctx, const v1::StreamEntriesRequest* req) override;
  grpc::Status GetCheckpoint(grpc::ServerContext* ctx, const v1::GetCheckpointRequest* req,
                             v1::Checkpoint* resp) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* ctx, const v1::GetInclusionProofRequest* req,
                                 v1::InclusionProof* resp) override;
  grpc::Status GetConsistencyProof(grpc::ServerContext* ctx,
                                   const v1::GetConsistencyProofRequest* req,
                                   v1::ConsistencyProof* resp) override;
  grpc::Status GetProgramStats(grpc::ServerContext* ctx, const v1::GetProgramStatsRequest* req,
                               v1::ProgramStats* resp) override;
  grpc::Status ListReviews(grpc::ServerContext* ctx, const v1::ListReviewsRequest* req,
                           v1::ListReviewsResponse* resp) override;
  // APPROVE: the redemption becomes COMPLETED and settleable; REJECT: REJECTED, and the
  // subsidy returns to the budget. Both are ledger entries (REVIEW_RESOLVED).
  grpc::ServerUnaryReactor* ResolveReview(grpc::CallbackServerContext* ctx,
                                          const v1::ResolveReviewRequest* req,
                                          v1::Review* resp) override;

 private:
  Deps deps_;
  FollowHub hub_;
  StreamQuota quota_;
};

}  // namespace huanxin::edge

#endif  // HUANXIN_SERVICES_AUDIT_AUDIT_SERVICE_H_
