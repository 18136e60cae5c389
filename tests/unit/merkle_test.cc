// RFC 6962 / RFC 9162 Merkle trees: published vectors, the RFC 9162 2.1.5 example, every
// proof of every size up to a few hundred leaves against an independent recursive reference,
// tampering, and out-of-range arguments.
#include "common/merkle.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace huanxin::merkle {
namespace {

Hash H(absl::string_view hex) { return absl::HexStringToBytes(hex); }
std::string Hex(absl::string_view h) { return absl::BytesToHexString(h); }

std::vector<std::string> HexAll(const std::vector<Hash>& v) {
  std::vector<std::string> out;
  for (const Hash& h : v) out.push_back(Hex(h));
  return out;
}

// The RFC 6962 reference leaves and tree heads published with the Certificate Transparency
// and transparency-dev/merkle code (roots for sizes 0..8).
const std::vector<std::string>& ReferenceLeaves() {
  static const auto* leaves = new std::vector<std::string>{
      "",
      std::string(1, '\x00'),
      "\x10",
      "\x20\x21",
      "\x30\x31",
      "\x40\x41\x42\x43",
      "\x50\x51\x52\x53\x54\x55\x56\x57",
      "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
  };
  return *leaves;
}

const char* const kReferenceRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryTree ReferenceTree() {
  MemoryTree tree;
  for (const std::string& leaf : ReferenceLeaves()) tree.Append(LeafHash(leaf));
  return tree;
}

// ---- An independent reference: the RFC's recursive definitions over a vector of leaves ----

Hash RefMth(const std::vector<Hash>& leaves, size_t b, size_t e) {
  if (e == b) return EmptyRoot();
  if (e - b == 1) return leaves[b];
  size_t k = 1;
  while (k * 2 < e - b) k *= 2;
  return NodeHash(RefMth(leaves, b, b + k), RefMth(leaves, b + k, e));
}

// PATH(m, D[b:e]) of RFC 9162 2.1.3.1.
std::vector<Hash> RefPath(const std::vector<Hash>& leaves, size_t m, size_t b, size_t e) {
  if (e - b == 1) return {};
  size_t k = 1;
  while (k * 2 < e - b) k *= 2;
  std::vector<Hash> out;
  if (m < k) {
    out = RefPath(leaves, m, b, b + k);
    out.push_back(RefMth(leaves, b + k, e));
  } else {
    out = RefPath(leaves, m - k, b + k, e);
    out.push_back(RefMth(leaves, b, b + k));
  }
  return out;
}

// SUBPROOF(m, D[b:e], flag) of RFC 9162 2.1.4.1.
std::vector<Hash> RefSubproof(const std::vector<Hash>& leaves, size_t m, size_t b, size_t e,
                              bool flag) {
  const size_t n = e - b;
  if (m == n) return flag ? std::vector<Hash>{} : std::vector<Hash>{RefMth(leaves, b, e)};
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  std::vector<Hash> out;
  if (m <= k) {
    out = RefSubproof(leaves, m, b, b + k, flag);
    out.push_back(RefMth(leaves, b + k, e));
  } else {
    out = RefSubproof(leaves, m - k, b + k, e, false);
    out.push_back(RefMth(leaves, b, b + k));
  }
  return out;
}

std::vector<Hash> Leaves(size_t n) {
  std::vector<Hash> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(absl::StrCat("entry-", i)));
  return leaves;
}

// ---- Hashing and reference roots ----

TEST(MerkleTest, HashesArePrefixedSha256) {
  EXPECT_EQ(Hex(EmptyRoot()), kReferenceRoots[0]);
  EXPECT_EQ(Hex(LeafHash("")), kReferenceRoots[1]);
  EXPECT_EQ(Hex(NodeHash(LeafHash(""), LeafHash(std::string(1, '\0')))), kReferenceRoots[2]);
  EXPECT_EQ(LeafHash("x").size(), kHashSize);
}

TEST(MerkleTest, RootsMatchPublishedVectors) {
  const MemoryTree tree = ReferenceTree();
  ASSERT_EQ(tree.size(), 8u);
  for (uint64_t size = 0; size <= 8; ++size) {
    absl::StatusOr<Hash> root = tree.RootAt(size);
    ASSERT_TRUE(root.ok()) << root.status();
    EXPECT_EQ(Hex(*root), kReferenceRoots[size]) << "size " << size;
  }
  // Growing the tree leaf by leaf gives the same roots.
  MemoryTree grown;
  EXPECT_EQ(Hex(*grown.Root()), kReferenceRoots[0]);
  for (size_t i = 0; i < ReferenceLeaves().size(); ++i) {
    grown.Append(LeafHash(ReferenceLeaves()[i]));
    EXPECT_EQ(Hex(*grown.Root()), kReferenceRoots[i + 1]) << "after leaf " << i;
  }
}

TEST(MerkleTest, InclusionProofsMatchPublishedVectors) {
  const MemoryTree tree = ReferenceTree();
  struct Vector {
    uint64_t index, size;
    std::vector<std::string> proof;
  };
  const Vector vectors[] = {
      {0, 1, {}},
      {0, 8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5, 8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1, 5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const Vector& v : vectors) {
    SCOPED_TRACE(absl::StrCat("leaf ", v.index, " of ", v.size));
    absl::StatusOr<std::vector<Hash>> proof = InclusionProof(v.index, v.size, tree.Subtrees());
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(HexAll(*proof), v.proof);
    EXPECT_TRUE(VerifyInclusion(v.index, v.size, LeafHash(ReferenceLeaves()[v.index]), *proof,
                                H(kReferenceRoots[v.size]))
                    .ok());
  }
}

TEST(MerkleTest, ConsistencyProofsMatchPublishedVectors) {
  const MemoryTree tree = ReferenceTree();
  struct Vector {
    uint64_t first, second;
    std::vector<std::string> proof;
  };
  const Vector vectors[] = {
      {1, 1, {}},
      {1, 8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6, 8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6, 7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  for (const Vector& v : vectors) {
    SCOPED_TRACE(absl::StrCat(v.first, " -> ", v.second));
    absl::StatusOr<std::vector<Hash>> proof =
        ConsistencyProof(v.first, v.second, tree.Subtrees());
    ASSERT_TRUE(proof.ok()) << proof.status();
    EXPECT_EQ(HexAll(*proof), v.proof);
    EXPECT_TRUE(VerifyConsistency(v.first, v.second, H(kReferenceRoots[v.first]),
                                  H(kReferenceRoots[v.second]), *proof)
                    .ok());
  }
}

// ---- RFC 9162 section 2.1.5: the example tree of seven leaves ----
//
//             hash
//            /    \    .
//           k      l
//          / \    / \   .
//         g   h  i   j
//        / \ / \ / \  |
//        a b c d e f  d6
TEST(MerkleTest, Rfc9162Example) {
  std::vector<Hash> d;
  for (int i = 0; i < 7; ++i) d.push_back(LeafHash(absl::StrCat("d", i)));
  const Hash &a = d[0], &b = d[1], &c = d[2], &dd = d[3], &e = d[4], &f = d[5], &j = d[6];
  const Hash g = NodeHash(a, b), h = NodeHash(c, dd), i = NodeHash(e, f);
  const Hash k = NodeHash(g, h), l = NodeHash(i, j);
  const Hash hash = NodeHash(k, l);
  const Hash hash0 = NodeHash(g, c);  // the tree of d0..d2
  const Hash hash1 = k;               // d0..d3
  const Hash hash2 = NodeHash(k, i);  // d0..d5

  MemoryTree tree;
  for (const Hash& leaf : d) tree.Append(leaf);
  EXPECT_EQ(*tree.Root(), hash);
  EXPECT_EQ(*tree.RootAt(3), hash0);
  EXPECT_EQ(*tree.RootAt(4), hash1);
  EXPECT_EQ(*tree.RootAt(6), hash2);

  // Inclusion proofs given in the RFC.
  const struct {
    uint64_t index;
    std::vector<Hash> proof;
  } inclusions[] = {{0, {b, h, l}}, {3, {c, g, l}}, {4, {f, j, k}}, {6, {i, k}}};
  for (const auto& v : inclusions) {
    SCOPED_TRACE(absl::StrCat("d", v.index));
    EXPECT_EQ(*InclusionProof(v.index, 7, tree.Subtrees()), v.proof);
    EXPECT_TRUE(VerifyInclusion(v.index, 7, d[v.index], v.proof, hash).ok());
  }

  // Consistency proofs given in the RFC.
  const struct {
    uint64_t first;
    Hash first_root;
    std::vector<Hash> proof;
  } consistencies[] = {{3, hash0, {c, dd, g, l}}, {4, hash1, {l}}, {6, hash2, {i, j, k}}};
  for (const auto& v : consistencies) {
    SCOPED_TRACE(absl::StrCat(v.first, " -> 7"));
    EXPECT_EQ(*ConsistencyProof(v.first, 7, tree.Subtrees()), v.proof);
    EXPECT_TRUE(VerifyConsistency(v.first, 7, v.first_root, hash, v.proof).ok());
  }
}

// ---- Every proof of every size, against the recursive reference ----

constexpr size_t kMaxLeaves = 300;

TEST(MerkleTest, EveryInclusionProofVerifies) {
  const std::vector<Hash> leaves = Leaves(kMaxLeaves);
  MemoryTree tree;
  for (const Hash& leaf : leaves) tree.Append(leaf);
  for (uint64_t size = 1; size <= kMaxLeaves; ++size) {
    const Hash root = *tree.RootAt(size);
    ASSERT_EQ(root, RefMth(leaves, 0, size)) << "size " << size;
    for (uint64_t index = 0; index < size; ++index) {
      absl::StatusOr<std::vector<Hash>> proof = InclusionProof(index, size, tree.Subtrees());
      ASSERT_TRUE(proof.ok()) << proof.status();
      if (size <= 64) {
        ASSERT_EQ(*proof, RefPath(leaves, index, 0, size));
      }
      absl::Status s = VerifyInclusion(index, size, leaves[index], *proof, root);
      ASSERT_TRUE(s.ok()) << "leaf " << index << " of " << size << ": " << s;
    }
  }
}

TEST(MerkleTest, EveryConsistencyProofVerifies) {
  const std::vector<Hash> leaves = Leaves(kMaxLeaves);
  MemoryTree tree;
  std::vector<Hash> roots = {EmptyRoot()};
  for (const Hash& leaf : leaves) {
    tree.Append(leaf);
    roots.push_back(*tree.Root());
  }
  for (uint64_t second = 1; second <= kMaxLeaves; ++second) {
    for (uint64_t first = 1; first <= second; ++first) {
      absl::StatusOr<std::vector<Hash>> proof = ConsistencyProof(first, second, tree.Subtrees());
      ASSERT_TRUE(proof.ok()) << proof.status();
      if (second <= 64) {
        ASSERT_EQ(*proof, RefSubproof(leaves, first, 0, second, true));
      }
      absl::Status s = VerifyConsistency(first, second, roots[first], roots[second], *proof);
      ASSERT_TRUE(s.ok()) << first << " -> " << second << ": " << s;
    }
  }
}

// ---- Tampering ----

TEST(MerkleTest, TamperedInclusionProofsFail) {
  constexpr size_t kN = 70;
  const std::vector<Hash> leaves = Leaves(kN);
  MemoryTree tree;
  for (const Hash& leaf : leaves) tree.Append(leaf);
  for (uint64_t size = 1; size <= kN; ++size) {
    const Hash root = *tree.RootAt(size);
    for (uint64_t index = 0; index < size; ++index) {
      SCOPED_TRACE(absl::StrCat("leaf ", index, " of ", size));
      const std::vector<Hash> proof = *InclusionProof(index, size, tree.Subtrees());
      const Hash& leaf = leaves[index];
      for (size_t p = 0; p < proof.size(); ++p) {
        for (size_t byte : {size_t{0}, size_t{17}, size_t{31}}) {
          std::vector<Hash> flipped = proof;
          flipped[p][byte] ^= 0x01;
          absl::Status s = VerifyInclusion(index, size, leaf, flipped, root);
          EXPECT_TRUE(absl::IsFailedPrecondition(s)) << "hash " << p << " byte " << byte << s;
        }
      }
      if (index + 1 < size) {
        EXPECT_FALSE(VerifyInclusion(index + 1, size, leaf, proof, root).ok());
      }
      if (index > 0) {
        EXPECT_FALSE(VerifyInclusion(index - 1, size, leaf, proof, root).ok());
      }
      if ((index ^ 2) < size && (index ^ 2) != index) {
        EXPECT_FALSE(VerifyInclusion(index ^ 2, size, leaf, proof, root).ok());
      }
      // Another size, with its own (genuine) root or with this one.
      EXPECT_FALSE(VerifyInclusion(index, size * 2, leaf, proof, root).ok());
      if (index < size / 2) {
        EXPECT_FALSE(VerifyInclusion(index, size / 2, leaf, proof, root).ok());
      }
      if (size < kN) {
        EXPECT_FALSE(VerifyInclusion(index, size + 1, leaf, proof, *tree.RootAt(size + 1)).ok());
      }
      if (index < size - 1) {
        EXPECT_FALSE(VerifyInclusion(index, size - 1, leaf, proof, *tree.RootAt(size - 1)).ok());
      }
      // Another leaf, another root.
      EXPECT_FALSE(VerifyInclusion(index, size, LeafHash("forged"), proof, root).ok());
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, proof, EmptyRoot()).ok());
      // Truncated, extended, padded in front.
      if (!proof.empty()) {
        std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
        EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(index, size, leaf, truncated, root)));
        std::vector<Hash> inserted = proof;
        inserted.insert(inserted.begin() + 1, root);
        EXPECT_FALSE(VerifyInclusion(index, size, leaf, inserted, root).ok());
      }
      std::vector<Hash> extended = proof;
      extended.push_back(root);
      EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(index, size, leaf, extended, root)));
      std::vector<Hash> prefixed = proof;
      prefixed.insert(prefixed.begin(), root);
      EXPECT_FALSE(VerifyInclusion(index, size, leaf, prefixed, root).ok());
    }
  }
}

TEST(MerkleTest, TamperedConsistencyProofsFail) {
  constexpr size_t kN = 70;
  const std::vector<Hash> leaves = Leaves(kN);
  MemoryTree tree;
  std::vector<Hash> roots = {EmptyRoot()};
  for (const Hash& leaf : leaves) {
    tree.Append(leaf);
    roots.push_back(*tree.Root());
  }
  for (uint64_t second = 2; second <= kN; ++second) {
    for (uint64_t first = 1; first < second; ++first) {
      SCOPED_TRACE(absl::StrCat(first, " -> ", second));
      const std::vector<Hash> proof = *ConsistencyProof(first, second, tree.Subtrees());
      const Hash &r1 = roots[first], &r2 = roots[second];
      ASSERT_FALSE(proof.empty());
      for (size_t p = 0; p < proof.size(); ++p) {
        std::vector<Hash> flipped = proof;
        flipped[p][p % 32] ^= 0x10;
        EXPECT_TRUE(absl::IsFailedPrecondition(VerifyConsistency(first, second, r1, r2, flipped)))
            << "hash " << p;
      }
      EXPECT_FALSE(VerifyConsistency(first + 1, second, r1, r2, proof).ok());
      EXPECT_FALSE(VerifyConsistency(first - 1, second, r1, r2, proof).ok());
      if ((first ^ 2) <= second && (first ^ 2) != first) {
        EXPECT_FALSE(VerifyConsistency(first ^ 2, second, r1, r2, proof).ok());
      }
      EXPECT_FALSE(VerifyConsistency(first, second * 2, r1, r2, proof).ok());
      if (first <= second / 2) {
        EXPECT_FALSE(VerifyConsistency(first, second / 2, r1, r2, proof).ok());
      }
      // A rewritten history: a different first or second root.
      EXPECT_TRUE(absl::IsFailedPrecondition(
          VerifyConsistency(first, second, LeafHash("old"), r2, proof)));
      EXPECT_TRUE(absl::IsFailedPrecondition(
          VerifyConsistency(first, second, r1, LeafHash("new"), proof)));
      EXPECT_FALSE(VerifyConsistency(first, second, r2, r1, proof).ok());
      // Truncated, extended, empty, padded in front.
      std::vector<Hash> truncated(proof.begin(), proof.end() - 1);
      EXPECT_FALSE(VerifyConsistency(first, second, r1, r2, truncated).ok());
      std::vector<Hash> extended = proof;
      extended.push_back(r2);
      EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(first, second, r1, r2, extended)));
      std::vector<Hash> prefixed = proof;
      prefixed.insert(prefixed.begin(), proof[0]);
      EXPECT_FALSE(VerifyConsistency(first, second, r1, r2, prefixed).ok());
    }
  }
}

// ---- Arguments out of range, malformed hashes, cost ----

TEST(MerkleTest, OutOfRangeArgumentsAreInvalid) {
  const MemoryTree tree = ReferenceTree();
  const SubtreeFn subtrees = tree.Subtrees();
  const Hash root = *tree.Root();
  const Hash leaf = LeafHash("");
  EXPECT_TRUE(absl::IsInvalidArgument(InclusionProof(0, 0, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(InclusionProof(8, 8, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(InclusionProof(UINT64_MAX, 3, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ConsistencyProof(0, 8, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ConsistencyProof(0, 0, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ConsistencyProof(5, 4, subtrees).status()));
  // Beyond the tree: the SubtreeFn's error comes back, no crash.
  EXPECT_TRUE(absl::IsInvalidArgument(InclusionProof(3, 9, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ConsistencyProof(3, 9, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(RootOf(9, subtrees).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(tree.RootAt(9).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(subtrees(0, 3).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(subtrees(2, 6).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(subtrees(4, 4).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(subtrees(5, 4).status()));
  EXPECT_TRUE(absl::IsInvalidArgument(subtrees(0, 16).status()));

  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(0, 0, leaf, {}, EmptyRoot())));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(8, 8, leaf, {}, root)));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(0, 1, "short", {}, leaf)));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(0, 1, leaf, {}, "short")));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(0, 2, leaf, {"short"}, root)));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyInclusion(0, UINT64_MAX, leaf, {}, root)));
  EXPECT_TRUE(VerifyInclusion(0, 1, leaf, {}, leaf).ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(VerifyInclusion(0, 1, leaf, {}, root)));

  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(0, 0, root, root, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(0, 8, root, root, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(9, 8, root, root, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(1, 8, "x", root, {leaf})));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(1, 8, leaf, root, {})));
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(1, 8, leaf, root, {"x"})));
  EXPECT_TRUE(VerifyConsistency(8, 8, root, root, {}).ok());
  EXPECT_TRUE(absl::IsInvalidArgument(VerifyConsistency(8, 8, root, root, {root})));
  EXPECT_TRUE(absl::IsFailedPrecondition(VerifyConsistency(8, 8, root, leaf, {})));
}

TEST(MerkleTest, MessagesNameWhatMismatched) {
  const MemoryTree tree = ReferenceTree();
  const std::vector<Hash> proof = *InclusionProof(5, 8, tree.Subtrees());
  absl::Status s = VerifyInclusion(5, 8, LeafHash("x"), proof, H(kReferenceRoots[8]));
  EXPECT_NE(s.message().find("leaf 5"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find(kReferenceRoots[8]), absl::string_view::npos) << s;
  s = VerifyConsistency(6, 8, H(kReferenceRoots[5]), H(kReferenceRoots[8]),
                        *ConsistencyProof(6, 8, tree.Subtrees()));
  EXPECT_NE(s.message().find("first root"), absl::string_view::npos) << s;
  EXPECT_NE(s.message().find(kReferenceRoots[5]), absl::string_view::npos) << s;
}

// A SubtreeFn over an imaginary tree whose leaves are all the same, so a subtree's hash
// depends only on its height; it counts calls: roots and proofs cost O(log n) calls, even at
// 2^64 - 1 leaves.
TEST(MerkleTest, ProofsCostLogarithmicSubtreeCalls) {
  std::vector<Hash> by_height = {LeafHash("same")};
  for (int h = 1; h < 64; ++h) by_height.push_back(NodeHash(by_height.back(), by_height.back()));
  int calls = 0;
  const SubtreeFn fake = [&](uint64_t begin, uint64_t end) -> absl::StatusOr<Hash> {
    ++calls;
    const uint64_t len = end - begin;
    EXPECT_TRUE(len != 0 && (len & (len - 1)) == 0 && begin % len == 0) << begin << ".." << end;
    return by_height[__builtin_ctzll(len)];
  };
  for (uint64_t size : {uint64_t{1}, uint64_t{1000003}, (uint64_t{1} << 40) + 12345,
                        UINT64_MAX}) {
    SCOPED_TRACE(size);
    calls = 0;
    ASSERT_TRUE(RootOf(size, fake).ok());
    EXPECT_LE(calls, 64);
    calls = 0;
    absl::StatusOr<std::vector<Hash>> incl = InclusionProof(size / 3, size, fake);
    ASSERT_TRUE(incl.ok());
    EXPECT_LE(calls, 2 * 64);
    EXPECT_TRUE(VerifyInclusion(size / 3, size, by_height[0], *incl,
                                *RootOf(size, fake))
                    .ok());
    calls = 0;
    const uint64_t first = size / 2 + 1;
    absl::StatusOr<std::vector<Hash>> cons = ConsistencyProof(first, size, fake);
    ASSERT_TRUE(cons.ok());
    EXPECT_LE(calls, 2 * 64);
    EXPECT_TRUE(
        VerifyConsistency(first, size, *RootOf(first, fake), *RootOf(size, fake), *cons).ok());
  }
}

TEST(MerkleTest, SubtreeErrorsPassThrough) {
  const SubtreeFn broken = [](uint64_t, uint64_t) -> absl::StatusOr<Hash> {
    return absl::DataLossError("node missing");
  };
  EXPECT_TRUE(absl::IsDataLoss(RootOf(5, broken).status()));
  EXPECT_TRUE(absl::IsDataLoss(InclusionProof(1, 5, broken).status()));
  EXPECT_TRUE(absl::IsDataLoss(ConsistencyProof(3, 5, broken).status()));
  const SubtreeFn short_hash = [](uint64_t, uint64_t) -> absl::StatusOr<Hash> { return "x"; };
  EXPECT_TRUE(absl::IsInternal(RootOf(5, short_hash).status()));
}

}  // namespace
}  // namespace huanxin::merkle
