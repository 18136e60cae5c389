#include "tools/readbench/synth.h"

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/proto_time.h"
#include "common/status_macros.h"
#include "huanxin/internal/ledger.pb.h"
#include "huanxin/v1/ledger.pb.h"
#include "ledger/accounts.h"
#include "ledger/apply.h"
#include "ledger/entry_refs.h"
#include "ledger/state.h"
#include "storage/batch.h"
#include "storage/keys.h"

namespace huanxin::readbench {
namespace {

namespace keys = storage::keys;
using storage::Cf;
using v1::LedgerEntry;

constexpr int kPrograms = 20;
constexpr int kMerchants = 200;
constexpr const char* kCategories[] = {"refrigerator", "air_conditioner", "washing_machine",
                                       "television",   "water_heater",    "mobile_phone",
                                       "tablet",       "smartwatch",      "car"};

// splitmix64: a fast deterministic generator, good enough for a workload.
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int64_t Uniform(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t s_;
};

std::string Hex(uint64_t a, uint64_t b) { return absl::StrFormat("%016x%016x", a, b); }

uint64_t Mix(uint64_t x) {
  Rng r(x);
  return r.Next();
}

std::string Bytes32(Rng* rng) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    uint64_t v = rng->Next();
    out.append(reinterpret_cast<const char*>(&v), 8);
  }
  return out;
}

// An id like common/ids.h mints: prefix + 16 base32 characters.
std::string Id(absl::string_view prefix, Rng* rng) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  std::string out(prefix);
  uint64_t v = rng->Next();
  for (int i = 0; i < 16; ++i, v >>= 4) out.push_back(kAlphabet[(v & 15) + (i & 1) * 16]);
  return out;
}

struct OpenVoucher {
  std::string voucher_id;
  int program;
  int64_t consumer;
  int64_t held_fen;
  absl::Time issued_at;
};

std::string ProgramId(int i) { return absl::StrFormat("p-2026-%02d", i + 1); }
std::string MerchantId(int i) { return absl::StrFormat("m-%03d", i + 1); }

}  // namespace

std::string ConsumerRef(int64_t i) {
  return Hex(Mix(static_cast<uint64_t>(i) * 2 + 1), Mix(static_cast<uint64_t>(i) * 2 + 2));
}

absl::Status BuildLedger(storage::Db* db, const SynthOptions& o, SynthLedger* out) {
  Rng rng(o.seed);
  out->programs.clear();
  out->merchants.clear();
  for (int i = 0; i < kPrograms; ++i) out->programs.push_back(ProgramId(i));
  for (int i = 0; i < kMerchants; ++i) out->merchants.push_back(MerchantId(i));
  out->consumers = std::max<int64_t>(1000, o.entries / 4);
  out->time_at.clear();

  const absl::Time start = absl::FromUnixSeconds(1767196800);  // 2026-01-01 00:00 +08:00
  const int64_t span_ns = absl::ToInt64Nanoseconds(absl::Hours(24) * o.days);
  const int64_t mean_gap_ns = std::max<int64_t>(1, span_ns / std::max<int64_t>(1, o.entries));
  int64_t t_ns = 0;
  out->first_time = start;

  storage::Batch batch(db);
  std::vector<OpenVoucher> open;
  int64_t in_batch = 0;
  const absl::Time load_start = absl::Now();

  for (int64_t seq = 0; seq < o.entries; ++seq) {
    t_ns += 1 + rng.Uniform(2 * mean_gap_ns);
    const absl::Time now = start + absl::Nanoseconds(t_ns);
    if (seq % SynthLedger::kTimeStride == 0) out->time_at.push_back(now);
    out->last_time = now;

    LedgerEntry e;
    e.set_seq(seq);
    *e.mutable_time() = ToProto(now);
    const int64_t setup = 2 * kPrograms + kMerchants;
    if (seq < kPrograms) {
      e.set_type(LedgerEntry::PROGRAM_CREATED);
      e.set_actor("admin:bureau");
      v1::Program* p = e.mutable_program_created()->mutable_program();
      p->set_program_id(ProgramId(static_cast<int>(seq)));
      p->set_name(absl::StrCat("2026 trade-in subsidy ", seq + 1));
      p->set_kind(seq % 4 == 0 ? v1::Program::CAR_REPLACEMENT : v1::Program::APPLIANCE);
      p->set_state(v1::Program::ACTIVE);
    } else if (seq < 2 * kPrograms) {
      e.set_type(LedgerEntry::PROGRAM_FUNDED);
      e.set_actor("admin:bureau");
      const std::string p = ProgramId(static_cast<int>(seq - kPrograms));
      e.mutable_program_funded()->set_program_id(p);
      e.mutable_program_funded()->set_amount_fen(int64_t{50000000000});
      *e.add_postings() = ledger::MakePosting("treasury", ledger::Budget(p), 50000000000);
    } else if (seq < setup) {
      e.set_type(LedgerEntry::MERCHANT_REGISTERED);
      e.set_actor("admin:bureau");
      v1::Merchant* m = e.mutable_merchant_registered()->mutable_merchant();
      const int mi = static_cast<int>(seq - 2 * kPrograms);
      m->set_merchant_id(MerchantId(mi));
      m->set_name(absl::StrCat("Binzhou appliance store ", mi + 1));
      m->set_region_code("371602");
      for (int p = 0; p < kPrograms; ++p) m->add_program_ids(ProgramId(p));
      m->set_state(v1::Merchant::ACTIVE);
    } else if (open.empty() || rng.Uniform(100) < 52) {
      OpenVoucher v;
      v.voucher_id = Id("v-", &rng);
      v.program = static_cast<int>(rng.Uniform(kPrograms));
      v.consumer = rng.Uniform(out->consumers);
      v.held_fen = 20000 + 1000 * rng.Uniform(180);
      v.issued_at = now;
      const std::string& p = out->programs[v.program];
      const std::string cref = ConsumerRef(v.consumer);
      e.set_type(LedgerEntry::VOUCHER_ISSUED);
      e.set_actor("app:consumer-portal");
      e.set_request_id(Id("req-", &rng));
      e.set_rule_set_version("2026-01");
      *e.add_postings() = ledger::MakePosting(ledger::Budget(p), ledger::Held(p), v.held_fen);
      v1::VoucherIssued* vi = e.mutable_voucher_issued();
      v1::Voucher* vo = vi->mutable_voucher();
      vo->set_voucher_id(v.voucher_id);
      vo->set_program_id(p);
      vo->set_category(kCategories[v.program % 9]);
      vo->set_consumer_ref(cref);
      vo->set_held_fen(v.held_fen);
      *vo->mutable_issued_at() = ToProto(now);
      *vo->mutable_expires_at() = ToProto(now + absl::Hours(24 * 30));
      vo->set_state(v1::Voucher::ISSUED);
      vo->set_ledger_seq(seq);
      vi->mutable_consumer()->set_consumer_ref(cref);
      vi->mutable_consumer()->set_phone_ref(Hex(rng.Next(), rng.Next()));
      vi->mutable_consumer()->set_device_ref(Hex(rng.Next(), rng.Next()));
      open.push_back(std::move(v));
      ++out->issued;
    } else {
      const int64_t k = rng.Uniform(static_cast<int64_t>(open.size()));
      OpenVoucher v = std::move(open[k]);
      open[k] = std::move(open.back());
      open.pop_back();
      const std::string& p = out->programs[v.program];
      const std::string& m = out->merchants[rng.Uniform(kMerchants)];
      const std::string cref = ConsumerRef(v.consumer);
      const int64_t price = v.held_fen * 5 + 100 * rng.Uniform(100000);
      e.set_type(LedgerEntry::REDEMPTION_COMPLETED);
      e.set_actor(absl::StrCat("retailer:", m));
      e.set_request_id(Id("req-", &rng));
      e.set_rule_set_version("2026-01");
      *e.add_postings() = ledger::MakePosting(ledger::Held(p), ledger::Payable(p, m), v.held_fen);
      v1::RedemptionCompleted* rc = e.mutable_redemption_completed();
      v1::Redemption* d = rc->mutable_redemption();
      d->set_redemption_id(Id("r-", &rng));
      d->set_voucher_id(v.voucher_id);
      d->set_merchant_id(m);
      d->set_price_fen(price);
      d->set_subsidy_fen(v.held_fen);
      d->set_consumer_pays_fen(price - v.held_fen);
      d->set_decision(v1::Redemption::ALLOW);
      d->set_state(v1::Redemption::COMPLETED);
      d->set_ledger_seq(seq);
      *d->mutable_redeemed_at() = ToProto(now);
      d->set_program_id(p);
      d->set_terminal_id(absl::StrCat("t-", rng.Uniform(8) + 1));
      v1::Purchase* pu = d->mutable_purchase();
      pu->set_sku(absl::StrCat("SKU-", rng.Uniform(5000)));
      pu->set_category(kCategories[v.program % 9]);
      pu->set_energy_grade(1 + static_cast<int>(rng.Uniform(2)));
      pu->set_price_fen(price);
      pu->set_invoice_number(absl::StrCat("INV", 1000000000 + seq));
      pu->set_serial_number(absl::StrCat("SN", Hex(rng.Next(), 0).substr(0, 14)));
      pu->set_brand("Haier");
      pu->set_model(absl::StrCat("BCD-", 200 + rng.Uniform(400)));
      d->set_consumer_ref(cref);
      rc->mutable_payer()->set_consumer_ref(cref);
      rc->mutable_payer()->set_phone_ref(Hex(rng.Next(), rng.Next()));
      ++out->redeemed;
    }
    if (!e.request_id().empty()) e.set_request_fingerprint(Bytes32(&rng));

    // What Applier::Run writes for every entry (ledger/apply.cc): the idempotency record and
    // the entry indexes. (The state it also writes is not needed by the audit reads.)
    if (!e.request_id().empty()) {
      internal::IdempotencyRecord rec;
      rec.set_fingerprint(e.request_fingerprint());
      rec.set_seq(seq);
      batch.Put(Cf::kIndex, keys::Idempotency(e.actor(), e.request_id()), ledger::Serialize(rec));
    }
    const std::string seq_key = keys::Seq(seq);
    batch.Put(Cf::kIndex, keys::ByTypePrefix(e.type()) + seq_key, "");
    const ledger::EntryRefs refs = ledger::RefsOf(e);
    for (const auto& p : refs.programs) batch.Put(Cf::kIndex, keys::ByProgramPrefix(p) + seq_key, "");
    for (const auto& m : refs.merchants) batch.Put(Cf::kIndex, keys::ByMerchantPrefix(m) + seq_key, "");
    for (const auto& c : refs.consumers) batch.Put(Cf::kIndex, keys::ByConsumerPrefix(c) + seq_key, "");

    const std::string leaf = ledger::Serialize(e);
    out->entry_bytes += leaf.size();
    HX_RETURN_IF_ERROR(ledger::AppendToLog(seq, leaf, &batch));

    if (++in_batch >= o.commit_every || seq + 1 == o.entries) {
      batch.Put(Cf::kMeta, keys::kNextSeq, keys::Seq(seq + 1));
      HX_RETURN_IF_ERROR(batch.Commit());
      in_batch = 0;
      if ((seq + 1) % 500000 < o.commit_every || seq + 1 == o.entries) {
        const double secs = absl::ToDoubleSeconds(absl::Now() - load_start);
        std::fprintf(stderr, "  loaded %lld entries in %.1f s (%.0f/s)\n",
                     static_cast<long long>(seq + 1), secs, (seq + 1) / secs);
      }
    }
    out->size = seq + 1;
  }
  return absl::OkStatus();
}

}  // namespace huanxin::readbench
