// Signed notes (c2sp.org/signed-note) with Ed25519 keys, and transparency-log checkpoints
// (c2sp.org/tlog-checkpoint) carried in them. Interoperable with golang.org/x/mod/sumdb/note:
// its verifier keys, signatures and notes are ours byte for byte.
//
// A signed note is a text ending in "\n", a blank line, then one or more signature lines
//   "— <key name> <base64(4-byte key id || 64-byte Ed25519 signature of the text)>\n"
// (U+2014 em dash, space). The key id is the first 4 bytes of
// SHA-256(key name || "\n" || 0x01 || 32-byte public key). A verifier key is
//   "<key name>+<8 lowercase hex digits of the key id>+<base64(0x01 || public key)>".
// Key names are non-empty, valid UTF-8, with no Unicode space, no '+' and no control
// character. Base64 is RFC 4648 standard with padding; decoding accepts only the canonical
// encoding.
//
// Errors:
//   INVALID_ARGUMENT    a malformed note, checkpoint, verifier key or key name.
//   FAILED_PRECONDITION a well-formed note that does not verify: no signature by the key, a
//                       signature by the key that is wrong, or a checkpoint whose origin is
//                       not the key's name. Messages name the key and what mismatched.
#ifndef HUANXIN_COMMON_SIGNED_NOTE_H_
#define HUANXIN_COMMON_SIGNED_NOTE_H_

#include <openssl/types.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin::note {

// A transparency log's signed tree head.
struct Checkpoint {
  std::string origin;     // the log's identity, e.g. "huanxin.binzhou/ledger"
  uint64_t size = 0;      // number of leaves
  std::string root_hash;  // 32-byte RFC 6962 root of the first `size` leaves
};

// "<origin>\n<size>\n<base64 root>\n" (c2sp.org/tlog-checkpoint), the text a Signer signs.
// REQUIRES: origin non-empty without "\n"; root_hash 32 bytes.
std::string CheckpointBody(const Checkpoint& checkpoint);

// Parses a checkpoint text (a note's text, final newline included). Extension lines after
// the third are allowed (they must be non-empty) and ignored. INVALID_ARGUMENT, naming the
// line, when the origin is empty, the size is not canonical decimal (no sign, no leading
// zero) that fits 64 bits, or the root is not the base64 of 32 bytes.
absl::StatusOr<Checkpoint> ParseCheckpointBody(absl::string_view body);

// An Ed25519 signing key with its key name. Copies share the key (EVP_PKEY_up_ref); the key
// is never modified after construction, so const methods may run concurrently.
class Signer {
 public:
  // Loads the Ed25519 private key at `path` (PEM PKCS#8, "BEGIN PRIVATE KEY"). When no file
  // exists there, generates a key and writes it with O_CREAT|O_EXCL, mode 0600, fsync (and
  // the directory's fsync); the directory must exist. `name` is the key name, normally the
  // checkpoint origin.
  // Errors: INVALID_ARGUMENT for a bad key name; FAILED_PRECONDITION when the file is not a
  // regular file, is group/other-accessible, or holds no Ed25519 PEM private key; the
  // errno's code when it cannot be read or written. Messages name the path, never the key.
  static absl::StatusOr<Signer> LoadOrCreate(const std::string& path, std::string name);

  // The key whose RFC 8032 seed is `seed32` (32 bytes; INVALID_ARGUMENT otherwise).
  static absl::StatusOr<Signer> FromSeedForTesting(absl::string_view seed32, std::string name);

  Signer(const Signer& other);
  Signer& operator=(const Signer& other);
  Signer(Signer&& other) noexcept;
  Signer& operator=(Signer&& other) noexcept;
  ~Signer();

  // The complete signed note: text + "\n" + one signature line by this key.
  // REQUIRES: text ends with "\n" (aborts otherwise: a programming error).
  std::string Sign(absl::string_view text) const;

  // "<name>+<8 hex key id>+<base64(0x01 || 32-byte public key)>".
  std::string VerifierKey() const;

  const std::string& name() const { return name_; }

 private:
  Signer(EVP_PKEY* pkey, std::string name);  // takes ownership of pkey

  EVP_PKEY* pkey_ = nullptr;
  std::string name_;
  std::string public_key_;  // 32 bytes
  std::string key_id_;      // 4 bytes
};

// Checks that `signed_note` carries a valid signature by the key `verifier_key` (other
// signature lines ignored; a note with none by this key fails, and so does a note with a
// bad one by this key) and returns the note's text (everything before the blank line, with
// its final newline). At most 100 signature lines.
absl::StatusOr<std::string> VerifyNote(absl::string_view signed_note,
                                       absl::string_view verifier_key);

// VerifyNote + ParseCheckpointBody, and the origin must equal the key name.
absl::StatusOr<Checkpoint> VerifyCheckpoint(absl::string_view signed_note,
                                            absl::string_view verifier_key);

}  // namespace huanxin::note

#endif  // HUANXIN_COMMON_SIGNED_NOTE_H_
