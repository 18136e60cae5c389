#include "tools/drill/world.h"

#include <cstdio>
#include <cctype>
#include <ctime>

#include "common/vin.h"
#include "rules/fraud.h"

namespace huanxin::drill {
namespace {

google::protobuf::Timestamp SecondsFromNow(int64_t delta) {
  google::protobuf::Timestamp t;
  t.set_seconds(static_cast<int64_t>(std::time(nullptr)) + delta);
  return t;
}

v1::Program BaseProgram(const std::string& id, const std::string& name, v1::Program::Kind kind) {
  v1::Program p;
  p.set_program_id(id);
  p.set_name(name);
  p.set_kind(kind);
  p.set_region_code("371600");
  *p.mutable_start_time() = SecondsFromNow(-3600);
  *p.mutable_end_time() = SecondsFromNow(30 * 86400);
  p.mutable_voucher_ttl()->set_seconds(3 * 86400);
  p.set_refund_policy(v1::Program::ENTITLEMENT_CONSUMED);
  return p;
}

// docs/policy.md: appliances 20% (grade 1) / 15% (grade 2), cap ¥2,000, air conditioners up to 3.
v1::Program Appliance(const std::string& id) {
  v1::Program p = BaseProgram(id, "滨州家电以旧换新 (drill)", v1::Program::APPLIANCE);
  for (const char* c : {"refrigerator", "washing_machine", "television", "air_conditioner",
                        "dishwasher", "range_hood"}) {
    v1::CategoryRule* r = p.add_rules();
    r->set_category(c);
    r->set_grade1_rate_bp(2000);
    r->set_grade2_rate_bp(1500);
    r->set_cap_fen(200000);
    r->set_per_consumer_limit(std::string(c) == "air_conditioner" ? 3 : 1);
  }
  return p;
}

// Digital: 15%, cap ¥500, price at most ¥6,000, serial (SN/IMEI) required.
v1::Program Digital(const std::string& id) {
  v1::Program p = BaseProgram(id, "滨州数码产品购新补贴 (drill)", v1::Program::DIGITAL);
  for (const char* c : {"phone", "tablet", "smartwatch"}) {
    v1::CategoryRule* r = p.add_rules();
    r->set_category(c);
    r->set_rate_bp(1500);
    r->set_cap_fen(50000);
    r->set_price_ceiling_fen(600000);
    r->set_requires_serial(true);
  }
  return p;
}

// Car scrap & renew: ¥20,000 NEV / ¥15,000 fuel ≤ 2.0 L, scrap receipt, 2025 old-car rules.
v1::Program CarScrap(const std::string& id) {
  v1::Program p = BaseProgram(id, "滨州汽车报废更新 (drill)", v1::Program::CAR_SCRAP);
  for (const char* c : {"nev", "fuel_le_2l"}) {
    v1::CategoryRule* r = p.add_rules();
    r->set_category(c);
    r->set_fixed_amount_fen(std::string(c) == "nev" ? 2000000 : 1500000);
    r->set_per_consumer_limit(1);
    r->set_requires_serial(true);
    r->set_requires_scrap_receipt(true);
    v1::VehicleEligibility* e = r->mutable_old_vehicle();
    e->set_max_emission_standard(4);
    e->set_petrol_registered_by("2012-06-30");
    e->set_diesel_registered_by("2014-06-30");
    e->set_nev_registered_by("2018-12-31");
    e->set_owned_since_by("2025-01-07");
  }
  return p;
}

bool Check(const grpc::Status& s, const std::string& what, std::string* error) {
  if (s.ok()) return true;
  *error = what + ": " + Describe(s);
  return false;
}

bool CreateAndFund(Rpc& rpc, const v1::Program& program, int64_t fund_fen, std::string* error) {
  v1::CreateProgramRequest create;
  create.set_request_id(rpc.RequestId());
  *create.mutable_program() = program;
  v1::Program created;
  if (!Check(rpc.Call(rpc.admin(), &v1::AdminService::Stub::CreateProgram, kAdmin, create, &created),
             "create " + program.program_id(), error)) {
    return false;
  }
  v1::FundProgramRequest fund;
  fund.set_request_id(rpc.RequestId());
  fund.set_program_id(program.program_id());
  fund.set_amount_fen(fund_fen);
  fund.set_memo("fraud drill allocation");
  v1::ProgramStats stats;
  return Check(rpc.Call(rpc.admin(), &v1::AdminService::Stub::FundProgram, kAdmin, fund, &stats),
               "fund " + program.program_id(), error);
}

bool RegisterMerchant(Rpc& rpc, const World& w, const std::string& id, std::string* error) {
  v1::RegisterMerchantRequest req;
  req.set_request_id(rpc.RequestId());
  v1::Merchant* m = req.mutable_merchant();
  m->set_merchant_id(id);
  m->set_name("滨州家电数码汽车商城 " + id);
  m->set_region_code("371602");
  for (const std::string* p : {&w.appliance, &w.digital, &w.car}) m->add_program_ids(*p);
  v1::Merchant out;
  return Check(rpc.Call(rpc.admin(), &v1::AdminService::Stub::RegisterMerchant, kAdmin, req, &out),
               "register " + id, error);
}

std::string Numbered(const std::string& prefix, int n) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%03d", n);
  return prefix + buf;
}

}  // namespace

const std::vector<Sku>& Catalogue() {
  static const std::vector<Sku> kSkus = {
      {"appliance", "refrigerator", "haier-bcd-470", 399900, 1},
      {"appliance", "refrigerator", "midea-bcd-606", 599900, 1},
      {"appliance", "refrigerator", "siemens-ka92", 899900, 2},
      {"appliance", "washing_machine", "littleswan-td100", 249900, 1},
      {"appliance", "washing_machine", "haier-eg100", 369900, 2},
      {"appliance", "television", "hisense-65e7", 429900, 1},
      {"appliance", "television", "tcl-75t7", 599900, 2},
      {"appliance", "television", "sony-85x90", 1299900, 1},
      {"appliance", "air_conditioner", "gree-yunjia-15", 319900, 1},
      {"appliance", "air_conditioner", "midea-kfr-35", 279900, 2},
      {"appliance", "dishwasher", "fotile-02-e5", 429900, 1},
      {"appliance", "range_hood", "robam-27a3", 219900, 1},
      {"digital", "phone", "huawei-mate60", 499900, 0},
      {"digital", "phone", "xiaomi-14", 399900, 0},
      {"digital", "phone", "honor-x50", 149900, 0},
      {"digital", "tablet", "huawei-matepad-11", 249900, 0},
      {"digital", "tablet", "ipad-10", 349900, 0},
      {"digital", "smartwatch", "huawei-watch-gt4", 148800, 0},
      {"car", "nev", "byd-qin-plus-dmi", 9980000, 0},
      {"car", "nev", "geely-galaxy-e5", 10980000, 0},
  };
  return kSkus;
}

std::string Vin(const std::string& tag, uint64_t n) {
  // 'L' (made in China), the tag's first 7 characters (those a VIN may not hold, such as I,
  // O and Q, as digits), the check character, then n in the last 8 positions.
  std::string vin = "L";
  for (size_t i = 0; i < 7; ++i) {
    const char c = i < tag.size() ? static_cast<char>(std::toupper(static_cast<unsigned char>(tag[i])))
                                  : '0';
    vin += IsVinChar(c) ? c : static_cast<char>('0' + static_cast<unsigned char>(c) % 10);
  }
  char serial[16];
  std::snprintf(serial, sizeof(serial), "0%08llu",
                static_cast<unsigned long long>(n % 100000000));
  vin += serial;
  vin[kVinCheckIndex] = VinCheckChar(vin);
  return vin;
}

bool ReadRules(Rpc& rpc, World& world, std::string* error) {
  v1::ListEntriesRequest req;
  req.mutable_filter()->add_types(v1::LedgerEntry::FRAUD_RULES_CHANGED);
  req.set_page_size(1000);
  world.rules.Clear();
  world.rules_seq = -1;
  do {
    v1::ListEntriesResponse page;
    if (!Check(rpc.Call(rpc.audit(), &v1::AuditService::Stub::ListEntries, kAuditor, req, &page),
               "read the fraud rules", error)) {
      return false;
    }
    for (const v1::LedgerEntry& e : page.entries()) {
      world.rules = e.fraud_rules_changed().rules();
      world.rules_seq = e.seq();
    }
    req.set_page_token(page.next_page_token());
  } while (!req.page_token().empty());
  if (world.rules_seq < 0) world.rules = fraud::DefaultRules();  // the server's defaults
  return true;
}

bool Setup(Rpc& rpc, World& w, int merchant_count, int burst_merchants, std::string* error) {
  w.appliance = "drill-" + w.tag + "-appliance";
  w.digital = "drill-" + w.tag + "-digital";
  w.car = "drill-" + w.tag + "-car-scrap";
  if (!CreateAndFund(rpc, Appliance(w.appliance), 5'000'000'000, error) ||
      !CreateAndFund(rpc, Digital(w.digital), 1'000'000'000, error) ||
      !CreateAndFund(rpc, CarScrap(w.car), 2'000'000'000, error)) {
    return false;
  }
  for (int i = 1; i <= merchant_count; ++i) {
    w.merchants.push_back(Numbered("m-" + w.tag + "-", i));
    if (!RegisterMerchant(rpc, w, w.merchants.back(), error)) return false;
  }
  for (int i = 1; i <= burst_merchants; ++i) {
    w.burst_merchants.push_back(Numbered("m-" + w.tag + "-burst-", i));
    if (!RegisterMerchant(rpc, w, w.burst_merchants.back(), error)) return false;
  }
  v1::RegisterRecyclerRequest req;
  req.set_request_id(rpc.RequestId());
  w.recycler = "r-" + w.tag + "-001";
  v1::Recycler* r = req.mutable_recycler();
  r->set_recycler_id(w.recycler);
  r->set_name("滨州报废机动车回收拆解有限公司 (drill)");
  r->set_region_code("371600");
  r->add_accepts(v1::ScrapReceipt::VEHICLE);
  v1::Recycler out;
  return Check(rpc.Call(rpc.admin(), &v1::AdminService::Stub::RegisterRecycler, kAdmin, req, &out),
               "register recycler", error);
}

}  // namespace huanxin::drill
