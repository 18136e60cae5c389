#include "ledger/state.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/keys.h"

namespace huanxin::ledger {

using storage::Cf;
namespace keys = storage::keys;

template <typename M>
absl::StatusOr<std::optional<M>> StateReader::Get(Cf cf, absl::string_view key) const {
  absl::StatusOr<std::optional<std::string>> raw = kv_->Get(cf, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return std::nullopt;
  M m;
  if (!m.ParseFromString(**raw)) {
    return absl::DataLossError(absl::StrCat("corrupt value in ", storage::CfName(cf)));
  }
  return m;
}

absl::StatusOr<std::optional<v1::Program>> StateReader::Program(absl::string_view id) const {
  return Get<v1::Program>(Cf::kState, keys::Program(id));
}
absl::StatusOr<std::optional<v1::Merchant>> StateReader::Merchant(absl::string_view id) const {
  return Get<v1::Merchant>(Cf::kState, keys::Merchant(id));
}
absl::StatusOr<std::optional<v1::Recycler>> StateReader::Recycler(absl::string_view id) const {
  return Get<v1::Recycler>(Cf::kState, keys::Recycler(id));
}
absl::StatusOr<std::optional<v1::Voucher>> StateReader::Voucher(absl::string_view id) const {
  return Get<v1::Voucher>(Cf::kState, keys::Voucher(id));
}
absl::StatusOr<std::optional<v1::Redemption>> StateReader::Redemption(
    absl::string_view id) const {
  return Get<v1::Redemption>(Cf::kState, keys::Redemption(id));
}
absl::StatusOr<std::optional<v1::ScrapReceipt>> StateReader::Receipt(
    absl::string_view id) const {
  return Get<v1::ScrapReceipt>(Cf::kState, keys::Receipt(id));
}
absl::StatusOr<std::optional<v1::SettlementCreated>> StateReader::Settlement(
    absl::string_view id) const {
  return Get<v1::SettlementCreated>(Cf::kState, keys::Settlement(id));
}
absl::StatusOr<std::optional<v1::Review>> StateReader::Review(absl::string_view id) const {
  return Get<v1::Review>(Cf::kState, keys::Review(id));
}
absl::StatusOr<std::optional<v1::LedgerEntry>> StateReader::Entry(int64_t seq) const {
  return Get<v1::LedgerEntry>(Cf::kEntries, keys::Seq(seq));
}
absl::StatusOr<std::optional<internal::IdempotencyRecord>> StateReader::Idempotency(
    absl::string_view actor, absl::string_view request_id) const {
  return Get<internal::IdempotencyRecord>(Cf::kIndex, keys::Idempotency(actor, request_id));
}

absl::StatusOr<v1::ProgramStats> StateReader::Stats(absl::string_view program_id) const {
  auto s = Get<v1::ProgramStats>(Cf::kState, keys::Stats(program_id));
  if (!s.ok()) return s.status();
  if (s->has_value()) return **s;
  v1::ProgramStats zero;
  zero.set_program_id(std::string(program_id));
  return zero;
}

absl::StatusOr<internal::ConsumerUsage> StateReader::Usage(absl::string_view scope,
                                                           absl::string_view ref) const {
  auto u = Get<internal::ConsumerUsage>(Cf::kState, keys::Usage(scope, ref));
  if (!u.ok()) return u.status();
  return u->value_or(internal::ConsumerUsage());
}

absl::StatusOr<int64_t> StateReader::Balance(absl::string_view account) const {
  return Counter(Cf::kState, keys::Account(account));
}

absl::StatusOr<int64_t> StateReader::Counter(Cf cf, absl::string_view key) const {
  absl::StatusOr<std::optional<std::string>> raw = kv_->Get(cf, key);
  if (!raw.ok()) return raw.status();
  if (!raw->has_value()) return 0;
  std::optional<uint64_t> v = keys::DecodeUint64(**raw);
  if (!v.has_value()) return absl::DataLossError("corrupt counter");
  return static_cast<int64_t>(*v);
}

absl::StatusOr<bool> StateReader::Exists(Cf cf, absl::string_view key) const {
  absl::StatusOr<std::optional<std::string>> raw = kv_->Get(cf, key);
  if (!raw.ok()) return raw.status();
  return raw->has_value();
}

std::string Serialize(const google::protobuf::MessageLite& m) {
  m.ByteSizeLong();  // SerializeWithCachedSizes needs the sizes cached.
  std::string out;
  {
    google::protobuf::io::StringOutputStream raw(&out);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    m.SerializeWithCachedSizes(&coded);
  }
  return out;
}

void StateWriter::Put(Cf cf, std::string key, const google::protobuf::MessageLite& m) {
  batch_->Put(cf, std::move(key), Serialize(m));
}

void StateWriter::PutCounter(Cf cf, std::string key, int64_t value) {
  batch_->Put(cf, std::move(key), keys::EncodeUint64(static_cast<uint64_t>(value)));
}

void StateWriter::PutRaw(Cf cf, std::string key, std::string value) {
  batch_->Put(cf, std::move(key), std::move(value));
}

void StateWriter::Delete(Cf cf, std::string key) { batch_->Delete(cf, std::move(key)); }

}  // namespace huanxin::ledger
