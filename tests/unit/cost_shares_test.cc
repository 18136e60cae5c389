#include "rules/cost_shares.h"

#include "gtest/gtest.h"

namespace huanxin {
namespace {

CostShares Shares(std::initializer_list<std::pair<v1::FundSource, int32_t>> list) {
  CostShares shares;
  for (auto [source, bp] : list) {
    v1::CostShare* s = shares.Add();
    s->set_source(source);
    s->set_share_bp(bp);
  }
  return shares;
}

TEST(CostShares, SplitFloorsEachShareAndGivesTheRemainderToTheFirst) {
  // Shandong 2026: central 85 %, the local 15 % split evenly between province and city.
  CostShares shandong = Shares({{v1::CENTRAL, 8500}, {v1::PROVINCIAL, 750}, {v1::MUNICIPAL, 750}});
  SourceAmounts split = SplitByShares(shandong, 79980);
  ASSERT_EQ(split.size(), 3);
  EXPECT_EQ(split[0].source(), v1::CENTRAL);
  EXPECT_EQ(split[0].amount_fen(), 67984);  // 67,983 + the fen left over
  EXPECT_EQ(split[1].amount_fen(), 5998);
  EXPECT_EQ(split[2].amount_fen(), 5998);
  for (int64_t amount : {0LL, 1LL, 3LL, 99999LL, 1'000'000'000'000'000LL}) {
    int64_t sum = 0;
    for (const v1::SourceAmount& line : SplitByShares(shandong, amount)) sum += line.amount_fen();
    EXPECT_EQ(sum, amount);
  }
  EXPECT_TRUE(SplitByShares(CostShares(), 100).empty());
}

TEST(CostShares, AddToSourceKeepsOneLinePerSourceInOrder) {
  SourceAmounts lines;
  AddToSource(v1::MUNICIPAL, 5, &lines);
  AddToSource(v1::CENTRAL, 7, &lines);
  AddToSource(v1::MUNICIPAL, 1, &lines);
  AddToSource(v1::PROVINCIAL, 2, &lines);
  ASSERT_EQ(lines.size(), 3);
  EXPECT_EQ(lines[0].source(), v1::CENTRAL);
  EXPECT_EQ(lines[0].amount_fen(), 7);
  EXPECT_EQ(lines[1].source(), v1::PROVINCIAL);
  EXPECT_EQ(lines[2].source(), v1::MUNICIPAL);
  EXPECT_EQ(lines[2].amount_fen(), 6);
}

TEST(CostShares, Validation) {
  EXPECT_TRUE(ValidateCostShares("s", CostShares()).ok());
  EXPECT_TRUE(ValidateCostShares("s", Shares({{v1::CENTRAL, 10000}})).ok());
  EXPECT_FALSE(ValidateCostShares("s", Shares({{v1::CENTRAL, 9999}})).ok());
  EXPECT_FALSE(ValidateCostShares("s", Shares({{static_cast<v1::FundSource>(99), 10000}})).ok());
  EXPECT_TRUE(HasShare(Shares({{v1::CENTRAL, 10000}}), v1::CENTRAL));
  EXPECT_FALSE(HasShare(Shares({{v1::CENTRAL, 10000}}), v1::COUNTY));
}

}  // namespace
}  // namespace huanxin
