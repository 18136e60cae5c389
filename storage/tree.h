// The ledger's Merkle tree (RFC 6962 / RFC 9162 section 2.1) in the `tree` column family.
// Leaf i is entry seq i; its hash is SHA-256(0x00 || leaf_data), leaf_data being the entry's
// stored bytes. Appending a leaf stores the hash of every complete subtree it completes
// (2n hashes in all), so any complete aligned subtree is one read and a root or proof of any
// size takes O(log n) reads, with no rebuild.
#ifndef HUANXIN_STORAGE_TREE_H_
#define HUANXIN_STORAGE_TREE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "common/merkle.h"
#include "storage/batch.h"
#include "storage/db.h"

namespace huanxin::storage {

// Adds leaf `index` to the tree in `batch`.
// REQUIRES: leaves 0..index-1 are in the tree (committed or in `batch`).
absl::Status AppendLeaf(Batch* batch, uint64_t index, absl::string_view leaf_hash);

// The complete subtrees stored in `kv` (which must outlive the function).
merkle::SubtreeFn StoredSubtrees(const KvReader* kv);

}  // namespace huanxin::storage

#endif  // HUANXIN_STORAGE_TREE_H_
