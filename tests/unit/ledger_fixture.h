// An in-process ledger over a real RocksDB in a temporary directory, with a manual clock,
// and builders for the commands tests send it.
#ifndef HUANXIN_TESTS_UNIT_LEDGER_FIXTURE_H_
#define HUANXIN_TESTS_UNIT_LEDGER_FIXTURE_H_

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/pii.h"
#include "common/proto_time.h"
#include "gtest/gtest.h"
#include "ledger/local_ledger.h"
#include "tests/temp_dir.h"

namespace huanxin::testing {

// Every key and value of one column family, in order.
inline std::vector<std::pair<std::string, std::string>> Dump(const storage::Db& db,
                                                             storage::Cf cf) {
  std::vector<std::pair<std::string, std::string>> out;
  auto view = db.NewView();
  EXPECT_TRUE(view->Scan(cf, "", [&](absl::string_view k, absl::string_view v) {
                    out.emplace_back(std::string(k), std::string(v));
                    return true;
                  }).ok());
  return out;
}

inline const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2025, 6, 1, 10, 0, 0),
                                                 absl::FixedTimeZone(8 * 3600));

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen() {
    ledger_.reset();
    auto l = ledger::LocalLedger::Open(dir_.path() + "/ledger", clock_,
                                       {.sweep_interval = absl::ZeroDuration()});
    ASSERT_TRUE(l.ok()) << l.status();
    ledger_ = std::move(*l);
  }

  // A consumer ref shaped as the edge makes them (PiiKey::Ref: 32 hex digits), one per
  // `name` of at most PiiKey::kRefBytes bytes.
  static std::string RefOf(const std::string& name) {
    std::string bytes = name;
    bytes.resize(PiiKey::kRefBytes, '\0');
    return absl::BytesToHexString(bytes);
  }

  internal::Command As(const std::string& actor, const std::string& request_id) {
    internal::Command c;
    c.set_actor(actor);
    c.set_request_id(request_id);
    return c;
  }

  // An appliance programme: refrigerator (cap ¥2,000) and air_conditioner (up to 3).
  internal::Command CreateProgram(const std::string& id) {
    internal::Command c = As("admin:ops", "create-" + id);
    v1::Program* p = c.mutable_create_program()->mutable_program();
    p->set_program_id(id);
    p->set_name("test programme");
    p->set_kind(v1::Program::APPLIANCE);
    p->set_region_code("371600");
    *p->mutable_start_time() = ToProto(kStart - absl::Hours(24));
    *p->mutable_end_time() = ToProto(kStart + absl::Hours(24 * 365));
    p->mutable_voucher_ttl()->set_seconds(3 * 86400);
    p->set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
    for (const char* cat : {"refrigerator", "air_conditioner"}) {
      v1::CategoryRule* r = p->add_rules();
      r->set_category(cat);
      r->set_grade1_rate_bp(2000);
      r->set_grade2_rate_bp(1500);
      r->set_cap_fen(200000);
      if (std::string(cat) == "air_conditioner") r->set_per_consumer_limit(3);
    }
    return c;
  }

  internal::Command Fund(const std::string& program, int64_t fen, const std::string& rid) {
    internal::Command c = As("admin:ops", rid);
    c.mutable_fund_program()->set_program_id(program);
    c.mutable_fund_program()->set_amount_fen(fen);
    return c;
  }

  internal::Command Merchant(const std::string& id, const std::string& program) {
    internal::Command c = As("admin:ops", "merchant-" + id);
    v1::Merchant* m = c.mutable_register_merchant()->mutable_merchant();
    m->set_merchant_id(id);
    m->set_name("store");
    m->set_region_code("371600");
    m->add_program_ids(program);
    return c;
  }

  internal::Command Issue(const std::string& program, const std::string& category,
                          const std::string& consumer, const std::string& rid) {
    internal::Command c = As("app:claim", rid);
    c.mutable_issue_voucher()->set_program_id(program);
    c.mutable_issue_voucher()->set_category(category);
    c.mutable_issue_voucher()->mutable_consumer()->set_consumer_ref(RefOf(consumer));
    return c;
  }

  internal::Command Redeem(const std::string& voucher, const std::string& merchant,
                           const std::string& payer, int64_t price_fen, const std::string& rid,
                           const std::string& category = "refrigerator") {
    internal::Command c = As("retailer:" + merchant, rid);
    internal::Redeem* r = c.mutable_redeem();
    r->set_voucher_id(voucher);
    r->set_merchant_id(merchant);
    r->set_terminal_id("till-1");
    r->mutable_payer()->set_consumer_ref(RefOf(payer));
    r->mutable_purchase()->set_category(category);
    r->mutable_purchase()->set_energy_grade(1);
    r->mutable_purchase()->set_price_fen(price_fen);
    return c;
  }

  // The programme (CreateProgram), funded with `fen`, and a merchant accepting it.
  void SetUpProgram(const std::string& program, const std::string& merchant, int64_t fen) {
    MustExecute(CreateProgram(program));
    MustExecute(Fund(program, fen, "fund-" + program));
    MustExecute(Merchant(merchant, program));
  }

  internal::Reply MustExecute(internal::Command c) {
    absl::StatusOr<internal::Reply> r = ledger_->Execute(std::move(c));
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : internal::Reply();
  }

  TempDir dir_;
  std::shared_ptr<ManualClock> clock_ = std::make_shared<ManualClock>(kStart);
  std::unique_ptr<ledger::LocalLedger> ledger_;
};

}  // namespace huanxin::testing

#endif  // HUANXIN_TESTS_UNIT_LEDGER_FIXTURE_H_
