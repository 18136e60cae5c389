#include "storage/tree.h"

#include "absl/strings/str_cat.h"
#include "storage/keys.h"

namespace huanxin::storage {

absl::Status AppendLeaf(Batch* batch, uint64_t index, absl::string_view leaf_hash) {
  std::string hash(leaf_hash);
  batch->Put(Cf::kTree, keys::Node(0, index), hash);
  // Leaf `index` completes the subtree of level l when index + 1 is a multiple of 2^l; its
  // left half is the subtree just before the one we hold.
  uint64_t i = index;
  for (int level = 1; (i & 1) == 1; ++level, i >>= 1) {
    auto left = batch->Get(Cf::kTree, keys::Node(level - 1, i - 1));
    if (!left.ok()) return left.status();
    if (!left->has_value()) {
      return absl::DataLossError(absl::StrCat("tree node ", level - 1, "/", i - 1, " is missing"));
    }
    hash = merkle::NodeHash(**left, hash);
    batch->Put(Cf::kTree, keys::Node(level, i >> 1), hash);
  }
  return absl::OkStatus();
}

merkle::SubtreeFn StoredSubtrees(const KvReader* kv) {
  return [kv](uint64_t begin, uint64_t end) -> absl::StatusOr<merkle::Hash> {
    const uint64_t len = end - begin;
    int level = 0;
    while ((uint64_t{1} << level) < len) ++level;
    if (len == 0 || (uint64_t{1} << level) != len || begin % len != 0) {
      return absl::InternalError(absl::StrCat("not a complete subtree: ", begin, "..", end));
    }
    auto node = kv->Get(Cf::kTree, keys::Node(level, begin >> level));
    if (!node.ok()) return node.status();
    if (!node->has_value()) {
      return absl::DataLossError(absl::StrCat("tree node ", level, "/", begin >> level,
                                              " is missing"));
    }
    return **node;
  };
}

}  // namespace huanxin::storage
