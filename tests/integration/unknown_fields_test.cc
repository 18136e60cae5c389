// Fields a request carries that this build does not know are dropped on arrival, at every
// depth, before anything is fingerprinted or written: a 3 MB unknown field of a Redeem's
// purchase does not land in its REDEMPTION_DENIED entry, and a clear ID number hidden in an
// unknown field of a Purchase or a ScrapReceipt never reaches the data directory.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/client.h"
#include "tests/integration/ops_util.h"
#include "tests/integration/server_process.h"

namespace huanxin::itest {
namespace {

// Field 1000, length-delimited: unknown to every huanxin.v1 message.
void AddUnknownField(google::protobuf::Message* m, const std::string& bytes) {
  m->GetReflection()->MutableUnknownFields(m)->AddLengthDelimited(1000, bytes);
}

int64_t TreeSize(Api& api) {
  v1::Checkpoint cp;
  EXPECT_TRUE(IsOk(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetCheckpoint,
                        kAuditor, v1::GetCheckpointRequest(), &cp)));
  return static_cast<int64_t>(cp.tree_size());
}

// Every entry from `from` on, with its leaf_data.
std::vector<v1::EntryWithLeaf> EntriesFrom(Api& api, int64_t from) {
  std::vector<v1::EntryWithLeaf> out;
  for (int64_t seq = from, end = TreeSize(api); seq < end; ++seq) {
    v1::GetEntryRequest req;
    req.set_seq(seq);
    v1::EntryWithLeaf e;
    EXPECT_TRUE(IsOk(Call(api.stubs().audit.get(), &v1::AuditService::Stub::GetEntry, kAuditor,
                          req, &e)));
    out.push_back(e);
  }
  return out;
}

TEST(UnknownFields, NeverReachTheLedgerOrTheDisk) {
  ServerProcess server;
  ASSERT_TRUE(server.Start());
  Api api(server.address());
  const std::string pid = UniqueId("unknown-fields");
  const std::string mid = UniqueId("m-unknown");
  ASSERT_TRUE(api.SetUpProgram(ApplianceProgram(pid), 100000000, mid));
  const std::string owner = MintIdNumber();
  v1::Voucher voucher;
  HX_ASSERT_OK(api.Issue(pid, "refrigerator", owner, &voucher));
  const int64_t before = TreeSize(api);

  // Paid by someone else: a denial, recorded with the purchase in it.
  const std::string filler(3 << 20, 'U');
  v1::RedeemRequest denied =
      MakeRedeem(voucher.voucher_id(), mid, MintIdNumber(), MakePurchase("refrigerator", 899900, 1));
  AddUnknownField(denied.mutable_purchase(), filler);
  grpc::Status s = api.Redeem(denied);
  EXPECT_TRUE(IsRefusal(s, grpc::StatusCode::FAILED_PRECONDITION, "VOUCHER_NOT_OWNED"))
      << Describe(s);

  // A clear ID number hidden in unknown fields of a Purchase, of a ScrapReceipt and of the
  // request itself.
  const std::string hidden_in_purchase = MintIdNumber();
  const std::string hidden_in_receipt = MintIdNumber();
  v1::RedeemRequest redeem =
      MakeRedeem(voucher.voucher_id(), mid, owner, MakePurchase("refrigerator", 899900, 1));
  AddUnknownField(redeem.mutable_purchase(), hidden_in_purchase);
  AddUnknownField(&redeem, hidden_in_purchase);
  HX_ASSERT_OK(api.Redeem(redeem));

  const std::string recycler = UniqueId("r-unknown");
  HX_ASSERT_OK(RegisterRecycler(api, recycler, v1::ScrapReceipt::APPLIANCE));
  v1::ConfirmScrapReceiptRequest confirm;
  confirm.set_request_id(NextRequestId());
  v1::ScrapReceipt* receipt = confirm.mutable_receipt();
  receipt->set_certificate_number(UniqueId("cert"));
  receipt->set_item_kind(v1::ScrapReceipt::APPLIANCE);
  receipt->set_serial_number(UniqueId("SN"));
  receipt->set_category("refrigerator");
  *receipt->mutable_owner() = Consumer(owner);
  AddUnknownField(receipt, hidden_in_receipt);
  AddUnknownField(receipt->mutable_owner(), hidden_in_receipt);
  v1::ScrapReceipt confirmed;
  HX_ASSERT_OK(Call(api.stubs().recycling.get(),
                    &v1::RecyclingService::Stub::ConfirmScrapReceipt, "recycler:" + recycler,
                    confirm, &confirmed));

  // Four entries (the denial, the sale, the recycler, the receipt), none holding what the
  // fields carried.
  std::vector<v1::EntryWithLeaf> entries = EntriesFrom(api, before);
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].entry().type(), v1::LedgerEntry::REDEMPTION_DENIED);
  for (const v1::EntryWithLeaf& e : entries) {
    EXPECT_LT(e.leaf_data().size(), 8192u) << e.entry().type();
    EXPECT_EQ(e.leaf_data().find("UUUUUUUU"), std::string::npos);
    EXPECT_EQ(e.leaf_data().find(hidden_in_purchase), std::string::npos);
    EXPECT_EQ(e.leaf_data().find(hidden_in_receipt), std::string::npos);
  }
  EXPECT_TRUE(api.BooksBalance(pid));
  ASSERT_EQ(server.Stop(), 0) << server.StderrTail();

  // Nor anywhere on disk: the ledger, its logs, huanxind's own log.
  std::vector<std::string> hits =
      FindClearValues(server.data_dir(), {hidden_in_purchase, hidden_in_receipt, owner,
                                          std::string(4096, 'U')});
  EXPECT_TRUE(hits.empty()) << ::testing::PrintToString(hits);
  // Positive control: the scan sees what the ledger does keep in clear.
  EXPECT_FALSE(FindClearValues(server.data_dir(), {pid}).empty());
}

}  // namespace
}  // namespace huanxin::itest
