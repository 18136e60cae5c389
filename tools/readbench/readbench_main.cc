// huanxin-readbench: the audit reads on a ledger of millions of entries.
//
// Builds a synthetic ledger straight into a fresh RocksDB (tools/readbench/synth.h), then
// times ledger::AuditReader in-process, one call at a time: ListEntries first and deep pages
// for each kind of filter, inclusion and consistency proofs, GetCheckpoint and GetEntry.
// Prints the load figures and a table of p50/p99/max in ms. A benchmark, not a test: nothing
// here fails on a slow machine; it fails only when a read errs or a proof does not verify.
//
//   huanxin-readbench [--entries=2000000] [--reps=200] [--page_size=100] [--dir=DIR] [--keep]
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "common/build_info.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/merkle.h"
#include "common/signed_note.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/audit_reader.h"
#include "rocksdb/db.h"
#include "storage/db.h"
#include "storage/tree.h"
#include "tools/readbench/measure.h"
#include "tools/readbench/synth.h"

namespace huanxin::readbench {
namespace {

struct Flags {
  SynthOptions synth;
  int reps = 200;
  int warmup = 5;
  int page_size = 100;
  std::string dir;  // empty: a fresh directory under $TMPDIR (or /tmp), removed at the end
  bool keep = false;
  int settle_seconds = 600;  // wait this long at most for RocksDB compactions after the load
};

constexpr char kUsage[] =
    "usage: huanxin-readbench [--entries=N] [--reps=N] [--warmup=N] [--page_size=N]\n"
    "                         [--commit_every=N] [--days=N] [--seed=N] [--dir=DIR] [--keep]\n"
    "                         [--settle_seconds=N]\n"
    "Builds a synthetic ledger of --entries entries (default 2000000) in a fresh RocksDB and\n"
    "times AuditReader's ListEntries pages, proofs and checkpoints (--reps each, default 200).\n"
    "--dir must not exist yet; without it a temporary directory is used and removed after.\n";

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (arg == "--keep") {
      f->keep = true;
      continue;
    }
    std::string name = arg, value;
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      std::fprintf(stderr, "%s needs a value\n%s", arg.c_str(), kUsage);
      return false;
    }
    int64_t n = 0;
    const bool num = absl::SimpleAtoi(value, &n);
    if (name == "--dir") {
      f->dir = value;
    } else if (!num || n < 0) {
      std::fprintf(stderr, "bad value for %s: %s\n%s", name.c_str(), value.c_str(), kUsage);
      return false;
    } else if (name == "--entries") {
      f->synth.entries = n;
    } else if (name == "--reps") {
      f->reps = static_cast<int>(n);
    } else if (name == "--warmup") {
      f->warmup = static_cast<int>(n);
    } else if (name == "--page_size") {
      f->page_size = static_cast<int>(n);
    } else if (name == "--commit_every") {
      f->synth.commit_every = std::max<int64_t>(1, n);
    } else if (name == "--days") {
      f->synth.days = static_cast<int>(std::max<int64_t>(1, n));
    } else if (name == "--seed") {
      f->synth.seed = static_cast<uint64_t>(n);
    } else if (name == "--settle_seconds") {
      f->settle_seconds = static_cast<int>(n);
    } else {
      std::fprintf(stderr, "unknown flag %s\n%s", name.c_str(), kUsage);
      return false;
    }
  }
  if (f->synth.entries < 1000) {
    std::fprintf(stderr, "--entries must be at least 1000\n");
    return false;
  }
  return true;
}

double Mib(int64_t bytes) { return static_cast<double>(bytes) / (1 << 20); }

std::string LoadAverage() {
  double a[3] = {0, 0, 0};
  if (getloadavg(a, 3) != 3) return "unknown";
  return absl::StrFormat("%.2f %.2f %.2f", a[0], a[1], a[2]);
}

// Flushes every memtable, then waits (at most `max_seconds`) until no compaction is pending
// or running, so the reads see the ledger as a long-running server would hold it: in SSTs.
void Settle(storage::Db* db, int max_seconds) {
  if (absl::Status s = db->Flush(); !s.ok()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
  const absl::Time deadline = absl::Now() + absl::Seconds(max_seconds);
  while (absl::Now() < deadline) {
    if (!db->Compacting()) return;
    absl::SleepFor(absl::Milliseconds(200));
  }
  std::fprintf(stderr, "compactions still running after %d s; measuring anyway\n", max_seconds);
}

template <typename T>
bool Check(const absl::StatusOr<T>& r, absl::string_view what) {
  if (r.ok()) return true;
  std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(), r.status().ToString().c_str());
  return false;
}

int Run(const Flags& f) {
  std::string dir = f.dir;
  const bool temp = dir.empty();
  if (temp) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/tmp", "/huanxin-readbench-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    dir = pattern + "/db";
  } else if (std::filesystem::exists(dir)) {
    std::fprintf(stderr, "--dir %s exists; give a new path\n", dir.c_str());
    return 1;
  }
  std::fprintf(stderr, "huanxin-readbench: %lld entries into %s\n",
               static_cast<long long>(f.synth.entries), dir.c_str());
  auto opened = storage::Db::Open(dir);
  if (!Check(opened, "open")) return 1;
  std::unique_ptr<storage::Db> db = *std::move(opened);

  SynthLedger ledger;
  const std::string load_avg_before = LoadAverage();
  const absl::Time t0 = absl::Now();
  if (absl::Status s = BuildLedger(db.get(), f.synth, &ledger); !s.ok()) {
    std::fprintf(stderr, "load: %s\n", s.ToString().c_str());
    return 1;
  }
  const absl::Duration load = absl::Now() - t0;
  const absl::Time t1 = absl::Now();
  Settle(db.get(), f.settle_seconds);
  const absl::Duration settle = absl::Now() - t1;
  const int64_t rss_after_load = PeakRssBytes();
  const int64_t db_bytes = DirBytes(dir);
  const int64_t n = ledger.size;

  auto signer = note::Signer::FromSeedForTesting(std::string(32, '\x07'), "huanxin.readbench");
  if (!Check(signer, "signer")) return 1;
  ledger::AuditReader reader(db.get(), std::make_shared<const note::Signer>(*std::move(signer)),
                             "huanxin.readbench/ledger");

  // Untimed sanity: the synthetic tree is whole, and proofs verify against the checkpoint.
  auto cp = reader.GetCheckpoint();
  if (!Check(cp, "GetCheckpoint")) return 1;
  std::mt19937_64 rng(f.synth.seed * 7919 + 17);
  auto uniform = [&rng](int64_t lo, int64_t hi) {  // [lo, hi]
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  for (int i = 0; i < 20; ++i) {
    const int64_t seq = uniform(0, n - 1);
    auto e = reader.GetEntry(seq);
    auto p = reader.GetInclusionProof(seq, 0);
    if (!Check(e, "GetEntry") || !Check(p, "GetInclusionProof")) return 1;
    std::vector<merkle::Hash> hashes(p->hashes().begin(), p->hashes().end());
    absl::Status v = merkle::VerifyInclusion(seq, n, merkle::LeafHash(e->leaf_data()), hashes,
                                             cp->root_hash());
    const int64_t first = uniform(1, n);
    auto c = reader.GetConsistencyProof(first, 0);
    auto first_root = merkle::RootOf(first, storage::StoredSubtrees(db.get()));
    if (!Check(c, "GetConsistencyProof") || !Check(first_root, "RootOf")) return 1;
    std::vector<merkle::Hash> ch(c->hashes().begin(), c->hashes().end());
    absl::Status vc = merkle::VerifyConsistency(first, n, *first_root, cp->root_hash(), ch);
    if (!v.ok() || !vc.ok()) {
      std::fprintf(stderr, "proof does not verify: %s %s\n", v.ToString().c_str(),
                   vc.ToString().c_str());
      return 1;
    }
  }

  const int reps = f.reps, warm = f.warmup, page = f.page_size;
  const int64_t deep_span = std::max<int64_t>(1, n / 100);  // deep pages start in the last 1%
  auto deep_start = [&]() { return n - 1 - uniform(0, deep_span - 1); };
  auto random_program = [&]() { return ledger.programs[uniform(0, ledger.programs.size() - 1)]; };
  auto random_merchant = [&]() { return ledger.merchants[uniform(0, ledger.merchants.size() - 1)]; };
  auto random_consumer = [&]() { return ConsumerRef(uniform(0, ledger.consumers - 1)); };
  // A seq at most ledger.time_at's stride before the first entry at or after `t`.
  auto seq_near = [&](absl::Time t) {
    auto it = std::lower_bound(ledger.time_at.begin(), ledger.time_at.end(), t);
    const int64_t i = std::max<int64_t>(0, (it - ledger.time_at.begin()) - 1);
    return i * SynthLedger::kTimeStride;
  };
  const absl::Duration window = absl::Hours(1);
  auto window_from = [&]() {  // a window inside the middle 80% of the ledger's time
    const absl::Duration span = ledger.last_time - ledger.first_time;
    return ledger.first_time + span / 10 + absl::Seconds(uniform(0, absl::ToInt64Seconds(span * 0.8)));
  };
  const int kRedeemed = v1::LedgerEntry::REDEMPTION_COMPLETED;
  const int kIssued = v1::LedgerEntry::VOUCHER_ISSUED;

  struct Filter {
    std::string name;
    std::function<ledger::EntryQuery()> make;
  };
  std::vector<Filter> filters = {
      {"no filter", [&] { return ledger::EntryQuery{}; }},
      {"program_id", [&] { ledger::EntryQuery q; q.program_id = random_program(); return q; }},
      {"merchant_id", [&] { ledger::EntryQuery q; q.merchant_id = random_merchant(); return q; }},
      {"consumer_ref", [&] { ledger::EntryQuery q; q.consumer_ref = random_consumer(); return q; }},
      {"types={REDEMPTION_COMPLETED}", [&] { ledger::EntryQuery q; q.types = {kRedeemed}; return q; }},
      {"program_id+REDEMPTION_COMPLETED",
       [&] { ledger::EntryQuery q; q.program_id = random_program(); q.types = {kRedeemed}; return q; }},
      {"merchant_id+VOUCHER_ISSUED (none match)",
       [&] { ledger::EntryQuery q; q.merchant_id = random_merchant(); q.types = {kIssued}; return q; }},
  };

  std::vector<Series> results;
  auto list = [&](const ledger::EntryQuery& q, int64_t start) -> int64_t {
    auto r = reader.ListEntries(q, page, start);
    if (!Check(r, "ListEntries")) return -1;
    return r->entries_size();
  };
  for (const Filter& fl : filters) {
    results.push_back(Measure(absl::StrCat("ListEntries ", fl.name, ", first page"), warm, reps,
                              [&](int) { return list(fl.make(), 0); }));
    results.push_back(Measure(absl::StrCat("ListEntries ", fl.name, ", deep page"), warm, reps,
                              [&](int) { return list(fl.make(), deep_start()); }));
  }
  results.push_back(Measure("ListEntries 1-hour time window, first page", warm, reps, [&](int) {
    ledger::EntryQuery q;
    q.from_time = window_from();
    q.to_time = *q.from_time + window;
    return list(q, 0);
  }));
  results.push_back(Measure("ListEntries 1-hour time window, last page", warm, reps, [&](int) {
    ledger::EntryQuery q;
    q.from_time = window_from();
    q.to_time = *q.from_time + window;
    return list(q, seq_near(*q.to_time - absl::Minutes(5)));
  }));
  results.push_back(Measure("GetEntry(random seq)", warm, reps, [&](int) -> int64_t {
    auto r = reader.GetEntry(uniform(0, n - 1));
    return Check(r, "GetEntry") ? 1 : -1;
  }));
  results.push_back(Measure("GetInclusionProof(random seq, size N)", warm, reps, [&](int) -> int64_t {
    auto r = reader.GetInclusionProof(uniform(0, n - 1), 0);
    return Check(r, "GetInclusionProof") ? r->hashes_size() : -1;
  }));
  results.push_back(Measure("GetInclusionProof(random seq, random size)", warm, reps, [&](int) -> int64_t {
    const int64_t size = uniform(1, n);
    auto r = reader.GetInclusionProof(uniform(0, size - 1), size);
    return Check(r, "GetInclusionProof") ? r->hashes_size() : -1;
  }));
  results.push_back(Measure("GetConsistencyProof(random first, N)", warm, reps, [&](int) -> int64_t {
    auto r = reader.GetConsistencyProof(uniform(1, n), 0);
    return Check(r, "GetConsistencyProof") ? r->hashes_size() : -1;
  }));
  results.push_back(Measure("GetConsistencyProof(random pair)", warm, reps, [&](int) -> int64_t {
    int64_t a = uniform(1, n), b = uniform(1, n);
    if (a > b) std::swap(a, b);
    auto r = reader.GetConsistencyProof(a, b);
    return Check(r, "GetConsistencyProof") ? r->hashes_size() : -1;
  }));
  results.push_back(Measure("GetCheckpoint (root over N, Ed25519)", warm, reps, [&](int) -> int64_t {
    auto r = reader.GetCheckpoint();
    return Check(r, "GetCheckpoint") ? 1 : -1;
  }));

  std::printf("huanxin-readbench: %lld entries (%lld VOUCHER_ISSUED, %lld REDEMPTION_COMPLETED, "
              "%zu programmes, %zu merchants, %lld consumers, %d days)\n",
              static_cast<long long>(n), static_cast<long long>(ledger.issued),
              static_cast<long long>(ledger.redeemed), ledger.programs.size(),
              ledger.merchants.size(), static_cast<long long>(ledger.consumers), f.synth.days);
  std::printf("load: %.1f s (%.0f entries/s; synced commit every %lld entries), then %.1f s "
              "flush + compactions\n",
              absl::ToDoubleSeconds(load), n / absl::ToDoubleSeconds(load),
              static_cast<long long>(f.synth.commit_every), absl::ToDoubleSeconds(settle));
  std::printf("entries: %.1f MiB serialized (%.0f bytes/entry); DB on disk after settling: "
              "%.1f MiB (%.0f bytes/entry)\n",
              Mib(ledger.entry_bytes), static_cast<double>(ledger.entry_bytes) / n, Mib(db_bytes),
              static_cast<double>(db_bytes) / n);
  std::printf("peak RSS (VmHWM): %.0f MiB after the load, %.0f MiB at the end\n",
              Mib(rss_after_load), Mib(PeakRssBytes()));
  std::printf("load average before the load: %s; at the end: %s (%ld cores)\n",
              load_avg_before.c_str(), LoadAverage().c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("page_size=%d, %d reps per row after %d untimed; one thread, in-process "
              "(no gRPC); rows = mean entries or hashes returned\n\n",
              page, reps, warm);
  std::fputs(FormatTable(results).c_str(), stdout);
  std::fflush(stdout);

  db.reset();
  if (temp && !f.keep) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(dir).parent_path(), ec);
  } else {
    std::fprintf(stderr, "kept the database in %s\n", dir.c_str());
  }
  return 0;
}

}  // namespace
}  // namespace huanxin::readbench

int main(int argc, char** argv) {
  huanxin::ExitIfVersionFlag(argc, argv, "huanxin-readbench");
  huanxin::readbench::Flags flags;
  if (!huanxin::readbench::ParseFlags(argc, argv, &flags)) return 2;
  return huanxin::readbench::Run(flags);
}
