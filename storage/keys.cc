#include "storage/keys.h"

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
std::string Usage(absl::string_view program_id, absl::string_view consumer_ref) {
  return absl::StrCat("usage/", program_id, "/", consumer_ref);
}

std::string Idempotency(absl::string_view actor, absl::string_view request_id) {
  return absl::StrCat("idem/", actor, absl::string_view("\0", 1), request_id);
}
std::string Entitlements(absl::string_view program_id, absl::string_view consumer_ref,
                         absl::string_view category) {
  return absl::StrCat("entitlements/", program_id, "/", consumer_ref, "/", category);
}
std::string Daily(absl::string_view program_id, absl::string_view shanghai_date) {
  return absl::StrCat("daily/", program_id, "/", shanghai_date);
}
std::string Serial(absl::string_view serial) { return absl::StrCat("serial/", serial); }
std::string Invoice(absl::string_view invoice) { return absl::StrCat("invoice/", invoice); }
std::string Certificate(absl::string_view number) {
  return absl::StrCat("certificate/", number);
}
std::string ConsumerVouchersPrefix(absl::string_view consumer_ref) {
  return absl::StrCat("consumer-vouchers/", consumer_ref, "/");
}
std::string ConsumerVoucher(absl::string_view consumer_ref, absl::string_view voucher_id) {
  return absl::StrCat(ConsumerVouchersPrefix(consumer_ref), voucher_id);
}

}  // namespace huanxin::storage::keys
