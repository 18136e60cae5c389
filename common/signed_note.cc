#include "common/signed_note.h"

#include <cstring>
#include <utility>
#include <vector>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/check.h"
#include "common/secret_file.h"

namespace huanxin::note {
namespace {

constexpr char kSigPrefix[] = "\xE2\x80\x94 ";  // U+2014 em dash, space
constexpr size_t kSigPrefixLen = sizeof kSigPrefix - 1;
constexpr unsigned char kAlgEd25519 = 0x01;
constexpr size_t kKeyIdSize = 4;
constexpr size_t kPublicKeySize = 32;
constexpr size_t kSignatureSize = 64;
constexpr size_t kMaxSignatures = 100;
constexpr size_t kMaxBase64 = 1 << 20;  // far more than any signature or root needs
constexpr size_t kMaxKeyFile = 64 << 10;
constexpr size_t kRootSize = 32;

// ---- Base64 (RFC 4648 section 4, padded) ----

std::string Base64Encode(absl::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '+' || c == '/';
}

// Decodes canonical padded base64; false for anything else (whitespace, missing or extra
// padding, non-zero trailing bits).
bool Base64Decode(absl::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 != 0 || in.size() > kMaxBase64) return false;
  if (in.empty()) return true;
  size_t pad = 0;
  if (in.back() == '=') {
    ++pad;
    if (in[in.size() - 2] == '=') ++pad;
  }
  for (size_t i = 0; i < in.size() - pad; ++i) {
    if (!IsBase64Char(in[i])) return false;
  }
  out->resize(in.size() / 4 * 3);
  // EVP_DecodeBlock counts the padding as decoded zero bytes: drop them.
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out->data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0 || static_cast<size_t>(n) != out->size()) return false;
  out->resize(out->size() - pad);
  return Base64Encode(*out) == in;  // canonical: no stray bits under the padding
}

// ---- Names ----

// Decodes one UTF-8 code point at s[i]; returns its length, or 0 when invalid.
size_t DecodeUtf8(absl::string_view s, size_t i, uint32_t* cp) {
  const auto byte = [&](size_t j) { return static_cast<unsigned char>(s[j]); };
  const unsigned char c = byte(i);
  size_t len;
  uint32_t min;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t j = 1; j < len; ++j) {
    if ((byte(i + j) & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + j) & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

// Unicode White_Space (what Go's unicode.IsSpace accepts).
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

bool IsValidName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size();) {
    uint32_t cp;
    const size_t len = DecodeUtf8(name, i, &cp);
    if (len == 0 || cp < 0x20 || cp == 0x7F || cp == '+' || IsUnicodeSpace(cp)) return false;
    i += len;
  }
  return true;
}

absl::Status CheckName(absl::string_view name) {
  if (!IsValidName(name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "key name \"", name,
        "\" is invalid: it must be non-empty UTF-8 without spaces, '+' or control characters"));
  }
  return absl::OkStatus();
}

// ---- Keys ----

std::string Sha256(absl::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HX_CHECK(EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) == 1,
           "SHA-256 failed");
  return std::string(reinterpret_cast<const char*>(out), len);
}

// SHA-256(name || "\n" || 0x01 || public key)[:4].
std::string KeyId(absl::string_view name, absl::string_view public_key) {
  std::string data = absl::StrCat(name, "\n");
  data.push_back(static_cast<char>(kAlgEd25519));
  data.append(public_key.data(), public_key.size());
  return Sha256(data).substr(0, kKeyIdSize);
}

std::string Hex(absl::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct VerifierKeyParts {
  std::string name;
  std::string key_id;      // 4 bytes
  std::string public_key;  // 32 bytes
};

absl::StatusOr<VerifierKeyParts> ParseVerifierKey(absl::string_view vkey) {
  const auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("verifier key \"", vkey, "\" is malformed: ",
                                                   why));
  };
  const size_t plus1 = vkey.find('+');
  if (plus1 == absl::string_view::npos) return bad("expected <name>+<key id>+<key>");
  const size_t plus2 = vkey.find('+', plus1 + 1);
  if (plus2 == absl::string_view::npos) return bad("expected <name>+<key id>+<key>");
  VerifierKeyParts parts;
  parts.name = std::string(vkey.substr(0, plus1));
  if (!IsValidName(parts.name)) return bad("invalid key name");
  const absl::string_view id_hex = vkey.substr(plus1 + 1, plus2 - plus1 - 1);
  if (id_hex.size() != 2 * kKeyIdSize) return bad("the key id is not 8 hex digits");
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    const int hi = HexValue(id_hex[2 * i]), lo = HexValue(id_hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return bad("the key id is not 8 hex digits");
    parts.key_id.push_back(static_cast<char>(hi << 4 | lo));
  }
  std::string key;
  if (!Base64Decode(vkey.substr(plus2 + 1), &key)) return bad("the key is not base64");
  if (key.empty() || static_cast<unsigned char>(key[0]) != kAlgEd25519) {
    return bad("the key is not an Ed25519 key (type 0x01)");
  }
  if (key.size() != 1 + kPublicKeySize) return bad("an Ed25519 public key has 32 bytes");
  parts.public_key = key.substr(1);
  if (KeyId(parts.name, parts.public_key) != parts.key_id) {
    return bad("the key id does not match the name and public key");
  }
  return parts;
}

bool Ed25519Verify(absl::string_view public_key, absl::string_view message,
                   absl::string_view signature) {
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()),
      public_key.size());
  if (pkey == nullptr) {
    ERR_clear_error();
    return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, pkey) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  return ok;
}

// ---- Key file ----

constexpr char kWhat[] = "note signing key file";

// Never prompts for a passphrase (OpenSSL's default callback reads the terminal).
int NoPassword(char*, int, int, void*) { return 0; }

// PEM PKCS#8 of a fresh Ed25519 key.
absl::StatusOr<std::string> NewKeyPem() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) {
    ERR_clear_error();
    return absl::InternalError("cannot generate an Ed25519 key");
  }
  BIO* bio = BIO_new(BIO_s_secmem());
  std::string pem;
  bool ok = bio != nullptr &&
            PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  if (ok) {
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    ok = n > 0 && data != nullptr;
    if (ok) pem.assign(data, static_cast<size_t>(n));
  }
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  ERR_clear_error();
  if (!ok) return absl::InternalError("cannot encode the Ed25519 key as PEM");
  return pem;
}

// Creates the key file. Returns ALREADY_EXISTS when someone else created it first.
absl::Status CreateKeyFile(const std::string& path) {
  absl::StatusOr<std::string> pem = NewKeyPem();
  if (!pem.ok()) return pem.status();
  return CreateSecretFile(path, kWhat, &*pem);
}

// Reads and parses the key file. The caller owns the returned key.
absl::StatusOr<EVP_PKEY*> ReadKeyFile(const std::string& path) {
  absl::StatusOr<std::string> data = ReadSecretFile(path, kWhat, kMaxKeyFile);
  if (!data.ok()) return data.status();
  const size_t n = data->size();
  EVP_PKEY* pkey = nullptr;
  if (n <= kMaxKeyFile) {
    BIO* bio = BIO_new_mem_buf(data->data(), static_cast<int>(n));
    if (bio != nullptr) pkey = PEM_read_bio_PrivateKey(bio, nullptr, NoPassword, nullptr);
    BIO_free(bio);
  }
  OPENSSL_cleanse(data->data(), data->size());
  ERR_clear_error();
  if (pkey == nullptr || EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(pkey);
    return absl::FailedPreconditionError(absl::StrCat(
        "note signing key file ", path,
        " does not hold an unencrypted Ed25519 private key in PEM (PKCS#8)"));
  }
  return pkey;
}

// ---- Checkpoint fields ----

absl::StatusOr<uint64_t> ParseSize(absl::string_view s) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint line 2 (tree size) \"", s, "\" is not a decimal number without leading zeros"));
  };
  if (s.empty() || s.size() > 20 || (s.size() > 1 && s[0] == '0')) return bad();
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return bad();
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint line 2 (tree size) \"", s, "\" does not fit 64 bits"));
    }
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string CheckpointBody(const Checkpoint& checkpoint) {
  return absl::StrCat(checkpoint.origin, "\n", checkpoint.size, "\n",
                      Base64Encode(checkpoint.root_hash), "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body) {
  if (body.empty() || body.back() != '\n') {
    return absl::InvalidArgumentError("checkpoint text does not end with a newline");
  }
  std::vector<absl::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t nl = body.find('\n', start);
    lines.push_back(body.substr(start, nl - start));
    start = nl + 1;
  }
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint text has ", lines.size(), " lines; it needs origin, tree size and root hash"));
  }
  Checkpoint checkpoint;
  if (lines[0].empty()) return absl::InvalidArgumentError("checkpoint origin (line 1) is empty");
  checkpoint.origin = std::string(lines[0]);
  absl::StatusOr<uint64_t> size = ParseSize(lines[1]);
  if (!size.ok()) return size.status();
  checkpoint.size = *size;
  if (!Base64Decode(lines[2], &checkpoint.root_hash) || checkpoint.root_hash.size() != kRootSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "checkpoint line 3 (root hash) \"", lines[2], "\" is not the base64 of 32 bytes"));
  }
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint extension line ", i + 1, " is empty"));
    }
  }
  return checkpoint;
}

// ---- Signer ----

Signer::Signer(EVP_PKEY* pkey, std::string name) : pkey_(pkey), name_(std::move(name)) {
  unsigned char pub[kPublicKeySize];
  size_t len = sizeof pub;
  HX_CHECK(EVP_PKEY_get_raw_public_key(pkey_, pub, &len) == 1 && len == kPublicKeySize,
           "cannot read the Ed25519 public key");
  public_key_.assign(reinterpret_cast<const char*>(pub), len);
  key_id_ = KeyId(name_, public_key_);
}

absl::StatusOr<Signer> Signer::LoadOrCreate(const std::string& path, std::string name) {
  if (absl::Status s = CheckName(name); !s.ok()) return s;
  absl::StatusOr<bool> exists = SecretFileExists(path, kWhat);
  if (!exists.ok()) return exists.status();
  if (!*exists) {
    absl::Status created = CreateKeyFile(path);
    // Losing a creation race to another process is fine: read what it wrote.
    if (!created.ok() && !absl::IsAlreadyExists(created)) return created;
  }
  absl::StatusOr<EVP_PKEY*> pkey = ReadKeyFile(path);
  if (!pkey.ok()) return pkey.status();
  return Signer(*pkey, std::move(name));
}

absl::StatusOr<Signer> Signer::FromSeedForTesting(absl::string_view seed32, std::string name) {
  if (absl::Status s = CheckName(name); !s.ok()) return s;
  if (seed32.size() != 32) {
    return absl::InvalidArgumentError(
        absl::StrCat("an Ed25519 seed has 32 bytes, not ", seed32.size()));
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed32.data()),
      seed32.size());
  if (pkey == nullptr) {
    ERR_clear_error();
    return absl::InternalError("cannot make an Ed25519 key from the seed");
  }
  return Signer(pkey, std::move(name));
}

Signer::Signer(const Signer& other)
    : pkey_(other.pkey_),
      name_(other.name_),
      public_key_(other.public_key_),
      key_id_(other.key_id_) {
  if (pkey_ != nullptr) EVP_PKEY_up_ref(pkey_);
}

Signer& Signer::operator=(const Signer& other) {
  if (this != &other) {
    if (other.pkey_ != nullptr) EVP_PKEY_up_ref(other.pkey_);
    EVP_PKEY_free(pkey_);
    pkey_ = other.pkey_;
    name_ = other.name_;
    public_key_ = other.public_key_;
    key_id_ = other.key_id_;
  }
  return *this;
}

Signer::Signer(Signer&& other) noexcept
    : pkey_(std::exchange(other.pkey_, nullptr)),
      name_(std::move(other.name_)),
      public_key_(std::move(other.public_key_)),
      key_id_(std::move(other.key_id_)) {}

Signer& Signer::operator=(Signer&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(pkey_);
    pkey_ = std::exchange(other.pkey_, nullptr);
    name_ = std::move(other.name_);
    public_key_ = std::move(other.public_key_);
    key_id_ = std::move(other.key_id_);
  }
  return *this;
}

Signer::~Signer() { EVP_PKEY_free(pkey_); }

std::string Signer::Sign(absl::string_view text) const {
  HX_CHECK(pkey_ != nullptr, "Sign on a moved-from Signer");
  HX_CHECK(!text.empty() && text.back() == '\n', "a note's text must end with a newline");
  unsigned char sig[kSignatureSize];
  size_t sig_len = sizeof sig;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, pkey_) == 1 &&
      EVP_DigestSign(ctx, sig, &sig_len, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size()) == 1;
  EVP_MD_CTX_free(ctx);
  HX_CHECK(ok && sig_len == kSignatureSize, "Ed25519 signing failed");
  const std::string blob =
      absl::StrCat(key_id_, absl::string_view(reinterpret_cast<const char*>(sig), sig_len));
  return absl::StrCat(text, "\n", kSigPrefix, name_, " ", Base64Encode(blob), "\n");
}

std::string Signer::VerifierKey() const {
  std::string key(1, static_cast<char>(kAlgEd25519));
  key += public_key_;
  return absl::StrCat(name_, "+", Hex(key_id_), "+", Base64Encode(key));
}

// ---- Verification ----

absl::StatusOr<std::string> VerifyNote(absl::string_view signed_note,
                                       absl::string_view verifier_key) {
  absl::StatusOr<VerifierKeyParts> key = ParseVerifierKey(verifier_key);
  if (!key.ok()) return key.status();
  const std::string key_label = absl::StrCat(key->name, "+", Hex(key->key_id));
  const auto malformed = [](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("malformed signed note: ", why));
  };

  for (size_t i = 0; i < signed_note.size();) {
    uint32_t cp;
    const size_t len = DecodeUtf8(signed_note, i, &cp);
    if (len == 0) return malformed(absl::StrCat("invalid UTF-8 at byte ", i));
    if (cp < 0x20 && cp != '\n') {
      return malformed(absl::StrCat("control character at byte ", i));
    }
    i += len;
  }
  const size_t split = signed_note.rfind("\n\n");
  if (split == absl::string_view::npos) {
    return malformed("no blank line between the text and the signatures");
  }
  const absl::string_view text = signed_note.substr(0, split + 1);
  absl::string_view sigs = signed_note.substr(split + 2);
  if (sigs.empty()) return malformed("no signature lines after the blank line");
  if (sigs.back() != '\n') return malformed("the last signature line does not end in a newline");

  size_t lines = 0, verified = 0;
  std::vector<std::string> others;
  while (!sigs.empty()) {
    const size_t nl = sigs.find('\n');
    absl::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (++lines > kMaxSignatures) {
      return malformed(absl::StrCat("more than ", kMaxSignatures, " signature lines"));
    }
    if (line.substr(0, kSigPrefixLen) != kSigPrefix) {
      return malformed(absl::StrCat("signature line ", lines, " does not start with \"— \""));
    }
    line.remove_prefix(kSigPrefixLen);
    const size_t space = line.find(' ');
    const absl::string_view name = line.substr(0, space);
    const absl::string_view b64 =
        space == absl::string_view::npos ? absl::string_view() : line.substr(space + 1);
    std::string blob;
    if (!IsValidName(name) || b64.empty() || !Base64Decode(b64, &blob) ||
        blob.size() <= kKeyIdSize) {
      return malformed(absl::StrCat("signature line ", lines,
                                    " is not \"— <key name> <base64 key id and signature>\""));
    }
    const absl::string_view id = absl::string_view(blob).substr(0, kKeyIdSize);
    if (name != key->name || id != key->key_id) {
      // Another key's signature (a witness, a rotated key): ignored, per the spec.
      if (others.size() < 5) others.push_back(absl::StrCat(name, "+", Hex(id)));
      continue;
    }
    const absl::string_view sig = absl::string_view(blob).substr(kKeyIdSize);
    if (sig.size() != kSignatureSize || !Ed25519Verify(key->public_key, text, sig)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the signature by key ", key_label, " (signature line ", lines,
          ") does not verify: the note's text is not what that key signed"));
    }
    ++verified;
  }
  if (verified == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the note has no signature by key ", key_label,
        others.empty() ? "" : absl::StrCat("; it is signed by ", absl::StrJoin(others, ", "))));
  }
  return std::string(text);
}

absl::StatusOr<Checkpoint> VerifyCheckpoint(absl::string_view signed_note,
                                            absl::string_view verifier_key) {
  absl::StatusOr<std::string> text = VerifyNote(signed_note, verifier_key);
  if (!text.ok()) return text.status();
  absl::StatusOr<Checkpoint> checkpoint = ParseCheckpointBody(*text);
  if (!checkpoint.ok()) return checkpoint.status();
  // VerifyNote parsed the key, so the name is everything before the first '+'.
  const absl::string_view key_name = verifier_key.substr(0, verifier_key.find('+'));
  if (checkpoint->origin != key_name) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint origin \"", checkpoint->origin, "\" is not the signing key's name \"",
        key_name, "\""));
  }
  return checkpoint;
}

}  // namespace huanxin::note
