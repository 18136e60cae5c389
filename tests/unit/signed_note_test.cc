// Signed notes and checkpoints: the golang.org/x/mod/sumdb/note vectors, round trips,
// tampering, malformed input, and the key file.
#include "common/signed_note.h"

#include <sys/stat.h>
#include <unistd.h>

#include <openssl/sha.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/merkle.h"
#include "gtest/gtest.h"
#include "tests/temp_dir.h"

namespace huanxin::note {
namespace {

// From golang.org/x/mod/sumdb/note's tests.
constexpr char kPeterKey[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kPeterSkeyB64[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";  // 0x01 || seed
constexpr char kEnochKey[] = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
constexpr char kText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kPeterSig[] =
    "— PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
constexpr char kEnochSig[] =
    "— EnochRoot "
    "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

std::string PeterSeed() {
  std::string skey;
  EXPECT_TRUE(absl::Base64Unescape(kPeterSkeyB64, &skey));
  EXPECT_EQ(skey.size(), 33u);
  return skey.substr(1);
}

Signer TestSigner(std::string name, char seed_byte = 7) {
  absl::StatusOr<Signer> signer = Signer::FromSeedForTesting(std::string(32, seed_byte), name);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return *std::move(signer);
}

Checkpoint TestCheckpoint(std::string origin = "huanxin.binzhou/ledger") {
  return Checkpoint{std::move(origin), 42, merkle::LeafHash("root")};
}

// ---- The Go reference vectors ----

TEST(SignedNoteTest, ReproducesGoSumdbNoteByteForByte) {
  absl::StatusOr<Signer> from_seed = Signer::FromSeedForTesting(PeterSeed(), "PeterNeumann");
  ASSERT_TRUE(from_seed.ok()) << from_seed.status();
  EXPECT_EQ(from_seed->VerifierKey(), kPeterKey);
  EXPECT_EQ(from_seed->Sign(kText), absl::StrCat(kText, "\n", kPeterSig));
  EXPECT_EQ(from_seed->name(), "PeterNeumann");
}

TEST(SignedNoteTest, VerifiesGoSumdbNotes) {
  const std::string note = absl::StrCat(kText, "\n", kPeterSig, kEnochSig);
  absl::StatusOr<std::string> text = VerifyNote(note, kPeterKey);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, kText);
  text = VerifyNote(note, kEnochKey);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, kText);
  // Peter's key on a note Enoch alone signed: no signature by the key.
  absl::Status s = VerifyNote(absl::StrCat(kText, "\n", kEnochSig), kPeterKey).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_NE(s.message().find("PeterNeumann+c74f20a3"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find("EnochRoot+af0cfe78"), absl::string_view::npos) << s;
}

TEST(SignedNoteTest, RejectsMangledVerifierKeys) {
  const std::string vkey = kPeterKey;
  const std::string note = absl::StrCat(kText, "\n", kPeterSig);
  for (size_t i = 0; i <= vkey.size(); ++i) {
    for (size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(VerifyNote(note, vkey.substr(i, j - i)).ok()) << vkey.substr(i, j - i);
    }
  }
  for (size_t i = 0; i < vkey.size(); ++i) {
    std::string bad = vkey;
    ++bad[i];
    EXPECT_FALSE(VerifyNote(note, bad).ok()) << bad;
  }
  // Wrong key length and unknown algorithm, each with a matching key id (from Go's tests).
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyNote(note, "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==")
          .status()));
  EXPECT_TRUE(absl::IsInvalidArgument(
      VerifyNote(note, "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .status()));
}

TEST(SignedNoteTest, RejectsMalformedNotes) {
  const std::string text = kText, sig = kPeterSig;
  const std::string bad[] = {
      text,
      text + "\n",
      text + "\n" + sig.substr(0, sig.size() - 1),
      "\x01" + text + "\n" + sig,
      "\xff" + text + "\n" + sig,
      text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      text + "\n" + sig + "Unexpected line.\n",
      text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
      text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n",
      text + "\n" + "— PeterNeumann\n",
      text + "\n" + "— PeterNeumann \n",
      text + "\n" + "— PeterNeumann AAAA\n",
      text + "\r\n" + sig,
  };
  for (const std::string& note : bad) {
    absl::Status s = VerifyNote(note, kPeterKey).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << note << "\n" << s;
  }
  // Too many signatures.
  std::string many = text + "\n";
  for (int i = 0; i < 101; ++i) many += sig;
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyNote(many, kPeterKey).status()));
  // 100 copies are fine.
  many = text + "\n";
  for (int i = 0; i < 100; ++i) many += sig;
  EXPECT_TRUE(VerifyNote(many, kPeterKey).ok());
}

TEST(SignedNoteTest, BadSignatureByTheKeyFailsEvenBesideAGoodOne) {
  std::string sig = kPeterSig;
  sig.insert(60, "ABCD");
  absl::Status s = VerifyNote(absl::StrCat(kText, "\n", sig), kPeterKey).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  s = VerifyNote(absl::StrCat(kText, "\n", kPeterSig, sig), kPeterKey).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  // But a bad signature by some other key is ignored.
  std::string enoch = kEnochSig;
  enoch.insert(60, "ABCD");
  EXPECT_TRUE(VerifyNote(absl::StrCat(kText, "\n", kPeterSig, enoch), kPeterKey).ok());
}

// ---- Round trips and tampering ----

TEST(SignedNoteTest, CheckpointRoundTrip) {
  const Signer signer = TestSigner("huanxin.binzhou/ledger");
  const Checkpoint cp = TestCheckpoint();
  const std::string body = CheckpointBody(cp);
  EXPECT_EQ(body, absl::StrCat("huanxin.binzhou/ledger\n42\n",
                               absl::Base64Escape(cp.root_hash), "\n"));
  const std::string note = signer.Sign(body);
  EXPECT_EQ(note.substr(0, body.size() + 1), body + "\n");
  EXPECT_EQ(note.substr(body.size() + 1, 5 + signer.name().size()),
            absl::StrCat("\xE2\x80\x94 ", signer.name(), " "));
  absl::StatusOr<Checkpoint> got = VerifyCheckpoint(note, signer.VerifierKey());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->origin, cp.origin);
  EXPECT_EQ(got->size, cp.size);
  EXPECT_EQ(got->root_hash, cp.root_hash);
  absl::StatusOr<std::string> text = VerifyNote(note, signer.VerifierKey());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, body);
}

TEST(SignedNoteTest, WrongKeyFails) {
  const Signer signer = TestSigner("huanxin.binzhou/ledger", 1);
  const Signer other = TestSigner("huanxin.binzhou/ledger", 2);  // same name, another key
  const Signer stranger = TestSigner("someone.else/log", 1);      // same key, another name
  const std::string note = signer.Sign(CheckpointBody(TestCheckpoint()));
  for (const Signer* s : {&other, &stranger}) {
    absl::Status status = VerifyCheckpoint(note, s->VerifierKey()).status();
    EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  }
}

TEST(SignedNoteTest, AlteredNotesFail) {
  const Signer signer = TestSigner("huanxin.binzhou/ledger");
  const std::string vkey = signer.VerifierKey();
  const std::string note = signer.Sign(CheckpointBody(TestCheckpoint()));
  ASSERT_TRUE(VerifyCheckpoint(note, vkey).ok());
  const std::string altered[] = {
      absl::StrReplaceAll(note, {{"\n42\n", "\n43\n"}}),
      absl::StrReplaceAll(note, {{"\n42\n", "\n4200\n"}}),
      absl::StrReplaceAll(note, {{"huanxin.binzhou/ledger\n42", "huanxin.binzhou/ledgeR\n42"}}),
      absl::StrCat("extra line\n", note),
      absl::StrReplaceAll(note, {{"\n\n", "\nextension\n\n"}}),
  };
  for (const std::string& n : altered) {
    ASSERT_NE(n, note);
    absl::Status s = VerifyCheckpoint(n, vkey).status();
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << n << s;
  }
  // A flipped bit in the root hash's base64 or in the signature.
  for (size_t i = 0; i < note.size(); ++i) {
    if (note[i] == '\n' || static_cast<unsigned char>(note[i]) >= 0x80) continue;
    std::string n = note;
    n[i] = n[i] == 'A' ? 'B' : 'A';
    if (n == note) continue;
    EXPECT_FALSE(VerifyCheckpoint(n, vkey).ok()) << "byte " << i;
  }
}

TEST(SignedNoteTest, OriginMustBeTheKeyName) {
  const Signer signer = TestSigner("huanxin.binzhou/ledger");
  const std::string note = signer.Sign(CheckpointBody(TestCheckpoint("huanxin.other/ledger")));
  EXPECT_TRUE(VerifyNote(note, signer.VerifierKey()).ok());
  absl::Status s = VerifyCheckpoint(note, signer.VerifierKey()).status();
  EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
  EXPECT_NE(s.message().find("huanxin.other/ledger"), absl::string_view::npos) << s;
}

TEST(SignedNoteTest, CosignedNotesVerifyWithEitherKey) {
  const Signer log = TestSigner("huanxin.binzhou/ledger", 1);
  const Signer witness = TestSigner("witness.example/w1", 2);
  const std::string body = CheckpointBody(TestCheckpoint());
  const std::string witness_note = witness.Sign(body);
  const std::string cosigned = log.Sign(body) + witness_note.substr(body.size() + 1);
  EXPECT_TRUE(VerifyCheckpoint(cosigned, log.VerifierKey()).ok());
  EXPECT_TRUE(VerifyNote(cosigned, witness.VerifierKey()).ok());
}

TEST(SignedNoteTest, VerifierKeyFormat) {
  const Signer signer = TestSigner("huanxin.binzhou/ledger");
  const std::string vkey = signer.VerifierKey();
  const std::string prefix = "huanxin.binzhou/ledger+";
  ASSERT_EQ(vkey.substr(0, prefix.size()), prefix);
  const std::string id = vkey.substr(prefix.size(), 8);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  ASSERT_EQ(vkey[prefix.size() + 8], '+');
  std::string key;
  ASSERT_TRUE(absl::Base64Unescape(vkey.substr(prefix.size() + 9), &key));
  ASSERT_EQ(key.size(), 33u);
  EXPECT_EQ(key[0], '\x01');
  EXPECT_EQ(absl::Base64Escape(key), vkey.substr(prefix.size() + 9));
  // The key id is SHA-256(name || "\n" || 0x01 || public key)[:4].
  const std::string preimage = "huanxin.binzhou/ledger\n" + key;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(preimage.data()), preimage.size(), digest);
  EXPECT_EQ(id, absl::BytesToHexString(
                    absl::string_view(reinterpret_cast<const char*>(digest), 4)));
}

TEST(SignedNoteTest, RejectsBadKeyNamesAndSeeds) {
  for (const char* name : {"", "a b", "a+b", "tab\tname", "nbsp\xC2\xA0name", "ideographic\xE3\x80\x80",
                           "bad\xFFutf8", "new\nline"}) {
    EXPECT_TRUE(absl::IsInvalidArgument(
        Signer::FromSeedForTesting(std::string(32, 'x'), name).status()))
        << name;
  }
  EXPECT_TRUE(Signer::FromSeedForTesting(std::string(32, 'x'), "汉字/台账").ok());
  EXPECT_TRUE(absl::IsInvalidArgument(Signer::FromSeedForTesting("short", "n").status()));
}

TEST(SignedNoteTest, SignersCopyAndMove) {
  Signer a = TestSigner("a.example/log", 1);
  const std::string vkey = a.VerifierKey();
  Signer copy = a;
  Signer assigned = TestSigner("b.example/log", 2);
  assigned = a;
  const Signer& alias = assigned;
  assigned = alias;  // self-assignment
  Signer moved = std::move(a);
  Signer move_assigned = TestSigner("c.example/log", 3);
  move_assigned = std::move(copy);
  { Signer temp = moved; }  // a copy destroyed while others live
  for (const Signer* s : {&assigned, &moved, &move_assigned}) {
    EXPECT_EQ(s->VerifierKey(), vkey);
    EXPECT_TRUE(VerifyNote(s->Sign("hello\n"), vkey).ok());
  }
}

// ---- Checkpoint parsing ----

TEST(SignedNoteTest, ParsesCheckpointBodies) {
  const std::string root64 = absl::Base64Escape(std::string(32, '\x5a'));
  absl::StatusOr<Checkpoint> cp =
      ParseCheckpointBody(absl::StrCat("o\n0\n", root64, "\nextension one\nanother\n"));
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->origin, "o");
  EXPECT_EQ(cp->size, 0u);
  EXPECT_EQ(cp->root_hash, std::string(32, '\x5a'));
  cp = ParseCheckpointBody(absl::StrCat("o\n18446744073709551615\n", root64, "\n"));
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(cp->size, UINT64_MAX);

  const std::string bad[] = {
      "",
      absl::StrCat("o\n1\n", root64),             // no final newline
      "o\n1\n",                                   // no root
      absl::StrCat("\n1\n", root64, "\n"),        // empty origin
      absl::StrCat("o\n01\n", root64, "\n"),      // leading zero
      absl::StrCat("o\n+1\n", root64, "\n"),      // sign
      absl::StrCat("o\n-1\n", root64, "\n"),
      absl::StrCat("o\n 1\n", root64, "\n"),
      absl::StrCat("o\n\n", root64, "\n"),
      absl::StrCat("o\n18446744073709551616\n", root64, "\n"),  // 2^64
      absl::StrCat("o\n99999999999999999999\n", root64, "\n"),
      absl::StrCat("o\n1\n", absl::Base64Escape(std::string(31, 'x')), "\n"),
      absl::StrCat("o\n1\n", absl::Base64Escape(std::string(33, 'x')), "\n"),
      absl::StrCat("o\n1\n", root64.substr(0, 43), "\n"),  // padding dropped
      absl::StrCat("o\n1\n", root64.substr(0, 42), "B=\n"),  // stray bits under the padding
      absl::StrCat("o\n1\n ", root64, "\n"),
      absl::StrCat("o\n1\n", root64, "\n\nextension\n"),  // empty extension line
  };
  for (const std::string& body : bad) {
    absl::Status s = ParseCheckpointBody(body).status();
    EXPECT_TRUE(absl::IsInvalidArgument(s)) << body << s;
  }
}

// ---- Key file ----

class SignerKeyFileTest : public ::testing::Test {
 protected:
  std::string Path(const char* name) const { return dir_.path() + "/" + name; }
  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  testing::TempDir dir_;
};

TEST_F(SignerKeyFileTest, CreatesA0600KeyAndReloadsIt) {
  const std::string path = Path("checkpoint.key");
  absl::StatusOr<Signer> created = Signer::LoadOrCreate(path, "huanxin.binzhou/ledger");
  ASSERT_TRUE(created.ok()) << created.status();
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadFile(path).rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);

  absl::StatusOr<Signer> reloaded = Signer::LoadOrCreate(path, "huanxin.binzhou/ledger");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(reloaded->VerifierKey(), created->VerifierKey());
  const std::string note = created->Sign(CheckpointBody(TestCheckpoint()));
  EXPECT_TRUE(VerifyCheckpoint(note, reloaded->VerifierKey()).ok());
  EXPECT_EQ(reloaded->Sign(CheckpointBody(TestCheckpoint())), note);  // Ed25519 is deterministic

  // Another path, another key.
  absl::StatusOr<Signer> other = Signer::LoadOrCreate(Path("other.key"), "huanxin.binzhou/ledger");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->VerifierKey(), created->VerifierKey());
}

TEST_F(SignerKeyFileTest, RefusesUnsafeOrBadFiles) {
  const std::string path = Path("checkpoint.key");
  ASSERT_TRUE(Signer::LoadOrCreate(path, "n").ok());
  for (mode_t mode : {0640, 0604, 0660}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    absl::Status s = Signer::LoadOrCreate(path, "n").status();
    EXPECT_TRUE(absl::IsFailedPrecondition(s)) << s;
    EXPECT_NE(s.message().find(path), absl::string_view::npos) << s;
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(Signer::LoadOrCreate(path, "n").ok());

  const std::string garbage = Path("garbage.key");
  {
    std::ofstream out(garbage);
    out << "not a key\n";
  }
  ASSERT_EQ(::chmod(garbage.c_str(), 0600), 0);
  EXPECT_TRUE(absl::IsFailedPrecondition(Signer::LoadOrCreate(garbage, "n").status()));

  EXPECT_TRUE(absl::IsFailedPrecondition(Signer::LoadOrCreate(dir_.path(), "n").status()));
  EXPECT_FALSE(Signer::LoadOrCreate(Path("missing-dir/key"), "n").ok());
  EXPECT_TRUE(absl::IsInvalidArgument(Signer::LoadOrCreate(Path("x.key"), "bad name").status()));
  EXPECT_NE(::access(Path("x.key").c_str(), F_OK), 0);  // nothing created for a bad name
}

}  // namespace
}  // namespace huanxin::note
