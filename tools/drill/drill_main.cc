// huanxin-drill: a synthetic day of Binzhou trade-in traffic, with the fraud of docs/policy.md
// injected, run against a live huanxind; prints per pattern how much was caught and how many
// honest redemptions went to review (report.h), and exits
//   0 when at least 95% of the fraudulent operations were caught, at most 1% of honest
//     redemptions went to review, the books balance and nothing failed unexpectedly;
//   1 when those targets are missed; 2 on a usage error or when the drill could not run.
//
//   huanxin-drill --target HOST:PORT [--setup] [--consumers N] [--seed S] [--threads T]
//                 [--merchants M]
// The server must run --insecure (principals as x-huanxin-principal metadata). The server's
// clock is real, so the day is compressed into the run: the drill spreads honest traffic over
// enough merchants and terminals that none of them is busier than a real store (see Sizing).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/build_info.h"
#include "tools/drill/report.h"
#include "tools/drill/rpc.h"
#include "tools/drill/traffic.h"
#include "tools/drill/world.h"

namespace huanxin::drill {
namespace {

constexpr char kUsage[] =
    "usage: huanxin-drill --target HOST:PORT [--setup] [--consumers N (2000)] [--seed S (1)]\n"
    "                     [--threads T (16)] [--merchants M (sized from the traffic)]\n"
    "  --setup creates the drill's own programmes (appliance, digital, car scrap), funding,\n"
    "  merchants with terminals and a recycler; it is the only mode (the drill always works\n"
    "  in its own programmes, so it can run against any server).\n";

bool ParseFlags(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i], value;
    const size_t eq = a.find('=');
    if (eq != std::string::npos) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    } else if (a != "--setup" && a != "--help" && a != "-h" && i + 1 < argc) {
      value = argv[++i];
    }
    auto number = [&](int64_t lo, int64_t hi, int64_t* out) {
      char* end = nullptr;
      const long long v = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || v < lo || v > hi) {
        std::cerr << "error: " << a << " needs a number in [" << lo << ", " << hi << "]\n";
        return false;
      }
      *out = v;
      return true;
    };
    int64_t n = 0;
    if (a == "--target" && !value.empty()) {
      o.target = value;
    } else if (a == "--setup") {
      if (!value.empty() && value != "true") {
        std::cerr << "error: the drill always sets up its own programmes\n";
        return false;
      }
    } else if (a == "--consumers" && number(10, 1000000, &n)) {
      o.consumers = static_cast<int>(n);
    } else if (a == "--seed" && number(0, INT64_MAX, &n)) {
      o.seed = static_cast<uint64_t>(n);
    } else if (a == "--threads" && number(1, 256, &n)) {
      o.threads = static_cast<int>(n);
    } else if (a == "--merchants" && number(1, 100000, &n)) {
      o.merchants = static_cast<int>(n);
    } else if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      std::cerr << "error: bad argument " << a << "\n" << kUsage;
      return false;
    }
  }
  return true;
}

// Runs `tasks` on `threads` workers; task i gets an RNG seeded from (seed, i), so a run is
// reproducible up to the interleaving of the workers.
void RunAll(const std::vector<std::function<void(std::mt19937_64&)>>& tasks, int threads,
            uint64_t seed) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&] {
      for (size_t i; (i = next++) < tasks.size();) {
        std::mt19937_64 rng(seed * 1000003 + i);
        tasks[i](rng);
      }
    });
  }
  for (std::thread& w : workers) w.join();
}

std::string RunTag(uint64_t seed) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  uint64_t x = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  x = x * 31 + seed;
  std::string tag;
  for (int i = 0; i < 8; ++i, x /= 36) tag += "0123456789abcdefghijklmnopqrstuvwxyz"[x % 36];
  return tag;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Main(int argc, char** argv) {
  Options o;
  if (!ParseFlags(argc, argv, o)) return 2;
  World world;
  world.tag = RunTag(o.seed);
  world.terminals_per_merchant = o.terminals_per_merchant;
  Rpc rpc(o.target, "drill-" + world.tag);
  Tally tally;
  std::string error;
  if (!ReadRules(rpc, world, &error)) {
    std::cerr << "drill: cannot start: " << error << "\n";
    return 2;
  }
  const v1::FraudRules& r = world.rules;

  // Sizing. Incidents scale with the traffic; honest stores get at most 2/3 of
  // merchant_burst_min redemptions each over the run, and their terminals far fewer than
  // terminal_velocity_max, as a real day spread over ten opening hours would give them.
  const int n = std::max(2, o.consumers / 200);
  const int bursts = std::max(1, o.consumers / 1000);
  const int burst_size = std::max(40, 2 * r.terminal_velocity_max());
  const int64_t expected = static_cast<int64_t>(o.consumers * 1.2) + 12LL * n;
  const int64_t per_merchant = std::max<int64_t>(1, r.merchant_burst_min() * 2 / 3);
  const int merchants = o.merchants > 0 ? o.merchants
                                        : static_cast<int>(std::max<int64_t>(
                                              20, (expected + per_merchant - 1) / per_merchant));
  std::cout << "drill: target " << o.target << "  run " << world.tag << "  seed " << o.seed
            << "  consumers " << o.consumers << "  threads " << o.threads << "\n"
            << "drill: rules in force (ledger seq " << world.rules_seq << "): PRICE_SPIKE > "
            << r.price_spike_pct() << "% of the median of the last " << r.price_spike_window()
            << " once " << r.price_spike_min_sales() << "; TERMINAL_VELOCITY > "
            << r.terminal_velocity_max() << " in " << r.terminal_velocity_window_s()
            << " s; SHARED_IDENTITY >= " << r.shared_identity_consumers()
            << " consumers; MERCHANT_BURST > " << r.merchant_burst_multiple()
            << "x the merchant's hourly mean (" << r.merchant_burst_min()
            << " an hour before " << r.merchant_burst_min_history_hours()
            << " h of history) with >= " << r.merchant_burst_min() << " in the hour; ODD_HOURS " << (r.odd_hours_enabled() ? "on " : "off ")
            << r.odd_hours_start() << ":00-" << r.odd_hours_end() << ":00\n";
  if (r.odd_hours_enabled()) {
    std::cout << "drill: note: ODD_HOURS is on; honest traffic inside those hours goes to "
                 "review\n";
  }
  std::cout << "drill: setup: 3 programmes, " << merchants << " stores x "
            << o.terminals_per_merchant << " terminals (about " << expected / merchants
            << " redemptions each over the run"
            << (o.merchants > 0 ? ", as --merchants sets"
                                : ", below merchant_burst_min: a day compressed into minutes")
            << "), " << bursts
            << " burst store(s), 1 recycler, " << Catalogue().size() << " SKUs" << std::endl;
  const auto setup_start = std::chrono::steady_clock::now();
  if (!Setup(rpc, world, merchants, bursts, &error)) {
    std::cerr << "drill: setup failed: " << error << "\n";
    return 2;
  }
  std::cout << "drill: setup done in " << Seconds(setup_start) << " s" << std::endl;

  Traffic traffic{rpc, world, tally};
  std::vector<std::function<void(std::mt19937_64&)>> day;
  for (int i = 0; i < o.consumers; ++i) {
    day.push_back([&](std::mt19937_64& rng) { HonestConsumer(traffic, rng); });
  }
  for (int i = 0; i < n; ++i) {
    day.push_back([&](std::mt19937_64& rng) { DoubleSubsidy(traffic, rng); });
    day.push_back([&, i](std::mt19937_64& rng) { BorrowedIdentities(traffic, rng, 5 + i % 4); });
    day.push_back([&, i](std::mt19937_64& rng) { ReusedScrap(traffic, rng, i % 2 == 0); });
  }
  for (int i = 0; i < bursts; ++i) {
    day.push_back([&, i](std::mt19937_64& rng) {
      TerminalBurst(traffic, rng, world.burst_merchants[i], burst_size);
    });
  }
  std::shuffle(day.begin(), day.end(), std::mt19937_64(o.seed));
  const auto day_start = std::chrono::steady_clock::now();
  RunAll(day, o.threads, o.seed);
  std::cout << "drill: the day's traffic (" << day.size() << " consumers and incidents) took "
            << Seconds(day_start) << " s" << std::endl;

  // Price spikes last: on appliance SKUs the day gave an honest history.
  std::vector<const Sku*> taught;
  for (const Sku& s : Catalogue()) {
    if (s.program == "appliance" && tally.SkuSales(s.sku) >= r.price_spike_min_sales()) {
      taught.push_back(&s);
    }
  }
  if (taught.empty()) {
    tally.Error("no appliance SKU has price_spike_min_sales honest sales; no price spike injected");
  } else {
    std::vector<std::function<void(std::mt19937_64&)>> spikes;
    for (int i = 0; i < n; ++i) {
      const Sku* sku = taught[i % taught.size()];
      spikes.push_back([&, sku](std::mt19937_64& rng) { PriceSpike(traffic, rng, *sku); });
    }
    RunAll(spikes, o.threads, o.seed + 1);
  }

  const Verdict v = Report(rpc, world, tally, std::cout);
  if (v.errors || !v.books_ok) return 2;
  return v.caught_pct >= 95.0 && v.honest_review_pct <= 1.0 ? 0 : 1;
}

}  // namespace
}  // namespace huanxin::drill

int main(int argc, char** argv) {
  huanxin::ExitIfVersionFlag(argc, argv, "huanxin-drill");
  return huanxin::drill::Main(argc, argv);
}
