// The drill's world: its run options, the Binzhou catalogue it sells from, the programmes,
// merchants, terminals and recycler it creates (--setup), and the fraud rules in force on the
// server (read from the ledger's last FRAUD_RULES_CHANGED entry, defaults before any).
#ifndef HUANXIN_TOOLS_DRILL_WORLD_H_
#define HUANXIN_TOOLS_DRILL_WORLD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tools/drill/rpc.h"

namespace huanxin::drill {

struct Options {
  std::string target = "127.0.0.1:50051";
  int consumers = 2000;  // honest consumers
  uint64_t seed = 1;
  int threads = 16;
  int merchants = 0;  // 0: sized from the traffic (see Setup)
  int terminals_per_merchant = 4;
};

// One SKU of the catalogue and its list price.
struct Sku {
  std::string program;  // "appliance", "digital", "car"
  std::string category;
  std::string sku;
  int64_t list_fen;
  int32_t energy_grade;  // 0 when the category has no grades
};
const std::vector<Sku>& Catalogue();

struct World {
  std::string tag;  // unique to this run: in ids, serials, invoices and certificates
  std::string appliance, digital, car;  // programme ids
  std::vector<std::string> merchants;   // honest traffic's stores
  std::vector<std::string> burst_merchants;  // one per terminal-burst incident
  std::string recycler;
  int terminals_per_merchant = 4;
  v1::FraudRules rules;
  int64_t rules_seq = -1;  // the FRAUD_RULES_CHANGED entry in force; -1: none, defaults
};

// The fraud rules in force (into world.rules / rules_seq). False with *error on RPC failure.
bool ReadRules(Rpc& rpc, World& world, std::string* error);

// Creates and funds the appliance, digital and car-scrap programmes, registers
// `merchant_count` stores (whitelisted for all three) plus `burst_merchants` stores, and a
// recycler of vehicles. False with *error on the first failure.
bool Setup(Rpc& rpc, World& world, int merchant_count, int burst_merchants, std::string* error);

// A valid 17-character VIN (common/vin.h), distinct for every (tag, n < 10^8).
std::string Vin(const std::string& tag, uint64_t n);

// Principals.
inline constexpr char kAdmin[] = "admin:drill";
inline constexpr char kApp[] = "app:drill-claim-app";
inline constexpr char kAuditor[] = "auditor:drill";
inline std::string Retailer(const std::string& m) { return "retailer:" + m; }
inline std::string RecyclerPrincipal(const std::string& r) { return "recycler:" + r; }

}  // namespace huanxin::drill

#endif  // HUANXIN_TOOLS_DRILL_WORLD_H_
