// Iteration order is randomised per iteration (random start bucket and in-bucket rotation, G11),
// so programs cannot come to depend on it (Go issues #6719, #8410, #8736).
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;

std::vector<int> order_of(Checked<IntMap>& c) {
  std::vector<int> keys;
  c.iterate([&](int k, int) { keys.push_back(k); });
  return keys;
}

// Verifies that for n in {3, 7, 9, 15}, each fresh map shows at least two different orders within
// 100 re-iterations (TestMapIterOrder; Go uses 1000 fresh maps, 100 keep the test quick).
TEST(IterationOrder, SmallMapsShowDifferentOrders) {
  for (int n : {3, 7, 9, 15}) {
    for (int trial = 0; trial < 100; ++trial) {
      Checked<IntMap> c;
      for (int i = 0; i < n; ++i) c->insert_or_assign(i, i);
      const std::vector<int> first = order_of(c);
      ASSERT_EQ(first.size(), static_cast<std::size_t>(n));
      bool differs = false;
      for (int j = 1; j < 100 && !differs; ++j) differs = order_of(c) != first;
      ASSERT_TRUE(differs) << "n=" << n << " trial " << trial
                           << ": 100 iterations gave the same order";
      if (!c.ok()) return;
    }
  }
}

// Verifies that a sparse map (1000 inserted, 980 deleted) shows a different order within 800
// re-iterations, 2 rounds (TestMapSparseIterOrder runs 10; issues #8410, #8736).
TEST(IterationOrder, SparseMapShowsDifferentOrders) {
  for (int round = 0; round < 2; ++round) {
    Checked<IntMap> c;
    for (int i = 0; i < 1000; ++i) c->insert_or_assign(i, i);
    for (int i = 20; i < 1000; ++i) c->erase(i);
    const std::vector<int> first = order_of(c);
    ASSERT_EQ(first.size(), 20u);
    bool differs = false;
    for (int j = 0; j < 800 && !differs; ++j) differs = order_of(c) != first;
    ASSERT_TRUE(differs) << "round " << round;
  }
}

// Verifies that both randomisations exist: a single-bucket map (B = 0, only the in-bucket rotation
// can vary) shows several different first keys, and a map whose buckets each hold one key (only the
// start bucket can vary the order of buckets) does too (G11: start bucket and offset).
TEST(IterationOrder, StartBucketAndRotationBothVary) {
  Checked<IntMap> single;
  for (int i = 0; i < 8; ++i) single->insert_or_assign(i, i);
  ASSERT_EQ(debug::B(single.get()), 0u);
  std::set<int> first_keys;
  for (int j = 0; j < 200; ++j) first_keys.insert(order_of(single).front());
  EXPECT_GE(first_keys.size(), 4u) << "in-bucket rotation hardly varies";

  Checked<IdentityMap> spread(std::in_place, std::size_t{53});  // 16 buckets, key i in bucket i
  ASSERT_EQ(debug::B(spread.get()), 4u);
  for (int i = 0; i < 16; ++i) spread->insert_or_assign(i, i);
  std::set<int> starts;
  for (int j = 0; j < 200; ++j) {
    std::vector<int> keys;
    spread.iterate([&](int k, int) { keys.push_back(k); });
    ASSERT_EQ(keys.size(), 16u);
    // Buckets are visited in increasing index order with wrap-around (G11).
    for (std::size_t x = 1; x < keys.size(); ++x)
      ASSERT_EQ(keys[x], (keys[x - 1] + 1) % 16) << "not in bucket order with wrap-around";
    starts.insert(keys.front());
  }
  EXPECT_GE(starts.size(), 8u) << "start bucket hardly varies";
}

// Verifies that the iteration order is reproducible under a fixed thread random seed (the map's
// random draws all come from gomap::thread_random, api.md), so failing runs can be replayed.
TEST(IterationOrder, SeededRunsRepeatTheirOrder) {
  std::vector<int> orders[2];
  for (auto& order : orders) {
    gomap::seed_thread_random(42);
    Checked<IntMap> c;
    for (int i = 0; i < 50; ++i) c->insert_or_assign(i, i);
    order = order_of(c);
  }
  EXPECT_EQ(orders[0], orders[1]);
}

}  // namespace
}  // namespace gomap_test
