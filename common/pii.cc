#include "common/pii.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/secret_file.h"

namespace huanxin {
namespace {

constexpr char kHex[] = "0123456789abcdef";

std::string ToHex(const unsigned char* p, size_t n) {
  std::string out(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[p[i] >> 4];
    out[2 * i + 1] = kHex[p[i] & 0xf];
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr char kWhat[] = "PII key file";

// Creates the key file. Returns ALREADY_EXISTS when someone else created it first.
absl::Status CreateKeyFile(const std::string& path) {
  unsigned char key[PiiKey::kKeySize];
  if (RAND_bytes(key, sizeof key) != 1) {
    return absl::InternalError("RAND_bytes failed while creating the PII key");
  }
  std::string text = ToHex(key, sizeof key) + "\n";
  OPENSSL_cleanse(key, sizeof key);

  return CreateSecretFile(path, kWhat, &text);
}

absl::StatusOr<std::string> ReadKeyFile(const std::string& path) {
  // The largest valid file is 64 hex digits and a newline.
  absl::StatusOr<std::string> data = ReadSecretFile(path, kWhat, 2 * PiiKey::kKeySize + 1);
  if (!data.ok()) return data.status();
  const char* const buf = data->data();
  const size_t n = data->size();

  std::string key;
  size_t hex_len = n;
  if (hex_len == 2 * PiiKey::kKeySize + 1 && buf[hex_len - 1] == '\n') --hex_len;
  if (hex_len == 2 * PiiKey::kKeySize) {
    key.resize(PiiKey::kKeySize);
    for (size_t i = 0; i < PiiKey::kKeySize; ++i) {
      const int hi = HexValue(buf[2 * i]);
      const int lo = HexValue(buf[2 * i + 1]);
      if (hi < 0 || lo < 0) {
        key.clear();
        break;
      }
      key[i] = static_cast<char>(hi << 4 | lo);
    }
  } else if (n == PiiKey::kKeySize) {
    key.assign(buf, n);
  }
  OPENSSL_cleanse(data->data(), data->size());
  if (key.size() != PiiKey::kKeySize) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PII key file ", path, " must hold 32 raw bytes or 64 hex digits (", n,
        " bytes found)"));
  }
  return key;
}

}  // namespace

absl::StatusOr<PiiKey> PiiKey::LoadOrCreate(const std::string& path) {
  absl::StatusOr<bool> exists = SecretFileExists(path, kWhat);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    absl::Status created = CreateKeyFile(path);
    // Losing a creation race to another process is fine: read what it wrote.
    if (!created.ok() && !absl::IsAlreadyExists(created)) return created;
  }
  absl::StatusOr<std::string> key = ReadKeyFile(path);
  if (!key.ok()) return key.status();
  return PiiKey(*std::move(key));
}

PiiKey PiiKey::ForTesting(std::string key_bytes) { return PiiKey(std::move(key_bytes)); }

PiiKey::~PiiKey() {
  if (!key_.empty()) OPENSSL_cleanse(key_.data(), key_.size());
}

std::string PiiKey::Ref(absl::string_view clear) const {
  if (clear.empty()) return "";
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  // HMAC() with a NULL key pointer uses an empty key; pass a valid pointer even when empty.
  static const unsigned char kEmpty = 0;
  const unsigned char* key =
      key_.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key_.data());
  if (HMAC(EVP_sha256(), key, static_cast<int>(key_.size()),
           reinterpret_cast<const unsigned char*>(clear.data()), clear.size(), mac,
           &mac_len) == nullptr ||
      mac_len < kRefBytes) {
    // Only on a broken OpenSSL; there is no sensible ref to return.
    std::abort();
  }
  std::string ref = ToHex(mac, kRefBytes);
  OPENSSL_cleanse(mac, sizeof mac);
  return ref;
}

}  // namespace huanxin
