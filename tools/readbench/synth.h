// A synthetic ledger for huanxin-readbench: entries written straight into a storage::Db with
// storage::Batch, as the writer would have stored them (the entries column family and the
// Merkle tree through ledger::AppendToLog, the entry indexes and idempotency key as
// ledger/apply.cc's Applier::Run writes them, meta next_seq). The state column family is
// not built: the audit reads never touch it.
//
// The mix: 20 PROGRAM_CREATED + 20 PROGRAM_FUNDED + 200 MERCHANT_REGISTERED entries first,
// then VOUCHER_ISSUED (~52%) and REDEMPTION_COMPLETED (~48%) entries over 20 programmes,
// 200 merchants and entries/4 consumers, entry times increasing over `days` days.
#ifndef HUANXIN_TOOLS_READBENCH_SYNTH_H_
#define HUANXIN_TOOLS_READBENCH_SYNTH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "storage/db.h"

namespace huanxin::readbench {

struct SynthOptions {
  int64_t entries = 2000000;
  int64_t commit_every = 10000;  // entries per Batch::Commit
  int days = 180;                // the ledger's time span
  uint64_t seed = 1;
};

// What the queries need to know about the ledger built.
struct SynthLedger {
  int64_t size = 0;
  std::vector<std::string> programs;   // programme ids
  std::vector<std::string> merchants;  // merchant ids
  int64_t consumers = 0;               // consumer refs are ConsumerRef(0 .. consumers-1)
  absl::Time first_time, last_time;
  // time_at[i] is the time of entry i * kTimeStride.
  static constexpr int64_t kTimeStride = 64;
  std::vector<absl::Time> time_at;
  int64_t issued = 0, redeemed = 0;
  uint64_t entry_bytes = 0;  // sum of the serialized entries
};

// The consumer ref (32 hex digits, like an HMAC) of consumer `i`.
std::string ConsumerRef(int64_t i);

// Appends `options.entries` entries to the empty database `db`, printing progress to stderr.
absl::Status BuildLedger(storage::Db* db, const SynthOptions& options, SynthLedger* out);

}  // namespace huanxin::readbench

#endif  // HUANXIN_TOOLS_READBENCH_SYNTH_H_
