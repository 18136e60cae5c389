// Crash test: a real huanxind under several concurrent clients (issue, redeem, return, and
// retries with the same keys), SIGKILLed at random moments and restarted on the same data
// directory, round after round. After every restart:
//   - every acknowledged write is there with the same result: re-sending it with its key
//     gives the very same answer (and requests whose outcome the crash hid are resolved by
//     the same re-send);
//   - the log's seqs are gap-free from 0 (AuditService.StreamEntries);
//   - the signed checkpoint's root is the Merkle root of the streamed leaf_data;
//   - the books of the programme balance: funded = available + held + payable + settled;
//   - no retry produced a second effect: at most one VOUCHER_ISSUED, REDEMPTION_COMPLETED or
//     REDEMPTION_REVERSED entry per request key, one completion per voucher, one reversal per
//     redemption, and every acknowledged voucher and redemption is exactly the logged one.
// HX_CRASH_ROUNDS=<n> runs more rounds (default 20); HX_CRASH_SEED=<seed> fixes the random
// choices (timing still varies: this test is about real crashes).
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/merkle.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

using google::protobuf::util::MessageDifferencer;

constexpr char kProgram[] = "p-crash";
constexpr char kMerchant[] = "m-crash";
constexpr int kClients = 4;

enum class Kind { kIssue, kRedeem, kReverse };

// One request a client sent, with what it heard.
struct Sent {
  Kind kind;
  std::string principal;
  v1::IssueVoucherRequest issue;
  v1::RedeemRequest redeem;
  v1::ReverseRedemptionRequest reverse;
  bool acked = false;     // an OK answer arrived; `answer` holds it
  bool unknown = false;   // the call failed without an answer from the ledger (the crash)
  std::string answer;     // the serialized Voucher or Redemption
};

struct IssuedVoucher {
  std::string voucher_id, id_number;
};

// Everything the clients learned, shared between them.
struct World {
  std::mutex mu;
  std::vector<Sent> sent;
  std::vector<IssuedVoucher> vouchers;   // acknowledged issues
  std::vector<std::string> redemptions;  // acknowledged redemptions
};

bool Unanswered(const grpc::Status& s) {
  return s.error_code() == grpc::StatusCode::UNAVAILABLE ||
         s.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
         s.error_code() == grpc::StatusCode::CANCELLED ||
         s.error_code() == grpc::StatusCode::UNKNOWN ||
         s.error_code() == grpc::StatusCode::INTERNAL;
}

// Sends `s` (again) and returns the status; the serialized answer goes to `answer`.
grpc::Status Send(Api& api, const Sent& s, std::string* answer) {
  grpc::Status st;
  if (s.kind == Kind::kIssue) {
    v1::Voucher v;
    st = Call(api.stubs().issuance.get(), &v1::IssuanceService::Stub::IssueVoucher, s.principal,
              s.issue, &v);
    if (st.ok()) *answer = v.SerializeAsString();
  } else {
    v1::Redemption d;
    st = s.kind == Kind::kRedeem
             ? Call(api.stubs().redemption.get(), &v1::RedemptionService::Stub::Redeem,
                    s.principal, s.redeem, &d)
             : Call(api.stubs().redemption.get(),
                    &v1::RedemptionService::Stub::ReverseRedemption, s.principal, s.reverse, &d);
    if (st.ok()) *answer = d.SerializeAsString();
  }
  return st;
}

// Records what `st` says about `s`, and what an acknowledged answer adds to the world.
// REQUIRES: w->mu held.
void Learn(World* w, size_t index, const grpc::Status& st, const std::string& answer) {
  Sent& s = w->sent[index];
  if (!st.ok()) {
    if (Unanswered(st)) s.unknown = !s.acked;
    return;
  }
  if (s.acked) return;  // a retry of a known answer: compared by the caller
  s.acked = true;
  s.unknown = false;
  s.answer = answer;
  if (s.kind == Kind::kIssue) {
    v1::Voucher v;
    v.ParseFromString(answer);
    w->vouchers.push_back({v.voucher_id(), s.issue.consumer().id_number()});
  } else if (s.kind == Kind::kRedeem) {
    v1::Redemption d;
    d.ParseFromString(answer);
    w->redemptions.push_back(d.redemption_id());
  }
}

class CrashTest : public ::testing::Test {
 protected:
  // One client until `stop`: random operations, some of them retries of earlier requests.
  void Client(const std::string& address, uint64_t seed, std::atomic<bool>* stop) {
    Api api(address);
    std::mt19937_64 rng(seed);
    auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
    while (!stop->load()) {
      const int op = static_cast<int>(pick(100));
      Sent s;
      size_t index = 0;
      bool retry = false;
      {
        std::lock_guard<std::mutex> l(world_.mu);
        if (op < 15 && !world_.sent.empty()) {  // a retry with the same key
          index = pick(world_.sent.size());
          s = world_.sent[index];
          retry = true;
          ++retries_;
        } else if (op < 50 || world_.vouchers.empty()) {
          s.kind = Kind::kIssue;
          s.principal = kApp;
          s.issue.set_request_id(NextRequestId("i"));
          s.issue.set_program_id(kProgram);
          s.issue.set_category("refrigerator");
          *s.issue.mutable_consumer() = Consumer(MintIdNumber());
        } else if (op < 85 || world_.redemptions.empty()) {
          // Redemptions race: several clients may pick the same voucher.
          const IssuedVoucher& v = world_.vouchers[pick(world_.vouchers.size())];
          s.kind = Kind::kRedeem;
          s.principal = Retailer(kMerchant);
          s.redeem = MakeRedeem(v.voucher_id, kMerchant, v.id_number,
                                MakePurchase("refrigerator", 100000 + pick(900000), 1));
        } else {
          s.kind = Kind::kReverse;
          s.principal = Retailer(kMerchant);
          s.reverse.set_request_id(NextRequestId("r"));
          s.reverse.set_redemption_id(world_.redemptions[pick(world_.redemptions.size())]);
          s.reverse.set_merchant_id(kMerchant);
          s.reverse.set_reason("return");
        }
        if (!retry) {
          index = world_.sent.size();
          world_.sent.push_back(s);
        }
      }
      std::string answer;
      grpc::Status st = Send(api, s, &answer);
      std::lock_guard<std::mutex> l(world_.mu);
      if (retry && st.ok() && world_.sent[index].acked && answer != world_.sent[index].answer) {
        ADD_FAILURE() << "a retry got a different answer than the first ack";
      }
      Learn(&world_, index, st, answer);
    }
  }

  // Re-sends every request of sent[from..] that was acknowledged or whose outcome is unknown:
  // the acknowledged must get their answer again; the unknown learn theirs.
  void Resend(Api& api, size_t from) {
    std::lock_guard<std::mutex> l(world_.mu);
    for (size_t i = from; i < world_.sent.size(); ++i) {
      Sent& s = world_.sent[i];
      if (!s.acked && !s.unknown) continue;
      std::string answer;
      grpc::Status st = Send(api, s, &answer);
      if (s.acked) {
        ASSERT_TRUE(st.ok()) << "acknowledged request " << i << " now fails: " << Describe(st);
        ASSERT_EQ(answer, s.answer) << "acknowledged request " << i << " now answers differently";
      } else {
        ASSERT_FALSE(Unanswered(st)) << "after restart: " << Describe(st);
        ++resolved_;
        Learn(&world_, i, st, answer);
        s.unknown = false;
      }
    }
  }

  // The log, the checkpoint, the books and the effects per key.
  void CheckLog(Api& api) {
    auto ctx = MakeContext(kAuditor);
    auto reader = api.stubs().audit->StreamEntries(ctx.get(), v1::StreamEntriesRequest());
    std::vector<v1::EntryWithLeaf> entries;
    v1::EntryWithLeaf e;
    while (reader->Read(&e)) entries.push_back(e);
    HX_ASSERT_OK(reader->Finish());

    v1::Checkpoint cp;
    HX_ASSERT_OK(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint, kAuditor,
                      v1::GetCheckpointRequest(), &cp));
    ASSERT_LE(cp.tree_size(), static_cast<int64_t>(entries.size()));

    merkle::MemoryTree tree;
    std::map<std::string, int> issued_by_key, completed_by_key, reversed_by_key;
    std::map<std::string, int> completed_by_voucher, reversed_by_redemption;
    std::set<std::string> voucher_ids, redemption_ids;
    for (size_t i = 0; i < entries.size(); ++i) {
      const v1::LedgerEntry& entry = entries[i].entry();
      ASSERT_EQ(entry.seq(), static_cast<int64_t>(i)) << "seqs are not gap-free";
      v1::LedgerEntry decoded;
      ASSERT_TRUE(decoded.ParseFromString(entries[i].leaf_data()));
      ASSERT_TRUE(MessageDifferencer::Equals(decoded, entry)) << "leaf_data is not the entry";
      tree.Append(merkle::LeafHash(entries[i].leaf_data()));
      const std::string key = entry.actor() + "/" + entry.request_id();
      switch (entry.type()) {
        case v1::LedgerEntry::VOUCHER_ISSUED:
          ++issued_by_key[key];
          voucher_ids.insert(entry.voucher_issued().voucher().voucher_id());
          break;
        case v1::LedgerEntry::REDEMPTION_COMPLETED:
          ++completed_by_key[key];
          ++completed_by_voucher[entry.redemption_completed().redemption().voucher_id()];
          redemption_ids.insert(entry.redemption_completed().redemption().redemption_id());
          break;
        case v1::LedgerEntry::REDEMPTION_REVERSED:
          ++reversed_by_key[key];
          ++reversed_by_redemption[entry.redemption_reversed().redemption().redemption_id()];
          break;
        default:
          break;
      }
    }
    auto root = tree.RootAt(cp.tree_size());
    ASSERT_TRUE(root.ok()) << root.status();
    ASSERT_EQ(*root, cp.root_hash()) << "the checkpoint's root is not the entries' Merkle root";
    for (const auto* m : {&issued_by_key, &completed_by_key, &reversed_by_key,
                          &completed_by_voucher, &reversed_by_redemption}) {
      for (const auto& [k, n] : *m) ASSERT_EQ(n, 1) << "two effects for " << k;
    }
    std::lock_guard<std::mutex> l(world_.mu);
    for (const IssuedVoucher& v : world_.vouchers) {
      ASSERT_EQ(voucher_ids.count(v.voucher_id), 1u) << "acknowledged voucher lost";
    }
    for (const std::string& d : world_.redemptions) {
      ASSERT_EQ(redemption_ids.count(d), 1u) << "acknowledged redemption lost";
    }
    entries_ = static_cast<int64_t>(entries.size());
  }

  World world_;
  int64_t entries_ = 0;
  int64_t resolved_ = 0;  // requests the crash left without an answer, answered by a re-send
  std::atomic<int64_t> retries_{0};
};

TEST_F(CrashTest, AcknowledgedWritesSurviveSigkillExactlyOnce) {
  uint64_t seed = std::random_device()();
  if (const char* s = std::getenv("HX_CRASH_SEED")) seed = std::strtoull(s, nullptr, 10);
  int rounds = 20;
  if (const char* r = std::getenv("HX_CRASH_ROUNDS")) rounds = std::atoi(r);
  std::printf("crash test: seed %llu, %d rounds (HX_CRASH_SEED, HX_CRASH_ROUNDS)\n",
              static_cast<unsigned long long>(seed), rounds);
  SCOPED_TRACE(absl::StrCat("seed ", seed, " (replay the choices: HX_CRASH_SEED=", seed, ")"));
  std::mt19937_64 rng(seed);

  ServerProcess server;
  ASSERT_TRUE(server.Start());
  {
    Api api(server.address());
    ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(kProgram), 100'000'000'000, kMerchant));
  }
  int64_t acked_total = 0;
  for (int round = 0; round < rounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    size_t first_sent;
    {
      std::lock_guard<std::mutex> l(world_.mu);
      first_sent = world_.sent.size();
    }
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back(
          [this, &stop, address = server.address(), s = rng()] { Client(address, s, &stop); });
    }
    // Let them work, then pull the plug in the middle of whatever they are doing.
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + rng() % 300));
    server.Kill();
    stop = true;
    for (auto& t : clients) t.join();
    ASSERT_TRUE(server.Restart());

    Api api(server.address());
    ASSERT_NO_FATAL_FAILURE(Resend(api, first_sent));
    ASSERT_NO_FATAL_FAILURE(CheckLog(api));
    ASSERT_TRUE(api.BooksBalance(kProgram));
  }
  {
    // The end: every acknowledged request of every round answers as it did.
    Api api(server.address());
    ASSERT_NO_FATAL_FAILURE(Resend(api, 0));
    std::lock_guard<std::mutex> l(world_.mu);
    for (const Sent& s : world_.sent) acked_total += s.acked;
  }
  std::printf(
      "crash test: %d SIGKILLs, %lld acknowledged writes, %lld entries, %lld in-flight "
      "requests resolved by re-sending, %lld concurrent retries\n",
      rounds, static_cast<long long>(acked_total), static_cast<long long>(entries_),
      static_cast<long long>(resolved_), static_cast<long long>(retries_.load()));
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
}

}  // namespace
}  // namespace huanxin::itest
