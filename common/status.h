// Errors as Huanxin returns them. Every refusal is an absl::Status whose code is the gRPC code
// of docs/api.md's reason table and whose message starts with the reason:
//   "VOUCHER_EXPIRED: voucher v-... expired at ...".
// Malformed fields carry the field's path as a payload, which the gRPC edge turns into a
// google.rpc.BadRequest field violation. Nothing here depends on gRPC.
#ifndef HUANXIN_COMMON_STATUS_H_
#define HUANXIN_COMMON_STATUS_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"

namespace huanxin {

// The reasons of docs/api.md, plus INVALID_FIELD (a malformed field), PERMISSION_DENIED,
// UNAUTHENTICATED and UNAVAILABLE for the edge and the ledger's own failures.
namespace reason {
inline constexpr char kInvalidField[] = "INVALID_FIELD";
inline constexpr char kInvalidIdNumber[] = "INVALID_ID_NUMBER";
inline constexpr char kUnknownCategory[] = "UNKNOWN_CATEGORY";
inline constexpr char kCategoryMismatch[] = "CATEGORY_MISMATCH";
inline constexpr char kInvalidProgram[] = "INVALID_PROGRAM";
// A vehicle's VIN that is not 17 characters of [A-HJ-NPR-Z0-9] with its check character.
inline constexpr char kInvalidVin[] = "INVALID_VIN";
inline constexpr char kProgramNotFound[] = "PROGRAM_NOT_FOUND";
inline constexpr char kVoucherNotFound[] = "VOUCHER_NOT_FOUND";
inline constexpr char kRedemptionNotFound[] = "REDEMPTION_NOT_FOUND";
inline constexpr char kReceiptNotFound[] = "RECEIPT_NOT_FOUND";
inline constexpr char kMerchantNotFound[] = "MERCHANT_NOT_FOUND";
inline constexpr char kSettlementNotFound[] = "SETTLEMENT_NOT_FOUND";
inline constexpr char kEntryNotFound[] = "ENTRY_NOT_FOUND";
inline constexpr char kReviewNotFound[] = "REVIEW_NOT_FOUND";
inline constexpr char kReviewResolved[] = "REVIEW_ALREADY_RESOLVED";
inline constexpr char kFraudRulesUnchanged[] = "FRAUD_RULES_UNCHANGED";
inline constexpr char kRecyclerNotFound[] = "RECYCLER_NOT_FOUND";
inline constexpr char kIdempotencyKeyReused[] = "IDEMPOTENCY_KEY_REUSED";
inline constexpr char kProgramExists[] = "PROGRAM_EXISTS";
inline constexpr char kMerchantExists[] = "MERCHANT_EXISTS";
inline constexpr char kRecyclerExists[] = "RECYCLER_EXISTS";
// A recycler that is not ACTIVE, or does not accept the item kind it tries to confirm.
inline constexpr char kRecyclerNotEligible[] = "RECYCLER_NOT_ELIGIBLE";
inline constexpr char kDuplicateCertificate[] = "DUPLICATE_CERTIFICATE";
inline constexpr char kBudgetExhausted[] = "BUDGET_EXHAUSTED";
inline constexpr char kDailyQuotaExhausted[] = "DAILY_QUOTA_EXHAUSTED";
inline constexpr char kProgramNotActive[] = "PROGRAM_NOT_ACTIVE";
inline constexpr char kConsumerLimitReached[] = "CONSUMER_LIMIT_REACHED";
inline constexpr char kVoucherExpired[] = "VOUCHER_EXPIRED";
inline constexpr char kVoucherAlreadyRedeemed[] = "VOUCHER_ALREADY_REDEEMED";
inline constexpr char kVoucherNotActive[] = "VOUCHER_NOT_ACTIVE";
inline constexpr char kVoucherNotOwned[] = "VOUCHER_NOT_OWNED";
inline constexpr char kMerchantNotEligible[] = "MERCHANT_NOT_ELIGIBLE";
inline constexpr char kEnergyGradeIneligible[] = "ENERGY_GRADE_INELIGIBLE";
inline constexpr char kPriceAboveCeiling[] = "PRICE_ABOVE_CEILING";
inline constexpr char kSerialRequired[] = "SERIAL_REQUIRED";
inline constexpr char kInvoiceRequired[] = "INVOICE_REQUIRED";
// A consumer has claimed the programme's max_claims_per_consumer vouchers of a category.
inline constexpr char kClaimLimitReached[] = "CLAIM_LIMIT_REACHED";
inline constexpr char kDuplicateSerial[] = "DUPLICATE_SERIAL";
inline constexpr char kDuplicateInvoice[] = "DUPLICATE_INVOICE";
inline constexpr char kScrapReceiptRequired[] = "SCRAP_RECEIPT_REQUIRED";
inline constexpr char kScrapReceiptInvalid[] = "SCRAP_RECEIPT_INVALID";
inline constexpr char kVehicleIneligible[] = "VEHICLE_INELIGIBLE";
// The new car of a purchase fails the rule's new_vehicle (rules/new_vehicle.h).
inline constexpr char kNewVehicleIneligible[] = "NEW_VEHICLE_INELIGIBLE";
inline constexpr char kRedemptionNotReversible[] = "REDEMPTION_NOT_REVERSIBLE";
inline constexpr char kNothingToSettle[] = "NOTHING_TO_SETTLE";
inline constexpr char kUnauthenticated[] = "UNAUTHENTICATED";
inline constexpr char kPermissionDenied[] = "PERMISSION_DENIED";
inline constexpr char kUnavailable[] = "UNAVAILABLE";
// Over the caller's per-principal rate limit (huanxind --rate_limit_per_principal).
inline constexpr char kRateLimited[] = "RATE_LIMITED";
// The call's deadline had passed before it started.
inline constexpr char kDeadlineExceeded[] = "DEADLINE_EXCEEDED";
inline constexpr char kNotImplemented[] = "NOT_IMPLEMENTED";
}  // namespace reason

// The status code docs/api.md gives `reason`. An unknown reason maps to FAILED_PRECONDITION.
absl::StatusCode CodeForReason(absl::string_view reason);

// A refusal: CodeForReason(reason) and the message "<reason>: <detail>".
absl::Status Refuse(absl::string_view reason, absl::string_view detail);

// A malformed field: INVALID_ARGUMENT, message "<reason>: <field>: <detail>", and the field
// path (e.g. "program.rules[2].cap_fen") as the status's field payload. `reason` defaults to
// INVALID_FIELD; pass INVALID_ID_NUMBER, UNKNOWN_CATEGORY, ... where docs/api.md names one.
absl::Status FieldError(absl::string_view field, absl::string_view detail,
                        absl::string_view reason = reason::kInvalidField);

// The reason a status carries: the message up to the first ':' when that prefix is an
// upper-case identifier; otherwise the code's name (e.g. "UNAVAILABLE").
std::string ReasonOf(const absl::Status& status);

// The field path FieldError attached, or "" when there is none.
std::string FieldOf(const absl::Status& status);

}  // namespace huanxin

#endif  // HUANXIN_COMMON_STATUS_H_
