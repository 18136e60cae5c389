// VINs (common/vin.h) against published examples, and the facts of a scrap receipt
// (rules/scrap_receipt.h): the VIN of a scrapped car and the order of its dates.
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/pii.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "common/vin.h"
#include "gtest/gtest.h"
#include "ledger_fixture.h"
#include "rules/scrap_receipt.h"

namespace huanxin {
namespace {

// Published VINs with correct check characters: Wikipedia's example (ISO 3779 / 49 CFR 565),
// a Honda Accord and an Acura Legend often used to illustrate the check digit, and the
// all-ones VIN whose check character is 1.
constexpr const char* kValid[] = {"1M8GDM9AXKP042788", "1HGCM82633A004352",
                                  "JH4KA7561PC008269", "11111111111111111"};

TEST(VinTest, PublishedExamplesAreValid) {
  for (const char* vin : kValid) {
    EXPECT_TRUE(ValidateVin("vin", vin).ok()) << vin << ": " << ValidateVin("vin", vin);
    EXPECT_EQ(VinCheckChar(vin), vin[kVinCheckIndex]) << vin;
  }
  EXPECT_EQ(VinCheckChar("1M8GDM9AXKP042788"), 'X');  // a remainder of 10
}

TEST(VinTest, AWrongCheckCharacterIsRefused) {
  for (const std::string valid : kValid) {
    for (char c : std::string("0123456789X")) {
      if (c == valid[kVinCheckIndex]) continue;
      std::string vin = valid;
      vin[kVinCheckIndex] = c;
      absl::Status s = ValidateVin("receipt.serial_number", vin);
      EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << vin;
      EXPECT_EQ(ReasonOf(s), reason::kInvalidVin) << vin;
      EXPECT_EQ(FieldOf(s), "receipt.serial_number") << vin;
      EXPECT_NE(s.message().find("check character"), absl::string_view::npos) << s;
    }
  }
}

TEST(VinTest, LengthAndAlphabetAreChecked) {
  for (const char* bad : {"", "ABC", "1M8GDM9AXKP04278", "1M8GDM9AXKP0427888",
                          "1m8gdm9axkp042788",   // lower case
                          "1M8GDM9AXKP0427O8",   // O
                          "1M8GDM9AXKI042788",   // I
                          "1Q8GDM9AXKP042788",   // Q
                          " 1M8GDM9AXKP04278",   // space
                          "1M8GDM9AXKP04278-"}) {
    absl::Status s = ValidateVin("receipt.serial_number", bad);
    EXPECT_EQ(ReasonOf(s), reason::kInvalidVin) << "\"" << bad << "\"";
    EXPECT_EQ(CodeForReason(reason::kInvalidVin), absl::StatusCode::kInvalidArgument);
    // The detail names the field, never the value.
    EXPECT_NE(s.message().find("receipt.serial_number"), absl::string_view::npos) << s;
    if (std::string(bad).size() > 3) {
      EXPECT_EQ(s.message().find(bad), absl::string_view::npos) << s;
    }
  }
}

TEST(VinTest, EveryLetterTransliteratesAsTheStandardSays) {
  // One letter at position 1 (weight 8) of the all-ones VIN: the check character moves by
  // 8 * (value - 1) mod 11.
  const std::string values = "A1B2C3D4E5F6G7H8J1K2L3M4N5P7R9S2T3U4V5W6X7Y8Z9";
  for (size_t i = 0; i < values.size(); i += 2) {
    std::string vin = "11111111111111111";
    vin[0] = values[i];
    const int value = values[i + 1] - '0';
    const int check = (89 + 8 * (value - 1)) % 11;  // 89: the weights' sum
    EXPECT_EQ(VinCheckChar(vin), check == 10 ? 'X' : static_cast<char>('0' + check))
        << values[i];
  }
  for (char c : std::string("IOQ")) EXPECT_FALSE(IsVinChar(c));
}

const absl::Time kNow = ShanghaiStartOfDay(absl::CivilDay(2025, 6, 1)) + absl::Hours(10);

v1::ScrapReceipt Car(const std::string& registered, const std::string& owned_since) {
  v1::ScrapReceipt r;
  r.set_item_kind(v1::ScrapReceipt::VEHICLE);
  r.set_serial_number("1M8GDM9AXKP042788");
  r.mutable_vehicle()->set_energy_type(v1::Vehicle::PETROL);
  r.mutable_vehicle()->set_emission_standard(4);  // 国四
  r.mutable_vehicle()->set_registration_date(registered);
  r.mutable_vehicle()->set_owned_since(owned_since);
  return r;
}

// The field a refusal names, or "" when the receipt passes.
std::string Refused(const v1::ScrapReceipt& r) {
  absl::Status s = CheckScrapReceiptFacts(r, kNow);
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  return FieldOf(s);
}

TEST(ScrapReceiptFactsTest, DatesRunRegisteredOwnedScrappedNow) {
  EXPECT_EQ(Refused(Car("2011-05-20", "2016-03-01")), "");
  EXPECT_EQ(Refused(Car("2011-05-20", "2011-05-20")), "");  // bought new
  EXPECT_EQ(Refused(Car("2025-06-01", "2025-06-01")), "");  // today, scrapped now
  EXPECT_EQ(Refused(Car("2031-01-01", "2031-01-01")), "receipt.vehicle.registration_date");
  EXPECT_EQ(Refused(Car("2011-05-20", "2025-06-02")), "receipt.vehicle.owned_since");
  EXPECT_EQ(Refused(Car("2016-03-01", "2011-05-20")), "receipt.vehicle.owned_since");
  EXPECT_EQ(Refused(Car("2011-5-20", "2016-03-01")), "receipt.vehicle.registration_date");

  v1::ScrapReceipt scrapped = Car("2011-05-20", "2016-03-01");
  *scrapped.mutable_scrapped_at() = ToProto(ShanghaiStartOfDay(absl::CivilDay(2016, 3, 1)));
  EXPECT_EQ(Refused(scrapped), "");  // scrapped the day it changed hands
  *scrapped.mutable_scrapped_at() = ToProto(ShanghaiStartOfDay(absl::CivilDay(2016, 3, 1)) -
                                            absl::Seconds(1));
  EXPECT_EQ(Refused(scrapped), "receipt.vehicle.owned_since");
  *scrapped.mutable_scrapped_at() = ToProto(kNow + absl::Minutes(5) + absl::Seconds(1));
  EXPECT_EQ(Refused(scrapped), "receipt.scrapped_at");
  // A recycler's clock a little ahead of the server's is no impossible history.
  *scrapped.mutable_scrapped_at() = ToProto(kNow + absl::Minutes(5));
  EXPECT_EQ(Refused(scrapped), "");
  *scrapped.mutable_scrapped_at() = ToProto(kNow);
  EXPECT_EQ(Refused(scrapped), "");
}

TEST(ScrapReceiptFactsTest, AVehicleNeedsAVinAndAnApplianceDoesNot) {
  v1::ScrapReceipt car = Car("2011-05-20", "2016-03-01");
  car.set_serial_number("ABC");
  absl::Status s = CheckScrapReceiptFacts(car, kNow);
  EXPECT_EQ(ReasonOf(s), reason::kInvalidVin) << s;
  EXPECT_EQ(FieldOf(s), "receipt.serial_number");

  v1::ScrapReceipt fridge;
  fridge.set_item_kind(v1::ScrapReceipt::APPLIANCE);
  fridge.set_serial_number("ABC");
  EXPECT_TRUE(CheckScrapReceiptFacts(fridge, kNow).ok());
  *fridge.mutable_scrapped_at() = ToProto(kNow + absl::Hours(1));
  EXPECT_EQ(FieldOf(CheckScrapReceiptFacts(fridge, kNow)), "receipt.scrapped_at");
}

// The ledger checks the same facts against its own clock, whatever the edge let through:
// a receipt from a recycler's clock ahead of the ledger's is refused and records nothing.
class ReceiptLedgerTest : public testing::LedgerTest {
 protected:
  internal::Command Confirm(const v1::ScrapReceipt& receipt, const std::string& rid) {
    internal::Command c = As("recycler:r-one", rid);
    v1::ScrapReceipt* r = c.mutable_confirm_receipt()->mutable_receipt();
    *r = receipt;
    r->set_recycler_id("r-one");
    r->set_certificate_number("BF-1");
    r->set_owner_ref(std::string(2 * PiiKey::kRefBytes, 'a'));
    return c;
  }
};

TEST_F(ReceiptLedgerTest, TheLedgerRefusesWhatTheEdgeWouldHave) {
  internal::Command reg = As("admin:ops", "recycler");
  reg.mutable_register_recycler()->mutable_recycler()->set_recycler_id("r-one");
  reg.mutable_register_recycler()->mutable_recycler()->set_name("recycler");
  reg.mutable_register_recycler()->mutable_recycler()->set_region_code("371600");
  reg.mutable_register_recycler()->mutable_recycler()->add_accepts(v1::ScrapReceipt::VEHICLE);
  MustExecute(reg);

  // The fixture's clock stands at 2025-06-01 10:00 (UTC+8).
  v1::ScrapReceipt ahead = Car("2011-05-20", "2016-03-01");
  *ahead.mutable_scrapped_at() = ToProto(testing::kStart + absl::Minutes(6));
  absl::StatusOr<internal::Reply> r = ledger_->Execute(Confirm(ahead, "c1"));
  EXPECT_EQ(FieldOf(r.status()), "receipt.scrapped_at") << r.status();
  v1::ScrapReceipt bad_vin = Car("2011-05-20", "2016-03-01");
  bad_vin.set_serial_number("1M8GDM9A1KP042788");
  r = ledger_->Execute(Confirm(bad_vin, "c2"));
  EXPECT_EQ(ReasonOf(r.status()), reason::kInvalidVin) << r.status();
  r = ledger_->Execute(Confirm(Car("2016-03-01", "2011-05-20"), "c3"));
  EXPECT_EQ(FieldOf(r.status()), "receipt.vehicle.owned_since") << r.status();
  // Nothing was recorded: the certificate is still free for the corrected receipt.
  MustExecute(Confirm(Car("2011-05-20", "2016-03-01"), "c4"));
}

}  // namespace
}  // namespace huanxin
