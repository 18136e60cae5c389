// Principals and roles (docs/api.md "Principals and roles"), in --insecure mode where the principal
// is the x-huanxin-principal metadata header.
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

class RolesTest : public SharedServerTest<RolesTest> {
 public:
  static void SetUpTestSuite() {
    SharedServerTest<RolesTest>::SetUpTestSuite();
    if (!api_) return;
    // One programme, two merchants, one voucher, one redemption for all tests.
    pid_ = UniqueId("roles");
    mid_a_ = UniqueId("m-a");
    mid_b_ = UniqueId("m-b");
    auto setup = api().SetUpProgram(ApplianceProgram(pid_), 100000000, mid_a_);
    if (!setup) {
      setup_error_ = setup.message();
      return;
    }
    grpc::Status s = api().RegisterMerchant(MakeMerchant(mid_b_, {pid_}));
    if (!s.ok()) {
      setup_error_ = "RegisterMerchant: " + Describe(s);
      return;
    }
    consumer_ = MintIdNumber();
    s = api().Issue(pid_, "refrigerator", consumer_, &redeemed_voucher_);
    if (s.ok()) {
      s = api().Redeem(MakeRedeem(redeemed_voucher_.voucher_id(), mid_a_, consumer_,
                                  MakePurchase("refrigerator", 500000, 1)),
                       &redemption_);
    }
    if (s.ok()) s = api().Issue(pid_, "television", consumer_, &open_voucher_);
    if (!s.ok()) setup_error_ = "issue/redeem: " + Describe(s);
  }

 protected:
  void SetUp() override {
    SharedServerTest<RolesTest>::SetUp();
    ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  }

  static inline std::string pid_, mid_a_, mid_b_, consumer_, setup_error_;
  static inline v1::Voucher redeemed_voucher_, open_voucher_;
  static inline v1::Redemption redemption_;
};

TEST_F(RolesTest, NoPrincipalIsUnauthenticated) {
  EXPECT_EQ(api().GetProgram(pid_, nullptr, "").error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", "").error_code(),
            StatusCode::UNAUTHENTICATED);
  v1::ProgramStats stats;
  grpc::Status s = api().Stats(pid_, &stats, "");
  EXPECT_EQ(s.error_code(), StatusCode::UNAUTHENTICATED) << Describe(s);
}

TEST_F(RolesTest, AppMayNotCreateProgram) {
  grpc::Status s = api().CreateProgram(ApplianceProgram(UniqueId("by-app")), nullptr, "", kApp);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, RetailerActsOnlyForItsOwnMerchant) {
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid_, "air_conditioner", consumer_, &v));
  // retailer:m-a claims to redeem for m-b.
  v1::RedeemRequest req = MakeRedeem(v.voucher_id(), mid_b_, consumer_,
                                     MakePurchase("air_conditioner", 300000, 1));
  grpc::Status s = api().Redeem(req, nullptr, Retailer(mid_a_));
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::ISSUED));
  // m-b's own till may.
  HX_EXPECT_OK(api().Redeem(MakeRedeem(v.voucher_id(), mid_b_, consumer_,
                                       MakePurchase("air_conditioner", 300000, 1)),
                            nullptr, Retailer(mid_b_)));
}

// The tenant rule also guards ReverseRedemption: retailer:m-b may not reverse for m-a. The
// request names merchant_id, so the edge can refuse it before any business logic runs.
TEST_F(RolesTest, RetailerMayNotReverseForAnotherMerchant) {
  v1::ReverseRedemptionRequest rev;
  rev.set_request_id(NextRequestId());
  rev.set_redemption_id(redemption_.redemption_id());
  rev.set_merchant_id(mid_a_);
  rev.set_reason("not mine");
  v1::Redemption out;
  grpc::Status s =
      Call(api().stubs().redemption.get(), &v1::RedemptionService::Stub::ReverseRedemption,
           Retailer(mid_b_), rev, &out);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, AuditorMayReadStatsVoucherAndProgram) {
  v1::ProgramStats stats;
  HX_EXPECT_OK(api().Stats(pid_, &stats, kAuditor));
  EXPECT_GE(stats.vouchers_redeemed(), 1);
  v1::Voucher v;
  HX_EXPECT_OK(api().GetVoucher(redeemed_voucher_.voucher_id(), &v, kAuditor));
  EXPECT_EQ(v.state(), v1::Voucher::REDEEMED);
  v1::Program p;
  HX_EXPECT_OK(api().GetProgram(pid_, &p, kAuditor));
  EXPECT_EQ(p.program_id(), pid_);
  v1::Redemption r;
  HX_EXPECT_OK(api().GetRedemption(redemption_.redemption_id(), &r, kAuditor));
}

TEST_F(RolesTest, AdminMayReadRedemptionAndStats) {
  v1::Redemption r;
  HX_EXPECT_OK(api().GetRedemption(redemption_.redemption_id(), &r, kAdmin));
  EXPECT_EQ(r.redemption_id(), redemption_.redemption_id());
  EXPECT_EQ(r.subsidy_fen(), 100000);
  v1::ProgramStats stats;
  HX_EXPECT_OK(api().Stats(pid_, &stats, kAdmin));
  v1::Voucher v;
  HX_EXPECT_OK(api().GetVoucher(open_voucher_.voucher_id(), &v, kAdmin));
}

TEST_F(RolesTest, AuditorMayNotMutate) {
  grpc::Status s = api().CreateProgram(ApplianceProgram(UniqueId("by-auditor")), nullptr, "",
                                       kAuditor);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
  s = api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", kAuditor);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, RetailerMayNotIssueVouchers) {
  grpc::Status s =
      api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", Retailer(mid_a_));
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, RecyclerMayNotCallAdmin) {
  grpc::Status s = api().GetProgram(pid_, nullptr, "recycler:r-1");
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
  s = api().CreateProgram(ApplianceProgram(UniqueId("by-recycler")), nullptr, "",
                          "recycler:r-1");
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, UnknownRoleIsPermissionDenied) {
  grpc::Status s = api().GetProgram(pid_, nullptr, "emperor:x");
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
  s = api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", "emperor:x");
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, AppMayNotReadAuditStats) {
  v1::ProgramStats stats;
  grpc::Status s = api().Stats(pid_, &stats, kApp);
  EXPECT_EQ(s.error_code(), StatusCode::PERMISSION_DENIED) << Describe(s);
}

TEST_F(RolesTest, DeniedCallsHaveNoEffect) {
  v1::ProgramStats before, after;
  HX_ASSERT_OK(api().Stats(pid_, &before));
  api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", Retailer(mid_a_));
  api().Issue(pid_, "air_conditioner", MintIdNumber(), nullptr, "", "");
  api().FundProgram(pid_, 1);  // admin: allowed, one fen more
  HX_ASSERT_OK(api().Stats(pid_, &after));
  EXPECT_EQ(after.vouchers_issued(), before.vouchers_issued());
  EXPECT_EQ(after.held_fen(), before.held_fen());
  EXPECT_EQ(after.funded_fen(), before.funded_fen() + 1);
}

}  // namespace
}  // namespace huanxin::itest
