#include "rules/program_rules.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "common/shanghai_time.h"
#include "common/status.h"
#include "common/validate.h"
#include "common/vin.h"
#include "rules/cost_shares.h"
#include "rules/new_vehicle.h"

namespace huanxin {
namespace {

// Timestamp's documented range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
constexpr int64_t kMinTimestampSeconds = -62135596800;
constexpr int64_t kMaxTimestampSeconds = 253402300799;
constexpr int32_t kNanosPerSecond = 1000000000;

absl::Status Invalid(absl::string_view field, absl::string_view detail) {
  return FieldError(field, detail, reason::kInvalidProgram);
}

bool ValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= kMinTimestampSeconds && t.seconds() <= kMaxTimestampSeconds &&
         t.nanos() >= 0 && t.nanos() < kNanosPerSecond;
}

bool Before(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return a.seconds() < b.seconds() || (a.seconds() == b.seconds() && a.nanos() < b.nanos());
}

absl::Status ValidateVoucherTtl(const v1::Program& p) {
  constexpr char kField[] = "program.voucher_ttl";
  if (p.voucher_validity_days() < 0 || p.voucher_validity_days() > kMaxVoucherValidityDays) {
    return Invalid("program.voucher_validity_days", "must be 1..366 (0 = use voucher_ttl)");
  }
  if (!p.has_voucher_ttl()) {
    if (p.voucher_validity_days() > 0) return absl::OkStatus();
    return Invalid(kField, "required unless voucher_validity_days is set");
  }
  const google::protobuf::Duration& d = p.voucher_ttl();
  const bool sane_nanos = d.nanos() > -kNanosPerSecond && d.nanos() < kNanosPerSecond &&
                          !(d.seconds() > 0 && d.nanos() < 0) &&
                          !(d.seconds() < 0 && d.nanos() > 0);
  if (!sane_nanos) return Invalid(kField, "not a valid Duration");
  if (d.seconds() < 0 || (d.seconds() == 0 && d.nanos() <= 0)) {
    return Invalid(kField, "must be positive");
  }
  if (d.seconds() > kMaxVoucherTtlSeconds ||
      (d.seconds() == kMaxVoucherTtlSeconds && d.nanos() > 0)) {
    return Invalid(kField, "must be at most 366 days");
  }
  return absl::OkStatus();
}

absl::Status ValidateBasisPoints(const std::string& field, int32_t bp) {
  if (bp < 0 || bp > 10000) return Invalid(field, "must be 0..10000 basis points");
  return absl::OkStatus();
}

absl::Status ValidateNonNegative(const std::string& field, int64_t fen) {
  if (fen < 0) return Invalid(field, "must not be negative");
  return absl::OkStatus();
}

absl::Status ValidateVehicleEligibility(const std::string& prefix,
                                        const v1::VehicleEligibility& v) {
  if (v.max_emission_standard() < 0 || v.max_emission_standard() > kMaxEmissionStandard) {
    return Invalid(absl::StrCat(prefix, ".max_emission_standard"), "must be 0..6");
  }
  const std::pair<const char*, const std::string*> dates[] = {
      {"petrol_registered_by", &v.petrol_registered_by()},
      {"diesel_registered_by", &v.diesel_registered_by()},
      {"nev_registered_by", &v.nev_registered_by()},
      {"owned_since_by", &v.owned_since_by()},
      {"other_registered_by", &v.other_registered_by()},
  };
  for (const auto& [name, value] : dates) {
    if (value->empty()) continue;
    absl::Status s =
        ValidateDate(absl::StrCat(prefix, ".", name), *value, reason::kInvalidProgram);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ValidateRule(const std::string& prefix, const v1::CategoryRule& r) {
  absl::Status s =
      ValidateCategory(absl::StrCat(prefix, ".category"), r.category(), reason::kInvalidProgram);
  if (!s.ok()) return s;
  const std::pair<const char*, int32_t> rates[] = {
      {"grade1_rate_bp", r.grade1_rate_bp()},
      {"grade2_rate_bp", r.grade2_rate_bp()},
      {"rate_bp", r.rate_bp()},
  };
  for (const auto& [name, bp] : rates) {
    s = ValidateBasisPoints(absl::StrCat(prefix, ".", name), bp);
    if (!s.ok()) return s;
  }
  const std::pair<const char*, int64_t> amounts[] = {
      {"fixed_amount_fen", r.fixed_amount_fen()},
      {"cap_fen", r.cap_fen()},
      {"price_ceiling_fen", r.price_ceiling_fen()},
  };
  for (const auto& [name, fen] : amounts) {
    s = ValidateNonNegative(absl::StrCat(prefix, ".", name), fen);
    if (!s.ok()) return s;
  }
  if (r.fixed_amount_fen() == 0 && r.cap_fen() == 0) {
    return Invalid(absl::StrCat(prefix, ".cap_fen"),
                   "a rule needs fixed_amount_fen > 0 or cap_fen > 0 to bound its hold");
  }
  if (r.per_consumer_limit() < 0 || r.per_consumer_limit() > kMaxPerConsumerLimit) {
    return Invalid(absl::StrCat(prefix, ".per_consumer_limit"), "must be 0..100 (0 means 1)");
  }
  if (r.has_old_vehicle()) {
    s = ValidateVehicleEligibility(absl::StrCat(prefix, ".old_vehicle"), r.old_vehicle());
    if (!s.ok()) return s;
  }
  if (r.has_new_vehicle()) {
    s = ValidateNewVehicleRule(absl::StrCat(prefix, ".new_vehicle"), r.new_vehicle());
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProgram(const v1::Program& p) {
  const absl::string_view kInvalid = reason::kInvalidProgram;
  absl::Status s = ValidateSlug("program.program_id", p.program_id(), kInvalid);
  if (!s.ok()) return s;
  s = ValidateText("program.name", p.name(), kMaxProgramNameBytes, /*required=*/true, kInvalid);
  if (!s.ok()) return s;
  if (p.kind() == v1::Program::KIND_UNSPECIFIED || !v1::Program::Kind_IsValid(p.kind())) {
    return Invalid("program.kind", "must be one of CAR_SCRAP, CAR_REPLACEMENT, APPLIANCE, "
                                   "DIGITAL, HOME_RENOVATION");
  }
  s = ValidateRegionCode("program.region_code", p.region_code(), kInvalid);
  if (!s.ok()) return s;
  if (!p.has_start_time()) return Invalid("program.start_time", "required");
  if (!ValidTimestamp(p.start_time())) return Invalid("program.start_time", "not a valid time");
  if (!p.has_end_time()) return Invalid("program.end_time", "required");
  if (!ValidTimestamp(p.end_time())) return Invalid("program.end_time", "not a valid time");
  if (!Before(p.start_time(), p.end_time())) {
    return Invalid("program.end_time", "must be after start_time");
  }
  s = ValidateVoucherTtl(p);
  if (!s.ok()) return s;
  if (p.daily_voucher_limit() < 0) {
    return Invalid("program.daily_voucher_limit", "must not be negative (0 = no limit)");
  }
  if (p.per_consumer_total_cap_fen() < 0) {
    return Invalid("program.per_consumer_total_cap_fen", "must not be negative (0 = no cap)");
  }
  if (!p.limit_group().empty()) {
    s = ValidateSlug("program.limit_group", p.limit_group(), kInvalid);
    if (!s.ok()) return s;
  }
  if (p.max_claims_per_consumer() < 0 || p.max_claims_per_consumer() > kMaxClaimsPerConsumer) {
    return Invalid("program.max_claims_per_consumer", "must be 0..1000 (0 = no cap)");
  }
  s = ValidateCostShares("program.cost_shares", p.cost_shares());
  if (!s.ok()) return s;
  if (p.refund_policy() == v1::Program::REFUND_POLICY_UNSPECIFIED ||
      !v1::Program::RefundPolicy_IsValid(p.refund_policy())) {
    return Invalid("program.refund_policy",
                   "must be ENTITLEMENT_CONSUMED or ENTITLEMENT_RESTORED");
  }
  if (p.state() != v1::Program::STATE_UNSPECIFIED) {
    return Invalid("program.state", "is output only; leave it unset");
  }
  if (p.rules_version() != 0 || p.has_rules_effective_from()) {
    return Invalid("program.rules_version",
                   "is output only (UpdateProgramRules makes new versions); leave it unset");
  }
  s = ValidateRules(p.rules(), "program.rules");
  if (!s.ok()) return s;
  return ValidateRulesForKind(p.kind(), p.rules(), "program.rules");
}

absl::Status ValidateRules(const Rules& rules, const std::string& field) {
  if (rules.empty()) return Invalid(field, "at least one rule is required");
  if (rules.size() > kMaxRulesPerProgram) {
    return Invalid(field, absl::StrCat("at most ", kMaxRulesPerProgram, " rules"));
  }
  std::set<absl::string_view> categories;
  for (int i = 0; i < rules.size(); ++i) {
    const std::string prefix = absl::StrCat(field, "[", i, "]");
    absl::Status s = ValidateRule(prefix, rules[i]);
    if (!s.ok()) return s;
    if (!categories.insert(rules[i].category()).second) {
      return Invalid(absl::StrCat(prefix, ".category"),
                     absl::StrCat("category ", rules[i].category(), " appears twice"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRulesForKind(v1::Program::Kind kind, const Rules& rules,
                                  const std::string& field) {
  for (int i = 0; i < rules.size(); ++i) {
    if (rules[i].has_new_vehicle() && kind != v1::Program::CAR_SCRAP &&
        kind != v1::Program::CAR_REPLACEMENT) {
      return Invalid(absl::StrCat(field, "[", i, "].new_vehicle"),
                     "only CAR_SCRAP and CAR_REPLACEMENT programmes have new-car rules");
    }
  }
  return absl::OkStatus();
}

const v1::CategoryRule* FindRule(const v1::Program& program, absl::string_view category) {
  for (const v1::CategoryRule& r : program.rules()) {
    if (r.category() == category) return &r;
  }
  return nullptr;
}

int64_t HoldFor(const v1::CategoryRule& rule) {
  return rule.fixed_amount_fen() > 0 ? rule.fixed_amount_fen() : rule.cap_fen();
}

std::string LimitScope(absl::string_view program_id, absl::string_view limit_group) {
  if (limit_group.empty()) return std::string(program_id);
  return absl::StrCat("group:", limit_group);
}

absl::Time VoucherExpiresAt(const v1::Program& program, absl::Time issued_at) {
  const absl::Time expires =
      program.voucher_validity_days() > 0
          ? ShanghaiStartOfDay(ShanghaiDay(issued_at) + program.voucher_validity_days())
          : issued_at + FromProto(program.voucher_ttl());
  return std::min(expires, FromProto(program.end_time()));
}

int32_t PerConsumerLimit(const v1::CategoryRule& rule) {
  return rule.per_consumer_limit() > 0 ? rule.per_consumer_limit() : 1;
}

absl::Status ValidatePurchase(const v1::Purchase& p, absl::string_view field) {
  auto path = [field](absl::string_view name) { return absl::StrCat(field, ".", name); };
  absl::Status s = ValidateCategory(path("category"), p.category());
  if (!s.ok()) return s;
  if (p.price_fen() <= 0) return FieldError(path("price_fen"), "must be positive");
  if (p.price_fen() > kMaxPriceFen) {
    return FieldError(path("price_fen"), "must be at most 100000000000 fen");
  }
  if (p.energy_grade() < 0 || p.energy_grade() > kMaxEnergyGrade) {
    return FieldError(path("energy_grade"), "must be 0..5 (0 = not energy-labelled)");
  }
  s = ValidateText(path("sku"), p.sku(), 64, /*required=*/false);
  if (!s.ok()) return s;
  s = ValidateCode(path("invoice_number"), p.invoice_number(), 64, /*required=*/false);
  if (!s.ok()) return s;
  s = ValidateCode(path("serial_number"), p.serial_number(), 64, /*required=*/false);
  if (!s.ok()) return s;
  if (p.has_vehicle()) {
    s = ValidateNewVehicle(path("vehicle"), p.vehicle());
    if (!s.ok()) return s;
    // A car's serial is its VIN.
    if (!p.serial_number().empty()) {
      s = ValidateVin(path("serial_number"), p.serial_number());
      if (!s.ok()) return s;
    }
  }
  s = ValidateText(path("brand"), p.brand(), 128, /*required=*/false);
  if (!s.ok()) return s;
  return ValidateText(path("model"), p.model(), 128, /*required=*/false);
}

}  // namespace huanxin
