// storage::Batch, the writer's view: the committed database, under a sealed layer still on its
// way to disk, under the open batch's writes. Gets and prefix scans see all three, the upper
// layer winning, deletes hiding keys; nothing reaches the database before Write.
#include <string>
#include <utility>
#include <vector>

#include "ledger_fixture.h"
#include "storage/batch.h"

namespace huanxin::testing {
namespace {

using storage::Cf;
using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs ScanAll(const storage::KvReader& r, absl::string_view prefix) {
  Pairs out;
  EXPECT_TRUE(r.Scan(Cf::kState, prefix, [&](absl::string_view k, absl::string_view v) {
                 out.emplace_back(std::string(k), std::string(v));
                 return true;
               }).ok());
  return out;
}

class BatchLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = storage::Db::Open(dir_.path());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }

  TempDir dir_;
  std::unique_ptr<storage::Db> db_;
};

TEST_F(BatchLayersTest, ReadsMergeTheDatabaseTheSealedLayerAndTheOpenWrites) {
  storage::Batch batch(db_.get());
  batch.Put(Cf::kState, "k/1", "db-1");
  batch.Put(Cf::kState, "k/2", "db-2");
  batch.Put(Cf::kState, "k/3", "db-3");
  ASSERT_TRUE(batch.Commit().ok());

  batch.Put(Cf::kState, "k/2", "sealed-2");
  batch.Delete(Cf::kState, "k/3");
  batch.Put(Cf::kState, "k/4", "sealed-4");
  batch.Put(Cf::kState, "k/5", "sealed-5");
  std::shared_ptr<const storage::Writes> sealed = batch.Seal();
  EXPECT_TRUE(batch.empty());

  batch.Put(Cf::kState, "k/4", "open-4");
  batch.Delete(Cf::kState, "k/5");
  batch.Put(Cf::kState, "k/6", "open-6");
  batch.Put(Cf::kState, "l/1", "other prefix");

  EXPECT_EQ(batch.Get(Cf::kState, "k/2")->value_or("-"), "sealed-2");
  EXPECT_FALSE(batch.Get(Cf::kState, "k/3")->has_value());
  EXPECT_EQ(batch.Get(Cf::kState, "k/4")->value_or("-"), "open-4");
  EXPECT_FALSE(batch.Get(Cf::kState, "k/5")->has_value());
  const Pairs merged = {{"k/1", "db-1"}, {"k/2", "sealed-2"}, {"k/4", "open-4"}, {"k/6", "open-6"}};
  EXPECT_EQ(ScanAll(batch, "k/"), merged);
  // The database has none of it yet.
  EXPECT_EQ(ScanAll(*db_, "k/"), (Pairs{{"k/1", "db-1"}, {"k/2", "db-2"}, {"k/3", "db-3"}}));

  ASSERT_TRUE(storage::Batch::Write(db_.get(), *sealed).ok());
  batch.Landed(/*written=*/true);
  const Pairs landed = {
      {"k/1", "db-1"}, {"k/2", "sealed-2"}, {"k/4", "sealed-4"}, {"k/5", "sealed-5"}};
  EXPECT_EQ(ScanAll(*db_, "k/"), landed);
  EXPECT_EQ(ScanAll(batch, "k/"), merged);  // the same view, now from the database
  ASSERT_TRUE(batch.Commit().ok());
  EXPECT_EQ(ScanAll(*db_, "k/"), merged);
}

// The cache of committed values must never answer with a value the database no longer has.
TEST_F(BatchLayersTest, CachedValuesFollowLandedWritesAndAFailedLayerEmptiesTheCache) {
  storage::Batch batch(db_.get());
  batch.Put(Cf::kState, "k/1", "v1");
  batch.Put(Cf::kState, "k/2", "v2");
  ASSERT_TRUE(batch.Commit().ok());
  EXPECT_EQ(batch.Get(Cf::kState, "k/1")->value_or("-"), "v1");
  EXPECT_EQ(batch.Get(Cf::kState, "k/2")->value_or("-"), "v2");
  EXPECT_FALSE(batch.Get(Cf::kState, "k/3")->has_value());
  EXPECT_EQ(batch.cached_keys(), 3u);

  // A landed layer updates what is cached: a new value, a delete, a key that was absent.
  batch.Put(Cf::kState, "k/1", "v1'");
  batch.Delete(Cf::kState, "k/2");
  batch.Put(Cf::kState, "k/3", "v3");
  std::shared_ptr<const storage::Writes> sealed = batch.Seal();
  EXPECT_EQ(batch.Get(Cf::kState, "k/1")->value_or("-"), "v1'");  // in flight: the sealed layer
  ASSERT_TRUE(storage::Batch::Write(db_.get(), *sealed).ok());
  batch.Landed(/*written=*/true);
  EXPECT_EQ(batch.Get(Cf::kState, "k/1")->value_or("-"), "v1'");
  EXPECT_FALSE(batch.Get(Cf::kState, "k/2")->has_value());
  EXPECT_EQ(batch.Get(Cf::kState, "k/3")->value_or("-"), "v3");

  // A layer that did not reach the disk: reads go back to the database.
  batch.Put(Cf::kState, "k/1", "never written");
  sealed = batch.Seal();
  batch.Landed(/*written=*/false);
  EXPECT_EQ(batch.cached_keys(), 0u);
  EXPECT_EQ(batch.Get(Cf::kState, "k/1")->value_or("-"), "v1'");
}

TEST_F(BatchLayersTest, TheCacheStaysWithinItsBound) {
  storage::Batch batch(db_.get(), /*cache_bytes=*/1000);
  const std::string value(90, 'x');
  for (int i = 0; i < 100; ++i) batch.Put(Cf::kState, "k/" + std::to_string(i), value);
  ASSERT_TRUE(batch.Commit().ok());
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(batch.Get(Cf::kState, "k/" + std::to_string(i))->value_or("-"), value);
    EXPECT_LE(batch.cached_keys(), 1000u / (64 + 90));  // 64 bytes of overhead per key
  }
  EXPECT_GT(batch.cached_keys(), 0u);

  storage::Batch uncached(db_.get(), /*cache_bytes=*/0);
  EXPECT_EQ(uncached.Get(Cf::kState, "k/1")->value_or("-"), value);
  EXPECT_EQ(uncached.cached_keys(), 0u);
}

TEST_F(BatchLayersTest, TheCacheKeepsColumnFamiliesApart) {
  storage::Batch batch(db_.get());
  batch.Put(Cf::kState, "k", "state");
  batch.Put(Cf::kIndex, "k", "index");
  ASSERT_TRUE(batch.Commit().ok());
  EXPECT_EQ(batch.Get(Cf::kState, "k")->value_or("-"), "state");
  EXPECT_EQ(batch.Get(Cf::kIndex, "k")->value_or("-"), "index");
  batch.Put(Cf::kState, "k", "state'");
  ASSERT_TRUE(batch.Commit().ok());
  EXPECT_EQ(batch.Get(Cf::kState, "k")->value_or("-"), "state'");
  EXPECT_EQ(batch.Get(Cf::kIndex, "k")->value_or("-"), "index");
}

}  // namespace
}  // namespace huanxin::testing
