// The abuse suite: one real huanxind with a small descriptor limit (as after `ulimit -n 256`),
// flooded with connections, with follow streams and with oversized messages, in that order,
// and then proved whole: a fresh client issues and redeems a voucher and the books balance.
// Each flood also checks at once that the server serves on.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/abuse/followers.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/shared_server.h"

namespace huanxin::itest {
namespace {

constexpr int kOpenFiles = 256;
constexpr int kFloodConnections = 300;  // more than the server has descriptors
constexpr int kStreamsPerPrincipal = 16;  // huanxind's default --max_streams_per_principal
constexpr int kStreamPrincipals = 25;

// A channel of its own (not sharing gRPC's global subchannel pool), so that its first call
// needs a connection the server accepts now.
std::shared_ptr<grpc::Channel> FreshChannel(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// The "Threads:" line of /proc/PID/status; -1 when unreadable.
int ThreadsOf(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// A TCP connection to 127.0.0.1:`port` that sends nothing; -1 when connect fails.
int IdleConnection(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval timeout{2, 0};  // bounds connect() too
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

class AbuseTest : public SharedServerTest<AbuseTest> {
 public:
  static std::unique_ptr<ServerProcess> MakeServer() {
    auto server = std::make_unique<ServerProcess>();
    server->set_open_files_limit(kOpenFiles);
    return server;
  }

 protected:
  static int Port() {
    const std::string& address = server().address();
    return std::stoi(address.substr(address.rfind(':') + 1));
  }

  // The log's size now.
  static int64_t TreeSize() {
    v1::Checkpoint cp;
    EXPECT_TRUE(IsOk(Call(api().stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint,
                          kAuditor, v1::GetCheckpointRequest(), &cp)));
    return cp.tree_size();
  }

  // A call on a new connection succeeds within `limit`, retrying meanwhile.
  static ::testing::AssertionResult NewConnectionServes(std::chrono::seconds limit) {
    const auto start = std::chrono::steady_clock::now();
    grpc::Status last;
    while (std::chrono::steady_clock::now() - start < limit) {
      Stubs fresh(FreshChannel(server().address()));
      v1::ListProgramsResponse resp;
      auto ctx = MakeContext(kAdmin);
      ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      last = fresh.admin->ListPrograms(ctx.get(), v1::ListProgramsRequest(), &resp);
      if (last.ok()) return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "no call on a new connection succeeded within " << limit.count()
           << " s; last: " << Describe(last) << "\nstderr tail:\n" << server().StderrTail();
  }
};

TEST_F(AbuseTest, AConnectionFloodLeavesTheServerAccepting) {
  std::vector<int> held;
  for (int i = 0; i < kFloodConnections; ++i) {
    const int fd = IdleConnection(Port());
    if (fd >= 0) held.push_back(fd);
  }
  EXPECT_GT(held.size(), static_cast<size_t>(kOpenFiles)) << "the flood did not reach the limit";
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the server accepts (or sheds) them
  for (int fd : held) close(fd);

  EXPECT_TRUE(NewConnectionServes(std::chrono::seconds(10)));
  EXPECT_EQ(HealthStatus(FreshChannel(server().address()), ""), "SERVING");
  const std::string log = server().StderrTail(1 << 20);
  EXPECT_NE(log.find("\"connections_shed\""), std::string::npos)
      << "the flood should have met the connection bound";
  EXPECT_EQ(log.find("Failed accept4"), std::string::npos);
}

TEST_F(AbuseTest, AFollowStreamFloodTakesNoThreadPerStreamAndIsCapped) {
  ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(UniqueId("p-streams")), 0, ""));
  const int64_t size = TreeSize();
  const int threads_before = ThreadsOf(server().pid());
  ASSERT_GT(threads_before, 0);

  Followers followers(api().stubs().audit.get());
  std::vector<std::string> principals;
  for (int p = 0; p < kStreamPrincipals; ++p) {
    principals.push_back("auditor:flood-" + std::to_string(p));
    for (int i = 0; i < kStreamsPerPrincipal; ++i) followers.Open(principals.back(), size - 1);
  }
  // Every stream delivers the last entry at once: the server has admitted them all.
  auto all_read = [&](size_t n) {
    return [&followers, n] {
      for (const auto& s : followers.streams()) {
        if (s->seqs.size() < n) return false;
      }
      return true;
    };
  };
  ASSERT_TRUE(followers.PumpUntil(all_read(1), std::chrono::seconds(30)));

  // One stream more for a principal is refused; another principal is not affected.
  {
    auto ctx = MakeContext(principals[0]);
    v1::StreamEntriesRequest req;
    req.set_from_seq(size);
    req.set_follow(true);
    auto reader = api().stubs().audit->StreamEntries(ctx.get(), req);
    v1::EntryWithLeaf e;
    EXPECT_FALSE(reader->Read(&e));
    EXPECT_TRUE(IsRefusal(reader->Finish(), grpc::StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED"));
  }

  const int threads_with_streams = ThreadsOf(server().pid());
  EXPECT_LT(threads_with_streams - threads_before, 40)
      << kStreamPrincipals * kStreamsPerPrincipal << " idle follow streams took "
      << threads_with_streams - threads_before << " threads";

  // A write while they are open is quick, and reaches every stream, in order, without gaps.
  const auto write_start = std::chrono::steady_clock::now();
  HX_ASSERT_OK(api().CreateProgram(ApplianceProgram(UniqueId("p-streams"))));
  EXPECT_LT(std::chrono::steady_clock::now() - write_start, std::chrono::seconds(2));
  ASSERT_TRUE(followers.PumpUntil(all_read(2), std::chrono::seconds(30)));
  for (const auto& s : followers.streams()) {
    EXPECT_EQ(s->seqs, (std::vector<int64_t>{size - 1, size})) << s->principal;
  }

  // Closed streams give their slots back.
  ASSERT_TRUE(followers.CancelAll(std::chrono::seconds(30)));
  auto ctx = MakeContext(principals[0]);
  v1::StreamEntriesRequest req;
  req.set_from_seq(size);
  auto reader = api().stubs().audit->StreamEntries(ctx.get(), req);
  v1::EntryWithLeaf e;
  ASSERT_TRUE(reader->Read(&e));
  EXPECT_EQ(e.entry().seq(), size);
  while (reader->Read(&e)) {
  }
  HX_EXPECT_OK(reader->Finish());
}

TEST_F(AbuseTest, OversizedMessagesAreRefusedAndTheServerServesOn) {
  constexpr size_t kReceiveLimit = 4 << 20;  // huanxind's default --max_receive_message_bytes
  v1::GetProgramStatsRequest over;
  over.set_program_id(std::string(kReceiveLimit + 1024, 'a'));
  v1::ProgramStats stats;
  for (int i = 0; i < 5; ++i) {
    const grpc::Status s = Call(api().stubs().audit.get(),
                                &v1::AuditService::Stub::GetProgramStats, kAuditor, over, &stats);
    EXPECT_TRUE(s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
                s.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
        << Describe(s);
  }
  v1::RedeemRequest redeem = MakeRedeem("v-none", "m-none", MintIdNumber(),
                                        MakePurchase("refrigerator", 300000, 1));
  redeem.mutable_purchase()->set_sku(std::string(kReceiveLimit + 1024, 's'));
  const grpc::Status s = api().Redeem(redeem, nullptr, Retailer("m-none"));
  EXPECT_TRUE(s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED ||
              s.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
      << Describe(s);

  // Under the limit but far over the field's: the field is named.
  v1::GetProgramStatsRequest under;
  under.set_program_id(std::string(kReceiveLimit / 2, 'a'));
  EXPECT_TRUE(HasFieldViolation(Call(api().stubs().audit.get(),
                                     &v1::AuditService::Stub::GetProgramStats, kAuditor, under,
                                     &stats),
                                "program_id"));
  // Bytes that are no StreamEntriesRequest at all, to the streaming method.
  const grpc::Status garbage =
      RawUnary(api().stubs().channel, "/huanxin.v1.AuditService/StreamEntries",
               std::string("\x0a\xff\xff\xff\xff\x0f", 6), kAuditor);
  EXPECT_TRUE(HasFieldViolation(garbage, "request")) << Describe(garbage);
  EXPECT_TRUE(NewConnectionServes(std::chrono::seconds(5)));
}

// Last: after every flood above, the ordinary business still works.
TEST_F(AbuseTest, AfterTheFloodsIssueRedeemAndTheBooksBalance) {
  const std::string pid = UniqueId("p-after");
  const std::string mid = UniqueId("m-after");
  ASSERT_TRUE(api().SetUpProgram(ApplianceProgram(pid), 10'000'000, mid));
  const std::string id = MintIdNumber();
  v1::Voucher v;
  HX_ASSERT_OK(api().Issue(pid, "refrigerator", id, &v));
  v1::Redemption r;
  HX_ASSERT_OK(api().Redeem(MakeRedeem(v.voucher_id(), mid, id,
                                       MakePurchase("refrigerator", 300'000, 1)),
                            &r));
  EXPECT_EQ(r.state(), v1::Redemption::COMPLETED);
  v1::ProgramStats stats;
  ASSERT_TRUE(api().BooksBalance(pid, &stats));
  EXPECT_EQ(stats.funded_fen(), 10'000'000);
  EXPECT_GT(stats.payable_fen(), 0);
}

}  // namespace
}  // namespace huanxin::itest

namespace huanxin::itest {
namespace {

// A listener that stops accepting for good (gRPC 1.51 gives up on any accept4 error it does
// not expect) turns health NOT_SERVING, so an orchestrator restarts the process. Made real
// here: the running server's descriptor limit drops below every descriptor it could free,
// so accept4 fails with EMFILE even after the guard gives up its spare.
TEST(AbuseWedge, AListenerThatStopsAcceptingTurnsHealthNotServing) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  const std::string& address = server.address();
  const int port = std::stoi(address.substr(address.rfind(':') + 1));
  const auto channel = FreshChannel(address);  // connected before the limit drops
  ASSERT_EQ(HealthStatus(channel, ""), "SERVING");

  rlimit old{};
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, nullptr, &old), 0);
  const rlimit low{3, old.rlim_max};  // 0, 1 and 2 are always open
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, &low, nullptr), 0);
  const int fd = IdleConnection(port);  // the kernel completes it; the server cannot take it
  EXPECT_GE(fd, 0);
  std::string status;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    status = HealthStatus(channel, "");
    if (status == "NOT_SERVING") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(prlimit(server.pid(), RLIMIT_NOFILE, &old, nullptr), 0);
  if (fd >= 0) close(fd);
  EXPECT_EQ(status, "NOT_SERVING") << server.StderrTail();
  const std::string log = server.StderrTail(1 << 20);
  EXPECT_NE(log.find("\"listener_stopped\""), std::string::npos) << log;
  EXPECT_NE(log.find("Too many open files"), std::string::npos) << log;
  EXPECT_EQ(HealthStatus(channel, ""), "NOT_SERVING") << "health must not come back by itself";
}

// Open follow streams hold no thread, but still end when the server stops: SIGTERM ends
// them all (gRPC cancels them after the grace period) and huanxind exits 0.
TEST(AbuseShutdown, FollowStreamsEndOnSigterm) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  HX_ASSERT_OK(api.CreateProgram(ApplianceProgram(UniqueId("p-stop"))));  // entry 0
  Followers followers(api.stubs().audit.get());
  for (int i = 0; i < 3 * kStreamsPerPrincipal; ++i) {
    followers.Open("auditor:stop-" + std::to_string(i % 3), 0);
  }
  // Every stream has read entry 0: the server has admitted them all.
  auto all_started = [&followers] {
    for (const auto& s : followers.streams()) {
      if (s->seqs.empty()) return false;
    }
    return true;
  };
  ASSERT_TRUE(followers.PumpUntil(all_started, std::chrono::seconds(20)));
  const auto stop_start = std::chrono::steady_clock::now();
  EXPECT_EQ(server.Stop(), 0) << server.StderrTail();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_start, std::chrono::seconds(10));
  auto all_ended = [&followers] {
    for (const auto& s : followers.streams()) {
      if (s->phase != Followers::Stream::Phase::kDone) return false;
    }
    return true;
  };
  EXPECT_TRUE(followers.PumpUntil(all_ended, std::chrono::seconds(10)));
}

}  // namespace
}  // namespace huanxin::itest
