// Every storage key of Huanxin, in one place. Keys are byte strings; numbers are 8-byte
// big-endian so that they sort numerically. Components that may hold arbitrary bytes come
// last, or are separated by '\0'.
//
// entries  Seq(seq)                                  -> LedgerEntry
// state    "program/" P                              -> Program
//          "merchant/" M                             -> Merchant
//          "recycler/" R                             -> Recycler
//          "voucher/" V                              -> Voucher
//          "redemption/" D                           -> Redemption
//          "receipt/" S                              -> ScrapReceipt
//          "stats/" P                                -> ProgramStats (the programme's books)
//          "account/" A                              -> int64 balance (Uint64 of two's complement)
//          "usage/" S "/" C                          -> ConsumerUsage of consumer ref C in
//                                                      limit scope S (a programme id P, or
//                                                      "group:" G for limit group G)
//          "limit-group/" G                          -> Program.Kind name of the group
//          "program-rules/" P "/" Uint64(version)    -> Program holding only the rules of
//                                                      that version (rules, rules_version,
//                                                      rules_effective_from); written from
//                                                      a programme's first amendment on
//          "settlement/" S                           -> SettlementCreated (settlement + lines)
//          "review/" R                               -> Review
//          "fraud-rules"                             -> FraudRulesState (the rules in force)
//          "sku-prices/" SKU                         -> PriceHistory
//          "terminal/" M "/" T                       -> RecentTimes
//          "identity/" P "/" KIND "/" REF            -> ConsumerSet (KIND: device, phone, card)
//          "merchant-activity/" M                    -> MerchantActivity
//          "voucher-refs/" V                         -> ConsumerRefs of the claimant
// index    "idem/" actor "\0" request_id             -> IdempotencyRecord
//          "entitlements/" S "/" C "/" category      -> count of vouchers using the entitlement
//          "claims/" S "/" C "/" category            -> count of vouchers ever claimed
//          "daily/" P "/" YYYY-MM-DD                 -> vouchers issued that Shanghai day
//          "serial/" SERIAL                          -> redemption id that subsidised it
//          "invoice/" INVOICE                        -> redemption id that used it
//            (serials and invoice numbers upper-cased: "sn1" and "SN1" are one item)
//          "issued/" P "/" V                         -> "" (ISSUED vouchers of a programme)
//          "expiry/" Nanos(expires_at) V             -> "" (ISSUED vouchers by expiry)
//          "unsettled/" M "/" Nanos(redeemed_at) D   -> "" (COMPLETED, not yet settled)
//          "clawback/" P "/" M                       -> fen reversed after settlement, not
//                                                      yet netted by a settlement
//          "reviews/" STATE "/" Seq(opened) R        -> "" (reviews by state, oldest first)
//          "certificate/" NUMBER                     -> receipt id (upper-cased)
//          "scrapped/" KIND "/" SERIAL               -> receipt id that scrapped it (a VIN
//                                                      or appliance SN, upper-cased)
//          "consumer-vouchers/" C "/" V              -> "" (vouchers of a consumer)
//          "by-type/" Type(t) Seq(seq)               -> "" (entries of a type)
//          "by-program/" P "/" Seq(seq)              -> "" (entries about a programme)
//          "by-merchant/" M "/" Seq(seq)             -> "" (entries about a merchant)
//          "by-consumer/" C "/" Seq(seq)             -> "" (entries about a consumer ref)
// tree     Node(level, index)                        -> 32-byte hash of the complete subtree
//                                                      of leaves [index << level, (index + 1) << level)
// meta     "next_seq"                                -> Seq of the next entry
//          "schema_version"                          -> "1"
#ifndef HUANXIN_STORAGE_KEYS_H_
#define HUANXIN_STORAGE_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

namespace huanxin::storage::keys {

inline constexpr char kSchemaVersion[] = "1";

std::string EncodeUint64(uint64_t v);
// nullopt unless `bytes` is exactly 8 bytes.
std::optional<uint64_t> DecodeUint64(absl::string_view bytes);

std::string Seq(int64_t seq);

std::string Program(absl::string_view program_id);
inline constexpr char kProgramPrefix[] = "program/";
std::string Merchant(absl::string_view merchant_id);
std::string Recycler(absl::string_view recycler_id);
std::string Voucher(absl::string_view voucher_id);
std::string Redemption(absl::string_view redemption_id);
std::string Receipt(absl::string_view receipt_id);
std::string Stats(absl::string_view program_id);
std::string Account(absl::string_view account);
// `scope` is LimitScope(program_id, limit_group) (rules/program_rules.h).
std::string Usage(absl::string_view scope, absl::string_view consumer_ref);
std::string LimitGroup(absl::string_view group);
std::string ProgramRules(absl::string_view program_id, int32_t version);

std::string Idempotency(absl::string_view actor, absl::string_view request_id);
std::string Entitlements(absl::string_view scope, absl::string_view consumer_ref,
                         absl::string_view category);
std::string Claims(absl::string_view scope, absl::string_view consumer_ref,
                   absl::string_view category);
std::string Daily(absl::string_view program_id, absl::string_view shanghai_date);
std::string Serial(absl::string_view serial);
std::string Invoice(absl::string_view invoice);
std::string Certificate(absl::string_view number);
// `kind` is the ScrapReceipt.ItemKind name ("VEHICLE", "APPLIANCE").
std::string ScrappedSerial(absl::string_view kind, absl::string_view serial);
std::string IssuedPrefix(absl::string_view program_id);
std::string Issued(absl::string_view program_id, absl::string_view voucher_id);
inline constexpr char kExpiryPrefix[] = "expiry/";
std::string Expiry(int64_t expires_at_unix_nanos, absl::string_view voucher_id);
// The voucher id of an Expiry key.
absl::string_view ExpiryVoucher(absl::string_view key);
std::string UnsettledPrefix(absl::string_view merchant_id);
std::string Unsettled(absl::string_view merchant_id, int64_t redeemed_at_unix_nanos,
                      absl::string_view redemption_id);
std::string Clawback(absl::string_view program_id, absl::string_view merchant_id);
std::string Settlement(absl::string_view settlement_id);
std::string Review(absl::string_view review_id);
std::string ReviewsPrefix(absl::string_view state_name);
std::string ReviewByState(absl::string_view state_name, int64_t opened_seq,
                          absl::string_view review_id);
inline constexpr char kFraudRules[] = "fraud-rules";
std::string SkuPrices(absl::string_view sku);
std::string Terminal(absl::string_view merchant_id, absl::string_view terminal_id);
std::string Identity(absl::string_view program_id, absl::string_view kind, absl::string_view ref);
std::string MerchantActivity(absl::string_view merchant_id);
std::string VoucherRefs(absl::string_view voucher_id);
std::string ConsumerVouchersPrefix(absl::string_view consumer_ref);
std::string ConsumerVoucher(absl::string_view consumer_ref, absl::string_view voucher_id);

// Entry indexes for audit queries: a prefix, then Seq(seq) for each matching entry.
std::string ByTypePrefix(int type);
std::string ByProgramPrefix(absl::string_view program_id);
std::string ByMerchantPrefix(absl::string_view merchant_id);
std::string ByConsumerPrefix(absl::string_view consumer_ref);
// The seq at the end of an entry-index key.
int64_t SeqSuffix(absl::string_view key);

std::string Node(int level, uint64_t index);

inline constexpr char kNextSeq[] = "next_seq";
inline constexpr char kSchemaVersionKey[] = "schema_version";

}  // namespace huanxin::storage::keys

#endif  // HUANXIN_STORAGE_KEYS_H_
