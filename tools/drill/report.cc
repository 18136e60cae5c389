#include "tools/drill/report.h"

#include <cstdio>
#include <string>

namespace huanxin::drill {
namespace {

struct PatternText {
  const char* name;
  const char* fraudulent;  // what counts as a fraudulent operation
  const char* rule;        // the reason or rule id that catches it
};

const PatternText kText[kPatternCount] = {
    {"one item subsidised twice (一机多补)",
     "the second redemption of an already subsidised serial (a new invoice, another consumer)",
     "denied DUPLICATE_SERIAL"},
    {"borrowed identities / scalpers (黄牛)",
     "the redemptions of the ring's 3rd and later consumers (rank >= shared_identity_consumers) "
     "sharing the scalper's device and phone; the first two are not distinguishable",
     "review SHARED_IDENTITY"},
    {"price raised before the subsidy (先涨价后补贴)",
     "a sale at 150% of the list price of a SKU with >= price_spike_min_sales honest sales",
     "review PRICE_SPIKE"},
    {"terminal bursts",
     "the redemptions beyond terminal_velocity_max of a terminal doing 40 in well under a "
     "minute (the (max+1)th and later)",
     "review TERMINAL_VELOCITY"},
    {"reused scrap certificates",
     "a certificate confirmed a second time for another car, or a consumed receipt linked by "
     "another consumer's car redemption",
     "refused DUPLICATE_CERTIFICATE / denied SCRAP_RECEIPT_INVALID"},
};

std::string Pct(int64_t part, int64_t whole) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", whole == 0 ? 0.0 : 100.0 * part / whole);
  return buf;
}

}  // namespace

Verdict Report(Rpc& rpc, const World& world, const Tally& tally, std::ostream& out) {
  Verdict v;
  out << "\ndrill: caught = the fraudulent operation was denied (an error recorded as "
         "REDEMPTION_DENIED, or a refused receipt) or sent to review (decision REVIEW); "
         "by_rule = caught by the pattern's own reason or rule id\n";
  int64_t ops = 0, caught = 0;
  for (int p = 0; p < kPatternCount; ++p) {
    const PatternTally t = tally.pattern(static_cast<Pattern>(p));
    ops += t.fraud_ops;
    caught += t.caught;
    out << "pattern: " << kText[p].name << "\n"
        << "  incidents " << t.incidents << "  fraudulent_ops " << t.fraud_ops << "  caught "
        << t.caught << " (" << Pct(t.caught, t.fraud_ops) << "%)  by_rule " << t.by_rule
        << " [" << kText[p].rule << "]\n"
        << "  fraudulent op = " << kText[p].fraudulent << "\n"
        << "  other ops of these incidents " << t.setup_ops << ", of which flagged "
        << t.setup_flagged << "\n";
  }
  out << "pattern: merchant bursts (MERCHANT_BURST): not part of the drill; the rule compares "
         "a merchant's last hour with its hourly mean over the past week, a history a day "
         "compressed into minutes does not have (its merchants are sized to stay below "
         "merchant_burst_min per hour instead)\n";
  const int64_t honest = tally.honest_redemptions(), reviews = tally.honest_reviews();
  out << "honest: redemptions " << honest << "  sent to review (false reviews) " << reviews
      << " (" << Pct(reviews, honest) << "%)  denied " << tally.honest_denied();
  for (const auto& [rule, n] : tally.honest_review_reasons()) out << "  " << rule << "=" << n;
  out << "\n";

  int64_t under_review = 0;
  for (const std::string* p : {&world.appliance, &world.digital, &world.car}) {
    v1::GetProgramStatsRequest req;
    req.set_program_id(*p);
    v1::ProgramStats s;
    grpc::Status st = rpc.Call(rpc.audit(), &v1::AuditService::Stub::GetProgramStats, kAuditor, req, &s);
    if (!st.ok()) {
      out << "books: " << *p << ": " << Describe(st) << "\n";
      v.books_ok = false;
      continue;
    }
    const bool balanced = s.funded_fen() == s.available_fen() + s.held_fen() + s.payable_fen() +
                                                s.settled_fen();
    v.books_ok = v.books_ok && balanced;
    under_review += s.redemptions_under_review();
    out << "books: " << *p << "  funded " << s.funded_fen() << " = available "
        << s.available_fen() << " + held " << s.held_fen() << " + payable " << s.payable_fen()
        << " + settled " << s.settled_fen() << (balanced ? "  ok" : "  UNBALANCED")
        << "  redeemed " << s.vouchers_redeemed() << "  under review "
        << s.redemptions_under_review() << "\n";
  }
  if (under_review != tally.reviews_opened()) {
    out << "books: redemptions_under_review " << under_review << " != reviews the drill saw "
        << tally.reviews_opened() << "\n";
    v.books_ok = false;
  }
  const std::vector<std::string> errors = tally.errors();
  v.errors = !errors.empty();
  if (v.errors) {
    out << "errors: " << errors.size() << " (first ones below)\n";
    for (size_t i = 0; i < errors.size() && i < 10; ++i) out << "  " << errors[i] << "\n";
  }
  v.caught_pct = ops == 0 ? 0.0 : 100.0 * caught / ops;
  v.honest_review_pct = honest == 0 ? 0.0 : 100.0 * reviews / honest;
  out << "drill: fraud_caught_pct=" << Pct(caught, ops) << " honest_review_pct="
      << Pct(reviews, honest) << std::endl;
  return v;
}

}  // namespace huanxin::drill
