#include "storage/keys.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace huanxin::storage::keys {

std::string EncodeUint64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeUint64(absl::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

std::string Seq(int64_t seq) { return EncodeUint64(static_cast<uint64_t>(seq)); }

std::string Program(absl::string_view id) { return absl::StrCat(kProgramPrefix, id); }
std::string Merchant(absl::string_view id) { return absl::StrCat("merchant/", id); }
std::string Recycler(absl::string_view id) { return absl::StrCat("recycler/", id); }
std::string Voucher(absl::string_view id) { return absl::StrCat("voucher/", id); }
std::string Redemption(absl::string_view id) { return absl::StrCat("redemption/", id); }
std::string Receipt(absl::string_view id) { return absl::StrCat("receipt/", id); }
std::string Stats(absl::string_view program_id) { return absl::StrCat("stats/", program_id); }
std::string Account(absl::string_view account) { return absl::StrCat("account/", account); }
std::string Usage(absl::string_view scope, absl::string_view consumer_ref) {
  return absl::StrCat("usage/", scope, "/", consumer_ref);
}
std::string LimitGroup(absl::string_view group) { return absl::StrCat("limit-group/", group); }
std::string ProgramRules(absl::string_view program_id, int32_t version) {
  return absl::StrCat("program-rules/", program_id, "/",
                      EncodeUint64(static_cast<uint64_t>(version)));
}

std::string Idempotency(absl::string_view actor, absl::string_view request_id) {
  return absl::StrCat("idem/", actor, absl::string_view("\0", 1), request_id);
}
std::string Entitlements(absl::string_view scope, absl::string_view consumer_ref,
                         absl::string_view category) {
  return absl::StrCat("entitlements/", scope, "/", consumer_ref, "/", category);
}
std::string Claims(absl::string_view scope, absl::string_view consumer_ref,
                   absl::string_view category) {
  return absl::StrCat("claims/", scope, "/", consumer_ref, "/", category);
}
std::string Daily(absl::string_view program_id, absl::string_view shanghai_date) {
  return absl::StrCat("daily/", program_id, "/", shanghai_date);
}
std::string Serial(absl::string_view serial) {
  return absl::StrCat("serial/", absl::AsciiStrToUpper(serial));
}
std::string Invoice(absl::string_view invoice) {
  return absl::StrCat("invoice/", absl::AsciiStrToUpper(invoice));
}
std::string IssuedPrefix(absl::string_view p) { return absl::StrCat("issued/", p, "/"); }
std::string Issued(absl::string_view p, absl::string_view v) {
  return absl::StrCat(IssuedPrefix(p), v);
}
std::string Expiry(int64_t nanos, absl::string_view v) {
  return absl::StrCat(kExpiryPrefix, EncodeUint64(static_cast<uint64_t>(nanos)), v);
}
absl::string_view ExpiryVoucher(absl::string_view key) {
  return key.substr(sizeof(kExpiryPrefix) - 1 + 8);
}
std::string UnsettledPrefix(absl::string_view m) { return absl::StrCat("unsettled/", m, "/"); }
std::string Unsettled(absl::string_view m, int64_t nanos, absl::string_view d) {
  return absl::StrCat(UnsettledPrefix(m), EncodeUint64(static_cast<uint64_t>(nanos)), d);
}
std::string Clawback(absl::string_view p, absl::string_view m) {
  return absl::StrCat("clawback/", p, "/", m);
}
std::string ByTypePrefix(int type) {
  return absl::StrCat("by-type/", EncodeUint64(static_cast<uint64_t>(type)).substr(6, 2));
}
std::string ByProgramPrefix(absl::string_view p) { return absl::StrCat("by-program/", p, "/"); }
std::string ByMerchantPrefix(absl::string_view m) { return absl::StrCat("by-merchant/", m, "/"); }
std::string ByConsumerPrefix(absl::string_view c) { return absl::StrCat("by-consumer/", c, "/"); }
int64_t SeqSuffix(absl::string_view key) {
  if (key.size() < 8) return -1;
  return static_cast<int64_t>(DecodeUint64(key.substr(key.size() - 8)).value_or(0));
}

std::string Node(int level, uint64_t index) {
  return absl::StrCat(std::string(1, static_cast<char>(level)), EncodeUint64(index));
}

std::string Settlement(absl::string_view s) { return absl::StrCat("settlement/", s); }
std::string Review(absl::string_view r) { return absl::StrCat("review/", r); }
std::string ReviewsPrefix(absl::string_view state) { return absl::StrCat("reviews/", state, "/"); }
std::string ReviewByState(absl::string_view state, int64_t opened_seq, absl::string_view r) {
  return absl::StrCat(ReviewsPrefix(state), Seq(opened_seq), r);
}
std::string SkuPrices(absl::string_view sku) { return absl::StrCat("sku-prices/", sku); }
std::string Terminal(absl::string_view m, absl::string_view t) {
  return absl::StrCat("terminal/", m, "/", t);
}
std::string Identity(absl::string_view p, absl::string_view kind, absl::string_view ref) {
  return absl::StrCat("identity/", p, "/", kind, "/", ref);
}
std::string MerchantActivity(absl::string_view m) { return absl::StrCat("merchant-activity/", m); }
std::string VoucherRefs(absl::string_view v) { return absl::StrCat("voucher-refs/", v); }
std::string Certificate(absl::string_view number) {
  return absl::StrCat("certificate/", absl::AsciiStrToUpper(number));
}
std::string ScrappedSerial(absl::string_view kind, absl::string_view serial) {
  return absl::StrCat("scrapped/", kind, "/", absl::AsciiStrToUpper(serial));
}
std::string ConsumerVouchersPrefix(absl::string_view consumer_ref) {
  return absl::StrCat("consumer-vouchers/", consumer_ref, "/");
}
std::string ConsumerVoucher(absl::string_view consumer_ref, absl::string_view voucher_id) {
  return absl::StrCat(ConsumerVouchersPrefix(consumer_ref), voucher_id);
}

}  // namespace huanxin::storage::keys
