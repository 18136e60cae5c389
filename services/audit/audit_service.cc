#include "services/audit/audit_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "services/audit/entry_stream.h"
#include "services/edge/requests.h"

namespace huanxin::edge {
namespace {

absl::StatusOr<ledger::EntryQuery> QueryOf(const PiiKey& pii, const v1::EntryFilter& f) {
  ledger::EntryQuery q;
  for (int i = 0; i < f.types_size(); ++i) {
    if (f.types(i) == v1::LedgerEntry::TYPE_UNSPECIFIED ||
        !v1::LedgerEntry::Type_IsValid(f.types(i))) {
      return FieldError(absl::StrCat("filter.types[", i, "]"), "is not an entry type");
    }
    q.types.insert(f.types(i));
  }
  if (!f.program_id().empty())
    HX_RETURN_IF_ERROR(ValidateSlug("filter.program_id", f.program_id()));
  if (!f.merchant_id().empty()) {
    HX_RETURN_IF_ERROR(ValidateSlug("filter.merchant_id", f.merchant_id()));
  }
  q.program_id = f.program_id();
  q.merchant_id = f.merchant_id();
  if (f.has_consumer()) {
    HX_ASSIGN_OR_RETURN(v1::ConsumerRefs refs, HashIdentity(pii, f.consumer(), "filter.consumer"));
    q.consumer_ref = refs.consumer_ref();
  }
  if (f.has_from_time()) {
    HX_RETURN_IF_ERROR(ValidateTimestamp("filter.from_time", f.from_time()));
    q.from_time = FromProto(f.from_time());
  }
  if (f.has_to_time()) {
    HX_RETURN_IF_ERROR(ValidateTimestamp("filter.to_time", f.to_time()));
    q.to_time = FromProto(f.to_time());
  }
  if (q.from_time && q.to_time && *q.to_time < *q.from_time) {
    return FieldError("filter.to_time", "is before filter.from_time");
  }
  if (f.from_seq() < 0) return FieldError("filter.from_seq", "must not be negative");
  q.from_seq = f.from_seq();
  return q;
}

}  // namespace

grpc::Status AuditService::ListEntries(grpc::ServerContext* ctx, const v1::ListEntriesRequest* req,
                                       v1::ListEntriesResponse* resp) {
  return Serve(ctx, "AuditService/ListEntries", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(ledger::EntryQuery q, QueryOf(*deps_.pii, req->filter()));
    HX_RETURN_IF_ERROR(ValidatePageSize("page_size", req->page_size()));
    int64_t start = 0;
    if (!req->page_token().empty() && (!absl::SimpleAtoi(req->page_token(), &start) || start < 0)) {
      return FieldError("page_token", "is not a token this service gave");
    }
    HX_ASSIGN_OR_RETURN(*resp,
                        deps_.ledger->ListEntries(q, EffectivePageSize(req->page_size()), start));
    return absl::OkStatus();
  });
}

grpc::Status AuditService::GetEntry(grpc::ServerContext* ctx, const v1::GetEntryRequest* req,
                                    v1::EntryWithLeaf* resp) {
  return Serve(ctx, "AuditService/GetEntry", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetEntry(req->seq()));
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::EntryWithLeaf>* AuditService::StreamEntries(
    grpc::CallbackServerContext* ctx, const v1::StreamEntriesRequest* req) {
  auto call = std::make_shared<const StreamCall>(ctx, "AuditService/StreamEntries");
  absl::Status admitted = call->caller().status();
  if (admitted.ok() && req->from_seq() < 0) {
    admitted = FieldError("from_seq", "must not be negative");
  }
  std::shared_ptr<StreamQuota::Slot> slot;
  if (admitted.ok()) {
    absl::StatusOr<StreamQuota::SlotPtr> acquired = quota_.Acquire(call->principal_name());
    if (acquired.ok()) slot = *std::move(acquired);
    admitted = acquired.status();
  }
  // The slot is freed as the stream ends, before its status reaches the client.
  auto end = [call, slot](const absl::Status& status) mutable {
    slot.reset();
    return call->End(status);
  };
  return new EntryStream(deps_.ledger.get(), &hub_, req->from_seq(), req->follow(), admitted,
                         std::move(end));
}

grpc::Status AuditService::GetCheckpoint(grpc::ServerContext* ctx,
                                         const v1::GetCheckpointRequest* req,
                                         v1::Checkpoint* resp) {
  return Serve(ctx, "AuditService/GetCheckpoint", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetCheckpoint());
    return absl::OkStatus();
  });
}

grpc::Status AuditService::GetInclusionProof(grpc::ServerContext* ctx,
                                             const v1::GetInclusionProofRequest* req,
                                             v1::InclusionProof* resp) {
  return Serve(ctx, "AuditService/GetInclusionProof", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetInclusionProof(req->seq(), req->tree_size()));
    return absl::OkStatus();
  });
}

grpc::Status AuditService::GetConsistencyProof(grpc::ServerContext* ctx,
                                               const v1::GetConsistencyProofRequest* req,
                                               v1::ConsistencyProof* resp) {
  return Serve(ctx, "AuditService/GetConsistencyProof", [&](const Principal&) -> absl::Status {
    HX_ASSIGN_OR_RETURN(*resp,
                        deps_.ledger->GetConsistencyProof(req->first_size(), req->second_size()));
    return absl::OkStatus();
  });
}

grpc::Status AuditService::GetProgramStats(grpc::ServerContext* ctx,
                                           const v1::GetProgramStatsRequest* req,
                                           v1::ProgramStats* resp) {
  return Serve(ctx, "AuditService/GetProgramStats", [&](const Principal&) -> absl::Status {
    HX_RETURN_IF_ERROR(ValidateSlug("program_id", req->program_id()));
    HX_ASSIGN_OR_RETURN(*resp, deps_.ledger->GetProgramStats(req->program_id()));
    return absl::OkStatus();
  });
}

grpc::Status AuditService::ListReviews(grpc::ServerContext* ctx, const v1::ListReviewsRequest* req,
                                       v1::ListReviewsResponse* resp) {
  return Serve(ctx, "AuditService/ListReviews", [&](const Principal&) -> absl::Status {
    if (req->state() == v1::Review::STATE_UNSPECIFIED ||
        !v1::Review::State_IsValid(req->state())) {
      return FieldError("state", "must be OPEN, APPROVED or REJECTED");
    }
    HX_RETURN_IF_ERROR(ValidatePageSize("page_size", req->page_size()));
    HX_RETURN_IF_ERROR(ValidateCode("page_token", req->page_token(), 200, false));
    HX_ASSIGN_OR_RETURN(
        *resp, deps_.ledger->ListReviews(req->state(), req->page_size(), req->page_token()));
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* AuditService::ResolveReview(grpc::CallbackServerContext* ctx,
                                                      const v1::ResolveReviewRequest* req,
                                                      v1::Review* resp) {
  return ServeCommand(
      ctx, "AuditService/ResolveReview", deps_.ledger.get(),
      [&](const Principal& caller) -> absl::StatusOr<internal::Command> {
        HX_ASSIGN_OR_RETURN(internal::Command cmd, NewCommand(caller, req->request_id()));
        *cmd.mutable_resolve_review() = *req;
        return cmd;
      },
      [resp](internal::Reply* reply) { *resp = std::move(*reply->mutable_review()); });
}

}  // namespace huanxin::edge
