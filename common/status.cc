#include "common/status.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace huanxin {
namespace {

constexpr char kFieldPayload[] = "type.huanxin.dev/field";

const absl::flat_hash_map<absl::string_view, absl::StatusCode>& ReasonCodes() {
  using C = absl::StatusCode;
  static const auto* codes = new absl::flat_hash_map<absl::string_view, absl::StatusCode>{
      {reason::kInvalidField, C::kInvalidArgument},
      {reason::kInvalidIdNumber, C::kInvalidArgument},
      {reason::kUnknownCategory, C::kInvalidArgument},
      {reason::kCategoryMismatch, C::kInvalidArgument},
      {reason::kInvalidProgram, C::kInvalidArgument},
      {reason::kInvalidVin, C::kInvalidArgument},
      {reason::kProgramNotFound, C::kNotFound},
      {reason::kVoucherNotFound, C::kNotFound},
      {reason::kRedemptionNotFound, C::kNotFound},
      {reason::kReceiptNotFound, C::kNotFound},
      {reason::kMerchantNotFound, C::kNotFound},
      {reason::kSettlementNotFound, C::kNotFound},
      {reason::kEntryNotFound, C::kNotFound},
      {reason::kReviewNotFound, C::kNotFound},
      {reason::kRecyclerNotFound, C::kNotFound},
      {reason::kIdempotencyKeyReused, C::kAlreadyExists},
      {reason::kProgramExists, C::kAlreadyExists},
      {reason::kMerchantExists, C::kAlreadyExists},
      {reason::kRecyclerExists, C::kAlreadyExists},
      {reason::kDuplicateCertificate, C::kAlreadyExists},
      {reason::kBudgetExhausted, C::kResourceExhausted},
      {reason::kDailyQuotaExhausted, C::kResourceExhausted},
      {reason::kUnauthenticated, C::kUnauthenticated},
      {reason::kPermissionDenied, C::kPermissionDenied},
      {reason::kUnavailable, C::kUnavailable},
      {reason::kRateLimited, C::kResourceExhausted},
      {reason::kDeadlineExceeded, C::kDeadlineExceeded},
      {reason::kNotImplemented, C::kUnimplemented},
  };
  return *codes;
}

bool IsReasonToken(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '_')) return false;
  }
  return true;
}

}  // namespace

absl::StatusCode CodeForReason(absl::string_view reason) {
  auto it = ReasonCodes().find(reason);
  return it == ReasonCodes().end() ? absl::StatusCode::kFailedPrecondition : it->second;
}

absl::Status Refuse(absl::string_view reason, absl::string_view detail) {
  return absl::Status(CodeForReason(reason), absl::StrCat(reason, ": ", detail));
}

absl::Status FieldError(absl::string_view field, absl::string_view detail,
                        absl::string_view reason) {
  absl::Status s(absl::StatusCode::kInvalidArgument,
                 absl::StrCat(reason, ": ", field, ": ", detail));
  s.SetPayload(kFieldPayload, absl::Cord(field));
  return s;
}

std::string ReasonOf(const absl::Status& status) {
  absl::string_view msg = status.message();
  size_t colon = msg.find(':');
  if (colon != absl::string_view::npos && IsReasonToken(msg.substr(0, colon))) {
    return std::string(msg.substr(0, colon));
  }
  return absl::AsciiStrToUpper(absl::StatusCodeToString(status.code()));
}

std::string FieldOf(const absl::Status& status) {
  auto p = status.GetPayload(kFieldPayload);
  return p.has_value() ? std::string(*p) : std::string();
}

}  // namespace huanxin
