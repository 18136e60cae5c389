#include "ledger/local_ledger.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status.h"
#include "common/status_macros.h"
#include "common/validate.h"
#include "ledger/commands/redemption.h"
#include "ledger/commands/validate_command.h"
#include "ledger/state.h"
#include "rules/cost_shares.h"
#include "storage/keys.h"

namespace huanxin::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

// The value of a lookup, or NOT_FOUND with `reason`.
template <typename M>
absl::StatusOr<M> Found(absl::StatusOr<std::optional<M>> got, absl::string_view reason,
                        absl::string_view what, absl::string_view id) {
  if (!got.ok()) return got.status();
  if (!got->has_value()) return Refuse(reason, absl::StrCat("no ", what, " ", id));
  return **std::move(got);
}

}  // namespace

absl::StatusOr<std::unique_ptr<LocalLedger>> LocalLedger::Open(const std::string& dir,
                                                               ClockPtr clock,
                                                               Options options) {
  HX_ASSIGN_OR_RETURN(std::unique_ptr<storage::Db> db, storage::Db::Open(dir, options.db));
  std::unique_ptr<LocalLedger> ledger(new LocalLedger(std::move(db), clock));
  if (options.signer != nullptr && !options.checkpoint_file.empty()) {
    HX_ASSIGN_OR_RETURN(ledger->witness_, CheckpointWitness::Open(options.checkpoint_file,
                                                                  options.signer->VerifierKey()));
  }
  ledger->audit_ = std::make_unique<AuditReader>(ledger->db_.get(), options.signer,
                                                 options.origin, ledger->witness_.get());
  // Before anything is written: a ledger that lost entries must not append after the loss.
  HX_RETURN_IF_ERROR(ledger->audit_->CheckWitness());
  HX_ASSIGN_OR_RETURN(ledger->writer_,
                      Writer::Start(ledger->db_.get(), std::move(clock), options.writer));
  if (options.fraud_rules.has_value()) {
    internal::Command c;
    c.set_actor("system:config");
    *c.mutable_set_fraud_rules() = *options.fraud_rules;
    absl::StatusOr<internal::Reply> r = ledger->Execute(std::move(c));
    if (!r.ok() && ReasonOf(r.status()) != reason::kFraudRulesUnchanged) return r.status();
  }
  if (options.sweep_interval > absl::ZeroDuration()) {
    ledger->sweeper_ = std::thread([l = ledger.get(), options] { l->SweepLoop(options.sweep_interval); });
  }
  return ledger;
}

LocalLedger::~LocalLedger() {
  {
    absl::MutexLock l(&mu_);
    stopping_ = true;
  }
  if (sweeper_.joinable()) sweeper_.join();
  writer_.reset();
}

void LocalLedger::SweepLoop(absl::Duration interval) {
  for (;;) {
    {
      absl::MutexLock l(&mu_);
      auto stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_; };
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping), interval)) return;
    }
    // A failure here is the writer's storage fault, which its health already reports.
    SweepExpired().IgnoreError();
  }
}

absl::StatusOr<int> LocalLedger::SweepExpired(int limit) {
  const std::string end = keys::Expiry(absl::ToUnixNanos(clock_->Now()) + 1, "");
  std::vector<std::string> due;
  HX_RETURN_IF_ERROR(db_->Scan(Cf::kIndex, keys::kExpiryPrefix,
                               [&](absl::string_view k, absl::string_view) {
                                 if (k >= end || static_cast<int>(due.size()) >= limit) return false;
                                 due.emplace_back(keys::ExpiryVoucher(k));
                                 return true;
                               }));
  // Submitted together so they share batches; the ledger re-checks each one. The tally is
  // shared with the callbacks: the last one may still be unlocking it when this returns.
  struct Tally {
    absl::Mutex mu;
    int pending = 0, expired = 0;
    absl::Status fault;
  };
  auto tally = std::make_shared<Tally>();
  tally->pending = static_cast<int>(due.size());
  for (const std::string& id : due) {
    internal::Command c;
    c.set_actor("system:expiry-sweeper");
    c.mutable_expire_voucher()->set_voucher_id(id);
    writer_->Submit(std::move(c), [tally](absl::StatusOr<internal::Reply> r) {
      absl::MutexLock l(&tally->mu);
      if (r.ok()) ++tally->expired;
      if (IsStorageFailure(r.status())) tally->fault = r.status();
      --tally->pending;
    });
  }
  absl::MutexLock l(&tally->mu);
  tally->mu.Await(absl::Condition(+[](int* n) { return *n == 0; }, &tally->pending));
  HX_RETURN_IF_ERROR(tally->fault);
  return tally->expired;
}

void LocalLedger::Submit(internal::Command command, Done done) {
  // Fields this build does not know are never fingerprinted or written, whoever sent them.
  command.DiscardUnknownFields();
  if (absl::Status invalid = ValidateCommand(command); !invalid.ok()) {
    done(invalid);
    return;
  }
  writer_->Submit(std::move(command), std::move(done));
}

absl::Status LocalLedger::Health() { return writer_->health(); }

absl::StatusOr<v1::Program> LocalLedger::GetProgram(absl::string_view id) {
  return Found(StateReader(db_.get()).Program(id), reason::kProgramNotFound, "programme", id);
}

absl::StatusOr<v1::ListProgramsResponse> LocalLedger::ListPrograms(int32_t page_size,
                                                                   absl::string_view token) {
  const int32_t limit = EffectivePageSize(page_size);
  v1::ListProgramsResponse out;
  absl::Status parse;
  const std::string start = token.empty() ? "" : keys::Program(token) + std::string(1, '\0');
  auto view = db_->NewView();
  HX_RETURN_IF_ERROR(view->ScanFrom(
      Cf::kState, keys::kProgramPrefix, start, [&](absl::string_view, absl::string_view value) {
        if (out.programs_size() == limit) {
          out.set_next_page_token(out.programs(limit - 1).program_id());
          return false;
        }
        if (!out.add_programs()->ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          parse = absl::DataLossError("corrupt programme");
          return false;
        }
        return true;
      }));
  HX_RETURN_IF_ERROR(parse);
  return out;
}

absl::StatusOr<v1::Merchant> LocalLedger::GetMerchant(absl::string_view id) {
  return Found(StateReader(db_.get()).Merchant(id), reason::kMerchantNotFound, "merchant", id);
}

absl::StatusOr<v1::Voucher> LocalLedger::GetVoucher(absl::string_view id) {
  return Found(StateReader(db_.get()).Voucher(id), reason::kVoucherNotFound, "voucher", id);
}

absl::StatusOr<v1::ListConsumerVouchersResponse> LocalLedger::ListConsumerVouchers(
    absl::string_view consumer_ref, int32_t page_size, absl::string_view token) {
  const int32_t limit = EffectivePageSize(page_size);
  auto view = db_->NewView();
  const std::string prefix = keys::ConsumerVouchersPrefix(consumer_ref);
  const std::string start =
      token.empty() ? prefix : keys::ConsumerVoucher(consumer_ref, token) + std::string(1, '\0');
  std::vector<std::string> ids;
  bool more = false;
  HX_RETURN_IF_ERROR(
      view->ScanFrom(Cf::kIndex, prefix, start, [&](absl::string_view k, absl::string_view) {
        if (static_cast<int32_t>(ids.size()) == limit) {
          more = true;
          return false;
        }
        ids.emplace_back(k.substr(prefix.size()));
        return true;
      }));
  StateReader state(view.get());
  v1::ListConsumerVouchersResponse out;
  for (const std::string& id : ids) {
    HX_ASSIGN_OR_RETURN(*out.add_vouchers(), Found(state.Voucher(id), reason::kVoucherNotFound,
                                                   "voucher", id));
  }
  if (more) out.set_next_page_token(ids.back());
  return out;
}

absl::StatusOr<v1::Redemption> LocalLedger::GetRedemption(absl::string_view id) {
  return Found(StateReader(db_.get()).Redemption(id), reason::kRedemptionNotFound,
               "redemption", id);
}

absl::StatusOr<v1::ScrapReceipt> LocalLedger::GetScrapReceipt(absl::string_view id) {
  return Found(StateReader(db_.get()).Receipt(id), reason::kReceiptNotFound, "scrap receipt", id);
}

absl::StatusOr<v1::ProgramStats> LocalLedger::GetProgramStats(absl::string_view program_id) {
  auto view = db_->NewView();
  StateReader state(view.get());
  HX_ASSIGN_OR_RETURN(
      v1::Program program,
      Found(state.Program(program_id), reason::kProgramNotFound, "programme", program_id));
  HX_ASSIGN_OR_RETURN(v1::ProgramStats stats, state.Stats(program_id));
  FillSpentBySource(program, &stats);
  return stats;
}

absl::StatusOr<v1::SettlementDetail> LocalLedger::GetSettlement(absl::string_view id,
                                                                int32_t page_size,
                                                                absl::string_view page_token) {
  auto view = db_->NewView();
  StateReader state(view.get());
  HX_ASSIGN_OR_RETURN(v1::SettlementCreated created,
                      Found(state.Settlement(id), reason::kSettlementNotFound, "settlement", id));
  // The token is the decimal index of the page's first line in the settlement's list.
  const int64_t count = created.redemption_ids_size();
  int64_t first = 0;
  if (!page_token.empty() &&
      (!absl::SimpleAtoi(page_token, &first) || first <= 0 || first >= count)) {
    return FieldError("page_token", "is not a token this settlement's pages gave");
  }
  const int64_t end = std::min<int64_t>(count, first + EffectivePageSize(page_size));
  v1::SettlementDetail out;
  *out.mutable_settlement() = created.settlement();
  for (int64_t i = first; i < end; ++i) {
    const std::string& d = created.redemption_ids(static_cast<int>(i));
    HX_ASSIGN_OR_RETURN(*out.add_lines(),
                        Found(state.Redemption(d), reason::kRedemptionNotFound, "redemption", d));
  }
  if (end < count) out.set_next_page_token(absl::StrCat(end));
  return out;
}

absl::StatusOr<v1::ListReviewsResponse> LocalLedger::ListReviews(v1::Review::State state,
                                                                 int32_t page_size,
                                                                 absl::string_view page_token) {
  if (state == v1::Review::STATE_UNSPECIFIED || !v1::Review::State_IsValid(state)) {
    return FieldError("state", "must be OPEN, APPROVED or REJECTED");
  }
  const std::string prefix = keys::ReviewsPrefix(v1::Review::State_Name(state));
  // The token is the hex of the last key's suffix: the opened seq (8 bytes) and review id.
  std::string start;
  if (!page_token.empty()) {
    if (page_token.size() < 2 * 9 || page_token.size() % 2 != 0 ||
        page_token.find_first_not_of("0123456789abcdef") != absl::string_view::npos) {
      return FieldError("page_token", "is not a token this service gave");
    }
    start = prefix + absl::HexStringToBytes(page_token) + std::string(1, '\0');
  }
  auto view = db_->NewView();
  StateReader reader(view.get());
  v1::ListReviewsResponse out;
  absl::Status failure;
  const int32_t limit = EffectivePageSize(page_size);
  HX_RETURN_IF_ERROR(view->ScanFrom(Cf::kIndex, prefix, start, [&](absl::string_view k,
                                                                   absl::string_view) {
    if (out.reviews_size() == limit) {
      out.set_next_page_token(absl::BytesToHexString(
          keys::ReviewByState(v1::Review::State_Name(state), out.reviews(limit - 1).opened_seq(),
                              out.reviews(limit - 1).review_id())
              .substr(prefix.size())));
      return false;
    }
    absl::string_view id = k.substr(prefix.size() + 8);
    absl::StatusOr<v1::Review> review =
        Found(reader.Review(id), reason::kReviewNotFound, "review", id);
    if (!review.ok()) {
      failure = review.status();
      return false;
    }
    *out.add_reviews() = *std::move(review);
    return true;
  }));
  HX_RETURN_IF_ERROR(failure);
  return out;
}

absl::StatusOr<v1::QuoteSubsidyResponse> LocalLedger::Quote(const internal::Redeem& r) {
  auto view = db_->NewView();
  HX_ASSIGN_OR_RETURN(RedemptionPlan plan,
                      CheckRedemption(StateReader(view.get()), r, clock_->Now(), /*quote=*/true));
  v1::QuoteSubsidyResponse out;
  out.set_subsidy_fen(plan.subsidy_fen);
  out.set_consumer_pays_fen(r.purchase().price_fen() - plan.subsidy_fen);
  return out;
}

}  // namespace huanxin::ledger
