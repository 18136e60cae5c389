#include "services/ledger_client/remote_ledger.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "common/auth.h"
#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/status.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/support/channel_arguments.h"
#include "services/ledger_client/remote_status.h"

namespace huanxin::ledger_client {
namespace {

// The header services/edge/call.cc reads the principal from under --insecure.
// The server caps a wait at 30 s (services/ledger/ledger_service.cc).
constexpr absl::Duration kMaxWait = absl::Seconds(30);

internal::IdRequest Id(absl::string_view id) {
  internal::IdRequest r;
  r.set_id(std::string(id));
  return r;
}

}  // namespace

std::unique_ptr<RemoteLedger> RemoteLedger::Connect(
    const std::string& address, std::shared_ptr<grpc::ChannelCredentials> credentials,
    Options options) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_bytes);
  // Keep the connection to the ledger warm and notice a dead one between calls.
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  // Quick reconnects: a restarted ledger is back within a second or two.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return std::make_unique<RemoteLedger>(
      grpc::CreateCustomChannel(address, std::move(credentials), args), address,
      std::move(options));
}

RemoteLedger::RemoteLedger(std::shared_ptr<grpc::Channel> channel, std::string address,
                           Options options)
    : stub_(internal::LedgerService::NewStub(std::move(channel))),
      address_(std::move(address)),
      options_(std::move(options)) {}

absl::Status RemoteLedger::Mapped(const grpc::Status& status) const {
  if (status.ok() || FromLedgerService(status)) return FromGrpc(status);
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::DeadlineExceededError(
        absl::StrCat("the ledger at ", address_, " did not answer in time; retry with the "
                     "same request_id"));
  }
  // No connection, a reset, a message too large, or the ledger's own gRPC layer refusing
  // before Huanxin code ran: to the caller, the ledger is unavailable.
  return Refuse(reason::kUnavailable,
                absl::StrCat("ledger at ", address_, ": ", status.error_message()));
}

void RemoteLedger::Prepare(grpc::ClientContext* ctx, absl::Duration deadline) const {
  ctx->set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(deadline));
  ctx->AddMetadata(kPrincipalHeader, options_.principal);
}

template <typename Req, typename Resp>
absl::StatusOr<Resp> RemoteLedger::Call(Method<Req, Resp> method, const Req& request,
                                        absl::Duration deadline) const {
  grpc::ClientContext ctx;
  Prepare(&ctx, deadline);
  Resp response;
  grpc::Status status = (stub_.get()->*method)(&ctx, request, &response);
  if (!status.ok()) return Mapped(status);
  return response;
}

void RemoteLedger::Submit(internal::Command command, Done done) {
  // One call in flight, owned by gRPC's completion callback, which answers `done`.
  struct InFlight {
    grpc::ClientContext ctx;
    internal::Command command;
    internal::Reply reply;
    Done done;
  };
  auto* call = new InFlight{{}, std::move(command), {}, std::move(done)};
  Prepare(&call->ctx, options_.deadline);
  stub_->async()->Execute(&call->ctx, &call->command, &call->reply,
                          [this, call](grpc::Status status) {
                            std::unique_ptr<InFlight> owned(call);
                            if (status.ok()) {
                              owned->done(std::move(owned->reply));
                            } else {
                              owned->done(Mapped(status));
                            }
                          });
}

absl::StatusOr<v1::Program> RemoteLedger::GetProgram(absl::string_view id) {
  return Call(&Stub::GetProgram, Id(id));
}

absl::StatusOr<v1::ListProgramsResponse> RemoteLedger::ListPrograms(int32_t page_size,
                                                                    absl::string_view token) {
  internal::ListProgramsRequest r;
  r.set_page_size(page_size);
  r.set_page_token(std::string(token));
  return Call(&Stub::ListPrograms, r);
}

absl::StatusOr<v1::Merchant> RemoteLedger::GetMerchant(absl::string_view id) {
  return Call(&Stub::GetMerchant, Id(id));
}

absl::StatusOr<v1::Voucher> RemoteLedger::GetVoucher(absl::string_view id) {
  return Call(&Stub::GetVoucher, Id(id));
}

absl::StatusOr<v1::ListConsumerVouchersResponse> RemoteLedger::ListConsumerVouchers(
    absl::string_view consumer_ref, int32_t page_size, absl::string_view token) {
  internal::ConsumerVouchersRequest r;
  r.set_consumer_ref(std::string(consumer_ref));
  r.set_page_size(page_size);
  r.set_page_token(std::string(token));
  return Call(&Stub::ListConsumerVouchers, r);
}

absl::StatusOr<v1::Redemption> RemoteLedger::GetRedemption(absl::string_view id) {
  return Call(&Stub::GetRedemption, Id(id));
}

absl::StatusOr<v1::ScrapReceipt> RemoteLedger::GetScrapReceipt(absl::string_view id) {
  return Call(&Stub::GetScrapReceipt, Id(id));
}

absl::StatusOr<v1::ProgramStats> RemoteLedger::GetProgramStats(absl::string_view id) {
  return Call(&Stub::GetProgramStats, Id(id));
}

absl::StatusOr<v1::SettlementDetail> RemoteLedger::GetSettlement(absl::string_view id,
                                                                 int32_t page_size,
                                                                 absl::string_view page_token) {
  v1::GetSettlementRequest r;
  r.set_settlement_id(std::string(id));
  r.set_page_size(page_size);
  r.set_page_token(std::string(page_token));
  return Call(&Stub::GetSettlement, r);
}

absl::StatusOr<v1::QuoteSubsidyResponse> RemoteLedger::Quote(const internal::Redeem& r) {
  return Call(&Stub::Quote, r);
}

absl::StatusOr<v1::ListReviewsResponse> RemoteLedger::ListReviews(v1::Review::State state,
                                                                  int32_t page_size,
                                                                  absl::string_view page_token) {
  v1::ListReviewsRequest r;
  r.set_state(state);
  r.set_page_size(page_size);
  r.set_page_token(std::string(page_token));
  return Call(&Stub::ListReviews, r);
}

absl::StatusOr<v1::EntryWithLeaf> RemoteLedger::GetEntry(int64_t seq) {
  internal::SeqRequest r;
  r.set_seq(seq);
  return Call(&Stub::GetEntry, r);
}

absl::StatusOr<std::vector<v1::EntryWithLeaf>> RemoteLedger::ReadEntries(int64_t from, int max) {
  internal::ReadEntriesRequest r;
  r.set_from(from);
  r.set_max(max);
  absl::StatusOr<internal::Entries> got = Call(&Stub::ReadEntries, r);
  if (!got.ok()) return got.status();
  return std::vector<v1::EntryWithLeaf>(got->entries().begin(), got->entries().end());
}

absl::StatusOr<v1::ListEntriesResponse> RemoteLedger::ListEntries(const EntryQuery& q,
                                                                  int32_t page_size,
                                                                  int64_t start) {
  internal::EntryQuery r;
  for (int type : q.types) r.add_types(type);
  r.set_program_id(q.program_id);
  r.set_merchant_id(q.merchant_id);
  r.set_consumer_ref(q.consumer_ref);
  if (q.from_time.has_value()) *r.mutable_from_time() = ToProto(*q.from_time);
  if (q.to_time.has_value()) *r.mutable_to_time() = ToProto(*q.to_time);
  r.set_from_seq(q.from_seq);
  r.set_page_size(page_size);
  r.set_start(start);
  return Call(&Stub::ListEntries, r);
}

absl::StatusOr<v1::Checkpoint> RemoteLedger::GetCheckpoint() {
  return Call(&Stub::GetCheckpoint, internal::Empty());
}

absl::StatusOr<v1::InclusionProof> RemoteLedger::GetInclusionProof(int64_t seq,
                                                                   int64_t tree_size) {
  internal::InclusionProofRequest r;
  r.set_seq(seq);
  r.set_tree_size(tree_size);
  return Call(&Stub::GetInclusionProof, r);
}

absl::StatusOr<v1::ConsistencyProof> RemoteLedger::GetConsistencyProof(int64_t first,
                                                                       int64_t second) {
  internal::ConsistencyProofRequest r;
  r.set_first(first);
  r.set_second(second);
  return Call(&Stub::GetConsistencyProof, r);
}

int64_t RemoteLedger::WaitForEntries(int64_t seen, absl::Duration timeout) {
  timeout = std::clamp(timeout, absl::ZeroDuration(), kMaxWait);
  internal::WaitForEntriesRequest r;
  r.set_seen(seen);
  r.set_timeout_ms(absl::ToInt64Milliseconds(timeout));
  const absl::Time start = absl::Now();
  absl::StatusOr<internal::WaitForEntriesResponse> got =
      Call(&Stub::WaitForEntries, r, timeout + options_.deadline);
  if (got.ok()) return got->size();
  absl::SleepFor(timeout - (absl::Now() - start));  // no-op when already past
  return seen;
}

absl::Status RemoteLedger::Health() { return Call(&Stub::Health, internal::Empty()).status(); }

absl::StatusOr<v1::BackupResponse> RemoteLedger::Backup(absl::string_view destination_dir) {
  v1::BackupRequest r;
  r.set_destination_dir(std::string(destination_dir));
  // A checkpoint flushes memtables and links every file: allow it more than a read.
  return Call(&Stub::Backup, r, options_.deadline + absl::Minutes(5));
}

}  // namespace huanxin::ledger_client
