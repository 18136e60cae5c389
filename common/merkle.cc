#include "common/merkle.h"

#include <algorithm>
#include <utility>

#include <openssl/evp.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/check.h"

namespace huanxin::merkle {
namespace {

Hash Sha256(absl::string_view prefix, absl::string_view a, absl::string_view b) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  const bool ok = ctx != nullptr && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, prefix.data(), prefix.size()) == 1 &&
                  EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
                  EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, out, &out_len) == 1;
  EVP_MD_CTX_free(ctx);
  HX_CHECK(ok && out_len == kHashSize, "SHA-256 failed");  // only on a broken OpenSSL
  return Hash(reinterpret_cast<const char*>(out), out_len);
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// The largest power of two smaller than n. REQUIRES: n >= 2.
uint64_t Split(uint64_t n) { return uint64_t{1} << (63 - __builtin_clzll(n - 1)); }

std::string Hex(absl::string_view hash) { return absl::BytesToHexString(hash); }

absl::Status CheckHashSize(absl::string_view hash, absl::string_view what) {
  if (hash.size() != kHashSize) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " has ", hash.size(), " bytes; a SHA-256 hash has 32"));
  }
  return absl::OkStatus();
}

// subtree(begin, end), with its answer checked for size.
absl::StatusOr<Hash> Complete(const SubtreeFn& subtree, uint64_t begin, uint64_t end) {
  absl::StatusOr<Hash> hash = subtree(begin, end);
  if (hash.ok() && hash->size() != kHashSize) {
    return absl::InternalError(absl::StrCat("the hash of subtree [", begin, ", ", end, ") has ",
                                            hash->size(), " bytes"));
  }
  return hash;
}

// MTH(D[begin:end]). REQUIRES: begin < end, and begin is a multiple of the smallest power of
// two >= end - begin (true of every range the RFC's recursions visit from [0, n)), so each
// left part of the right spine is a complete aligned subtree. O(log(end - begin)) calls.
absl::StatusOr<Hash> RangeHash(uint64_t begin, uint64_t end, const SubtreeFn& subtree) {
  std::vector<Hash> lefts;
  while (!IsPowerOfTwo(end - begin)) {
    const uint64_t k = Split(end - begin);
    absl::StatusOr<Hash> left = Complete(subtree, begin, begin + k);
    if (!left.ok()) return left.status();
    lefts.push_back(*std::move(left));
    begin += k;
  }
  absl::StatusOr<Hash> hash = Complete(subtree, begin, end);
  if (!hash.ok()) return hash.status();
  for (size_t i = lefts.size(); i-- > 0;) *hash = NodeHash(lefts[i], *hash);
  return hash;
}

}  // namespace

Hash LeafHash(absl::string_view leaf_data) {
  static constexpr char kLeafPrefix[1] = {0x00};
  return Sha256(absl::string_view(kLeafPrefix, 1), leaf_data, "");
}

Hash NodeHash(absl::string_view left, absl::string_view right) {
  static constexpr char kNodePrefix[1] = {0x01};
  return Sha256(absl::string_view(kNodePrefix, 1), left, right);
}

Hash EmptyRoot() { return Sha256("", "", ""); }

absl::StatusOr<Hash> RootOf(uint64_t size, const SubtreeFn& subtree) {
  if (size == 0) return EmptyRoot();
  return RangeHash(0, size, subtree);
}

absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 const SubtreeFn& subtree) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no inclusion proof for leaf ", index, " in a tree of size ", size));
  }
  // Walk from the root down to the leaf, taking each sibling; the RFC lists them leaf first.
  std::vector<Hash> proof;
  uint64_t begin = 0, end = size;
  while (end - begin > 1) {
    const uint64_t k = Split(end - begin);
    absl::StatusOr<Hash> sibling;
    if (index < begin + k) {
      sibling = RangeHash(begin + k, end, subtree);
      end = begin + k;
    } else {
      sibling = Complete(subtree, begin, begin + k);
      begin += k;
    }
    if (!sibling.ok()) return sibling.status();
    proof.push_back(*std::move(sibling));
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

absl::StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t first, uint64_t second,
                                                   const SubtreeFn& subtree) {
  if (first == 0 || first > second) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no consistency proof from size ", first, " to size ", second,
        "; the first size must be in 1..second"));
  }
  // SUBPROOF(m, D[begin:end], whole), unrolled from the root down; reversed at the end.
  std::vector<Hash> proof;
  uint64_t m = first, begin = 0, end = second;
  bool whole = true;  // the RFC's flag b: the range is the whole first tree's root path
  while (true) {
    const uint64_t n = end - begin;
    if (m == n) {
      // Only reached after moving left, so [begin, end) is a complete subtree.
      if (!whole) {
        absl::StatusOr<Hash> hash = Complete(subtree, begin, end);
        if (!hash.ok()) return hash.status();
        proof.push_back(*std::move(hash));
      }
      break;
    }
    const uint64_t k = Split(n);
    absl::StatusOr<Hash> hash;
    if (m <= k) {
      hash = RangeHash(begin + k, end, subtree);
      end = begin + k;
    } else {
      hash = Complete(subtree, begin, begin + k);
      m -= k;
      begin += k;
      whole = false;
    }
    if (!hash.ok()) return hash.status();
    proof.push_back(*std::move(hash));
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

absl::Status VerifyInclusion(uint64_t index, uint64_t size, absl::string_view leaf_hash,
                             const std::vector<Hash>& proof, absl::string_view root) {
  if (index >= size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf index ", index, " is not in a tree of size ", size));
  }
  if (absl::Status s = CheckHashSize(leaf_hash, "the leaf hash"); !s.ok()) return s;
  if (absl::Status s = CheckHashSize(root, "the root hash"); !s.ok()) return s;
  for (size_t i = 0; i < proof.size(); ++i) {
    if (absl::Status s = CheckHashSize(proof[i], absl::StrCat("inclusion proof hash ", i));
        !s.ok()) {
      return s;
    }
  }
  const auto wrong_length = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "inclusion proof for leaf ", index, " in a tree of size ", size, " has ", proof.size(),
        " hashes, which is the wrong number for that leaf and size"));
  };
  // RFC 9162 2.1.3.2.
  uint64_t fn = index, sn = size - 1;
  Hash r(leaf_hash);
  for (const Hash& p : proof) {
    if (sn == 0) return wrong_length();
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return wrong_length();
  if (r != root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "inclusion proof for leaf ", index, " (hash ", Hex(leaf_hash), ") in a tree of size ",
        size, " leads to root ", Hex(r), ", not the expected root ", Hex(root)));
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(uint64_t first, uint64_t second, absl::string_view first_root,
                               absl::string_view second_root, const std::vector<Hash>& proof) {
  if (first == 0 || first > second) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot check consistency from size ", first, " to size ", second,
        "; the first size must be in 1..second"));
  }
  if (absl::Status s = CheckHashSize(first_root, "the first root hash"); !s.ok()) return s;
  if (absl::Status s = CheckHashSize(second_root, "the second root hash"); !s.ok()) return s;
  for (size_t i = 0; i < proof.size(); ++i) {
    if (absl::Status s = CheckHashSize(proof[i], absl::StrCat("consistency proof hash ", i));
        !s.ok()) {
      return s;
    }
  }
  if (first == second) {
    if (!proof.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "consistency proof between two trees of size ", first, " must be empty; it has ",
          proof.size(), " hashes"));
    }
    if (first_root != second_root) {
      return absl::FailedPreconditionError(absl::StrCat(
          "two trees of size ", first, " have different roots: ", Hex(first_root), " and ",
          Hex(second_root)));
    }
    return absl::OkStatus();
  }
  const auto wrong_length = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "consistency proof from size ", first, " to size ", second, " has ", proof.size(),
        " hashes, which is the wrong number for those sizes"));
  };
  if (proof.empty()) return wrong_length();

  // RFC 9162 2.1.4.2. When `first` is a power of two its root is the proof's first node.
  std::vector<absl::string_view> path;
  path.reserve(proof.size() + 1);
  if (IsPowerOfTwo(first)) path.push_back(first_root);
  for (const Hash& h : proof) path.push_back(h);
  uint64_t fn = first - 1, sn = second - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr(path[0]), sr(path[0]);
  for (size_t i = 1; i < path.size(); ++i) {
    const absl::string_view c = path[i];
    if (sn == 0) return wrong_length();
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return wrong_length();
  if (fr != first_root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "consistency proof from size ", first, " to size ", second, " leads to first root ",
        Hex(fr), ", not the expected ", Hex(first_root)));
  }
  if (sr != second_root) {
    return absl::FailedPreconditionError(absl::StrCat(
        "consistency proof from size ", first, " to size ", second, " leads to second root ",
        Hex(sr), ", not the expected ", Hex(second_root)));
  }
  return absl::OkStatus();
}

void MemoryTree::Append(Hash leaf_hash) {
  HX_CHECK(leaf_hash.size() == kHashSize, "MemoryTree::Append needs a 32-byte leaf hash");
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(std::move(leaf_hash));
  // A level with an even count just completed a pair: hash it into the level above.
  for (size_t h = 0; levels_[h].size() % 2 == 0; ++h) {
    if (levels_.size() == h + 1) levels_.emplace_back();
    const std::vector<Hash>& level = levels_[h];
    Hash parent = NodeHash(level[level.size() - 2], level.back());
    levels_[h + 1].push_back(std::move(parent));
  }
}

uint64_t MemoryTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

absl::StatusOr<Hash> MemoryTree::Root() const { return RootAt(size()); }

absl::StatusOr<Hash> MemoryTree::RootAt(uint64_t size) const {
  if (size > this->size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "no root for size ", size, ": the tree has ", this->size(), " leaves"));
  }
  return RootOf(size, Subtrees());
}

SubtreeFn MemoryTree::Subtrees() const {
  return [this](uint64_t begin, uint64_t end) { return Subtree(begin, end); };
}

absl::StatusOr<Hash> MemoryTree::Subtree(uint64_t begin, uint64_t end) const {
  const uint64_t len = end - begin;
  if (end <= begin || !IsPowerOfTwo(len) || begin % len != 0 || end > size()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "[", begin, ", ", end, ") is not a complete subtree of a tree of size ", size()));
  }
  const int level = __builtin_ctzll(len);
  return levels_[level][begin >> level];
}

}  // namespace huanxin::merkle
