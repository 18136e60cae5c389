// What a well-formed Program and Purchase are, and lookups on a Program's rules.
// Validation errors are FieldError statuses (INVALID_ARGUMENT) carrying the field path, e.g.
// "program.rules[2].cap_fen"; programme errors use reason INVALID_PROGRAM.
#ifndef HUANXIN_RULES_PROGRAM_RULES_H_
#define HUANXIN_RULES_PROGRAM_RULES_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "huanxin/v1/common.pb.h"

namespace huanxin {

inline constexpr size_t kMaxProgramNameBytes = 200;
inline constexpr int kMaxRulesPerProgram = 256;
inline constexpr int32_t kMaxPerConsumerLimit = 100;
inline constexpr int64_t kMaxVoucherTtlSeconds = int64_t{366} * 24 * 3600;
inline constexpr int32_t kMaxVoucherValidityDays = 366;
inline constexpr int32_t kMaxClaimsPerConsumer = 1000;
inline constexpr int32_t kMaxEmissionStandard = 6;  // 国六
inline constexpr int64_t kMaxPriceFen = int64_t{100'000'000'000};  // ¥1,000,000,000.00
inline constexpr int32_t kMaxEnergyGrade = 5;

// OK when `program` may be created (AdminService.CreateProgram), else the first problem
// found as FieldError("program.<path>", ..., INVALID_PROGRAM):
//   program_id [a-z0-9-]{3,64}; name required, valid UTF-8 text of at most 200 bytes;
//   kind a known value other than KIND_UNSPECIFIED; region_code 6 digits;
//   start_time and end_time set, valid Timestamps, start_time < end_time;
//   voucher_validity_days 0..366; voucher_ttl, when set or when voucher_validity_days is 0,
//   > 0 and <= 366 days; daily_voucher_limit >= 0; per_consumer_total_cap_fen >= 0;
//   limit_group empty or [a-z0-9-]{3,64}; max_claims_per_consumer 0..1000; cost_shares as
//   ValidateCostShares (rules/cost_shares.h); refund_policy a known value, not UNSPECIFIED;
//   1..256 rules; state STATE_UNSPECIFIED, rules_version 0 and no rules_effective_from
//   (they are output only). For each rules[i]:
//   category [a-z0-9_]{1,64}, unique in the programme; grade1/grade2/rate_bp in 0..10000;
//   fixed_amount_fen, cap_fen, price_ceiling_fen >= 0; fixed_amount_fen > 0 or cap_fen > 0;
//   per_consumer_limit 0..100; old_vehicle: max_emission_standard 0..6 and each date, when
//   non-empty, a real "YYYY-MM-DD"; new_vehicle only in CAR_SCRAP and CAR_REPLACEMENT
//   programmes, as ValidateNewVehicleRule (rules/new_vehicle.h).
// ledger_seq (output only) is ignored.
absl::Status ValidateProgram(const v1::Program& program);

using Rules = google::protobuf::RepeatedPtrField<v1::CategoryRule>;

// The rules part of ValidateProgram, for rules on their own (UpdateProgramRules): 1..256
// rules, each well formed and its category unique, errors naming "<field>[i].<name>".
absl::Status ValidateRules(const Rules& rules, const std::string& field);
// The part that depends on the programme's kind: new_vehicle only in car programmes.
absl::Status ValidateRulesForKind(v1::Program::Kind kind, const Rules& rules,
                                  const std::string& field);

// The rule of `program` for `category`, or nullptr when it has none (UNKNOWN_CATEGORY).
// The pointer lives as long as `program` is not modified.
const v1::CategoryRule* FindRule(const v1::Program& program, absl::string_view category);

// What issuing a voucher under `rule` holds out of the budget: fixed_amount_fen when > 0,
// else cap_fen (the most ComputeSubsidy can return).
int64_t HoldFor(const v1::CategoryRule& rule);

// The scope of a programme's per-consumer counts (entitlements, claims, the total cap) in
// storage keys: the programme id, or "group:" + limit_group when the programme has one, so
// programmes of one limit group count together. No programme id contains ':'.
std::string LimitScope(absl::string_view program_id, absl::string_view limit_group);

// When a voucher of `program` issued at `issued_at` expires: with voucher_validity_days N,
// 24:00 (Asia/Shanghai) of the N-th calendar day counting the day of issue; else issued_at +
// voucher_ttl. Never after the programme's end_time: no voucher outlives its programme.
absl::Time VoucherExpiresAt(const v1::Program& program, absl::Time issued_at);

// How many vouchers of this category one consumer may redeem: per_consumer_limit, 0 meaning 1.
int32_t PerConsumerLimit(const v1::CategoryRule& rule);

// OK when `purchase` is well formed, else FieldError("<field>.<name>", ...) with reason
// INVALID_FIELD:
//   category [a-z0-9_]{1,64} (whether the programme has it is the caller's check);
//   price_fen in 1..10^11; energy_grade 0..5;
//   sku text of at most 64 bytes; brand and model text of at most 128 bytes;
//   invoice_number and serial_number printable ASCII without spaces, at most 64 characters;
//   vehicle, when set, as ValidateNewVehicle, and then a non-empty serial_number is a VIN
//   (common/vin.h, reason INVALID_VIN).
// None of the text fields is required here; rules such as requires_serial are the caller's.
// `field` is the path of the purchase in its request, normally "purchase".
absl::Status ValidatePurchase(const v1::Purchase& purchase, absl::string_view field);

}  // namespace huanxin

#endif  // HUANXIN_RULES_PROGRAM_RULES_H_
