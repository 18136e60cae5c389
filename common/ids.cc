#include "common/ids.h"

#include <openssl/rand.h>

#include "common/check.h"

namespace huanxin {

std::string NewId(absl::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  unsigned char bytes[16];
  HX_CHECK(RAND_bytes(bytes, sizeof bytes) == 1, "RAND_bytes failed");
  std::string id(prefix);
  id += '-';
  for (unsigned char b : bytes) id += kAlphabet[b & 31];
  return id;
}

}  // namespace huanxin
