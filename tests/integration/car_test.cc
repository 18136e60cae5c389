// Recyclers and the car trade-in against a real server: a recycler confirms that an
// old car was scrapped, the claim app issues a car voucher, the till redeems it with the new
// car's VIN and the scrap receipt, which linking consumes. Every refusal by reason, the 2025
// national old-car rules at each boundary day, one certificate / one old VIN / one new VIN
// once, and the role and tenant rules of RecyclingService.
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/vin.h"
#include "gtest/gtest.h"
#include "tests/integration/cli_run.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

using grpc::StatusCode;

constexpr int64_t kFund = 1000000000;  // ¥10,000,000: fifty scrap subsidies
constexpr int64_t kNevScrap = 2000000;  // ¥20,000
constexpr int64_t kFuelScrap = 1500000;  // ¥15,000
constexpr int64_t kNevReplace = 1500000;  // ¥15,000
constexpr int64_t kFuelReplace = 1300000;  // ¥13,000

std::string Recycler(const std::string& recycler_id) { return "recycler:" + recycler_id; }

google::protobuf::Timestamp SecondsFromNow(int64_t delta) {
  google::protobuf::Timestamp t;
  t.set_seconds(static_cast<int64_t>(std::time(nullptr)) + delta);
  return t;
}

// The 2025 national old-car rules (docs/policy.md): 国四 or below; petrol registered by
// 2012-06-30, diesel by 2014-06-30, NEV by 2018-12-31; owned since on or before 2025-01-08.
v1::VehicleEligibility National2025() {
  v1::VehicleEligibility e;
  e.set_max_emission_standard(4);
  e.set_petrol_registered_by("2012-06-30");
  e.set_diesel_registered_by("2014-06-30");
  e.set_nev_registered_by("2018-12-31");
  e.set_owned_since_by("2025-01-08");
  return e;
}

v1::Program CarProgram(const std::string& program_id, v1::Program::Kind kind) {
  const bool scrap = kind == v1::Program::CAR_SCRAP;
  v1::Program p;
  p.set_program_id(program_id);
  p.set_name(std::string(scrap ? "滨州汽车报废更新 " : "滨州汽车置换更新 ") + program_id);
  p.set_kind(kind);
  p.set_region_code("371600");
  *p.mutable_start_time() = SecondsFromNow(-3600);
  *p.mutable_end_time() = SecondsFromNow(30 * 86400);
  p.mutable_voucher_ttl()->set_seconds(3 * 86400);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  for (const char* category : {"nev", "fuel_le_2l"}) {
    v1::CategoryRule* r = p.add_rules();
    r->set_category(category);
    const bool nev = std::string(category) == "nev";
    r->set_fixed_amount_fen(scrap ? (nev ? kNevScrap : kFuelScrap)
                                  : (nev ? kNevReplace : kFuelReplace));
    r->set_per_consumer_limit(1);
    r->set_requires_serial(true);
    if (scrap) {
      r->set_requires_scrap_receipt(true);
      *r->mutable_old_vehicle() = National2025();
    }
  }
  return p;
}

// An old car as the recycler records it.
v1::Vehicle OldCar(v1::Vehicle::EnergyType type, const std::string& registered,
                   const std::string& owned_since = "2020-01-01", int emission = 4) {
  v1::Vehicle v;
  v.set_energy_type(type);
  if (type != v1::Vehicle::NEV) {
    v.set_emission_standard(emission);
    v.set_displacement_ml(1598);
  }
  v.set_registration_date(registered);
  v.set_owned_since(owned_since);
  return v;
}

// A unique valid VIN: `prefix` (the maker's code), zeros to position 8, the check
// character, and a counter in the last 8 positions.
std::string NewVin(const std::string& prefix = "LSV") {
  const std::string n = UniqueId("X").substr(2);  // "X-<n>"
  std::string vin = prefix + std::string(9 - prefix.size(), '0') +
                    std::string(8 - n.size(), '0') + n;
  vin[kVinCheckIndex] = VinCheckChar(vin);
  return vin;
}

v1::ScrapReceipt VehicleReceipt(const std::string& owner_id_number, const v1::Vehicle& car) {
  v1::ScrapReceipt r;
  r.set_certificate_number(UniqueId("BF3716"));  // 报废机动车回收证明编号
  r.set_item_kind(v1::ScrapReceipt::VEHICLE);
  r.set_serial_number(NewVin("LFV"));
  r.set_category("car");
  *r.mutable_owner() = Consumer(owner_id_number);
  *r.mutable_vehicle() = car;
  return r;
}

v1::ScrapReceipt ApplianceReceipt(const std::string& owner_id_number) {
  v1::ScrapReceipt r;
  r.set_certificate_number(UniqueId("HS3716"));
  r.set_item_kind(v1::ScrapReceipt::APPLIANCE);
  r.set_serial_number(UniqueId("OLD-FRIDGE-SN"));
  r.set_category("refrigerator");
  *r.mutable_owner() = Consumer(owner_id_number);
  return r;
}

// A new car: category nev or fuel_le_2l, its VIN as the serial, a unique invoice (机动车销售统一发票).
v1::Purchase NewCar(const std::string& category, const std::string& vin, int64_t price_fen) {
  v1::Purchase p = MakePurchase(category, price_fen, 0);
  p.set_serial_number(vin);
  p.set_brand(category == "nev" ? "BYD" : "Volkswagen");
  p.set_model(category == "nev" ? "Qin PLUS DM-i" : "Lavida 1.5L");
  return p;
}

class CarTest : public SharedServerTest<CarTest> {
 protected:
  // RecyclingService calls, as `principal`.
  static grpc::Status Confirm(const std::string& principal, const v1::ScrapReceipt& receipt,
                              v1::ScrapReceipt* out = nullptr, const std::string& rid = "") {
    v1::ConfirmScrapReceiptRequest req;
    req.set_request_id(rid.empty() ? NextRequestId() : rid);
    *req.mutable_receipt() = receipt;
    v1::ScrapReceipt resp;
    return Call(api().stubs().recycling.get(), &v1::RecyclingService::Stub::ConfirmScrapReceipt,
                principal, req, out ? out : &resp);
  }
  static grpc::Status GetReceipt(const std::string& principal, const std::string& receipt_id,
                                 v1::ScrapReceipt* out = nullptr) {
    v1::GetScrapReceiptRequest req;
    req.set_receipt_id(receipt_id);
    v1::ScrapReceipt resp;
    return Call(api().stubs().recycling.get(), &v1::RecyclingService::Stub::GetScrapReceipt,
                principal, req, out ? out : &resp);
  }
  static grpc::Status Void(const std::string& principal, const std::string& receipt_id,
                           v1::ScrapReceipt* out = nullptr) {
    v1::VoidScrapReceiptRequest req;
    req.set_request_id(NextRequestId());
    req.set_receipt_id(receipt_id);
    req.set_reason("录入错误 entered in error");
    v1::ScrapReceipt resp;
    return Call(api().stubs().recycling.get(), &v1::RecyclingService::Stub::VoidScrapReceipt,
                principal, req, out ? out : &resp);
  }
  static grpc::Status RegisterRecycler(const std::string& recycler_id,
                                       std::vector<v1::ScrapReceipt::ItemKind> accepts) {
    v1::RegisterRecyclerRequest req;
    req.set_request_id(NextRequestId());
    v1::Recycler* r = req.mutable_recycler();
    r->set_recycler_id(recycler_id);
    r->set_name("滨州测试报废机动车回收拆解有限公司 " + recycler_id);
    r->set_region_code("371600");
    for (auto kind : accepts) r->add_accepts(kind);
    v1::Recycler resp;
    return Call(api().stubs().admin.get(), &v1::AdminService::Stub::RegisterRecycler, kAdmin, req,
                &resp);
  }

  // A funded car scrap programme, a merchant whitelisted for it and a recycler of vehicles
  // and appliances.
  void SetUp() override {
    SharedServerTest<CarTest>::SetUp();
    if (HasFatalFailure()) return;
    pid_ = UniqueId("car-scrap");
    mid_ = UniqueId("m-auto");
    rid_ = UniqueId("r-scrap");
    ASSERT_TRUE(api().SetUpProgram(CarProgram(pid_, v1::Program::CAR_SCRAP), kFund, mid_));
    HX_ASSERT_OK(RegisterRecycler(rid_, {v1::ScrapReceipt::VEHICLE, v1::ScrapReceipt::APPLIANCE}));
  }

  // Confirms `receipt` as this test's recycler; the receipt as the server answered.
  v1::ScrapReceipt ConfirmOk(const v1::ScrapReceipt& receipt) {
    v1::ScrapReceipt out;
    grpc::Status s = Confirm(Recycler(rid_), receipt, &out);
    EXPECT_TRUE(IsOk(s));
    EXPECT_EQ(out.state(), v1::ScrapReceipt::CONFIRMED);
    return out;
  }
  v1::Voucher IssueOk(const std::string& category, const std::string& id_number,
                      const std::string& pid = "") {
    v1::Voucher v;
    EXPECT_TRUE(IsOk(api().Issue(pid.empty() ? pid_ : pid, category, id_number, &v)));
    return v;
  }
  grpc::Status RedeemCar(const v1::Voucher& v, const std::string& payer,
                         const v1::Purchase& car, const std::string& receipt_id,
                         v1::Redemption* out = nullptr, const std::string& mid = "") {
    v1::RedeemRequest req = MakeRedeem(v.voucher_id(), mid.empty() ? mid_ : mid, payer, car);
    req.set_scrap_receipt_id(receipt_id);
    return api().Redeem(req, out);
  }
  ::testing::AssertionResult ReceiptIs(const std::string& receipt_id,
                                       v1::ScrapReceipt::State state) {
    v1::ScrapReceipt r;
    grpc::Status s = GetReceipt(kAuditor, receipt_id, &r);
    if (!s.ok()) return ::testing::AssertionFailure() << Describe(s);
    if (r.state() != state) {
      return ::testing::AssertionFailure()
             << "receipt " << receipt_id << " is " << v1::ScrapReceipt::State_Name(r.state())
             << ", want " << v1::ScrapReceipt::State_Name(state);
    }
    return ::testing::AssertionSuccess();
  }

  // One owner, one eligible-or-not old car, one nev voucher, one redemption: its status.
  grpc::Status TryScrapAndRenew(const v1::Vehicle& old_car, std::string* receipt_id = nullptr) {
    const std::string owner = MintIdNumber();
    v1::ScrapReceipt receipt = ConfirmOk(VehicleReceipt(owner, old_car));
    if (receipt_id) *receipt_id = receipt.receipt_id();
    v1::Voucher v = IssueOk("nev", owner);
    return RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000), receipt.receipt_id());
  }

  std::string pid_, mid_, rid_;
};

// ---------------------------------------------------------------------------------------------
// The whole path

TEST_F(CarTest, ScrapAndRenewEndToEnd) {
  const std::string owner = MintIdNumber();
  // The recycler confirms the scrap of owner's 2011 国四 petrol car; recycler_id left empty is
  // the caller.
  v1::ScrapReceipt in = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2011-09-15"));
  v1::ScrapReceipt receipt;
  HX_ASSERT_OK(Confirm(Recycler(rid_), in, &receipt));
  EXPECT_EQ(receipt.state(), v1::ScrapReceipt::CONFIRMED);
  EXPECT_EQ(receipt.receipt_id().rfind("s-", 0), 0u) << receipt.receipt_id();
  EXPECT_EQ(receipt.recycler_id(), rid_);
  EXPECT_EQ(receipt.certificate_number(), in.certificate_number());
  EXPECT_EQ(receipt.serial_number(), in.serial_number());
  EXPECT_EQ(receipt.item_kind(), v1::ScrapReceipt::VEHICLE);
  EXPECT_EQ(receipt.vehicle().registration_date(), "2011-09-15");
  EXPECT_FALSE(receipt.owner_ref().empty());
  EXPECT_FALSE(receipt.has_owner()) << "the owner's clear identity must not come back";
  EXPECT_EQ(receipt.DebugString().find(owner), std::string::npos);
  EXPECT_GT(receipt.ledger_seq(), 0);
  EXPECT_TRUE(receipt.has_scrapped_at());

  // The claim app issues the owner a ¥20,000 NEV voucher; the owner_ref is the consumer_ref.
  v1::Voucher v = IssueOk("nev", owner);
  EXPECT_EQ(v.held_fen(), kNevScrap);
  EXPECT_EQ(v.consumer_ref(), receipt.owner_ref());

  // The dealer redeems it for a new NEV with its VIN and the scrap receipt.
  const std::string vin = NewVin();
  v1::Redemption d;
  HX_ASSERT_OK(RedeemCar(v, owner, NewCar("nev", vin, 15980000), receipt.receipt_id(), &d));
  EXPECT_EQ(d.state(), v1::Redemption::COMPLETED);
  EXPECT_EQ(d.decision(), v1::Redemption::ALLOW);
  EXPECT_EQ(d.subsidy_fen(), kNevScrap);
  EXPECT_EQ(d.consumer_pays_fen(), 15980000 - kNevScrap);
  EXPECT_EQ(d.scrap_receipt_id(), receipt.receipt_id());
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::REDEEMED));

  // Linking consumed the receipt, as its recycler, the auditor and the admin see it.
  for (const std::string& who : {Recycler(rid_), std::string(kAuditor), std::string(kAdmin)}) {
    v1::ScrapReceipt after;
    HX_ASSERT_OK(GetReceipt(who, receipt.receipt_id(), &after));
    EXPECT_EQ(after.state(), v1::ScrapReceipt::CONSUMED) << who;
    EXPECT_EQ(after.owner_ref(), receipt.owner_ref());
    EXPECT_EQ(after.ledger_seq(), d.ledger_seq()) << "consumed in the redemption's own entry";
  }

  v1::ProgramStats stats;
  HX_ASSERT_OK(api().Stats(pid_, &stats));
  EXPECT_EQ(stats.payable_fen(), kNevScrap);
  EXPECT_EQ(stats.vouchers_redeemed(), 1);
  EXPECT_EQ(stats.funded_fen(),
            stats.available_fen() + stats.held_fen() + stats.payable_fen() + stats.settled_fen());
}

TEST_F(CarTest, FuelCarScrapAndRenew) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::DIESEL, "2013-03-01", "2013-03-01", 3)));
  v1::Voucher v = IssueOk("fuel_le_2l", owner);
  v1::Redemption d;
  HX_ASSERT_OK(RedeemCar(v, owner, NewCar("fuel_le_2l", NewVin(), 13990000),
                         receipt.receipt_id(), &d));
  EXPECT_EQ(d.subsidy_fen(), kFuelScrap);
  EXPECT_TRUE(ReceiptIs(receipt.receipt_id(), v1::ScrapReceipt::CONSUMED));
}

TEST_F(CarTest, ConfirmIsIdempotent) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt in = VehicleReceipt(owner, OldCar(v1::Vehicle::NEV, "2017-05-05"));
  const std::string rid = NextRequestId();
  v1::ScrapReceipt first, again;
  HX_ASSERT_OK(Confirm(Recycler(rid_), in, &first, rid));
  HX_ASSERT_OK(Confirm(Recycler(rid_), in, &again, rid));
  EXPECT_EQ(again.receipt_id(), first.receipt_id());
  EXPECT_EQ(again.ledger_seq(), first.ledger_seq());
  // The same key with another receipt is a reused key.
  v1::ScrapReceipt other = VehicleReceipt(owner, OldCar(v1::Vehicle::NEV, "2017-05-05"));
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(rid_), other, nullptr, rid), StatusCode::ALREADY_EXISTS,
                        "IDEMPOTENCY_KEY_REUSED"));
}

// ---------------------------------------------------------------------------------------------
// Refusals at the till

TEST_F(CarTest, ScrapReceiptRequired) {
  const std::string owner = MintIdNumber();
  v1::Voucher v = IssueOk("nev", owner);
  const v1::Purchase car = NewCar("nev", NewVin(), 15980000);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, car, ""), StatusCode::FAILED_PRECONDITION,
                        "SCRAP_RECEIPT_REQUIRED"));
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::ISSUED));
  // With the receipt, the same voucher and car go through.
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  HX_EXPECT_OK(RedeemCar(v, owner, car, receipt.receipt_id()));
}

TEST_F(CarTest, SomeoneElsesReceiptIsInvalid) {
  const std::string owner = MintIdNumber(), stranger = MintIdNumber();
  v1::ScrapReceipt theirs =
      ConfirmOk(VehicleReceipt(stranger, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  v1::Voucher v = IssueOk("nev", owner);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000),
                                  theirs.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  EXPECT_TRUE(ReceiptIs(theirs.receipt_id(), v1::ScrapReceipt::CONFIRMED));
  EXPECT_TRUE(api().VoucherIs(v.voucher_id(), v1::Voucher::ISSUED));
}

TEST_F(CarTest, UnknownReceiptIsInvalid) {
  const std::string owner = MintIdNumber();
  v1::Voucher v = IssueOk("nev", owner);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000), "s-nosuchreceipt"),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
}

TEST_F(CarTest, VoidedReceiptIsInvalid) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  v1::ScrapReceipt voided;
  HX_ASSERT_OK(Void(Recycler(rid_), receipt.receipt_id(), &voided));
  EXPECT_EQ(voided.state(), v1::ScrapReceipt::VOIDED);
  EXPECT_EQ(voided.receipt_id(), receipt.receipt_id());
  EXPECT_TRUE(ReceiptIs(receipt.receipt_id(), v1::ScrapReceipt::VOIDED));
  v1::Voucher v = IssueOk("nev", owner);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000),
                                  receipt.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  // Void only once.
  EXPECT_TRUE(IsRefusal(Void(Recycler(rid_), receipt.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
}

TEST_F(CarTest, ConsumedReceiptIsInvalid) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  v1::Voucher nev = IssueOk("nev", owner);
  HX_ASSERT_OK(RedeemCar(nev, owner, NewCar("nev", NewVin(), 15980000), receipt.receipt_id()));
  // One old car backs one new car: the owner's fuel-car voucher cannot reuse the receipt.
  v1::Voucher fuel = IssueOk("fuel_le_2l", owner);
  EXPECT_TRUE(IsRefusal(RedeemCar(fuel, owner, NewCar("fuel_le_2l", NewVin(), 12000000),
                                  receipt.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  // Nor can the recycler void a receipt that backs a subsidy.
  EXPECT_TRUE(IsRefusal(Void(Recycler(rid_), receipt.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  EXPECT_TRUE(ReceiptIs(receipt.receipt_id(), v1::ScrapReceipt::CONSUMED));
}

TEST_F(CarTest, ApplianceReceiptCannotBackACar) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt fridge = ConfirmOk(ApplianceReceipt(owner));
  v1::Voucher v = IssueOk("nev", owner);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000),
                                  fridge.receipt_id()),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  EXPECT_TRUE(ReceiptIs(fridge.receipt_id(), v1::ScrapReceipt::CONFIRMED));
}

// ---------------------------------------------------------------------------------------------
// Old-car eligibility at each boundary day (2025 national dates)

TEST_F(CarTest, PetrolRegistrationBoundary) {
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2012-06-30")));
  std::string late;
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2012-07-01"), &late),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
  // A denied redemption does not consume the receipt.
  EXPECT_TRUE(ReceiptIs(late, v1::ScrapReceipt::CONFIRMED));
}

TEST_F(CarTest, DieselRegistrationBoundary) {
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::DIESEL, "2014-06-30")));
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::DIESEL, "2014-07-01")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
}

TEST_F(CarTest, NevRegistrationBoundary) {
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::NEV, "2018-12-31")));
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::NEV, "2019-01-01")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
}

TEST_F(CarTest, OwnedSinceBoundary) {
  // The 2025 rules: owned on or before 2025-01-08, the day itself included.
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2010-01-01", "2025-01-08")));
  EXPECT_TRUE(
      IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2010-01-01", "2025-01-09")),
                StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::NEV, "2016-01-01", "2025-01-08")));
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::NEV, "2016-01-01", "2025-01-09")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
}

TEST_F(CarTest, EmissionStandardAndEnergyType) {
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 4)));
  EXPECT_TRUE(
      IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::PETROL, "2010-01-01", "2015-01-01", 5)),
                StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::OTHER, "2010-01-01")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
}

// ---------------------------------------------------------------------------------------------
// Once and only once

TEST_F(CarTest, OtherFuelsCountWhenTheRuleSaysByWhen) {
  // The 2025 rules name petrol, diesel and NEV only: a natural-gas car is refused.
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::OTHER, "2010-01-01")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
  // A rule with other_registered_by takes one registered by then, and not a day later.
  v1::Program p = CarProgram(UniqueId("car-other"), v1::Program::CAR_SCRAP);
  for (v1::CategoryRule& rule : *p.mutable_rules()) {
    rule.mutable_old_vehicle()->set_other_registered_by("2012-06-30");
  }
  pid_ = p.program_id();
  mid_ = UniqueId("m-other");
  ASSERT_TRUE(api().SetUpProgram(p, kFund, mid_));
  HX_EXPECT_OK(TryScrapAndRenew(OldCar(v1::Vehicle::OTHER, "2012-06-30")));
  EXPECT_TRUE(IsRefusal(TryScrapAndRenew(OldCar(v1::Vehicle::OTHER, "2012-07-01")),
                        StatusCode::FAILED_PRECONDITION, "VEHICLE_INELIGIBLE"));
}

TEST_F(CarTest, AReceiptFromBeforeTheProgrammeStartedDoesNotQualify) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt early = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2011-09-15"));
  *early.mutable_scrapped_at() = SecondsFromNow(-7200);  // the programme started an hour ago
  v1::ScrapReceipt receipt = ConfirmOk(early);
  v1::Voucher v = IssueOk("nev", owner);
  grpc::Status s = RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000), receipt.receipt_id());
  EXPECT_TRUE(IsRefusal(s, StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"))
      << Describe(s);
  EXPECT_NE(s.error_message().find("before the programme started"), std::string::npos)
      << Describe(s);
}

// 2026's national rules: a new NEV must be in the purchase-tax exemption catalogue, a new fuel
// car at most 2.0 L, both passenger cars.
TEST_F(CarTest, NewCarsMustMeetTheRulesNewVehicleConditions) {
  v1::Program p = CarProgram(UniqueId("car-2026"), v1::Program::CAR_REPLACEMENT);
  v1::NewVehicleRule* nev = p.mutable_rules(0)->mutable_new_vehicle();
  nev->add_energy_types(v1::Vehicle::NEV);
  nev->set_requires_nev_catalogue(true);
  v1::NewVehicleRule* fuel = p.mutable_rules(1)->mutable_new_vehicle();
  fuel->add_energy_types(v1::Vehicle::PETROL);
  fuel->add_energy_types(v1::Vehicle::DIESEL);
  fuel->set_max_displacement_ml(2000);
  const std::string mid = UniqueId("m-2026");
  ASSERT_TRUE(api().SetUpProgram(p, kFund, mid));

  auto car = [](const std::string& category, v1::Vehicle::EnergyType type, int ml,
                bool catalogue, bool passenger) {
    v1::Purchase purchase = NewCar(category, NewVin(), 15980000);
    purchase.mutable_vehicle()->set_energy_type(type);
    purchase.mutable_vehicle()->set_displacement_ml(ml);
    purchase.mutable_vehicle()->set_nev_catalogue(catalogue);
    purchase.mutable_vehicle()->set_passenger(passenger);
    return purchase;
  };
  // Each refused sale is recorded and leaves the voucher usable for a corrected one.
  const std::string owner = MintIdNumber();
  v1::Voucher fuel_voucher = IssueOk("fuel_le_2l", owner, p.program_id());
  for (const v1::Purchase& refused :
       {car("fuel_le_2l", v1::Vehicle::PETROL, 2998, false, true),   // a 3.0 L car
        car("fuel_le_2l", v1::Vehicle::PETROL, 1498, false, false),  // a light truck
        car("fuel_le_2l", v1::Vehicle::NEV, 0, true, true),          // an NEV as "fuel"
        NewCar("fuel_le_2l", NewVin(), 15980000)}) {                 // no vehicle at all
    grpc::Status s = RedeemCar(fuel_voucher, owner, refused, "", nullptr, mid);
    EXPECT_TRUE(IsRefusal(s, StatusCode::FAILED_PRECONDITION, "NEW_VEHICLE_INELIGIBLE"))
        << Describe(s) << refused.DebugString();
  }
  // The till's command line describes the new car too: a quote for a 3.0 L car is refused.
  const std::vector<std::string> quote = {"--as", "retailer:" + mid, "quote",
                                          fuel_voucher.voucher_id(), "--price", "159800",
                                          "--category", "fuel_le_2l", "--car-energy", "PETROL",
                                          "--car-displacement", "2998", "--passenger"};
  CliResult big = RunCtl(server().address(), quote);
  EXPECT_EQ(big.exit_code, 1) << big.out << big.err;
  EXPECT_NE(big.err.find("NEW_VEHICLE_INELIGIBLE"), std::string::npos) << big.err;
  std::vector<std::string> small = quote;
  small[11] = "1498";
  CliResult ok = RunCtl(server().address(), small);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("subsidy"), std::string::npos) << ok.out;
  CliResult alone = RunCtl(server().address(), {"--as", "retailer:" + mid, "quote",
                                                fuel_voucher.voucher_id(), "--price", "159800",
                                                "--category", "fuel_le_2l", "--passenger"});
  EXPECT_EQ(alone.exit_code, 2) << alone.out << alone.err;
  EXPECT_NE(alone.err.find("--car-energy"), std::string::npos) << alone.err;
  HX_EXPECT_OK(RedeemCar(fuel_voucher, owner,
                         car("fuel_le_2l", v1::Vehicle::PETROL, 1498, false, true), "", nullptr,
                         mid));

  const std::string nev_owner = MintIdNumber();
  v1::Voucher nev_voucher = IssueOk("nev", nev_owner, p.program_id());
  grpc::Status s = RedeemCar(nev_voucher, nev_owner, car("nev", v1::Vehicle::NEV, 0, false, true),
                             "", nullptr, mid);
  EXPECT_TRUE(IsRefusal(s, StatusCode::FAILED_PRECONDITION, "NEW_VEHICLE_INELIGIBLE"))
      << Describe(s);
  // A new car's serial is its VIN, checked like a scrapped car's.
  v1::Purchase bad_vin = car("nev", v1::Vehicle::NEV, 0, true, true);
  bad_vin.set_serial_number("LSV00000000000001");
  s = RedeemCar(nev_voucher, nev_owner, bad_vin, "", nullptr, mid);
  EXPECT_EQ(ReasonOf(s), "INVALID_VIN") << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"purchase.serial_number"}) << Describe(s);
  HX_EXPECT_OK(RedeemCar(nev_voucher, nev_owner, car("nev", v1::Vehicle::NEV, 0, true, true), "",
                         nullptr, mid));

  // A new-car rule belongs to car programmes only.
  v1::Program appliance = ApplianceProgram(UniqueId("appliance-newcar"));
  appliance.mutable_rules(0)->mutable_new_vehicle()->set_max_displacement_ml(2000);
  s = api().CreateProgram(appliance);
  EXPECT_EQ(ReasonOf(s), "INVALID_PROGRAM") << Describe(s);
  EXPECT_EQ(FieldViolations(s), std::vector<std::string>{"program.rules[0].new_vehicle"})
      << Describe(s);
}

TEST_F(CarTest, DuplicateCertificate) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt first = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  ConfirmOk(first);
  // The same certificate number on another car: a reused certificate.
  v1::ScrapReceipt reused = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  reused.set_certificate_number(first.certificate_number());
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(rid_), reused), StatusCode::ALREADY_EXISTS,
                        "DUPLICATE_CERTIFICATE"));
  // Even from another recycler.
  const std::string other = UniqueId("r-other");
  HX_ASSERT_OK(RegisterRecycler(other, {v1::ScrapReceipt::VEHICLE}));
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(other), reused), StatusCode::ALREADY_EXISTS,
                        "DUPLICATE_CERTIFICATE"));
}

TEST_F(CarTest, OldVinScrappedOnce) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt first = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  ConfirmOk(first);
  // A second certificate for the same old car (same VIN) is a duplicate certificate.
  v1::ScrapReceipt again = VehicleReceipt(MintIdNumber(), OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  again.set_serial_number(first.serial_number());
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(rid_), again), StatusCode::ALREADY_EXISTS,
                        "DUPLICATE_CERTIFICATE"));
}

TEST_F(CarTest, VoidFreesCertificateForACorrectedReceipt) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt typo = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2019-01-01"));
  v1::ScrapReceipt wrong = ConfirmOk(typo);
  HX_ASSERT_OK(Void(Recycler(rid_), wrong.receipt_id()));
  v1::ScrapReceipt corrected = typo;
  corrected.mutable_vehicle()->set_registration_date("2009-01-01");
  v1::ScrapReceipt right = ConfirmOk(corrected);
  EXPECT_NE(right.receipt_id(), wrong.receipt_id());
  v1::Voucher v = IssueOk("nev", owner);
  HX_EXPECT_OK(RedeemCar(v, owner, NewCar("nev", NewVin(), 15980000), right.receipt_id()));
}

TEST_F(CarTest, NewCarVinSubsidisedOnceAcrossScrapAndReplacement) {
  // A replacement programme beside the scrap one, and a dealer whitelisted for both.
  const std::string repl = UniqueId("car-repl");
  const std::string dealer = UniqueId("m-dealer");
  ASSERT_TRUE(api().SetUpProgram(CarProgram(repl, v1::Program::CAR_REPLACEMENT), kFund, ""));
  HX_ASSERT_OK(api().RegisterMerchant(MakeMerchant(dealer, {pid_, repl})));

  // The new car is subsidised under scrap-and-renew...
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  const std::string vin = NewVin();
  HX_ASSERT_OK(RedeemCar(IssueOk("nev", owner), owner, NewCar("nev", vin, 15980000),
                         receipt.receipt_id(), nullptr, dealer));
  // ...so the same VIN gets no replacement subsidy, for anyone.
  for (const std::string& who : {owner, MintIdNumber()}) {
    v1::Voucher v = IssueOk("nev", who, repl);
    EXPECT_EQ(v.held_fen(), kNevReplace);
    EXPECT_TRUE(IsRefusal(RedeemCar(v, who, NewCar("nev", vin, 15980000), "", nullptr, dealer),
                          StatusCode::FAILED_PRECONDITION, "DUPLICATE_SERIAL"));
    // Another new car is fine: replacement needs no scrap receipt.
    v1::Redemption d;
    HX_EXPECT_OK(RedeemCar(v, who, NewCar("nev", NewVin(), 15980000), "", &d, dealer));
    EXPECT_EQ(d.subsidy_fen(), kNevReplace);
  }
  // And the other way round: a car subsidised under replacement is not scrap-subsidised.
  const std::string other = MintIdNumber();
  const std::string vin2 = NewVin();
  HX_ASSERT_OK(RedeemCar(IssueOk("fuel_le_2l", other, repl), other,
                         NewCar("fuel_le_2l", vin2, 12000000), "", nullptr, dealer));
  v1::ScrapReceipt r2 =
      ConfirmOk(VehicleReceipt(other, OldCar(v1::Vehicle::DIESEL, "2012-01-01", "2012-01-01", 4)));
  EXPECT_TRUE(IsRefusal(RedeemCar(IssueOk("fuel_le_2l", other), other,
                                  NewCar("fuel_le_2l", vin2, 12000000), r2.receipt_id(), nullptr,
                                  dealer),
                        StatusCode::FAILED_PRECONDITION, "DUPLICATE_SERIAL"));
  EXPECT_TRUE(ReceiptIs(r2.receipt_id(), v1::ScrapReceipt::CONFIRMED));
}

// ---------------------------------------------------------------------------------------------
// A return gives the receipt back

TEST_F(CarTest, ReturnRestoresTheReceipt) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt receipt =
      ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  v1::Redemption d;
  HX_ASSERT_OK(RedeemCar(IssueOk("nev", owner), owner, NewCar("nev", NewVin(), 15980000),
                         receipt.receipt_id(), &d));
  EXPECT_TRUE(ReceiptIs(receipt.receipt_id(), v1::ScrapReceipt::CONSUMED));
  v1::ReverseRedemptionRequest req;
  req.set_request_id(NextRequestId());
  req.set_redemption_id(d.redemption_id());
  req.set_merchant_id(mid_);
  req.set_reason("整单退货 whole-order return");
  v1::Redemption reversed;
  HX_ASSERT_OK(Call(api().stubs().redemption.get(),
                    &v1::RedemptionService::Stub::ReverseRedemption, Retailer(mid_), req,
                    &reversed));
  EXPECT_EQ(reversed.state(), v1::Redemption::REVERSED);
  EXPECT_TRUE(ReceiptIs(receipt.receipt_id(), v1::ScrapReceipt::CONFIRMED));
}

// ---------------------------------------------------------------------------------------------
// Appliance trade-in receipts

TEST_F(CarTest, ApplianceTradeInReceipt) {
  v1::Program p = ApplianceProgram(UniqueId("appl-tradein"));
  p.mutable_rules(0)->set_requires_scrap_receipt(true);  // refrigerator
  const std::string shop = UniqueId("m-shop");
  ASSERT_TRUE(api().SetUpProgram(p, kFund, shop));
  const std::string owner = MintIdNumber();
  v1::Voucher v = IssueOk("refrigerator", owner, p.program_id());
  v1::Purchase fridge = MakePurchase("refrigerator", 500000, 1);
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, fridge, "", nullptr, shop),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_REQUIRED"));
  // A car's receipt is the wrong kind for a fridge.
  v1::ScrapReceipt car = ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  EXPECT_TRUE(IsRefusal(RedeemCar(v, owner, fridge, car.receipt_id(), nullptr, shop),
                        StatusCode::FAILED_PRECONDITION, "SCRAP_RECEIPT_INVALID"));
  v1::ScrapReceipt old = ConfirmOk(ApplianceReceipt(owner));
  v1::Redemption d;
  HX_ASSERT_OK(RedeemCar(v, owner, fridge, old.receipt_id(), &d, shop));
  EXPECT_EQ(d.subsidy_fen(), 100000);
  EXPECT_TRUE(ReceiptIs(old.receipt_id(), v1::ScrapReceipt::CONSUMED));
  // The old fridge's serial is scrapped once.
  v1::ScrapReceipt again = ApplianceReceipt(owner);
  again.set_serial_number(old.serial_number());
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(rid_), again), StatusCode::ALREADY_EXISTS,
                        "DUPLICATE_CERTIFICATE"));
}

// ---------------------------------------------------------------------------------------------
// Recyclers, roles and tenants

TEST_F(CarTest, RecyclerMustBeRegisteredAndAcceptTheKind) {
  const std::string owner = MintIdNumber();
  const std::string ghost = UniqueId("r-ghost");
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(ghost), ApplianceReceipt(owner)), StatusCode::NOT_FOUND,
                        "RECYCLER_NOT_FOUND"));
  const std::string appliances_only = UniqueId("r-appl");
  HX_ASSERT_OK(RegisterRecycler(appliances_only, {v1::ScrapReceipt::APPLIANCE}));
  EXPECT_TRUE(IsRefusal(
      Confirm(Recycler(appliances_only), VehicleReceipt(owner, OldCar(v1::Vehicle::NEV, "2017-01-01"))),
      StatusCode::FAILED_PRECONDITION, "RECYCLER_NOT_ELIGIBLE"));
  HX_EXPECT_OK(Confirm(Recycler(appliances_only), ApplianceReceipt(owner)));
}

TEST_F(CarTest, RecyclerActsOnlyAsItself) {
  const std::string owner = MintIdNumber();
  const std::string other = UniqueId("r-other");
  HX_ASSERT_OK(RegisterRecycler(other, {v1::ScrapReceipt::VEHICLE}));
  // Confirming in another recycler's name.
  v1::ScrapReceipt as_other = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  as_other.set_recycler_id(rid_);
  EXPECT_TRUE(IsRefusal(Confirm(Recycler(other), as_other), StatusCode::PERMISSION_DENIED,
                        "PERMISSION_DENIED"));
  // Another recycler's receipt does not exist for it: neither to read nor to void.
  v1::ScrapReceipt mine = ConfirmOk(VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01")));
  EXPECT_TRUE(IsRefusal(GetReceipt(Recycler(other), mine.receipt_id()), StatusCode::NOT_FOUND,
                        "RECEIPT_NOT_FOUND"));
  EXPECT_TRUE(IsRefusal(Void(Recycler(other), mine.receipt_id()), StatusCode::NOT_FOUND,
                        "RECEIPT_NOT_FOUND"));
  EXPECT_TRUE(ReceiptIs(mine.receipt_id(), v1::ScrapReceipt::CONFIRMED));
  EXPECT_TRUE(IsRefusal(GetReceipt(Recycler(rid_), "s-nosuchreceipt"), StatusCode::NOT_FOUND,
                        "RECEIPT_NOT_FOUND"));
}

TEST_F(CarTest, OnlyRecyclersConfirm) {
  const std::string owner = MintIdNumber();
  v1::ScrapReceipt r = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  r.set_recycler_id(rid_);
  for (const std::string& who : {Retailer(mid_), std::string(kApp), std::string(kAdmin),
                                 std::string(kAuditor)}) {
    EXPECT_TRUE(IsRefusal(Confirm(who, r), StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"))
        << who;
  }
  EXPECT_TRUE(IsRefusal(Confirm("", r), StatusCode::UNAUTHENTICATED, "UNAUTHENTICATED"));
  v1::ScrapReceipt mine = ConfirmOk(r);
  EXPECT_TRUE(IsRefusal(GetReceipt(Retailer(mid_), mine.receipt_id()),
                        StatusCode::PERMISSION_DENIED, "PERMISSION_DENIED"));
  EXPECT_TRUE(IsRefusal(GetReceipt(kApp, mine.receipt_id()), StatusCode::PERMISSION_DENIED,
                        "PERMISSION_DENIED"));
  EXPECT_TRUE(IsRefusal(Void(kAdmin, mine.receipt_id()), StatusCode::PERMISSION_DENIED,
                        "PERMISSION_DENIED"));
  EXPECT_TRUE(IsRefusal(Void(Retailer(mid_), mine.receipt_id()), StatusCode::PERMISSION_DENIED,
                        "PERMISSION_DENIED"));
}

TEST_F(CarTest, MalformedReceipts) {
  const std::string owner = MintIdNumber();
  const v1::ScrapReceipt good = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  struct Case {
    const char* field;
    void (*breaks)(v1::ScrapReceipt*);
  };
  const Case cases[] = {
      {"receipt.certificate_number", [](v1::ScrapReceipt* r) { r->clear_certificate_number(); }},
      {"receipt.serial_number", [](v1::ScrapReceipt* r) { r->clear_serial_number(); }},
      {"receipt.item_kind", [](v1::ScrapReceipt* r) { r->clear_item_kind(); }},
      {"receipt.vehicle", [](v1::ScrapReceipt* r) { r->clear_vehicle(); }},
      {"receipt.vehicle.energy_type", [](v1::ScrapReceipt* r) { r->mutable_vehicle()->clear_energy_type(); }},
      {"receipt.vehicle.registration_date",
       [](v1::ScrapReceipt* r) { r->mutable_vehicle()->set_registration_date("2012-02-30"); }},
      {"receipt.vehicle.owned_since", [](v1::ScrapReceipt* r) { r->mutable_vehicle()->clear_owned_since(); }},
      {"receipt.vehicle.emission_standard",
       [](v1::ScrapReceipt* r) { r->mutable_vehicle()->set_emission_standard(7); }},
      {"receipt.receipt_id", [](v1::ScrapReceipt* r) { r->set_receipt_id("s-mine"); }},
      {"receipt.recycler_id", [](v1::ScrapReceipt* r) { r->set_recycler_id("R!"); }},
  };
  for (const Case& c : cases) {
    v1::ScrapReceipt bad = good;
    c.breaks(&bad);
    grpc::Status s = Confirm(Recycler(rid_), bad);
    EXPECT_EQ(s.error_code(), StatusCode::INVALID_ARGUMENT) << c.field << ": " << Describe(s);
    EXPECT_TRUE(HasFieldViolation(s, c.field)) << c.field;
  }
  v1::ScrapReceipt bad_owner = good;
  bad_owner.mutable_owner()->set_id_number(WithBadCheckDigit(owner));
  grpc::Status s = Confirm(Recycler(rid_), bad_owner);
  EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_ID_NUMBER"));
  EXPECT_TRUE(HasFieldViolation(s, "receipt.owner.id_number"));
  // Nothing malformed reached the ledger: the good receipt's certificate is still free.
  ConfirmOk(good);
}

// A scrapped car's VIN carries its GB 16735 check character, and its history runs forward:
// registered <= owned since <= scrapped <= now. Anything else is refused at the edge, names
// the field, and records nothing (so it never counts toward the scrapped-car figures).
TEST_F(CarTest, VinsAndVehicleDatesAreChecked) {
  const std::string owner = MintIdNumber();
  const v1::ScrapReceipt good = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  std::string wrong_check = good.serial_number();
  wrong_check[kVinCheckIndex] = wrong_check[kVinCheckIndex] == '0' ? '1' : '0';
  for (const std::string& vin : {std::string("ABC"), wrong_check,
                                 std::string("LSV0000O000000001"),  // O is not a VIN letter
                                 std::string("lsv")}) {
    v1::ScrapReceipt bad = good;
    bad.set_serial_number(vin);
    grpc::Status s = Confirm(Recycler(rid_), bad);
    EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_VIN")) << vin;
    EXPECT_TRUE(HasFieldViolation(s, "receipt.serial_number")) << vin;
  }
  struct Case {
    const char* field;
    const char* registered;
    const char* owned_since;
    int64_t scrapped_after_now_s;  // 0: scrapped_at unset (now)
  };
  const Case cases[] = {
      {"receipt.vehicle.registration_date", "2031-01-01", "2031-06-01", 0},
      {"receipt.vehicle.owned_since", "2009-01-01", "2031-06-01", 0},
      {"receipt.vehicle.owned_since", "2015-01-01", "2009-01-01", 0},  // before registration
      {"receipt.scrapped_at", "2009-01-01", "2015-01-01", 3600},
  };
  for (const Case& c : cases) {
    v1::ScrapReceipt bad = good;
    bad.mutable_vehicle()->set_registration_date(c.registered);
    bad.mutable_vehicle()->set_owned_since(c.owned_since);
    if (c.scrapped_after_now_s != 0) {
      *bad.mutable_scrapped_at() = UnixTimestamp(time(nullptr) + c.scrapped_after_now_s);
    }
    grpc::Status s = Confirm(Recycler(rid_), bad);
    EXPECT_TRUE(IsRefusal(s, StatusCode::INVALID_ARGUMENT, "INVALID_FIELD")) << c.field;
    EXPECT_TRUE(HasFieldViolation(s, c.field)) << c.field << ": " << Describe(s);
  }
  // A car scrapped an hour ago, bought the day it was registered: fine.
  v1::ScrapReceipt edge = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01",
                                                       "2009-01-01"));
  *edge.mutable_scrapped_at() = UnixTimestamp(time(nullptr) - 3600);
  ConfirmOk(edge);
  // Nothing refused reached the ledger: the good receipt's certificate and VIN are still free.
  ConfirmOk(good);
}

// The classic published VIN is a valid one.
TEST_F(CarTest, APublishedVinIsAccepted) {
  v1::ScrapReceipt r = VehicleReceipt(MintIdNumber(), OldCar(v1::Vehicle::PETROL, "2009-01-01"));
  r.set_serial_number("1M8GDM9AXKP042788");
  ConfirmOk(r);
}

}  // namespace

// The owner's identity is kept only as its HMAC: not on disk, not in the logs.
TEST(CarPii, ReceiptOwnerNeverStoredInClear) {
  namespace fs = std::filesystem;
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  {
    Api api(server.address());
    v1::RegisterRecyclerRequest reg;
    reg.set_request_id(NextRequestId());
    reg.mutable_recycler()->set_recycler_id("r-pii");
    reg.mutable_recycler()->set_name("滨州隐私测试回收公司");
    reg.mutable_recycler()->set_region_code("371600");
    reg.mutable_recycler()->add_accepts(v1::ScrapReceipt::VEHICLE);
    v1::Recycler recycler;
    HX_ASSERT_OK(Call(api.stubs().admin.get(), &v1::AdminService::Stub::RegisterRecycler, kAdmin,
                      reg, &recycler));
    const std::string owner = MintIdNumber();
    v1::ConfirmScrapReceiptRequest req;
    req.set_request_id(NextRequestId());
    *req.mutable_receipt() = VehicleReceipt(owner, OldCar(v1::Vehicle::PETROL, "2009-01-01"));
    req.mutable_receipt()->mutable_owner()->set_phone("13905431234");
    req.mutable_receipt()->mutable_owner()->set_name("李四");
    v1::ScrapReceipt receipt;
    HX_ASSERT_OK(Call(api.stubs().recycling.get(),
                      &v1::RecyclingService::Stub::ConfirmScrapReceipt, "recycler:r-pii", req,
                      &receipt));
    ASSERT_EQ(server.Stop(), 0) << server.StderrTail();
    std::vector<std::string> hits;
    bool saw_certificate = false;
    for (const auto& e : fs::recursive_directory_iterator(server.data_dir())) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      const std::string bytes = ss.str();
      for (const std::string& needle : {owner, std::string("13905431234"), std::string("李四")}) {
        if (bytes.find(needle) != std::string::npos) hits.push_back(e.path().string());
      }
      saw_certificate = saw_certificate ||
                        bytes.find(receipt.certificate_number()) != std::string::npos;
    }
    EXPECT_TRUE(hits.empty()) << ::testing::PrintToString(hits);
    EXPECT_TRUE(saw_certificate) << "positive control: the certificate number is stored";
    EXPECT_EQ(server.stdout_text().find(owner), std::string::npos);
  }
}

}  // namespace huanxin::itest
