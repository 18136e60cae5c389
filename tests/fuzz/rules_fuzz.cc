// libFuzzer target: request validation. The input is a huanxin.v1.Program and a Purchase
// (serialized; the first two bytes, little-endian, are the Program's length). ValidateProgram and
// ValidatePurchase must answer without crashing or sanitizer reports; when both accept and
// the programme has the purchase's category, ComputeSubsidy must keep its contract: a
// refusal, or an amount in [0, price_fen].
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <algorithm>

#include "huanxin/v1/common.pb.h"
#include "rules/program_rules.h"
#include "rules/subsidy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t split = std::min<size_t>(size - 2, data[0] | (data[1] << 8));
  huanxin::v1::Program program;
  huanxin::v1::Purchase purchase;
  if (!program.ParseFromArray(data + 2, static_cast<int>(split))) return 0;
  purchase.ParseFromArray(data + 2 + split, static_cast<int>(size - 2 - split));
  const bool program_ok = huanxin::ValidateProgram(program).ok();
  const bool purchase_ok = huanxin::ValidatePurchase(purchase, "purchase").ok();
  if (!program_ok || !purchase_ok) return 0;
  const huanxin::v1::CategoryRule* rule = huanxin::FindRule(program, purchase.category());
  if (rule == nullptr) return 0;
  if (huanxin::HoldFor(*rule) < 0 || huanxin::PerConsumerLimit(*rule) < 1) std::abort();
  auto subsidy = huanxin::ComputeSubsidy(*rule, purchase, program.per_consumer_total_cap_fen());
  if (subsidy.ok() && (*subsidy < 0 || *subsidy > purchase.price_fen())) std::abort();
  return 0;
}
