#include "common/id_number.h"
#include "tools/drill/traffic.h"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace huanxin::drill {

// ---------------------------------------------------------------------------------------------
// Tally

void Tally::Fraud(Pattern p, bool caught, bool by_rule) {
  std::lock_guard<std::mutex> l(mu_);
  ++patterns_[p].fraud_ops;
  if (caught) ++patterns_[p].caught;
  if (by_rule) ++patterns_[p].by_rule;
}
void Tally::Incident(Pattern p) {
  std::lock_guard<std::mutex> l(mu_);
  ++patterns_[p].incidents;
}
void Tally::Setup(Pattern p, bool flagged) {
  std::lock_guard<std::mutex> l(mu_);
  ++patterns_[p].setup_ops;
  if (flagged) ++patterns_[p].setup_flagged;
}
void Tally::Honest(bool review, const std::vector<std::string>& reasons,
                   const std::string& denied_reason) {
  std::lock_guard<std::mutex> l(mu_);
  if (!denied_reason.empty()) {
    ++honest_denied_;
    errors_.push_back("honest redemption denied: " + denied_reason);
    return;
  }
  ++honest_;
  if (!review) return;
  ++honest_reviews_;
  for (const std::string& r : reasons) ++review_reasons_[r];
}
void Tally::Error(const std::string& what) {
  std::lock_guard<std::mutex> l(mu_);
  errors_.push_back(what);
}
PatternTally Tally::pattern(Pattern p) const {
  std::lock_guard<std::mutex> l(mu_);
  return patterns_[p];
}
int64_t Tally::honest_redemptions() const {
  std::lock_guard<std::mutex> l(mu_);
  return honest_;
}
int64_t Tally::honest_reviews() const {
  std::lock_guard<std::mutex> l(mu_);
  return honest_reviews_;
}
int64_t Tally::honest_denied() const {
  std::lock_guard<std::mutex> l(mu_);
  return honest_denied_;
}
std::map<std::string, int64_t> Tally::honest_review_reasons() const {
  std::lock_guard<std::mutex> l(mu_);
  return review_reasons_;
}
std::vector<std::string> Tally::errors() const {
  std::lock_guard<std::mutex> l(mu_);
  return errors_;
}
void Tally::SkuSold(const std::string& sku) {
  std::lock_guard<std::mutex> l(mu_);
  ++sku_sales_[sku];
}
int64_t Tally::SkuSales(const std::string& sku) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = sku_sales_.find(sku);
  return it == sku_sales_.end() ? 0 : it->second;
}

namespace {

// ---------------------------------------------------------------------------------------------
// People, vouchers, purchases

struct Person {
  v1::ConsumerIdentity identity;
};

// A consumer with their own device, phone and bank card; `shared` (when given) replaces the
// device and phone with a scalper's, and drops the card.
Person NewPerson(Traffic& t, const v1::ConsumerIdentity* shared = nullptr) {
  const uint64_t n = t.next_consumer++;
  Person p;
  p.identity.set_id_number(SyntheticIdNumber(n));
  p.identity.set_name("drill-consumer-" + std::to_string(n));
  char phone[24];
  std::snprintf(phone, sizeof(phone), "138%08llu", static_cast<unsigned long long>(n % 100000000));
  if (shared != nullptr) {
    p.identity.set_device_id(shared->device_id());
    p.identity.set_phone(shared->phone());
  } else {
    p.identity.set_device_id("dev-" + t.world.tag + "-" + std::to_string(n));
    p.identity.set_phone(phone);
    p.identity.set_bank_card("6222" + std::to_string(1000000000000ULL + n));
  }
  return p;
}

std::optional<v1::Voucher> Claim(Traffic& t, const std::string& program,
                                 const std::string& category, const Person& p) {
  v1::IssueVoucherRequest req;
  req.set_request_id(t.rpc.RequestId());
  req.set_program_id(program);
  req.set_category(category);
  *req.mutable_consumer() = p.identity;
  v1::Voucher v;
  grpc::Status s = t.rpc.Call(t.rpc.issuance(), &v1::IssuanceService::Stub::IssueVoucher, kApp, req, &v);
  if (!s.ok()) {
    t.tally.Error("claim " + program + "/" + category + ": " + Describe(s));
    return std::nullopt;
  }
  return v;
}

const std::string& ProgramOf(const World& w, const Sku& sku) {
  return sku.program == "appliance" ? w.appliance : sku.program == "digital" ? w.digital : w.car;
}

std::vector<const Sku*> SkusOf(const std::string& program) {
  std::vector<const Sku*> out;
  for (const Sku& s : Catalogue()) {
    if (s.program == program) out.push_back(&s);
  }
  return out;
}

int64_t HonestPrice(const Sku& sku, std::mt19937_64& rng) {
  const int64_t permille_bp = 9000 + static_cast<int64_t>(rng() % 2001);  // 90.00%..110.00%
  return sku.list_fen * permille_bp / 10000;
}

v1::Purchase MakePurchase(Traffic& t, const Sku& sku, int64_t price_fen) {
  const uint64_t n = t.next_item++;
  v1::Purchase p;
  p.set_sku(sku.sku);
  p.set_category(sku.category);
  p.set_energy_grade(sku.energy_grade);
  p.set_price_fen(price_fen);
  p.set_invoice_number("INV-" + t.world.tag + "-" + std::to_string(n));
  p.set_serial_number(sku.program == "car" ? Vin(t.world.tag, 5000000 + n)
                                           : "SN-" + t.world.tag + "-" + std::to_string(n));
  p.set_brand(sku.sku.substr(0, sku.sku.find('-')));
  p.set_model(sku.sku);
  return p;
}

struct Till {
  std::string merchant, terminal;
};

// The next honest till, round robin: every merchant and terminal gets the same share.
Till NextTill(Traffic& t) {
  const uint64_t slot = t.next_slot++;
  const uint64_t m = t.world.merchants.size();
  return {t.world.merchants[slot % m],
          "till-" + std::to_string(slot / m % t.world.terminals_per_merchant + 1)};
}

struct Outcome {
  grpc::Status status;
  v1::Redemption redemption;
  bool review() const { return status.ok() && redemption.decision() == v1::Redemption::REVIEW; }
  // A business refusal (recorded as REDEMPTION_DENIED), as opposed to a broken request.
  bool denied() const {
    return status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
           status.error_code() == grpc::StatusCode::ALREADY_EXISTS;
  }
  bool caught() const { return review() || denied(); }
  bool HasRule(const std::string& rule) const {
    const auto& r = redemption.reasons();
    return review() && std::find(r.begin(), r.end(), rule) != r.end();
  }
};

Outcome Redeem(Traffic& t, const v1::Voucher& v, const Till& till, const Person& payer,
               const v1::Purchase& purchase, const std::string& receipt_id = "") {
  v1::RedeemRequest req;
  req.set_request_id(t.rpc.RequestId());
  req.set_voucher_id(v.voucher_id());
  req.set_merchant_id(till.merchant);
  req.set_terminal_id(till.terminal);
  *req.mutable_payer() = payer.identity;
  *req.mutable_purchase() = purchase;
  req.set_scrap_receipt_id(receipt_id);
  Outcome o;
  o.status = t.rpc.Call(t.rpc.redemption(), &v1::RedemptionService::Stub::Redeem,
                        Retailer(till.merchant), req, &o.redemption);
  if (o.review()) t.tally.ReviewOpened();
  if (!o.status.ok() && !o.denied()) t.tally.Error("redeem: " + Describe(o.status));
  return o;
}

v1::ScrapReceipt CarReceipt(Traffic& t, const Person& owner, const std::string& certificate) {
  v1::ScrapReceipt r;
  r.set_certificate_number(certificate);
  r.set_item_kind(v1::ScrapReceipt::VEHICLE);
  r.set_serial_number(Vin(t.world.tag, t.next_item++));
  r.set_category("car");
  *r.mutable_owner() = owner.identity;
  v1::Vehicle* car = r.mutable_vehicle();
  car->set_energy_type(v1::Vehicle::PETROL);  // 国四 petrol car registered 2011
  car->set_emission_standard(4);
  car->set_displacement_ml(1598);
  car->set_registration_date("2011-05-20");
  car->set_owned_since("2016-03-01");
  return r;
}

grpc::Status Confirm(Traffic& t, const v1::ScrapReceipt& receipt, v1::ScrapReceipt* out) {
  v1::ConfirmScrapReceiptRequest req;
  req.set_request_id(t.rpc.RequestId());
  *req.mutable_receipt() = receipt;
  return t.rpc.Call(t.rpc.recycling(), &v1::RecyclingService::Stub::ConfirmScrapReceipt,
                    RecyclerPrincipal(t.world.recycler), req, out);
}

std::string Certificate(Traffic& t) {
  return "BF3716-" + t.world.tag + "-" + std::to_string(t.next_item++);
}

// A car trade-in by `p`: a scrap receipt for their old car, a voucher, the redemption.
// nullopt (and an error counted) when a step before the redemption fails.
std::optional<Outcome> CarTradeIn(Traffic& t, std::mt19937_64& rng, const Person& p,
                                  v1::ScrapReceipt* receipt_out) {
  v1::ScrapReceipt receipt;
  grpc::Status s = Confirm(t, CarReceipt(t, p, Certificate(t)), &receipt);
  if (!s.ok()) {
    t.tally.Error("confirm scrap receipt: " + Describe(s));
    return std::nullopt;
  }
  if (receipt_out != nullptr) *receipt_out = receipt;
  const auto skus = SkusOf("car");
  const Sku& sku = *skus[rng() % skus.size()];
  std::optional<v1::Voucher> v = Claim(t, t.world.car, sku.category, p);
  if (!v) return std::nullopt;
  return Redeem(t, *v, NextTill(t), p, MakePurchase(t, sku, HonestPrice(sku, rng)),
                receipt.receipt_id());
}

void CountHonest(Traffic& t, const Outcome& o, const Sku& sku) {
  if (!o.status.ok()) {
    t.tally.Honest(false, {}, Describe(o.status));
    return;
  }
  const auto& r = o.redemption.reasons();
  t.tally.Honest(o.review(), std::vector<std::string>(r.begin(), r.end()), "");
  if (!o.review()) t.tally.SkuSold(sku.sku);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Honest traffic

void HonestConsumer(Traffic& t, std::mt19937_64& rng) {
  const Person p = NewPerson(t);
  const int kind = static_cast<int>(rng() % 1000);
  if (kind < 20) {  // 2%: a car, scrapped and renewed
    std::optional<Outcome> o = CarTradeIn(t, rng, p, nullptr);
    if (o) CountHonest(t, *o, Catalogue().back());
    return;
  }
  const std::string program = kind < 300 ? "digital" : "appliance";
  std::vector<const Sku*> skus = SkusOf(program);
  std::shuffle(skus.begin(), skus.end(), rng);
  std::vector<const Sku*> bought = {skus[0]};
  if (program == "appliance" && rng() % 4 == 0) {  // a quarter buy a second appliance
    for (const Sku* s : skus) {
      if (s->category != skus[0]->category) {
        bought.push_back(s);
        break;
      }
    }
  }
  for (const Sku* sku : bought) {
    std::optional<v1::Voucher> v = Claim(t, ProgramOf(t.world, *sku), sku->category, p);
    if (!v) continue;
    CountHonest(t, Redeem(t, *v, NextTill(t), p, MakePurchase(t, *sku, HonestPrice(*sku, rng))),
                *sku);
  }
}

// ---------------------------------------------------------------------------------------------
// Fraud incidents

void DoubleSubsidy(Traffic& t, std::mt19937_64& rng) {
  t.tally.Incident(kDoubleSubsidy);
  const auto skus = SkusOf("digital");
  const Sku& sku = *skus[rng() % skus.size()];
  const Person first = NewPerson(t), second = NewPerson(t);
  std::optional<v1::Voucher> va = Claim(t, t.world.digital, sku.category, first);
  std::optional<v1::Voucher> vb = Claim(t, t.world.digital, sku.category, second);
  if (!va || !vb) return;
  const v1::Purchase sale = MakePurchase(t, sku, HonestPrice(sku, rng));
  t.tally.Setup(kDoubleSubsidy, Redeem(t, *va, NextTill(t), first, sale).caught());
  v1::Purchase again = MakePurchase(t, sku, HonestPrice(sku, rng));
  again.set_serial_number(sale.serial_number());  // the same phone, a new invoice
  const Outcome o = Redeem(t, *vb, NextTill(t), second, again);
  t.tally.Fraud(kDoubleSubsidy, o.caught(), ReasonOf(o.status) == "DUPLICATE_SERIAL");
}

void BorrowedIdentities(Traffic& t, std::mt19937_64& rng, int ring) {
  t.tally.Incident(kBorrowedIdentity);
  v1::ConsumerIdentity scalper;
  const uint64_t n = t.next_item++;
  scalper.set_device_id("scalper-dev-" + t.world.tag + "-" + std::to_string(n));
  scalper.set_phone("139" + std::to_string(10000000 + n % 90000000));
  const auto skus = SkusOf("appliance");
  std::vector<std::pair<Person, std::optional<v1::Voucher>>> claims;
  std::vector<const Sku*> bought;
  for (int i = 0; i < ring; ++i) {  // the claims, in order: the i-th is the (i+1)-th consumer
    const Sku* sku = skus[rng() % skus.size()];
    Person p = NewPerson(t, &scalper);
    std::optional<v1::Voucher> v = Claim(t, t.world.appliance, sku->category, p);
    claims.emplace_back(std::move(p), std::move(v));
    bought.push_back(sku);
  }
  for (int i = 0; i < ring; ++i) {
    if (!claims[i].second) continue;
    const Sku& sku = *bought[i];
    const Outcome o = Redeem(t, *claims[i].second, NextTill(t), claims[i].first,
                             MakePurchase(t, sku, HonestPrice(sku, rng)));
    if (i + 1 >= t.world.rules.shared_identity_consumers()) {
      t.tally.Fraud(kBorrowedIdentity, o.caught(), o.HasRule("SHARED_IDENTITY"));
    } else {
      t.tally.Setup(kBorrowedIdentity, o.caught());
    }
  }
}

void PriceSpike(Traffic& t, std::mt19937_64& rng, const Sku& sku) {
  t.tally.Incident(kPriceSpike);
  (void)rng;
  const Person p = NewPerson(t);
  std::optional<v1::Voucher> v = Claim(t, ProgramOf(t.world, sku), sku.category, p);
  if (!v) return;
  const Outcome o = Redeem(t, *v, NextTill(t), p, MakePurchase(t, sku, sku.list_fen * 150 / 100));
  t.tally.Fraud(kPriceSpike, o.caught(), o.HasRule("PRICE_SPIKE"));
}

void TerminalBurst(Traffic& t, std::mt19937_64& rng, const std::string& merchant, int count) {
  t.tally.Incident(kTerminalBurst);
  const auto skus = SkusOf("appliance");
  std::vector<std::pair<Person, std::optional<v1::Voucher>>> claims;
  std::vector<const Sku*> bought;
  for (int i = 0; i < count; ++i) {  // the vouchers first, so the burst itself is seconds long
    const Sku* sku = skus[rng() % skus.size()];
    Person p = NewPerson(t);
    std::optional<v1::Voucher> v = Claim(t, t.world.appliance, sku->category, p);
    claims.emplace_back(std::move(p), std::move(v));
    bought.push_back(sku);
  }
  const Till till{merchant, "till-burst"};
  for (int i = 0; i < count; ++i) {
    if (!claims[i].second) continue;
    const Sku& sku = *bought[i];
    const Outcome o = Redeem(t, *claims[i].second, till, claims[i].first,
                             MakePurchase(t, sku, HonestPrice(sku, rng)));
    if (i + 1 > t.world.rules.terminal_velocity_max()) {
      t.tally.Fraud(kTerminalBurst, o.caught(), o.HasRule("TERMINAL_VELOCITY"));
    } else {
      t.tally.Setup(kTerminalBurst, o.caught());
    }
  }
}

void ReusedScrap(Traffic& t, std::mt19937_64& rng, bool confirm_twice) {
  t.tally.Incident(kReusedScrap);
  const Person owner = NewPerson(t), other = NewPerson(t);
  if (confirm_twice) {
    const std::string certificate = Certificate(t);
    v1::ScrapReceipt first, second;
    grpc::Status s = Confirm(t, CarReceipt(t, owner, certificate), &first);
    t.tally.Setup(kReusedScrap, !s.ok());
    if (!s.ok()) t.tally.Error("confirm scrap receipt: " + Describe(s));
    s = Confirm(t, CarReceipt(t, other, certificate), &second);  // another car, same 证明
    const bool refused = s.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
                         s.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
    t.tally.Fraud(kReusedScrap, refused, ReasonOf(s) == "DUPLICATE_CERTIFICATE");
    return;
  }
  v1::ScrapReceipt receipt;
  std::optional<Outcome> first = CarTradeIn(t, rng, owner, &receipt);
  if (!first) return;
  t.tally.Setup(kReusedScrap, first->caught());
  const auto skus = SkusOf("car");
  const Sku& sku = *skus[rng() % skus.size()];
  std::optional<v1::Voucher> v = Claim(t, t.world.car, sku.category, other);
  if (!v) return;
  const Outcome o = Redeem(t, *v, NextTill(t), other, MakePurchase(t, sku, HonestPrice(sku, rng)),
                           receipt.receipt_id());
  t.tally.Fraud(kReusedScrap, o.caught(), ReasonOf(o.status) == "SCRAP_RECEIPT_INVALID");
}

}  // namespace huanxin::drill
