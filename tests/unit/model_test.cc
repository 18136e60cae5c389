// Model-based test of the budget lifecycle: thousands of random operations (fund, issue,
// cancel, expire, redeem, return, settle, pause, resume) against the real ledger (RocksDB,
// single writer, manual clock) and against a small model of the rules written here from
// API.md. After every step the outcome and every figure of the books must agree, and the
// books must balance. A failure prints its seed; HX_MODEL_SEED=<seed> replays it.
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger_fixture.h"

namespace huanxin::testing {
namespace {

constexpr int64_t kCap = 200000;
constexpr char kProgram[] = "p-model";

struct ModelVoucher {
  std::string consumer, category;
  v1::Voucher::State state = v1::Voucher::ISSUED;
  absl::Time expires_at;
};

struct ModelRedemption {
  std::string voucher, merchant;
  int64_t subsidy = 0;
  absl::Time at;
  v1::Redemption::State state = v1::Redemption::COMPLETED;
};

struct Model {
  bool restored = false;  // refund policy ENTITLEMENT_RESTORED
  v1::Program::State state = v1::Program::ACTIVE;
  v1::ProgramStats books;
  std::map<std::string, ModelVoucher> vouchers;  // by the ledger's ids
  std::map<std::string, ModelRedemption> redemptions;
  std::map<std::string, int64_t> clawback;  // by merchant
  std::map<std::string, int> used;          // consumer + category -> entitlements in use

  int Limit(const std::string& category) const { return category == "air_conditioner" ? 3 : 1; }
};

class ModelTest : public LedgerTest {
 protected:
  void Check(const Model& m, const std::string& step) {
    auto stats = ledger_->GetProgramStats(kProgram);
    ASSERT_TRUE(stats.ok()) << step;
    v1::ProgramStats want = m.books;
    want.set_program_id(kProgram);
    want.set_ledger_seq(stats->ledger_seq());
    ASSERT_EQ(stats->DebugString(), want.DebugString()) << step;
    ASSERT_EQ(stats->funded_fen(), stats->available_fen() + stats->held_fen() +
                                       stats->payable_fen() + stats->settled_fen())
        << step;
  }
};

TEST_F(ModelTest, RandomOperationsAgreeWithTheModel) {
  uint64_t seed = std::random_device()();
  if (const char* s = std::getenv("HX_MODEL_SEED")) seed = std::strtoull(s, nullptr, 10);
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (replay: HX_MODEL_SEED=", seed, ")"));
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % n); };

  Model m;
  m.restored = pick(2) == 1;
  internal::Command create = CreateProgram(kProgram);
  create.mutable_create_program()->mutable_program()->set_refund_policy(
      m.restored ? v1::Program::ENTITLEMENT_RESTORED : v1::Program::ENTITLEMENT_CONSUMED);
  MustExecute(create);
  const std::vector<std::string> merchants = {"m-a", "m-b"};
  for (const auto& id : merchants) MustExecute(Merchant(id, kProgram));
  const std::vector<std::string> categories = {"refrigerator", "air_conditioner"};
  int rid = 0;
  auto next_rid = [&rid] { return absl::StrCat("r-", ++rid); };
  auto any_of = [&](const auto& map) {
    auto it = map.begin();
    std::advance(it, pick(static_cast<int>(map.size())));
    return it->first;
  };

  for (int step = 0; step < 3000; ++step) {
    const absl::Time now = clock_->Now();
    const int op = pick(100);
    std::string what;
    if (op < 8) {  // fund
      const int64_t amount = 1 + pick(600000);
      what = absl::StrCat("fund ", amount);
      MustExecute(Fund(kProgram, amount, next_rid()));
      m.books.set_funded_fen(m.books.funded_fen() + amount);
      m.books.set_available_fen(m.books.available_fen() + amount);
    } else if (op < 40) {  // issue
      const std::string consumer = absl::StrCat("c", pick(6));
      const std::string category = categories[pick(2)];
      what = absl::StrCat("issue ", consumer, " ", category);
      auto r = ledger_->Execute(Issue(kProgram, category, consumer, next_rid()));
      const std::string key = consumer + "/" + category;
      std::string want;
      if (m.state != v1::Program::ACTIVE) want = reason::kProgramNotActive;
      else if (m.used[key] >= m.Limit(category)) want = reason::kConsumerLimitReached;
      else if (m.books.available_fen() < kCap) want = reason::kBudgetExhausted;
      ASSERT_EQ(r.ok() ? "" : ReasonOf(r.status()), want) << what << " " << r.status();
      if (r.ok()) {
        m.vouchers[r->voucher().voucher_id()] =
            ModelVoucher{consumer, category, v1::Voucher::ISSUED, now + absl::Hours(72)};
        ++m.used[key];
        m.books.set_available_fen(m.books.available_fen() - kCap);
        m.books.set_held_fen(m.books.held_fen() + kCap);
        m.books.set_vouchers_issued(m.books.vouchers_issued() + 1);
      }
    } else if (op < 46 && !m.vouchers.empty()) {  // cancel
      const std::string id = any_of(m.vouchers);
      ModelVoucher& v = m.vouchers[id];
      what = "cancel " + id;
      internal::Command c = As("app:claim", next_rid());
      c.mutable_cancel_voucher()->set_voucher_id(id);
      auto r = ledger_->Execute(c);
      ASSERT_EQ(r.ok(), v.state == v1::Voucher::ISSUED) << what << " " << r.status();
      if (r.ok()) {
        v.state = v1::Voucher::CANCELLED;
        --m.used[v.consumer + "/" + v.category];
        m.books.set_held_fen(m.books.held_fen() - kCap);
        m.books.set_available_fen(m.books.available_fen() + kCap);
        m.books.set_vouchers_cancelled(m.books.vouchers_cancelled() + 1);
      }
    } else if (op < 52) {  // time passes; the sweeper runs
      const absl::Duration d = absl::Minutes(pick(60 * 30));
      what = absl::StrCat("advance ", absl::FormatDuration(d), " and sweep");
      clock_->Advance(d);
      auto swept = ledger_->SweepExpired();
      ASSERT_TRUE(swept.ok()) << swept.status();
      int want = 0;
      for (auto& [id, v] : m.vouchers) {
        if (v.state != v1::Voucher::ISSUED || clock_->Now() < v.expires_at) continue;
        v.state = v1::Voucher::EXPIRED;
        --m.used[v.consumer + "/" + v.category];
        ++want;
      }
      ASSERT_EQ(*swept, want) << what;
      m.books.set_held_fen(m.books.held_fen() - want * kCap);
      m.books.set_available_fen(m.books.available_fen() + want * kCap);
      m.books.set_vouchers_expired(m.books.vouchers_expired() + want);
    } else if (op < 80 && !m.vouchers.empty()) {  // redeem
      const std::string id = any_of(m.vouchers);
      ModelVoucher& v = m.vouchers[id];
      const std::string merchant = merchants[pick(2)];
      const bool owner = pick(10) != 0;
      const int grade = 1 + pick(3);
      const int64_t price = 1 + pick(2'000'000);
      what = absl::StrCat("redeem ", id, " grade ", grade, " price ", price, owner ? "" : " by another");
      internal::Command c = Redeem(id, merchant, owner ? v.consumer : "intruder", price,
                                   next_rid(), v.category);
      c.mutable_redeem()->mutable_purchase()->set_energy_grade(grade);
      auto r = ledger_->Execute(c);
      std::string want;
      if (v.state == v1::Voucher::REDEEMED) want = reason::kVoucherAlreadyRedeemed;
      else if (v.state == v1::Voucher::EXPIRED) want = reason::kVoucherExpired;
      else if (v.state != v1::Voucher::ISSUED) want = reason::kVoucherNotActive;
      else if (now >= v.expires_at) want = reason::kVoucherExpired;
      else if (!owner) want = reason::kVoucherNotOwned;
      else if (grade == 3) want = reason::kEnergyGradeIneligible;
      ASSERT_EQ(r.ok() ? "" : ReasonOf(r.status()), want) << what << " " << r.status();
      if (!r.ok()) {
        m.books.set_redemptions_denied(m.books.redemptions_denied() + 1);
      } else {
        const int64_t subsidy = std::min<int64_t>(price * (grade == 1 ? 2000 : 1500) / 10000, kCap);
        ASSERT_EQ(r->redemption().subsidy_fen(), subsidy) << what;
        v.state = v1::Voucher::REDEEMED;
        m.redemptions[r->redemption().redemption_id()] =
            ModelRedemption{id, merchant, subsidy, now, v1::Redemption::COMPLETED};
        m.books.set_held_fen(m.books.held_fen() - kCap);
        m.books.set_payable_fen(m.books.payable_fen() + subsidy);
        m.books.set_available_fen(m.books.available_fen() + kCap - subsidy);
        m.books.set_vouchers_redeemed(m.books.vouchers_redeemed() + 1);
      }
    } else if (op < 87 && !m.redemptions.empty()) {  // return
      const std::string id = any_of(m.redemptions);
      ModelRedemption& d = m.redemptions[id];
      what = "return " + id;
      internal::Command c = As("retailer:" + d.merchant, next_rid());
      c.mutable_reverse_redemption()->set_redemption_id(id);
      c.mutable_reverse_redemption()->set_merchant_id(d.merchant);
      auto r = ledger_->Execute(c);
      const bool reversible =
          d.state == v1::Redemption::COMPLETED || d.state == v1::Redemption::SETTLED;
      ASSERT_EQ(r.ok(), reversible) << what << " " << r.status();
      if (r.ok()) {
        if (d.state == v1::Redemption::SETTLED) m.clawback[d.merchant] += d.subsidy;
        d.state = v1::Redemption::REVERSED;
        ModelVoucher& v = m.vouchers[d.voucher];
        v.state = v1::Voucher::REVERSED;
        if (m.restored) --m.used[v.consumer + "/" + v.category];
        m.books.set_payable_fen(m.books.payable_fen() - d.subsidy);
        m.books.set_available_fen(m.books.available_fen() + d.subsidy);
        m.books.set_redemptions_reversed(m.books.redemptions_reversed() + 1);
      }
    } else if (op < 94) {  // settle
      const std::string merchant = merchants[pick(2)];
      what = "settle " + merchant;
      internal::Command c = As("admin:ops", next_rid());
      c.mutable_create_settlement()->set_merchant_id(merchant);
      *c.mutable_create_settlement()->mutable_up_to_time() = ToProto(now);
      auto r = ledger_->Execute(c);
      int64_t gross = 0, count = 0;
      for (auto& [id, d] : m.redemptions) {
        if (d.merchant != merchant || d.state != v1::Redemption::COMPLETED || d.at > now) continue;
        gross += d.subsidy;
        ++count;
        d.state = v1::Redemption::SETTLED;
      }
      ASSERT_EQ(r.ok(), count > 0) << what << " " << r.status();
      if (r.ok()) {
        const int64_t netted = std::min(gross, m.clawback[merchant]);
        m.clawback[merchant] -= netted;
        ASSERT_EQ(r->settlement().total_fen(), gross - netted) << what;
        ASSERT_EQ(r->settlement().redemption_count(), count) << what;
        m.books.set_payable_fen(m.books.payable_fen() - (gross - netted));
        m.books.set_settled_fen(m.books.settled_fen() + (gross - netted));
      }
    } else {  // pause or resume
      const bool pause = m.state == v1::Program::ACTIVE;
      what = pause ? "pause" : "resume";
      internal::Command c = As("admin:ops", next_rid());
      c.mutable_set_program_state()->set_program_id(kProgram);
      c.mutable_set_program_state()->set_state(pause ? v1::Program::PAUSED : v1::Program::ACTIVE);
      MustExecute(c);
      m.state = pause ? v1::Program::PAUSED : v1::Program::ACTIVE;
    }
    ASSERT_NO_FATAL_FAILURE(Check(m, absl::StrCat("step ", step, ": ", what)));
  }

  // Closing releases every hold; then the whole history replays into the same books.
  internal::Command close = As("admin:ops", next_rid());
  close.mutable_set_program_state()->set_program_id(kProgram);
  close.mutable_set_program_state()->set_state(v1::Program::CLOSED);
  MustExecute(close);
  auto stats = ledger_->GetProgramStats(kProgram);
  EXPECT_EQ(stats->held_fen(), 0);
  EXPECT_EQ(stats->funded_fen(),
            stats->available_fen() + stats->payable_fen() + stats->settled_fen());
  EXPECT_EQ(ReasonOf(ledger_->Execute(Issue(kProgram, "refrigerator", "c0", next_rid())).status()),
            reason::kProgramNotActive);
}

}  // namespace
}  // namespace huanxin::testing
