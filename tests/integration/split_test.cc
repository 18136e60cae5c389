// The split deployment (docs/design.md, One picture): a huanxind hosting only the ledger
// (--services=ledger) and edge huanxinds reaching it over huanxin.internal.LedgerService
// (--ledger_address), as principal service:<edge name>. The whole path runs through an edge
// exactly as it does in one process; refusals keep their reasons and fields; idempotent
// retries resolve in the ledger whichever edge they come through; the ledger answers only
// service principals, takes from each only its own services' commands, and checks every
// command's actor and fields itself.
//
// Everything runs --insecure (the principal from metadata). With mTLS the edges' client
// certificates carry the same service:<name> principals.
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "huanxin/internal/ledger_service.grpc.pb.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

namespace internal = ::huanxin::internal;

constexpr char kEdgeServices[] = "--services=admin,issuance,redemption,audit";

// A ledger-only huanxind and the flags of edges over it sharing one PII key file.
class SplitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ledger_.Start());
    // Must not exist yet: the first edge creates it, the others load it.
    pii_key_ = ledger_.data_dir() + "/edges-pii.key";
  }

  // An edge hosting kEdgeServices as service:admin.issuance.redemption.audit[-<instance>].
  std::unique_ptr<ServerProcess> StartEdge(const std::string& instance) {
    std::vector<std::string> flags = {kEdgeServices, "--ledger_address=" + ledger_.address(),
                                      "--pii_key_file=" + pii_key_};
    if (!instance.empty()) flags.push_back("--edge_name=admin.issuance.redemption.audit-" + instance);
    auto edge = std::make_unique<ServerProcess>(flags);
    EXPECT_TRUE(edge->Start());
    return edge;
  }

  ServerProcess ledger_{{"--services=ledger"}};
  std::string pii_key_;
};

TEST_F(SplitTest, WholePathThroughAnEdge) {
  auto edge = StartEdge("");  // the default principal names the hosted edges
  Api api(edge->address());
  const std::string pid = UniqueId("split-appliance");
  const std::string mid = UniqueId("m-split");
  const int64_t kFund = 100000000;

  // Admin: create, fund, merchant; then a read back.
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), kFund, mid));
  v1::Program program;
  HX_ASSERT_OK(api.GetProgram(pid, &program));
  EXPECT_EQ(program.state(), v1::Program::ACTIVE);

  // App: issue, with an idempotent retry that must give the same voucher and hold once.
  const std::string id_number = MintIdNumber();
  const std::string rid = NextRequestId("issue");
  v1::Voucher voucher, again;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", id_number, &voucher, rid));
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", id_number, &again, rid));
  EXPECT_EQ(again.voucher_id(), voucher.voucher_id());
  EXPECT_EQ(voucher.held_fen(), 200000);
  EXPECT_EQ(voucher.consumer_ref().find(id_number), std::string::npos);

  // Retailer: quote, redeem.
  v1::Purchase purchase = MakePurchase("refrigerator", 899900, 1);
  v1::QuoteSubsidyResponse quote;
  HX_ASSERT_OK(api.Quote(voucher.voucher_id(), purchase, mid, &quote));
  EXPECT_EQ(quote.subsidy_fen(), 179980);
  v1::Redemption redemption;
  HX_ASSERT_OK(api.Redeem(MakeRedeem(voucher.voucher_id(), mid, id_number, purchase),
                          &redemption));
  EXPECT_EQ(redemption.subsidy_fen(), 179980);
  EXPECT_EQ(redemption.state(), v1::Redemption::COMPLETED);

  // Refusals cross the ledger service with their code, reason and field intact.
  v1::Purchase other = MakePurchase("refrigerator", 899900, 1);
  EXPECT_TRUE(IsRefusal(api.Redeem(MakeRedeem(voucher.voucher_id(), mid, id_number, other)),
                        grpc::StatusCode::FAILED_PRECONDITION, "VOUCHER_ALREADY_REDEEMED"));
  v1::Program missing;
  EXPECT_TRUE(IsRefusal(api.GetProgram(UniqueId("no-such"), &missing),
                        grpc::StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND"));
  // This field error is the ledger's own (the audit edge passes the sizes through).
  v1::GetInclusionProofRequest too_big;
  too_big.set_seq(0);
  too_big.set_tree_size(1000000);
  v1::InclusionProof proof;
  grpc::Status invalid = Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetInclusionProof,
                              kAuditor, too_big, &proof);
  EXPECT_TRUE(HasFieldViolation(invalid, "tree_size")) << Describe(invalid);

  // The books, as the auditor sees them through the edge.
  v1::ProgramStats stats;
  ASSERT_TRUE(api.BooksBalance(pid, &stats));
  EXPECT_EQ(stats.payable_fen(), 179980);
  EXPECT_EQ(stats.held_fen(), 0);
  EXPECT_EQ(stats.vouchers_issued(), 1);
  EXPECT_EQ(stats.vouchers_redeemed(), 1);

  // The log and its checkpoint, read through the edge, signed by the ledger.
  v1::Checkpoint checkpoint;
  HX_ASSERT_OK(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor,
                    v1::GetCheckpointRequest(), &checkpoint));
  EXPECT_GE(checkpoint.tree_size(), 5);
  v1::ListEntriesRequest list;
  list.mutable_filter()->set_program_id(pid);
  v1::ListEntriesResponse entries;
  HX_ASSERT_OK(Call(api.stubs().audit.get(), &v1::AuditService::Stub::ListEntries, kAuditor, list,
                    &entries));
  EXPECT_GE(entries.entries_size(), 4);

  // A backup asked of the edge is written by the ledger, on the ledger's host.
  v1::BackupRequest backup;
  backup.set_destination_dir(ledger_.data_dir() + "/backup-via-edge");
  v1::BackupResponse backed_up;
  HX_ASSERT_OK(Call(api.stubs().admin.get(), &v1::AdminService::Stub::Backup, kAdmin, backup,
                    &backed_up));
  EXPECT_EQ(backed_up.path(), backup.destination_dir());
  EXPECT_GE(backed_up.tree_size(), checkpoint.tree_size());

  EXPECT_EQ(edge->Stop(), 0) << edge->StderrTail();
  EXPECT_EQ(ledger_.Stop(), 0) << ledger_.StderrTail();
}

TEST_F(SplitTest, TwoEdgesShareOneLedger) {
  auto a = StartEdge("a");
  auto b = StartEdge("b");
  Api api_a(a->address()), api_b(b->address());
  const std::string pid = UniqueId("split-two");
  const std::string mid = UniqueId("m-two");
  ASSERT_TRUE(api_a.SetUpProgram(ApplianceProgram(pid), 100000000, mid));

  // Concurrent issues through both edges: every one lands once in the one ledger.
  constexpr int kPerEdge = 10;
  std::vector<std::string> ids_a(kPerEdge), ids_b(kPerEdge);
  auto issue = [&](Api* api, std::vector<std::string>* ids) {
    for (int i = 0; i < kPerEdge; ++i) {
      v1::Voucher v;
      grpc::Status s = api->Issue(pid, "refrigerator", MintIdNumber(), &v);
      if (s.ok()) (*ids)[i] = v.voucher_id();
    }
  };
  std::thread ta(issue, &api_a, &ids_a), tb(issue, &api_b, &ids_b);
  ta.join();
  tb.join();
  std::set<std::string> all(ids_a.begin(), ids_a.end());
  all.insert(ids_b.begin(), ids_b.end());
  all.erase("");
  EXPECT_EQ(all.size(), 2u * kPerEdge);

  // One consumer, hashed alike by both edges (one PII key): issue through A, redeem through B.
  const std::string id_number = MintIdNumber();
  v1::Voucher voucher;
  HX_ASSERT_OK(api_a.Issue(pid, "television", id_number, &voucher));
  v1::Purchase purchase = MakePurchase("television", 300000, 1);
  HX_ASSERT_OK(api_b.Redeem(MakeRedeem(voucher.voucher_id(), mid, id_number, purchase)));

  // The same principal and request_id through the other edge is the same request.
  const std::string rid = NextRequestId("cross-edge");
  v1::Voucher first, retried;
  const std::string retry_id_number = MintIdNumber();
  HX_ASSERT_OK(api_a.Issue(pid, "air_conditioner", retry_id_number, &first, rid));
  HX_ASSERT_OK(api_b.Issue(pid, "air_conditioner", retry_id_number, &retried, rid));
  EXPECT_EQ(retried.voucher_id(), first.voucher_id());

  v1::ProgramStats stats;
  ASSERT_TRUE(api_b.BooksBalance(pid, &stats));
  EXPECT_EQ(stats.vouchers_issued(), 2 * kPerEdge + 2);
  EXPECT_EQ(stats.vouchers_redeemed(), 1);

  EXPECT_EQ(a->Stop(), 0) << a->StderrTail();
  EXPECT_EQ(b->Stop(), 0) << b->StderrTail();
}

TEST_F(SplitTest, LedgerAnswersOnlyServicePrincipals) {
  auto channel = grpc::CreateChannel(ledger_.address(), grpc::InsecureChannelCredentials());
  auto stub = internal::LedgerService::NewStub(channel);
  internal::IdRequest req;
  req.set_id("no-such-programme");
  v1::Program out;

  // A retailer (or anyone else) calling the ledger directly is refused.
  for (const std::string& who : {Retailer("m-1"), std::string(kAdmin), std::string(kAuditor)}) {
    grpc::Status s = Call(stub.get(), &internal::LedgerService::Stub::GetProgram, who, req, &out);
    EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
        << who << ": " << Describe(s);
  }
  internal::Command command;
  command.set_actor(Retailer("m-1"));
  command.set_request_id("direct-1");
  command.mutable_expire_voucher()->set_voucher_id("v-1");
  internal::Reply reply;
  grpc::Status direct = Call(stub.get(), &internal::LedgerService::Stub::Execute,
                             Retailer("m-1"), command, &reply);
  EXPECT_TRUE(IsRefusal(direct, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
      << Describe(direct);
  grpc::Status anonymous =
      Call(stub.get(), &internal::LedgerService::Stub::GetProgram, "", req, &out);
  EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(anonymous);

  // A service principal gets the ledger's own answer.
  grpc::Status as_service =
      Call(stub.get(), &internal::LedgerService::Stub::GetProgram, "service:edge", req, &out);
  EXPECT_TRUE(IsRefusal(as_service, grpc::StatusCode::NOT_FOUND, "PROGRAM_NOT_FOUND"))
      << Describe(as_service);

  // The ledger process serves no public API.
  Api api(ledger_.address());
  v1::Program program;
  EXPECT_EQ(api.GetProgram("anything", &program).error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

// What a service principal may hand the ledger directly, without any edge's checks.
TEST_F(SplitTest, LedgerChecksEveryCommandItself) {
  auto channel = grpc::CreateChannel(ledger_.address(), grpc::InsecureChannelCredentials());
  auto stub = internal::LedgerService::NewStub(channel);
  auto execute = [&](const std::string& service, const internal::Command& command) {
    internal::Reply reply;
    return Call(stub.get(), &internal::LedgerService::Stub::Execute, service, command, &reply);
  };
  const std::string pid = UniqueId("split-direct");
  internal::Command create;
  create.set_actor(kAdmin);
  create.set_request_id(NextRequestId("direct"));
  *create.mutable_create_program()->mutable_program() = ApplianceProgram(pid);

  // The issuance edge's certificate relays issuance commands only; an edge name that names
  // no service relays nothing.
  for (const std::string service :
       {"service:issuance", "service:issuance-2", "service:payments", "service:edgy"}) {
    grpc::Status s = execute(service, create);
    EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
        << service << ": " << Describe(s);
  }
  // The admin edge relays it, but only for an actor that may create programmes.
  internal::Command as_app = create;
  as_app.set_actor(kApp);
  grpc::Status s = execute("service:admin", as_app);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
      << Describe(s);
  // Nobody outside the ledger submits the ledger's own commands.
  internal::Command expire;
  expire.set_actor("system:expiry-sweeper");
  expire.mutable_expire_voucher()->set_voucher_id("v-1");
  s = execute("service:admin.issuance.redemption.recycling.audit", expire);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
      << Describe(s);
  HX_ASSERT_OK(execute("service:admin.audit-1", create));
  create.set_request_id(NextRequestId("direct"));
  create.mutable_create_program()->mutable_program()->set_program_id(pid + "-2");
  HX_ASSERT_OK(execute("service:edge-7", create));  // an edge hosting all five

  // Inputs every edge refuses, refused by the ledger as strictly, naming the field.
  internal::Command merchant;
  merchant.set_actor(kAdmin);
  merchant.set_request_id(NextRequestId("direct"));
  *merchant.mutable_register_merchant()->mutable_merchant() = MakeMerchant("a:b", {pid});
  s = execute("service:admin", merchant);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"merchant.merchant_id"});

  internal::Command issue;
  issue.set_actor(kApp);
  issue.set_request_id(NextRequestId("direct"));
  issue.mutable_issue_voucher()->set_program_id(pid);
  issue.mutable_issue_voucher()->set_category("refrigerator");
  s = execute("service:issuance", issue);  // no consumer_ref
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"consumer.consumer_ref"});
  // A clear ID number in place of the edge's HMAC is no consumer reference either.
  issue.mutable_issue_voucher()->mutable_consumer()->set_consumer_ref(MintIdNumber());
  s = execute("service:issuance", issue);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << Describe(s);

  // A retailer's command names its own merchant, whichever edge relays it.
  internal::Command reverse;
  reverse.set_actor(Retailer("m-one"));
  reverse.set_request_id(NextRequestId("direct"));
  reverse.mutable_reverse_redemption()->set_redemption_id("rd-1");
  reverse.mutable_reverse_redemption()->set_merchant_id("m-two");
  s = execute("service:redemption", reverse);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
      << Describe(s);
  EXPECT_EQ(ledger_.Stop(), 0) << ledger_.StderrTail();
}

TEST(SplitFlags, AllInOneServesNoLedgerService) {
  ServerProcess all;  // --services=all
  ASSERT_TRUE(all.Start());
  auto channel = grpc::CreateChannel(all.address(), grpc::InsecureChannelCredentials());
  auto stub = internal::LedgerService::NewStub(channel);
  internal::IdRequest req;
  req.set_id("anything");
  v1::Program out;
  grpc::Status s =
      Call(stub.get(), &internal::LedgerService::Stub::GetProgram, "service:admin", req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED) << Describe(s);
  EXPECT_EQ(all.Stop(), 0) << all.StderrTail();
}

TEST(SplitFlags, EdgeWithoutItsLedgerIsUnavailable) {
  // Nothing listens on port 1: every call through the edge is UNAVAILABLE, not a crash.
  ServerProcess edge({kEdgeServices, "--ledger_address=127.0.0.1:1"});
  ASSERT_TRUE(edge.Start());
  Api api(edge.address());
  v1::Program program;
  grpc::Status s = api.GetProgram("anything", &program);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::UNAVAILABLE, "UNAVAILABLE")) << Describe(s);
  EXPECT_TRUE(edge.running());
  EXPECT_EQ(edge.Stop(), 0) << edge.StderrTail();
}

TEST(SplitFlags, ContradictoryFlagsAreRefusedAtStart) {
  ServerProcess no_ledger({"--services=issuance"});  // no --ledger_address
  EXPECT_FALSE(no_ledger.Start());
  ServerProcess both({"--services=ledger,admin", "--ledger_address=127.0.0.1:1"});
  EXPECT_FALSE(both.Start());
  ServerProcess unknown({"--services=ledger,payments"});
  EXPECT_FALSE(unknown.Start());
}

}  // namespace
}  // namespace huanxin::itest
