// libFuzzer target: 居民身份证号 validation. Any bytes: no crash; an accepted number
// normalizes to 18 characters whose last is the check character of the first 17.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/id_number.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string id(reinterpret_cast<const char*>(data), size);
  if (!huanxin::ValidateIdNumber(id, "consumer.id_number").ok()) return 0;
  const std::string n = huanxin::NormalizeIdNumber(id);
  if (n.size() != 18) std::abort();
  if (huanxin::IdNumberCheckChar(n.substr(0, 17)) != n[17]) std::abort();
  return 0;
}
