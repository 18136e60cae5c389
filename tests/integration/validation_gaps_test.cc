// Inputs that once slipped through, refused through the real server with the field named:
// an ID number born after today, a vehicle registered in 2099, a ListEntries time with
// negative nanos, a backup path with a newline.
#include <string>
#include <vector>

#include "common/id_number.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

::testing::AssertionResult RefusedNaming(const grpc::Status& s, const std::string& field,
                                         const std::string& reason = "INVALID_FIELD") {
  if (!IsRefusal(s, grpc::StatusCode::INVALID_ARGUMENT, reason)) {
    return ::testing::AssertionFailure() << Describe(s);
  }
  if (FieldViolations(s) != std::vector<std::string>{field}) {
    return ::testing::AssertionFailure() << "field: " << Describe(s);
  }
  return ::testing::AssertionSuccess();
}

TEST(ValidationGaps, RefusedWithTheFieldNamed) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  const std::string pid = UniqueId("gaps");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 100000000, ""));

  const std::string body = "371602209001011230";  // born 2090-01-01
  const std::string unborn = body.substr(0, 17) + IdNumberCheckChar(body.substr(0, 17));
  EXPECT_TRUE(RefusedNaming(api.Issue(pid, "refrigerator", unborn), "consumer.id_number",
                            "INVALID_ID_NUMBER"));

  const std::string recycler = UniqueId("r-gaps");
  HX_ASSERT_OK(RegisterRecycler(api, recycler, v1::ScrapReceipt::VEHICLE));
  v1::ConfirmScrapReceiptRequest confirm;
  confirm.set_request_id(NextRequestId());
  v1::ScrapReceipt* receipt = confirm.mutable_receipt();
  receipt->set_certificate_number(UniqueId("cert"));
  receipt->set_item_kind(v1::ScrapReceipt::VEHICLE);
  receipt->set_serial_number(UniqueId("VIN"));
  *receipt->mutable_owner() = Consumer(MintIdNumber());
  v1::Vehicle* car = receipt->mutable_vehicle();
  car->set_energy_type(v1::Vehicle::PETROL);
  car->set_emission_standard(3);
  car->set_registration_date("2099-01-01");
  car->set_owned_since("2010-01-01");
  v1::ScrapReceipt confirmed;
  EXPECT_TRUE(RefusedNaming(Call(api.stubs().recycling.get(),
                                 &v1::RecyclingService::Stub::ConfirmScrapReceipt,
                                 "recycler:" + recycler, confirm, &confirmed),
                            "receipt.vehicle.registration_date"));

  v1::ListEntriesRequest list;
  list.mutable_filter()->mutable_from_time()->set_seconds(1700000000);
  list.mutable_filter()->mutable_from_time()->set_nanos(-1);
  v1::ListEntriesResponse entries;
  EXPECT_TRUE(RefusedNaming(Call(api.stubs().audit.get(), &v1::AuditService::Stub::ListEntries,
                                 kAuditor, list, &entries),
                            "filter.from_time"));

  v1::BackupRequest backup;
  backup.set_destination_dir(server.data_dir() + "/backup\nFORGED log line");
  v1::BackupResponse backed_up;
  EXPECT_TRUE(RefusedNaming(Call(api.stubs().admin.get(), &v1::AdminService::Stub::Backup, kAdmin,
                                 backup, &backed_up),
                            "destination_dir"));
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
