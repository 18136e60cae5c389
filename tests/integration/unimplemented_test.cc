// RPCs the foundation may leave for later must answer (UNIMPLEMENTED or a real answer), never
// take the server down.
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

class UnimplementedTest : public SharedServerTest<UnimplementedTest> {};

// Any answer but a transport failure: the call reached a live server and came back.
::testing::AssertionResult Answered(const grpc::Status& s) {
  if (s.error_code() == StatusCode::UNAVAILABLE || s.error_code() == StatusCode::UNKNOWN ||
      s.error_code() == StatusCode::INTERNAL || s.error_code() == StatusCode::DEADLINE_EXCEEDED) {
    return ::testing::AssertionFailure() << "no proper answer: " << Describe(s);
  }
  return ::testing::AssertionSuccess() << Describe(s);
}

TEST_F(UnimplementedTest, LaterRpcsAnswerWithoutCrashing) {
  auto& stubs = api().stubs();
  {
    v1::GetCheckpointRequest req;
    v1::Checkpoint out;
    EXPECT_TRUE(Answered(
        Call(stubs.audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor, req, &out)));
  }
  {
    v1::ConfirmScrapReceiptRequest req;
    req.set_request_id(NextRequestId());
    auto* r = req.mutable_receipt();
    r->set_certificate_number(UniqueId("CERT"));
    r->set_item_kind(v1::ScrapReceipt::APPLIANCE);
    r->set_serial_number(UniqueId("OLD-SN"));
    r->set_category("refrigerator");
    r->mutable_owner()->set_id_number(MintIdNumber());
    r->set_recycler_id("r-1");
    v1::ScrapReceipt out;
    EXPECT_TRUE(Answered(Call(stubs.recycling.get(),
                              &v1::RecyclingService::Stub::ConfirmScrapReceipt, "recycler:r-1",
                              req, &out)));
  }
  {
    v1::ListEntriesRequest req;
    req.set_page_size(10);
    v1::ListEntriesResponse out;
    EXPECT_TRUE(Answered(
        Call(stubs.audit.get(), &v1::AuditService::Stub::ListEntries, kAuditor, req, &out)));
  }
  {
    v1::GetConsistencyProofRequest req;
    req.set_first_size(5);
    req.set_second_size(2);  // nonsense sizes must not crash either
    v1::ConsistencyProof out;
    EXPECT_TRUE(Answered(Call(stubs.audit.get(), &v1::AuditService::Stub::GetConsistencyProof,
                              kAuditor, req, &out)));
  }
  {
    v1::CreateSettlementRequest req;
    req.set_request_id(NextRequestId());
    req.set_merchant_id("m-nobody");
    v1::Settlement out;
    EXPECT_TRUE(Answered(Call(stubs.admin.get(), &v1::AdminService::Stub::CreateSettlement,
                              kAdmin, req, &out)));
  }
  // Still serving.
  EXPECT_TRUE(server().running()) << server().StderrTail();
  EXPECT_TRUE(IsRefusal(api().GetProgram("still-alive"), StatusCode::NOT_FOUND,
                        "PROGRAM_NOT_FOUND"));
}

}  // namespace
}  // namespace huanxin::itest
