// The drill's traffic: honest consumers and the injected fraud incidents of docs/policy.md, each a
// task a worker thread runs start to finish (an incident's steps in order, so the thresholds
// it crosses are crossed in a known order), and the tally they add their outcomes to.
#ifndef HUANXIN_TOOLS_DRILL_TRAFFIC_H_
#define HUANXIN_TOOLS_DRILL_TRAFFIC_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "tools/drill/rpc.h"
#include "tools/drill/world.h"

namespace huanxin::drill {

// The fraud patterns the drill injects, in report order.
enum Pattern { kDoubleSubsidy, kBorrowedIdentity, kPriceSpike, kTerminalBurst, kReusedScrap,
               kPatternCount };

struct PatternTally {
  int64_t incidents = 0;
  int64_t fraud_ops = 0;  // the operations that count as fraudulent (see Report)
  int64_t caught = 0;     // of those: denied, or sent to review
  int64_t by_rule = 0;    // of those: denied or reviewed by the pattern's own reason / rule id
  int64_t setup_ops = 0;  // the incident's other operations (e.g. the first sale of a serial)
  int64_t setup_flagged = 0;  // of those: denied or sent to review
};

// Everything counted, thread-safe.
class Tally {
 public:
  void Fraud(Pattern p, bool caught, bool by_rule);
  void Incident(Pattern p);
  void Setup(Pattern p, bool flagged);
  // An honest redemption: its decision (REVIEW: `reasons`), or a denial (`denied_reason`).
  void Honest(bool review, const std::vector<std::string>& reasons, const std::string& denied_reason);
  // A step that should not have failed (a claim, a receipt): kept for the report.
  void Error(const std::string& what);
  // Reviews opened by the drill, to compare with the programmes' redemptions_under_review.
  void ReviewOpened() { ++reviews_opened_; }

  PatternTally pattern(Pattern p) const;
  int64_t honest_redemptions() const;
  int64_t honest_reviews() const;
  int64_t honest_denied() const;
  std::map<std::string, int64_t> honest_review_reasons() const;
  std::vector<std::string> errors() const;
  int64_t reviews_opened() const { return reviews_opened_; }
  // Allowed honest sales per SKU, for picking SKUs with a price history.
  void SkuSold(const std::string& sku);
  int64_t SkuSales(const std::string& sku) const;

 private:
  mutable std::mutex mu_;
  PatternTally patterns_[kPatternCount];
  int64_t honest_ = 0, honest_reviews_ = 0, honest_denied_ = 0;
  std::map<std::string, int64_t> review_reasons_;
  std::map<std::string, int64_t> sku_sales_;
  std::vector<std::string> errors_;
  std::atomic<int64_t> reviews_opened_{0};
};

// What the tasks share: the connection, the world, the tally, and counters that hand out
// consumers, serials and round-robin till slots.
struct Traffic {
  Rpc& rpc;
  const World& world;
  Tally& tally;
  std::atomic<uint64_t> next_consumer{0};
  std::atomic<uint64_t> next_item{0};
  std::atomic<uint64_t> next_slot{0};  // honest till slots: merchant = slot % M, terminal = slot / M % T
};

// One honest consumer: claims one or two vouchers (appliance, digital, or a car with a scrap
// receipt) with their own device, phone and bank card, and redeems each at a list price
// ±10%, at the next round-robin merchant and terminal.
void HonestConsumer(Traffic& t, std::mt19937_64& rng);

// 一机多补: a phone sold with serial S, then the same S on a second consumer's voucher.
void DoubleSubsidy(Traffic& t, std::mt19937_64& rng);
// 借用身份 / 黄牛: `ring` consumers claim and redeem with one scalper's device and phone.
void BorrowedIdentities(Traffic& t, std::mt19937_64& rng, int ring);
// 先涨价后补贴: a sale of `sku` (with an honest history) at 150% of its list price.
void PriceSpike(Traffic& t, std::mt19937_64& rng, const Sku& sku);
// A terminal of `merchant` doing `count` redemptions as fast as it can.
void TerminalBurst(Traffic& t, std::mt19937_64& rng, const std::string& merchant, int count);
// Reused scrap certificates: `confirm_twice` a certificate confirmed a second time for another
// car; otherwise a receipt consumed by one car redemption linked again by another consumer.
void ReusedScrap(Traffic& t, std::mt19937_64& rng, bool confirm_twice);

}  // namespace huanxin::drill

#endif  // HUANXIN_TOOLS_DRILL_TRAFFIC_H_
