// RFC 6962 Merkle trees as RFC 9162 section 2.1 restates them: the tree hash (MTH), inclusion
// proofs (PATH) and consistency proofs (SUBPROOF), and their verification.
//
// Hashes are 32-byte SHA-256 digests held in std::string. A tree of n leaves splits at k, the
// largest power of two smaller than n: MTH(D[0:n]) = NodeHash(MTH(D[0:k]), MTH(D[k:n])).
//
// The proof generators read the tree only through a SubtreeFn, which returns the hash of one
// complete aligned subtree (storage keeps every such hash, so each call is one read). Every
// root and proof takes O(log n) calls.
//
// Errors:
//   INVALID_ARGUMENT    an argument out of range (index >= size, first > second, size 0 for a
//                       proof) or malformed (a hash that is not 32 bytes, a proof of the wrong
//                       length for its sizes). Never a crash.
//   FAILED_PRECONDITION a well-formed proof that does not verify: the root it leads to is not
//                       the one given. The message names the sizes and both hashes (hex).
//   whatever the SubtreeFn returns, unchanged.
#ifndef HUANXIN_COMMON_MERKLE_H_
#define HUANXIN_COMMON_MERKLE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace huanxin::merkle {

using Hash = std::string;  // 32 bytes
inline constexpr size_t kHashSize = 32;

// SHA-256(0x00 || leaf_data).
Hash LeafHash(absl::string_view leaf_data);
// SHA-256(0x01 || left || right).
Hash NodeHash(absl::string_view left, absl::string_view right);
// SHA-256(""), the hash of the empty tree.
Hash EmptyRoot();

// Returns MTH of leaves [begin, end) for any complete aligned subtree: end - begin is a power
// of two and begin is a multiple of it. Storage implements it from stored nodes (O(1) reads).
// The functions below call it only for subtrees that lie inside the size they were given.
using SubtreeFn = std::function<absl::StatusOr<Hash>(uint64_t begin, uint64_t end)>;

// MTH(D[0:size]); EmptyRoot() for size 0. O(log size) calls of `subtree`.
absl::StatusOr<Hash> RootOf(uint64_t size, const SubtreeFn& subtree);

// The inclusion proof of leaf `index` in the tree of `size` leaves: RFC 9162 2.1.3.1
// (RFC 6962 PATH), the leaf's sibling first and the root's child last.
// REQUIRES (else INVALID_ARGUMENT): index < size.
absl::StatusOr<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                                 const SubtreeFn& subtree);

// The consistency proof from the tree of `first` leaves to that of `second`: RFC 9162
// 2.1.4.1 (RFC 6962 PROOF = SUBPROOF(first, D[0:second], true)); empty when first == second.
// REQUIRES (else INVALID_ARGUMENT): 1 <= first <= second.
absl::StatusOr<std::vector<Hash>> ConsistencyProof(uint64_t first, uint64_t second,
                                                   const SubtreeFn& subtree);

// RFC 9162 2.1.3.2: OK when `proof` shows that `leaf_hash` is leaf `index` of the tree of
// `size` leaves whose root is `root`.
absl::Status VerifyInclusion(uint64_t index, uint64_t size, absl::string_view leaf_hash,
                             const std::vector<Hash>& proof, absl::string_view root);

// RFC 9162 2.1.4.2: OK when `proof` shows that the tree of `first` leaves with root
// `first_root` is a prefix of the tree of `second` leaves with root `second_root`.
// When first == second the proof must be empty and the roots equal.
// REQUIRES (else INVALID_ARGUMENT): 1 <= first <= second.
absl::Status VerifyConsistency(uint64_t first, uint64_t second, absl::string_view first_root,
                               absl::string_view second_root, const std::vector<Hash>& proof);

// An in-memory tree for the verifier and tests. Keeps the hash of every complete subtree,
// level by level (2n hashes); Append is O(1) amortized. Not thread-safe.
class MemoryTree {
 public:
  // Appends a leaf by its hash (LeafHash(leaf_data)). REQUIRES: leaf_hash is 32 bytes.
  void Append(Hash leaf_hash);
  uint64_t size() const;
  // MTH of the whole tree (EmptyRoot() when empty).
  absl::StatusOr<Hash> Root() const;
  // MTH of the first `size` leaves. INVALID_ARGUMENT when size > this->size().
  absl::StatusOr<Hash> RootAt(uint64_t size) const;
  // This tree's complete subtrees, for the proof functions. The function refers to *this,
  // which must outlive it; it sees leaves appended later. INVALID_ARGUMENT for a range that
  // is not a complete aligned subtree of the current tree.
  SubtreeFn Subtrees() const;

 private:
  absl::StatusOr<Hash> Subtree(uint64_t begin, uint64_t end) const;

  // levels_[h][i] is MTH(D[i * 2^h : (i + 1) * 2^h]); levels_[0] holds the leaf hashes.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace huanxin::merkle

#endif  // HUANXIN_COMMON_MERKLE_H_
