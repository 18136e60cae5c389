// Client side of the integration tests: stubs, contexts carrying a principal, decoding of
// google.rpc error details, builders of valid programmes, merchants, purchases and ID numbers,
// and assertions on refusals as docs/api.md shapes them.
#ifndef HUANXIN_TESTS_INTEGRATION_CLIENT_H_
#define HUANXIN_TESTS_INTEGRATION_CLIENT_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/timestamp.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "huanxin/v1/admin.grpc.pb.h"
#include "huanxin/v1/audit.grpc.pb.h"
#include "huanxin/v1/issuance.grpc.pb.h"
#include "huanxin/v1/recycling.grpc.pb.h"
#include "huanxin/v1/redemption.grpc.pb.h"

namespace huanxin::itest {

namespace v1 = ::huanxin::v1;

// Principals used by the suites.
inline constexpr char kAdmin[] = "admin:ops";
inline constexpr char kApp[] = "app:claim";
inline constexpr char kAuditor[] = "auditor:swj";
inline std::string Retailer(const std::string& merchant_id) { return "retailer:" + merchant_id; }

// ---------------------------------------------------------------------------------------------
// Contexts and stubs

// A context with a 10 s deadline and, unless `principal` is empty, the metadata
// `x-huanxin-principal: <principal>`.
std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& principal);

// PEM files of an mTLS client: the CA of the server's certificate and, unless empty, this
// client's certificate and key (its CN is the principal; metadata is then ignored).
struct ClientTls {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
};
// grpc::SslCredentials from `tls` (files that cannot be read give empty PEMs).
std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(const ClientTls& tls);

struct Stubs {
  explicit Stubs(const std::string& address);
  Stubs(const std::string& address, const ClientTls& tls);
  explicit Stubs(std::shared_ptr<grpc::Channel> channel);
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::AdminService::Stub> admin;
  std::unique_ptr<v1::IssuanceService::Stub> issuance;
  std::unique_ptr<v1::RedemptionService::Stub> redemption;
  std::unique_ptr<v1::RecyclingService::Stub> recycling;
  std::unique_ptr<v1::AuditService::Stub> audit;
};

// Calls a unary RPC as `principal`: Call(stubs.admin.get(), &v1::AdminService::Stub::GetProgram,
// kAdmin, req, &resp).
template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub* stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const std::string& principal, const Req& req, Resp* resp) {
  auto ctx = MakeContext(principal);
  return (stub->*method)(ctx.get(), req, resp);
}

// ---------------------------------------------------------------------------------------------
// Error details

// Parses the google.rpc.Status carried in error_details(); false when absent or garbled.
bool DecodeDetails(const grpc::Status& status, google::rpc::Status* out);
// ErrorInfo.reason / ErrorInfo.domain, "" when there is no ErrorInfo.
std::string ReasonOf(const grpc::Status& status);
std::string DomainOf(const grpc::Status& status);
// The `field` of every BadRequest field violation.
std::vector<std::string> FieldViolations(const grpc::Status& status);
// "CODE reason=R domain=D fields=[...] message=M" for failure messages.
std::string Describe(const grpc::Status& status);

// Success, or a failure describing the status.
::testing::AssertionResult IsOk(const grpc::Status& status);

// A refusal as docs/api.md shapes it: `code`, ErrorInfo reason `reason` and domain "huanxin.v1", and
// a message that starts with the reason.
::testing::AssertionResult IsRefusal(const grpc::Status& status, grpc::StatusCode code,
                                     const std::string& reason);
// IsRefusal() plus a BadRequest field violation whose field is `field` (exactly) or, when
// `prefix_ok`, starts with it.
::testing::AssertionResult HasFieldViolation(const grpc::Status& status, const std::string& field,
                                             bool prefix_ok = false);

#define HX_ASSERT_OK(expr) ASSERT_TRUE(::huanxin::itest::IsOk(expr))
#define HX_EXPECT_OK(expr) EXPECT_TRUE(::huanxin::itest::IsOk(expr))

// ---------------------------------------------------------------------------------------------
// Identifiers

// A request_id unique in this test process: "<current test name>.<n>" (valid charset, <= 64).
std::string NextRequestId(const std::string& tag = "");
// A unique lower-case id matching [a-z0-9-]{3,64}: "<prefix>-<n>".
std::string UniqueId(const std::string& prefix);

// A valid 18-character 居民身份证号 (SyntheticIdNumber), distinct on every call in this
// process.
std::string MintIdNumber();
// `valid` with its check character replaced by a wrong one.
std::string WithBadCheckDigit(const std::string& valid);

// ---------------------------------------------------------------------------------------------
// Builders

// APPLIANCE, region 371600: refrigerator, air_conditioner (per_consumer_limit 3), television;
// grade1 2000 bp, grade2 1500 bp, cap 200000 fen; started an hour ago, ends in 30 days,
// voucher_ttl 3 days (or `ttl_seconds`), refund ENTITLEMENT_CONSUMED.
v1::Program ApplianceProgram(const std::string& program_id, int64_t ttl_seconds = 3 * 86400);
// DIGITAL: phone at rate_bp 1500, cap 50000, price_ceiling 600000, requires_serial.
v1::Program DigitalProgram(const std::string& program_id);
v1::Merchant MakeMerchant(const std::string& merchant_id,
                          const std::vector<std::string>& program_ids);
// A purchase with a unique SKU, invoice number and serial number.
v1::Purchase MakePurchase(const std::string& category, int64_t price_fen, int32_t energy_grade);
v1::ConsumerIdentity Consumer(const std::string& id_number);

// ---------------------------------------------------------------------------------------------
// Api: the RPCs the suites use, with default principals and generated request ids.
class Api {
 public:
  explicit Api(const std::string& address) : stubs_(address) {}
  Api(const std::string& address, const ClientTls& tls) : stubs_(address, tls) {}
  Stubs& stubs() { return stubs_; }

  // AdminService, as kAdmin unless told. An empty `rid` means a fresh request id.
  grpc::Status CreateProgram(const v1::Program& program, v1::Program* out = nullptr,
                             const std::string& rid = "", const std::string& principal = kAdmin);
  grpc::Status FundProgram(const std::string& program_id, int64_t amount_fen,
                           v1::ProgramStats* out = nullptr, const std::string& rid = "");
  grpc::Status GetProgram(const std::string& program_id, v1::Program* out = nullptr,
                          const std::string& principal = kAdmin);
  grpc::Status RegisterMerchant(const v1::Merchant& merchant, v1::Merchant* out = nullptr,
                                const std::string& rid = "");
  grpc::Status SetMerchantState(const std::string& merchant_id, v1::Merchant::State state,
                                v1::Merchant* out = nullptr, const std::string& rid = "");

  // AuditService.GetProgramStats, as kAuditor unless told.
  grpc::Status Stats(const std::string& program_id, v1::ProgramStats* out,
                     const std::string& principal = kAuditor);

  // IssuanceService, as kApp unless told.
  grpc::Status Issue(const std::string& program_id, const std::string& category,
                     const std::string& id_number, v1::Voucher* out = nullptr,
                     const std::string& rid = "", const std::string& principal = kApp);
  grpc::Status GetVoucher(const std::string& voucher_id, v1::Voucher* out,
                          const std::string& principal = kApp);

  // RedemptionService, as retailer:<merchant_id> unless told.
  grpc::Status Quote(const std::string& voucher_id, const v1::Purchase& purchase,
                     const std::string& merchant_id, v1::QuoteSubsidyResponse* out);
  grpc::Status Redeem(const v1::RedeemRequest& req, v1::Redemption* out = nullptr,
                      const std::string& principal = "");
  grpc::Status GetRedemption(const std::string& redemption_id, v1::Redemption* out,
                             const std::string& principal = kAdmin);
  // ReverseRedemption by `merchant_id`, as retailer:<merchant_id> unless told.
  grpc::Status Reverse(const std::string& redemption_id, const std::string& merchant_id,
                       v1::Redemption* out = nullptr, const std::string& rid = "",
                       const std::string& principal = "");

  // IssuanceService.CancelVoucher, as kApp unless told.
  grpc::Status CancelVoucher(const std::string& voucher_id, v1::Voucher* out = nullptr,
                             const std::string& rid = "", const std::string& principal = kApp);

  // AdminService.SetProgramState / CreateSettlement, as kAdmin unless told;
  // GetSettlement as kAdmin unless told.
  grpc::Status SetProgramState(const std::string& program_id, v1::Program::State state,
                               v1::Program* out = nullptr, const std::string& rid = "",
                               const std::string& principal = kAdmin);
  grpc::Status CreateSettlement(const std::string& merchant_id,
                                const google::protobuf::Timestamp& up_to_time,
                                v1::Settlement* out = nullptr, const std::string& rid = "",
                                const std::string& principal = kAdmin);
  grpc::Status GetSettlement(const std::string& settlement_id, v1::SettlementDetail* out,
                             const std::string& principal = kAdmin);

  // GetProgramStats, then checks funded == available + held + payable + settled; the stats
  // go to `out` when given.
  ::testing::AssertionResult BooksBalance(const std::string& program_id,
                                          v1::ProgramStats* out = nullptr);

  // Creates `program`, funds it with `fund_fen` (when > 0), and registers merchant
  // `merchant_id` whitelisted for it (when not empty).
  ::testing::AssertionResult SetUpProgram(const v1::Program& program, int64_t fund_fen,
                                          const std::string& merchant_id);
  // Asserts the voucher's state.
  ::testing::AssertionResult VoucherIs(const std::string& voucher_id, v1::Voucher::State state);

 private:
  Stubs stubs_;
};

// A Timestamp `unix_seconds` after the epoch; NowTimestamp() is the current time (to the
// nanosecond).
google::protobuf::Timestamp UnixTimestamp(int64_t unix_seconds);
google::protobuf::Timestamp NowTimestamp();

// A RedeemRequest with a fresh request id, terminal "t-1", payer `payer_id_number`.
v1::RedeemRequest MakeRedeem(const std::string& voucher_id, const std::string& merchant_id,
                             const std::string& payer_id_number, const v1::Purchase& purchase);

}  // namespace huanxin::itest

#endif  // HUANXIN_TESTS_INTEGRATION_CLIENT_H_
