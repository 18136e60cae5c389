#include "rules/denial_category.h"

#include "absl/container/flat_hash_map.h"
#include "common/status.h"

namespace huanxin {
namespace {

using Category = v1::RedemptionDenied::Category;

const absl::flat_hash_map<absl::string_view, Category>& Table() {
  static const auto* table = new absl::flat_hash_map<absl::string_view, Category>{
      {reason::kVoucherNotFound, v1::RedemptionDenied::INPUT},
      {reason::kMerchantNotFound, v1::RedemptionDenied::INPUT},
      {reason::kVoucherAlreadyRedeemed, v1::RedemptionDenied::INPUT},
      {reason::kVoucherNotOwned, v1::RedemptionDenied::INPUT},
      {reason::kCategoryMismatch, v1::RedemptionDenied::INPUT},
      {reason::kSerialRequired, v1::RedemptionDenied::INPUT},
      {reason::kInvoiceRequired, v1::RedemptionDenied::INPUT},
      {reason::kScrapReceiptRequired, v1::RedemptionDenied::INPUT},
      {reason::kInvalidField, v1::RedemptionDenied::INPUT},
      {reason::kMerchantNotEligible, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kProgramNotActive, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kVoucherExpired, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kVoucherNotActive, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kEnergyGradeIneligible, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kPriceAboveCeiling, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kVehicleIneligible, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kNewVehicleIneligible, v1::RedemptionDenied::ELIGIBILITY},
      {reason::kDuplicateSerial, v1::RedemptionDenied::FRAUD},
      {reason::kDuplicateInvoice, v1::RedemptionDenied::FRAUD},
      {reason::kScrapReceiptInvalid, v1::RedemptionDenied::FRAUD},
  };
  return *table;
}

}  // namespace

v1::RedemptionDenied::Category DenialCategory(absl::string_view reason) {
  auto it = Table().find(reason);
  return it == Table().end() ? v1::RedemptionDenied::CATEGORY_UNSPECIFIED : it->second;
}

}  // namespace huanxin
