#include "common/ids.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>

#include "common/check.h"

namespace huanxin {

namespace {

// CSPRNG output drawn 4 KiB at a time, per thread: one RAND_bytes call (with its locking and
// provider lookups) serves 256 ids on the writer thread instead of one. Bytes are wiped as
// they are handed out. Not fork-safe (a child would repeat the parent's next ids): nothing
// in Huanxin forks after minting an id.
void RandomBytes(unsigned char* out, size_t n) {
  thread_local unsigned char pool[4096];
  thread_local size_t used = sizeof pool;
  HX_CHECK(n <= sizeof pool, "RandomBytes: request larger than the pool");
  if (sizeof pool - used < n) {
    HX_CHECK(RAND_bytes(pool, sizeof pool) == 1, "RAND_bytes failed");
    used = 0;
  }
  std::memcpy(out, pool + used, n);
  OPENSSL_cleanse(pool + used, n);  // handed out once only
  used += n;
}

}  // namespace

std::string NewId(absl::string_view prefix) {
  static constexpr char kAlphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  unsigned char bytes[16];
  RandomBytes(bytes, sizeof bytes);
  std::string id(prefix);
  id += '-';
  for (unsigned char b : bytes) id += kAlphabet[b & 31];
  return id;
}

}  // namespace huanxin
