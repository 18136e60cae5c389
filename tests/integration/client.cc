#include "tests/integration/client.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "common/auth.h"
#include "common/id_number.h"

namespace huanxin::itest {
namespace {

std::atomic<int64_t> g_counter{0};
std::atomic<int64_t> g_id_counter{0};

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::UNKNOWN: return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS: return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED: return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE: return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED: return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL: return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS: return "DATA_LOSS";
    default: return "?";
  }
}

std::string CurrentTestTag() {
  const ::testing::TestInfo* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string tag = info ? info->name() : "suite";
  std::string out;
  for (char c : tag) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-';
    out.push_back(ok ? c : '_');
  }
  if (out.size() > 40) out.resize(40);
  return out;
}

google::protobuf::Timestamp TimestampAt(int64_t unix_seconds) {
  google::protobuf::Timestamp t;
  t.set_seconds(unix_seconds);
  return t;
}

v1::CategoryRule ApplianceRule(const std::string& category, int32_t per_consumer_limit) {
  v1::CategoryRule r;
  r.set_category(category);
  r.set_grade1_rate_bp(2000);
  r.set_grade2_rate_bp(1500);
  r.set_cap_fen(200000);
  r.set_per_consumer_limit(per_consumer_limit);
  return r;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Contexts and stubs

std::unique_ptr<grpc::ClientContext> MakeContext(const std::string& principal) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  if (!principal.empty()) ctx->AddMetadata(kPrincipalHeader, principal);
  return ctx;
}

namespace {
std::string ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

std::shared_ptr<grpc::ChannelCredentials> TlsCredentials(const ClientTls& tls) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadPem(tls.ca_file);
  if (!tls.cert_file.empty()) {
    ssl.pem_cert_chain = ReadPem(tls.cert_file);
    ssl.pem_private_key = ReadPem(tls.key_file);
  }
  return grpc::SslCredentials(ssl);
}

Stubs::Stubs(const std::string& address)
    : Stubs(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())) {}

Stubs::Stubs(const std::string& address, const ClientTls& tls)
    : Stubs(grpc::CreateChannel(address, TlsCredentials(tls))) {}

Stubs::Stubs(std::shared_ptr<grpc::Channel> ch)
    : channel(std::move(ch)),
      admin(v1::AdminService::NewStub(channel)),
      issuance(v1::IssuanceService::NewStub(channel)),
      redemption(v1::RedemptionService::NewStub(channel)),
      recycling(v1::RecyclingService::NewStub(channel)),
      audit(v1::AuditService::NewStub(channel)) {}

// ---------------------------------------------------------------------------------------------
// Error details

bool DecodeDetails(const grpc::Status& status, google::rpc::Status* out) {
  if (status.error_details().empty()) return false;
  return out->ParseFromString(status.error_details());
}

namespace {
bool FindErrorInfo(const grpc::Status& status, google::rpc::ErrorInfo* info) {
  google::rpc::Status details;
  if (!DecodeDetails(status, &details)) return false;
  for (const auto& any : details.details()) {
    if (any.Is<google::rpc::ErrorInfo>() && any.UnpackTo(info)) return true;
  }
  return false;
}
}  // namespace

std::string ReasonOf(const grpc::Status& status) {
  google::rpc::ErrorInfo info;
  return FindErrorInfo(status, &info) ? info.reason() : "";
}

std::string DomainOf(const grpc::Status& status) {
  google::rpc::ErrorInfo info;
  return FindErrorInfo(status, &info) ? info.domain() : "";
}

std::vector<std::string> FieldViolations(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status details;
  if (!DecodeDetails(status, &details)) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (any.Is<google::rpc::BadRequest>() && any.UnpackTo(&bad)) {
      for (const auto& v : bad.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

std::string Describe(const grpc::Status& status) {
  std::ostringstream os;
  os << CodeName(status.error_code());
  if (status.ok()) return os.str();
  os << " reason=" << ReasonOf(status) << " domain=" << DomainOf(status) << " fields=[";
  bool first = true;
  for (const auto& f : FieldViolations(status)) {
    os << (first ? "" : ", ") << f;
    first = false;
  }
  os << "] message=\"" << status.error_message() << "\"";
  return os.str();
}

::testing::AssertionResult IsOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected OK, got " << Describe(status);
}

::testing::AssertionResult IsRefusal(const grpc::Status& status, grpc::StatusCode code,
                                     const std::string& reason) {
  std::vector<std::string> problems;
  if (status.error_code() != code) {
    problems.push_back(std::string("code is ") + CodeName(status.error_code()) + ", want " +
                       CodeName(code));
  }
  if (!status.ok()) {
    google::rpc::Status details;
    if (!DecodeDetails(status, &details)) {
      problems.push_back("no google.rpc.Status in error_details");
    }
    google::rpc::ErrorInfo info;
    if (!FindErrorInfo(status, &info)) {
      problems.push_back("no google.rpc.ErrorInfo detail");
    } else {
      if (info.reason() != reason) {
        problems.push_back("ErrorInfo.reason is " + info.reason() + ", want " + reason);
      }
      if (info.domain() != "huanxin.v1") {
        problems.push_back("ErrorInfo.domain is \"" + info.domain() + "\", want huanxin.v1");
      }
    }
    if (status.error_message().rfind(reason, 0) != 0) {
      problems.push_back("message does not start with " + reason);
    }
  }
  if (problems.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << "expected " << CodeName(code) << " " << reason << ", got " << Describe(status);
  for (const auto& p : problems) failure << "\n  - " << p;
  return failure;
}

::testing::AssertionResult HasFieldViolation(const grpc::Status& status, const std::string& field,
                                             bool prefix_ok) {
  auto fields = FieldViolations(status);
  for (const auto& f : fields) {
    if (f == field || (prefix_ok && f.rfind(field, 0) == 0)) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure() << "no BadRequest field violation "
                                       << (prefix_ok ? "starting with " : "named ") << field
                                       << "; got " << Describe(status);
}

// ---------------------------------------------------------------------------------------------
// Identifiers

std::string NextRequestId(const std::string& tag) {
  std::string base = tag.empty() ? CurrentTestTag() : tag;
  std::string id = base + "." + std::to_string(++g_counter);
  if (id.size() > 64) id = id.substr(id.size() - 64);
  return id;
}

std::string UniqueId(const std::string& prefix) {
  return prefix + "-" + std::to_string(++g_counter);
}

std::string MintIdNumber() { return SyntheticIdNumber(static_cast<uint64_t>(g_id_counter++)); }

std::string WithBadCheckDigit(const std::string& valid) {
  std::string bad = valid;
  bad[17] = valid[17] == '0' ? '1' : '0';
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Builders

v1::Program ApplianceProgram(const std::string& program_id, int64_t ttl_seconds) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  v1::Program p;
  p.set_program_id(program_id);
  p.set_name("滨州家电以旧换新 " + program_id);
  p.set_kind(v1::Program::APPLIANCE);
  p.set_region_code("371600");
  *p.mutable_start_time() = TimestampAt(now - 3600);
  *p.mutable_end_time() = TimestampAt(now + 30 * 86400);
  p.mutable_voucher_ttl()->set_seconds(ttl_seconds);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  *p.add_rules() = ApplianceRule("refrigerator", 0);
  *p.add_rules() = ApplianceRule("air_conditioner", 3);
  *p.add_rules() = ApplianceRule("television", 0);
  return p;
}

v1::Program DigitalProgram(const std::string& program_id) {
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  v1::Program p;
  p.set_program_id(program_id);
  p.set_name("滨州数码产品购新补贴 " + program_id);
  p.set_kind(v1::Program::DIGITAL);
  p.set_region_code("371600");
  *p.mutable_start_time() = TimestampAt(now - 3600);
  *p.mutable_end_time() = TimestampAt(now + 30 * 86400);
  p.mutable_voucher_ttl()->set_seconds(3 * 86400);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  v1::CategoryRule* phone = p.add_rules();
  phone->set_category("phone");
  phone->set_rate_bp(1500);
  phone->set_cap_fen(50000);
  phone->set_price_ceiling_fen(600000);
  phone->set_requires_serial(true);
  return p;
}

v1::Merchant MakeMerchant(const std::string& merchant_id,
                          const std::vector<std::string>& program_ids) {
  v1::Merchant m;
  m.set_merchant_id(merchant_id);
  m.set_name("滨州测试家电商场 " + merchant_id);
  m.set_region_code("371602");
  for (const auto& p : program_ids) m.add_program_ids(p);
  return m;
}

v1::Purchase MakePurchase(const std::string& category, int64_t price_fen, int32_t energy_grade) {
  v1::Purchase p;
  // A SKU of its own per purchase and price, so that the prices the suites choose freely
  // never look like a price spike (the fraud suite sets SKUs itself).
  p.set_sku(UniqueId("sku-" + category));
  p.set_category(category);
  p.set_energy_grade(energy_grade);
  p.set_price_fen(price_fen);
  p.set_invoice_number(UniqueId("INV"));
  p.set_serial_number(UniqueId("SN"));
  p.set_brand("Haier");
  p.set_model("BCD-" + category);
  return p;
}

v1::ConsumerIdentity Consumer(const std::string& id_number) {
  v1::ConsumerIdentity c;
  c.set_id_number(id_number);
  return c;
}

google::protobuf::Timestamp UnixTimestamp(int64_t unix_seconds) {
  return TimestampAt(unix_seconds);
}

google::protobuf::Timestamp NowTimestamp() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  const int64_t nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count();
  google::protobuf::Timestamp t;
  t.set_seconds(nanos / 1000000000);
  t.set_nanos(static_cast<int32_t>(nanos % 1000000000));
  return t;
}

v1::RedeemRequest MakeRedeem(const std::string& voucher_id, const std::string& merchant_id,
                             const std::string& payer_id_number, const v1::Purchase& purchase) {
  v1::RedeemRequest r;
  r.set_request_id(NextRequestId());
  r.set_voucher_id(voucher_id);
  r.set_merchant_id(merchant_id);
  r.set_terminal_id("t-1");
  *r.mutable_payer() = Consumer(payer_id_number);
  *r.mutable_purchase() = purchase;
  return r;
}

// ---------------------------------------------------------------------------------------------
// Api

grpc::Status Api::CreateProgram(const v1::Program& program, v1::Program* out,
                                const std::string& rid, const std::string& principal) {
  v1::CreateProgramRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  *req.mutable_program() = program;
  v1::Program resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::CreateProgram, principal, req,
              out ? out : &resp);
}

grpc::Status Api::FundProgram(const std::string& program_id, int64_t amount_fen,
                              v1::ProgramStats* out, const std::string& rid) {
  v1::FundProgramRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_program_id(program_id);
  req.set_amount_fen(amount_fen);
  req.set_memo("滨财预〔2025〕 test allocation");
  v1::ProgramStats resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::FundProgram, kAdmin, req,
              out ? out : &resp);
}

grpc::Status Api::GetProgram(const std::string& program_id, v1::Program* out,
                             const std::string& principal) {
  v1::GetProgramRequest req;
  req.set_program_id(program_id);
  v1::Program resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::GetProgram, principal, req,
              out ? out : &resp);
}

grpc::Status Api::RegisterMerchant(const v1::Merchant& merchant, v1::Merchant* out,
                                   const std::string& rid) {
  v1::RegisterMerchantRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  *req.mutable_merchant() = merchant;
  v1::Merchant resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::RegisterMerchant, kAdmin, req,
              out ? out : &resp);
}

grpc::Status Api::SetMerchantState(const std::string& merchant_id, v1::Merchant::State state,
                                   v1::Merchant* out, const std::string& rid) {
  v1::SetMerchantStateRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_merchant_id(merchant_id);
  req.set_state(state);
  req.set_reason("integration test");
  v1::Merchant resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::SetMerchantState, kAdmin, req,
              out ? out : &resp);
}

grpc::Status Api::Stats(const std::string& program_id, v1::ProgramStats* out,
                        const std::string& principal) {
  v1::GetProgramStatsRequest req;
  req.set_program_id(program_id);
  return Call(stubs_.audit.get(), &v1::AuditService::Stub::GetProgramStats, principal, req, out);
}

grpc::Status Api::Issue(const std::string& program_id, const std::string& category,
                        const std::string& id_number, v1::Voucher* out, const std::string& rid,
                        const std::string& principal) {
  v1::IssueVoucherRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_program_id(program_id);
  req.set_category(category);
  *req.mutable_consumer() = Consumer(id_number);
  v1::Voucher resp;
  return Call(stubs_.issuance.get(), &v1::IssuanceService::Stub::IssueVoucher, principal, req,
              out ? out : &resp);
}

grpc::Status Api::GetVoucher(const std::string& voucher_id, v1::Voucher* out,
                             const std::string& principal) {
  v1::GetVoucherRequest req;
  req.set_voucher_id(voucher_id);
  return Call(stubs_.issuance.get(), &v1::IssuanceService::Stub::GetVoucher, principal, req, out);
}

grpc::Status Api::Quote(const std::string& voucher_id, const v1::Purchase& purchase,
                        const std::string& merchant_id, v1::QuoteSubsidyResponse* out) {
  v1::QuoteSubsidyRequest req;
  req.set_voucher_id(voucher_id);
  *req.mutable_purchase() = purchase;
  return Call(stubs_.redemption.get(), &v1::RedemptionService::Stub::QuoteSubsidy,
              Retailer(merchant_id), req, out);
}

grpc::Status Api::Redeem(const v1::RedeemRequest& req, v1::Redemption* out,
                         const std::string& principal) {
  v1::Redemption resp;
  return Call(stubs_.redemption.get(), &v1::RedemptionService::Stub::Redeem,
              principal.empty() ? Retailer(req.merchant_id()) : principal, req,
              out ? out : &resp);
}

grpc::Status Api::GetRedemption(const std::string& redemption_id, v1::Redemption* out,
                                const std::string& principal) {
  v1::GetRedemptionRequest req;
  req.set_redemption_id(redemption_id);
  return Call(stubs_.redemption.get(), &v1::RedemptionService::Stub::GetRedemption, principal,
              req, out);
}

grpc::Status Api::Reverse(const std::string& redemption_id, const std::string& merchant_id,
                          v1::Redemption* out, const std::string& rid,
                          const std::string& principal) {
  v1::ReverseRedemptionRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_redemption_id(redemption_id);
  req.set_merchant_id(merchant_id);
  req.set_reason("whole-order return");
  v1::Redemption resp;
  return Call(stubs_.redemption.get(), &v1::RedemptionService::Stub::ReverseRedemption,
              principal.empty() ? Retailer(merchant_id) : principal, req, out ? out : &resp);
}

grpc::Status Api::CancelVoucher(const std::string& voucher_id, v1::Voucher* out,
                                const std::string& rid, const std::string& principal) {
  v1::CancelVoucherRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_voucher_id(voucher_id);
  req.set_reason("consumer changed their mind");
  v1::Voucher resp;
  return Call(stubs_.issuance.get(), &v1::IssuanceService::Stub::CancelVoucher, principal, req,
              out ? out : &resp);
}

grpc::Status Api::SetProgramState(const std::string& program_id, v1::Program::State state,
                                  v1::Program* out, const std::string& rid,
                                  const std::string& principal) {
  v1::SetProgramStateRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_program_id(program_id);
  req.set_state(state);
  req.set_reason("integration test");
  v1::Program resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::SetProgramState, principal, req,
              out ? out : &resp);
}

grpc::Status Api::CreateSettlement(const std::string& merchant_id,
                                   const google::protobuf::Timestamp& up_to_time,
                                   v1::Settlement* out, const std::string& rid,
                                   const std::string& principal) {
  v1::CreateSettlementRequest req;
  req.set_request_id(rid.empty() ? NextRequestId() : rid);
  req.set_merchant_id(merchant_id);
  *req.mutable_up_to_time() = up_to_time;
  v1::Settlement resp;
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::CreateSettlement, principal, req,
              out ? out : &resp);
}

grpc::Status Api::GetSettlement(const std::string& settlement_id, v1::SettlementDetail* out,
                                const std::string& principal) {
  v1::GetSettlementRequest req;
  req.set_settlement_id(settlement_id);
  return Call(stubs_.admin.get(), &v1::AdminService::Stub::GetSettlement, principal, req, out);
}

::testing::AssertionResult Api::BooksBalance(const std::string& program_id,
                                             v1::ProgramStats* out) {
  v1::ProgramStats stats;
  grpc::Status s = Stats(program_id, &stats);
  if (!s.ok()) {
    return ::testing::AssertionFailure() << "GetProgramStats " << program_id << ": "
                                         << Describe(s);
  }
  if (out != nullptr) *out = stats;
  const int64_t sum =
      stats.available_fen() + stats.held_fen() + stats.payable_fen() + stats.settled_fen();
  if (sum != stats.funded_fen()) {
    return ::testing::AssertionFailure()
           << "books of " << program_id << " do not balance: funded " << stats.funded_fen()
           << " != available " << stats.available_fen() << " + held " << stats.held_fen()
           << " + payable " << stats.payable_fen() << " + settled " << stats.settled_fen()
           << " = " << sum;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Api::SetUpProgram(const v1::Program& program, int64_t fund_fen,
                                             const std::string& merchant_id) {
  grpc::Status s = CreateProgram(program);
  if (!s.ok()) {
    return ::testing::AssertionFailure()
           << "CreateProgram " << program.program_id() << ": " << Describe(s);
  }
  if (fund_fen > 0) {
    s = FundProgram(program.program_id(), fund_fen);
    if (!s.ok()) {
      return ::testing::AssertionFailure()
             << "FundProgram " << program.program_id() << ": " << Describe(s);
    }
  }
  if (!merchant_id.empty()) {
    s = RegisterMerchant(MakeMerchant(merchant_id, {program.program_id()}));
    if (!s.ok()) {
      return ::testing::AssertionFailure()
             << "RegisterMerchant " << merchant_id << ": " << Describe(s);
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult Api::VoucherIs(const std::string& voucher_id,
                                          v1::Voucher::State state) {
  v1::Voucher v;
  grpc::Status s = GetVoucher(voucher_id, &v);
  if (!s.ok()) {
    return ::testing::AssertionFailure() << "GetVoucher " << voucher_id << ": " << Describe(s);
  }
  if (v.state() != state) {
    return ::testing::AssertionFailure()
           << "voucher " << voucher_id << " is " << v1::Voucher::State_Name(v.state())
           << ", want " << v1::Voucher::State_Name(state);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace huanxin::itest
