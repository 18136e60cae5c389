// Model-based test and deterministic simulation of the budget lifecycle: thousands of random
// operations (fund, issue, cancel, expire, redeem, return, price adjustment, settle, pause,
// resume, and power loss with a restart), on a programme that may cap claims and may share
// its per-consumer counts with a city top-up in one limit group, against the real ledger (RocksDB over a file system that forgets what
// was not synced, single writer, manual clock: expiries and day boundaries come from moving
// it) and against a small model of the rules written here from docs/api.md. After every step the
// outcome and every figure of the books must agree, and the books must balance; after every
// power loss the state must also be a replay of the entries.
// A failure prints its seed; HX_MODEL_SEED=<seed> replays it exactly (HX_MODEL_STEPS=<n> for
// longer runs): the choices never depend on the ids the ledger mints at random (common/ids.cc),
// only on the seed, so a seed gives the same operations and outcomes, with other ids.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/status.h"
#include "fault_fixture.h"

namespace huanxin::testing {
namespace {

constexpr int64_t kCap = 200000;
constexpr char kProgram[] = "p-model";  // the programme whose books the model keeps
constexpr char kCity[] = "p-model-city";  // a top-up in its limit group, when it has one
constexpr char kGroup[] = "g-model";

struct ModelVoucher {
  std::string program, consumer, category;
  v1::Voucher::State state = v1::Voucher::ISSUED;
  absl::Time expires_at;
};

struct ModelRedemption {
  std::string program, voucher, merchant;
  int64_t price = 0, subsidy = 0;
  int grade = 1;
  absl::Time at;
  v1::Redemption::State state = v1::Redemption::COMPLETED;
};

struct Model {
  bool restored = false;  // refund policy ENTITLEMENT_RESTORED
  v1::Program::State state = v1::Program::ACTIVE;
  v1::ProgramStats books;
  std::map<std::string, ModelVoucher> vouchers;  // by the ledger's ids
  std::map<std::string, ModelRedemption> redemptions;
  std::map<std::string, int64_t> clawback;  // by programme + merchant
  std::map<std::string, int> used;          // consumer + category -> entitlements in use
  std::map<std::string, int> claims;        // consumer + category -> vouchers ever claimed
  int max_claims = 0;                       // 0: no cap
  bool grouped = false;                     // kCity shares the counts above

  int Limit(const std::string& category) const { return category == "air_conditioner" ? 3 : 1; }
};

class ModelTest : public FaultLedgerTest {
 protected:
  // Runs `steps` random steps from `seed` on a fresh ledger; `trace` gets one line per step
  // (operation and outcome, without ids), so two runs of one seed can be compared.
  void Run(uint64_t seed, int steps, std::string* trace);

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

void ModelTest::Run(uint64_t seed, int steps, std::string* trace) {
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (replay: HX_MODEL_SEED=", seed, ")"));
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % n); };

  Model m;
  m.restored = pick(2) == 1;
  m.max_claims = pick(2) == 1 ? 3 : 0;
  m.grouped = pick(2) == 1;
  const std::vector<std::string> programs =
      m.grouped ? std::vector<std::string>{kProgram, kCity} : std::vector<std::string>{kProgram};
  for (const std::string& id : programs) {
    internal::Command create = CreateProgram(id);
    v1::Program* p = create.mutable_create_program()->mutable_program();
    p->set_refund_policy(m.restored ? v1::Program::ENTITLEMENT_RESTORED
                                    : v1::Program::ENTITLEMENT_CONSUMED);
    p->set_max_claims_per_consumer(m.max_claims);
    if (m.grouped) p->set_limit_group(kGroup);
    MustExecute(create);
  }
  if (m.grouped) MustExecute(Fund(kCity, int64_t{1} << 40, "fund-city"));  // never runs out
  const std::vector<std::string> merchants = {"m-a", "m-b"};
  for (const auto& id : merchants) {
    internal::Command merchant = Merchant(id, kProgram);
    if (m.grouped) merchant.mutable_register_merchant()->mutable_merchant()->add_program_ids(kCity);
    MustExecute(merchant);
  }
  const std::vector<std::string> categories = {"refrigerator", "air_conditioner"};
  int rid = 0;
  auto next_rid = [&rid] { return absl::StrCat("r-", ++rid); };
  // Picks by order of creation, never by id: ids are random, the choices must not be.
  std::vector<std::string> voucher_order, redemption_order;
  auto any_of = [&](const std::vector<std::string>& order) {
    const int i = pick(static_cast<int>(order.size()));
    return std::make_pair(order[i], i);
  };
  int power_cuts = 0;

  for (int step = 0; step < steps; ++step) {
    const absl::Time now = clock_->Now();
    const int op = pick(100);
    std::string what;
    if (op < 8) {  // fund
      const int64_t amount = 1 + pick(600000);
      what = absl::StrCat("fund ", amount);
      MustExecute(Fund(kProgram, amount, next_rid()));
      m.books.set_funded_fen(m.books.funded_fen() + amount);
      m.books.set_available_fen(m.books.available_fen() + amount);
      // Every tranche here has no source: one line, FUND_SOURCE_UNSPECIFIED, with it all.
      if (m.books.funded_by_source().empty()) m.books.add_funded_by_source();
      v1::SourceAmount* unspecified = m.books.mutable_funded_by_source(0);
      unspecified->set_amount_fen(unspecified->amount_fen() + amount);
    } else if (op < 40) {  // issue
      const std::string program = programs[pick(static_cast<int>(programs.size()))];
      const bool ours = program == kProgram;
      const std::string consumer = absl::StrCat("c", pick(6));
      const std::string category = categories[pick(2)];
      what = absl::StrCat("issue ", program, " ", consumer, " ", category);
      auto r = ledger_->Execute(Issue(program, category, consumer, next_rid()));
      const std::string key = consumer + "/" + category;
      std::string want;
      if (ours && m.state != v1::Program::ACTIVE) want = reason::kProgramNotActive;
      else if (m.used[key] >= m.Limit(category)) want = reason::kConsumerLimitReached;
      else if (m.max_claims > 0 && m.claims[key] >= m.max_claims) want = reason::kClaimLimitReached;
      else if (ours && m.books.available_fen() < kCap) want = reason::kBudgetExhausted;
      ASSERT_EQ(r.ok() ? "" : ReasonOf(r.status()), want) << what << " " << r.status();
      if (r.ok()) {
        m.vouchers[r->voucher().voucher_id()] = ModelVoucher{
            program, consumer, category, v1::Voucher::ISSUED, now + absl::Hours(72)};
        voucher_order.push_back(r->voucher().voucher_id());
        ++m.used[key];
        ++m.claims[key];
        if (ours) {
          m.books.set_available_fen(m.books.available_fen() - kCap);
          m.books.set_held_fen(m.books.held_fen() + kCap);
          m.books.set_vouchers_issued(m.books.vouchers_issued() + 1);
        }
      }
    } else if (op < 46 && !m.vouchers.empty()) {  // cancel
      const auto [id, n] = any_of(voucher_order);
      ModelVoucher& v = m.vouchers[id];
      what = absl::StrCat("cancel #", n);
      internal::Command c = As("app:claim", next_rid());
      c.mutable_cancel_voucher()->set_voucher_id(id);
      auto r = ledger_->Execute(c);
      ASSERT_EQ(r.ok(), v.state == v1::Voucher::ISSUED) << what << " " << r.status();
      if (r.ok()) {
        v.state = v1::Voucher::CANCELLED;
        --m.used[v.consumer + "/" + v.category];
        if (v.program == kProgram) {
          m.books.set_held_fen(m.books.held_fen() - kCap);
          m.books.set_available_fen(m.books.available_fen() + kCap);
          m.books.set_vouchers_cancelled(m.books.vouchers_cancelled() + 1);
        }
      }
    } else if (op < 50) {  // time passes; the sweeper runs
      const absl::Duration d = absl::Minutes(pick(60 * 30));
      what = absl::StrCat("advance ", absl::FormatDuration(d), " and sweep");
      clock_->Advance(d);
      auto swept = ledger_->SweepExpired();
      ASSERT_TRUE(swept.ok()) << swept.status();
      int want = 0, ours = 0;
      for (auto& [id, v] : m.vouchers) {
        if (v.state != v1::Voucher::ISSUED || clock_->Now() < v.expires_at) continue;
        v.state = v1::Voucher::EXPIRED;
        --m.used[v.consumer + "/" + v.category];
        ++want;
        if (v.program == kProgram) ++ours;
      }
      ASSERT_EQ(*swept, want) << what;
      m.books.set_held_fen(m.books.held_fen() - ours * kCap);
      m.books.set_available_fen(m.books.available_fen() + ours * kCap);
      m.books.set_vouchers_expired(m.books.vouchers_expired() + ours);
    } else if (op < 51) {  // the power fails; the ledger restarts on what was synced
      what = "power loss";
      ASSERT_NO_FATAL_FAILURE(PowerCycle());
      // Rebuilding from the entries costs a database: every fourth time (and at the end).
      if (++power_cuts % 4 == 0) ASSERT_NO_FATAL_FAILURE(ExpectStateIsReplayOfEntries());
    } else if (op < 80 && !m.vouchers.empty()) {  // redeem
      const auto [id, n] = any_of(voucher_order);
      ModelVoucher& v = m.vouchers[id];
      const std::string merchant = merchants[pick(2)];
      const bool owner = pick(10) != 0;
      const int grade = 1 + pick(3);
      const int64_t price = 1 + pick(2'000'000);
      what = absl::StrCat("redeem #", n, " grade ", grade, " price ", price,
                          owner ? "" : " by another");
      internal::Command c = Redeem(id, merchant, owner ? v.consumer : "intruder", price,
                                   next_rid(), v.category);
      c.mutable_redeem()->mutable_purchase()->set_energy_grade(grade);
      auto r = ledger_->Execute(c);
      std::string want;
      const bool ours = v.program == kProgram;
      if (v.state == v1::Voucher::REDEEMED) want = reason::kVoucherAlreadyRedeemed;
      else if (v.state == v1::Voucher::EXPIRED) want = reason::kVoucherExpired;
      else if (v.state != v1::Voucher::ISSUED) want = reason::kVoucherNotActive;
      else if (now >= v.expires_at) want = reason::kVoucherExpired;
      else if (!owner) want = reason::kVoucherNotOwned;
      else if (grade == 3) want = reason::kEnergyGradeIneligible;
      ASSERT_EQ(r.ok() ? "" : ReasonOf(r.status()), want) << what << " " << r.status();
      if (!r.ok() && !ours) {
        // Denied in the top-up: its books are not modelled.
      } else if (!r.ok()) {
        m.books.set_redemptions_denied(m.books.redemptions_denied() + 1);
        if (want == reason::kVoucherAlreadyRedeemed || want == reason::kVoucherNotOwned) {
          m.books.set_redemptions_denied_input(m.books.redemptions_denied_input() + 1);
        } else {  // expired, not active, energy grade: not subsidised
          m.books.set_redemptions_denied_eligibility(m.books.redemptions_denied_eligibility() + 1);
        }
      } else {
        const int64_t subsidy = std::min<int64_t>(price * (grade == 1 ? 2000 : 1500) / 10000, kCap);
        ASSERT_EQ(r->redemption().subsidy_fen(), subsidy) << what;
        v.state = v1::Voucher::REDEEMED;
        m.redemptions[r->redemption().redemption_id()] = ModelRedemption{
            v.program, id, merchant, price, subsidy, grade, now, v1::Redemption::COMPLETED};
        redemption_order.push_back(r->redemption().redemption_id());
        if (ours) {
          m.books.set_held_fen(m.books.held_fen() - kCap);
          m.books.set_payable_fen(m.books.payable_fen() + subsidy);
          m.books.set_available_fen(m.books.available_fen() + kCap - subsidy);
          m.books.set_vouchers_redeemed(m.books.vouchers_redeemed() + 1);
        }
      }
    } else if (op < 87 && !m.redemptions.empty()) {  // return
      const auto [id, n] = any_of(redemption_order);
      ModelRedemption& d = m.redemptions[id];
      what = absl::StrCat("return #", n);
      internal::Command c = As("retailer:" + d.merchant, next_rid());
      c.mutable_reverse_redemption()->set_redemption_id(id);
      c.mutable_reverse_redemption()->set_merchant_id(d.merchant);
      auto r = ledger_->Execute(c);
      const bool reversible =
          d.state == v1::Redemption::COMPLETED || d.state == v1::Redemption::SETTLED;
      ASSERT_EQ(r.ok(), reversible) << what << " " << r.status();
      if (r.ok()) {
        if (d.state == v1::Redemption::SETTLED) m.clawback[d.program + "/" + d.merchant] += d.subsidy;
        d.state = v1::Redemption::REVERSED;
        ModelVoucher& v = m.vouchers[d.voucher];
        v.state = v1::Voucher::REVERSED;
        if (m.restored) --m.used[v.consumer + "/" + v.category];
        if (d.program == kProgram) {
          m.books.set_payable_fen(m.books.payable_fen() - d.subsidy);
          m.books.set_available_fen(m.books.available_fen() + d.subsidy);
          m.books.set_redemptions_reversed(m.books.redemptions_reversed() + 1);
        }
      }
    } else if (op < 90 && !m.redemptions.empty()) {  // price adjustment
      const auto [id, n] = any_of(redemption_order);
      ModelRedemption& d = m.redemptions[id];
      const int64_t price = 1 + pick(static_cast<int>(d.price + d.price / 4));  // some not lower
      what = absl::StrCat("adjust #", n, " to ", price);
      internal::Command c = As("retailer:" + d.merchant, next_rid());
      c.mutable_adjust_redemption()->set_redemption_id(id);
      c.mutable_adjust_redemption()->set_merchant_id(d.merchant);
      c.mutable_adjust_redemption()->set_new_price_fen(price);
      c.mutable_adjust_redemption()->set_reason("price protection");
      auto r = ledger_->Execute(c);
      const bool changeable =
          d.state == v1::Redemption::COMPLETED || d.state == v1::Redemption::SETTLED;
      std::string want;
      if (!changeable) want = reason::kRedemptionNotReversible;
      else if (price >= d.price) want = reason::kInvalidField;
      ASSERT_EQ(r.ok() ? "" : ReasonOf(r.status()), want) << what << " " << r.status();
      if (r.ok()) {
        const int64_t subsidy = std::min(
            d.subsidy, std::min<int64_t>(price * (d.grade == 1 ? 2000 : 1500) / 10000, kCap));
        ASSERT_EQ(r->redemption().subsidy_fen(), subsidy) << what;
        const int64_t back = d.subsidy - subsidy;
        if (d.state == v1::Redemption::SETTLED) m.clawback[d.program + "/" + d.merchant] += back;
        d.price = price;
        d.subsidy = subsidy;
        if (d.program == kProgram) {
          m.books.set_payable_fen(m.books.payable_fen() - back);
          m.books.set_available_fen(m.books.available_fen() + back);
        }
      }
    } else if (op < 94) {  // settle
      const std::string merchant = merchants[pick(2)];
      what = "settle " + merchant;
      internal::Command c = As("admin:ops", next_rid());
      c.mutable_create_settlement()->set_merchant_id(merchant);
      *c.mutable_create_settlement()->mutable_up_to_time() = ToProto(now);
      auto r = ledger_->Execute(c);
      std::map<std::string, int64_t> gross;  // by programme
      int64_t count = 0;
      for (auto& [id, d] : m.redemptions) {
        if (d.merchant != merchant || d.state != v1::Redemption::COMPLETED || d.at > now) continue;
        gross[d.program] += d.subsidy;
        ++count;
        d.state = v1::Redemption::SETTLED;
      }
      ASSERT_EQ(r.ok(), count > 0) << what << " " << r.status();
      if (r.ok()) {
        int64_t total = 0;
        for (const auto& [program, amount] : gross) {
          int64_t& owed = m.clawback[program + "/" + merchant];
          const int64_t netted = std::min(amount, owed);
          owed -= netted;
          total += amount - netted;
          if (program != kProgram) continue;
          m.books.set_payable_fen(m.books.payable_fen() - (amount - netted));
          m.books.set_settled_fen(m.books.settled_fen() + (amount - netted));
        }
        ASSERT_EQ(r->settlement().total_fen(), total) << what;
        ASSERT_EQ(r->settlement().redemption_count(), count) << what;
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
    absl::StrAppend(trace, step, " ", what, " -> ", m.books.ShortDebugString(), "\n");
  }
  ASSERT_NO_FATAL_FAILURE(ExpectStateIsReplayOfEntries());

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
  absl::StrAppend(trace, "power cuts: ", power_cuts, "\n");
}

TEST_F(ModelTest, RandomOperationsAgreeWithTheModel) {
  uint64_t seed = std::random_device()();
  if (const char* s = std::getenv("HX_MODEL_SEED")) seed = std::strtoull(s, nullptr, 10);
  int steps = 3000;
  if (const char* n = std::getenv("HX_MODEL_STEPS")) steps = std::atoi(n);
  std::string trace;
  ASSERT_NO_FATAL_FAILURE(Run(seed, steps, &trace));
  std::printf("model: seed %llu, %d steps, %s", static_cast<unsigned long long>(seed), steps,
              trace.substr(trace.rfind("power cuts")).c_str());
}

TEST_F(ModelTest, ASeedReproducesItsRunExactly) {
  constexpr uint64_t kSeed = 20250601;
  std::string first, second;
  ASSERT_NO_FATAL_FAILURE(Run(kSeed, 400, &first));
  // Again from nothing: a fresh directory and the clock back at the start.
  env_.Crash();
  ledger_.reset();
  ASSERT_TRUE(env_.PowerLoss().ok());  // also forgets the file tracking
  std::filesystem::remove_all(dir_.path() + "/ledger");
  clock_ = std::make_shared<ManualClock>(kStart);
  ASSERT_NO_FATAL_FAILURE(Open());
  ASSERT_NO_FATAL_FAILURE(Run(kSeed, 400, &second));
  EXPECT_EQ(first, second);
}

}  // namespace
}  // namespace huanxin::testing
