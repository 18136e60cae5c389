// libFuzzer target: the subsidy rule, on rules and purchases built field by field (so every
// input is a well-typed rule, unlike the serialized ones of rules_fuzz). Whenever the
// programme holding the rule and the purchase validate, ComputeSubsidy must refuse or return
// an amount in [0, min(price_fen, the hold)] for percentage rules, never crash or overflow.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>

#include "huanxin/v1/common.pb.h"
#include "rules/program_rules.h"
#include "rules/subsidy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  huanxin::v1::Program program;
  program.set_program_id("p-fuzz");
  program.set_name("fuzz");
  program.set_kind(huanxin::v1::Program::APPLIANCE);
  program.set_region_code("371600");
  program.mutable_start_time()->set_seconds(1700000000);
  program.mutable_end_time()->set_seconds(1800000000);
  program.mutable_voucher_ttl()->set_seconds(86400);
  program.set_refund_policy(huanxin::v1::Program::ENTITLEMENT_CONSUMED);
  program.set_per_consumer_total_cap_fen(in.ConsumeIntegral<int64_t>());
  huanxin::v1::CategoryRule* rule = program.add_rules();
  rule->set_category("refrigerator");
  rule->set_grade1_rate_bp(in.ConsumeIntegral<int32_t>());
  rule->set_grade2_rate_bp(in.ConsumeIntegral<int32_t>());
  rule->set_rate_bp(in.ConsumeIntegral<int32_t>());
  rule->set_cap_fen(in.ConsumeIntegral<int64_t>());
  rule->set_fixed_amount_fen(in.ConsumeBool() ? in.ConsumeIntegral<int64_t>() : 0);
  rule->set_price_ceiling_fen(in.ConsumeBool() ? in.ConsumeIntegral<int64_t>() : 0);
  huanxin::v1::Purchase purchase;
  purchase.set_category("refrigerator");
  purchase.set_price_fen(in.ConsumeIntegral<int64_t>());
  purchase.set_energy_grade(in.ConsumeIntegralInRange<int32_t>(-1, 6));
  const int64_t remaining = in.ConsumeIntegral<int64_t>();
  if (!huanxin::ValidateProgram(program).ok()) return 0;
  if (!huanxin::ValidatePurchase(purchase, "purchase").ok()) return 0;
  auto subsidy = huanxin::ComputeSubsidy(*rule, purchase, remaining);
  if (!subsidy.ok()) return 0;
  if (*subsidy < 0 || *subsidy > purchase.price_fen()) std::abort();
  if (rule->fixed_amount_fen() == 0 && *subsidy > huanxin::HoldFor(*rule)) std::abort();
  return 0;
}
