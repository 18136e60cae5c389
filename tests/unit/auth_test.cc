// The authorization table's tenant rule (common/auth.h, RequireTenant): the RPCs that act for a
// tenant name the request field that must be the calling retailer's or recycler's own id.
#include "common/auth.h"

#include "common/status.h"
#include "gtest/gtest.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/recycling.pb.h"
#include "huanxin/v1/redemption.pb.h"

namespace huanxin {
namespace {

Principal As(const std::string& text) { return *ParsePrincipal(text); }

TEST(RequireTenant, ARetailerActsOnlyForItsOwnMerchant) {
  v1::AdjustRedemptionRequest adjust;
  adjust.set_merchant_id("m-one");
  EXPECT_TRUE(RequireTenant(As("retailer:m-one"), "RedemptionService/AdjustRedemption", adjust).ok());
  absl::Status s = RequireTenant(As("retailer:m-two"), "RedemptionService/AdjustRedemption", adjust);
  EXPECT_EQ(ReasonOf(s), reason::kPermissionDenied) << s;
  EXPECT_NE(s.message().find("merchant_id m-one"), absl::string_view::npos) << s;
  // The ledger's own command of a redemption carries the same field.
  internal::Redeem redeem;
  redeem.set_merchant_id("m-one");
  EXPECT_EQ(ReasonOf(RequireTenant(As("retailer:m-two"), "RedemptionService/Redeem", redeem)),
            reason::kPermissionDenied);
  // Roles that act for no tenant pass; so do RPCs without a tenant field.
  EXPECT_TRUE(RequireTenant(As("admin:ops"), "RedemptionService/Redeem", redeem).ok());
  EXPECT_TRUE(RequireTenant(As("retailer:m-two"), "RedemptionService/QuoteSubsidy", redeem).ok());
}

TEST(RequireTenant, ARecyclerConfirmsOnlyAsItself) {
  v1::ConfirmScrapReceiptRequest confirm;
  confirm.mutable_receipt()->set_recycler_id("r-one");
  EXPECT_TRUE(
      RequireTenant(As("recycler:r-one"), "RecyclingService/ConfirmScrapReceipt", confirm).ok());
  absl::Status s =
      RequireTenant(As("recycler:r-two"), "RecyclingService/ConfirmScrapReceipt", confirm);
  EXPECT_EQ(ReasonOf(s), reason::kPermissionDenied) << s;
  EXPECT_NE(s.message().find("receipt.recycler_id"), absl::string_view::npos) << s;
}

TEST(Roles, TheConstantsAreTheRolesParsePrincipalKnows) {
  EXPECT_EQ(KnownRoleNames(),
            (std::vector<std::string>{role::kAdmin, role::kApp, role::kAuditor, role::kRecycler,
                                      role::kRetailer, role::kService}));
}

}  // namespace
}  // namespace huanxin
