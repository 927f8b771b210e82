// Single-threaded semantics of every SyncMap operation: Go's documented results, then a randomized
// differential run against std::map with a fixed seed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>

#include <gtest/gtest.h>

#include <gomap/random.hpp>
#include <gomap/sync_map.hpp>

#include "sync_test_support.hpp"

namespace sync_map_test {
namespace {

using IntMap = gomap::SyncMap<int, int>;

// Verifies Load on an empty map and after Store, and that Store overwrites.
TEST(SyncMapSequential, StoreThenLoadAndOverwrite) {
  IntMap m;
  EXPECT_EQ(m.load(1), std::nullopt);
  m.store(1, 10);
  EXPECT_EQ(m.load(1), 10);
  m.store(1, 11);
  EXPECT_EQ(m.load(1), 11);
  EXPECT_EQ(m.load(2), std::nullopt);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies LoadOrStore: stores only when absent and reports which happened (Go's `loaded`).
TEST(SyncMapSequential, LoadOrStoreStoresOnlyWhenAbsent) {
  IntMap m;
  EXPECT_EQ(m.load_or_store(1, 10), std::make_pair(10, false));
  EXPECT_EQ(m.load_or_store(1, 20), std::make_pair(10, true));
  EXPECT_EQ(m.load(1), 10);
  m.erase(1);
  EXPECT_EQ(m.load_or_store(1, 30), std::make_pair(30, false));  // a deleted key is absent
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies LoadAndDelete returns the value once and Delete (erase) of an absent key is a no-op.
TEST(SyncMapSequential, LoadAndDeleteAndErase) {
  IntMap m;
  EXPECT_EQ(m.load_and_delete(1), std::nullopt);
  m.erase(1);
  m.store(1, 10);
  m.store(2, 20);
  EXPECT_EQ(m.load_and_delete(1), 10);
  EXPECT_EQ(m.load_and_delete(1), std::nullopt);
  EXPECT_EQ(m.load(1), std::nullopt);
  m.erase(2);
  EXPECT_EQ(m.load(2), std::nullopt);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies Swap returns the previous value, nullopt when the key was absent or deleted.
TEST(SyncMapSequential, SwapReturnsPrevious) {
  IntMap m;
  EXPECT_EQ(m.swap(1, 10), std::nullopt);
  EXPECT_EQ(m.swap(1, 11), 10);
  EXPECT_EQ(m.load(1), 11);
  m.erase(1);
  EXPECT_EQ(m.swap(1, 12), std::nullopt);
  EXPECT_EQ(m.load(1), 12);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies CompareAndSwap: swaps only a present value equal to `old`; an absent key never
// matches.
TEST(SyncMapSequential, CompareAndSwapOnlyOnEqualPresentValue) {
  IntMap m;
  EXPECT_FALSE(m.compare_and_swap(1, 0, 5));
  EXPECT_EQ(m.load(1), std::nullopt);
  m.store(1, 10);
  EXPECT_FALSE(m.compare_and_swap(1, 9, 5));
  EXPECT_EQ(m.load(1), 10);
  EXPECT_TRUE(m.compare_and_swap(1, 10, 5));
  EXPECT_EQ(m.load(1), 5);
  m.erase(1);
  EXPECT_FALSE(m.compare_and_swap(1, 5, 6));
  EXPECT_EQ(m.load(1), std::nullopt);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies CompareAndDelete: deletes only a present value equal to `old`.
TEST(SyncMapSequential, CompareAndDeleteOnlyOnEqualPresentValue) {
  IntMap m;
  EXPECT_FALSE(m.compare_and_delete(1, 0));
  m.store(1, 10);
  EXPECT_FALSE(m.compare_and_delete(1, 9));
  EXPECT_EQ(m.load(1), 10);
  EXPECT_TRUE(m.compare_and_delete(1, 10));
  EXPECT_EQ(m.load(1), std::nullopt);
  EXPECT_FALSE(m.compare_and_delete(1, 10));
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies Clear empties the map whatever mix of read-only and dirty keys it had, and that the
// map works normally afterwards.
TEST(SyncMapSequential, ClearRemovesReadOnlyAndDirtyKeys) {
  IntMap m;
  for (int k = 0; k < 8; ++k) m.store(k, k);
  for (int k = 0; k < 8; ++k) ASSERT_EQ(m.load(k), k);  // enough misses to promote
  for (int k = 8; k < 12; ++k) m.store(k, k);           // and some keys only in dirty
  m.clear();
  EXPECT_TRUE(InvariantsHold(m));
  for (int k = 0; k < 12; ++k) EXPECT_EQ(m.load(k), std::nullopt) << k;
  EXPECT_EQ(CollectRange(m).calls, 0);
  m.store(3, 30);
  EXPECT_EQ(m.load(3), 30);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies the Go map rule for NaN keys carries over: NaN != NaN, so every store of NaN adds a
// key that no lookup finds, and range sees each of them.
TEST(SyncMapSequential, NaNKeysAreNeverFoundButAllRanged) {
  gomap::SyncMap<double, int> m;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  m.store(nan, 1);
  m.store(nan, 2);
  EXPECT_EQ(m.load(nan), std::nullopt);
  for (int i = 0; i < 4; ++i) m.load(nan);  // misses: promotes the dirty map
  m.store(nan, 3);
  int nan_keys = 0;
  int value_sum = 0;
  m.range([&](double key, int value) {
    nan_keys += std::isnan(key);
    value_sum += value;
    return true;
  });
  EXPECT_EQ(nan_keys, 3);
  EXPECT_EQ(value_sum, 6);
  EXPECT_TRUE(InvariantsHold(m));
}

// ---- randomized differential test ----

// Values derived from a small integer, for int and for heap-allocated strings (ASan sees their
// lifetimes).
template <class T>
T make(int n) {
  if constexpr (std::is_same_v<T, std::string>)
    return "value-or-key-long-enough-for-the-heap-" + std::to_string(n);
  else
    return n;
}

// Runs `steps` random operations on a SyncMap and on std::map and compares every result, the
// invariants after every step, and the whole contents (via range) every 64 steps. Small key and
// value universes make compare-and-swap hits, deletes of present keys and promotions frequent.
template <class K, class V>
void RunDifferential(std::uint64_t seed, int steps) {
  gomap::seed_thread_random(seed);
  std::mt19937_64 rng(seed);
  gomap::SyncMap<K, V> m;
  std::map<K, V> model;
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  auto model_value = [&](const K& k) -> std::optional<V> {
    auto it = model.find(k);
    if (it == model.end()) return std::nullopt;
    return it->second;
  };
  for (int step = 0; step < steps; ++step) {
    const K key = make<K>(pick(24));
    const V value = make<V>(pick(6));
    const std::optional<V> before = model_value(key);
    const int op = pick(20);
    SCOPED_TRACE(testing::Message() << "seed " << seed << " step " << step << " op " << op);
    if (op < 5) {  // Load, weighted: misses drive promotions
      ASSERT_EQ(m.load(key), before);
    } else if (op < 8) {
      m.store(key, value);
      model[key] = value;
    } else if (op < 10) {
      const auto expected = before ? std::make_pair(*before, true) : std::make_pair(value, false);
      ASSERT_EQ(m.load_or_store(key, value), expected);
      model.emplace(key, value);
    } else if (op < 11) {
      ASSERT_EQ(m.load_and_delete(key), before);
      model.erase(key);
    } else if (op < 12) {
      m.erase(key);
      model.erase(key);
    } else if (op < 14) {
      ASSERT_EQ(m.swap(key, value), before);
      model[key] = value;
    } else if (op < 16) {
      const V old = make<V>(pick(6));
      const bool expected = before && *before == old;
      ASSERT_EQ(m.compare_and_swap(key, old, value), expected);
      if (expected) model[key] = value;
    } else if (op < 17) {
      const V old = make<V>(pick(6));
      const bool expected = before && *before == old;
      ASSERT_EQ(m.compare_and_delete(key, old), expected);
      if (expected) model.erase(key);
    } else if (op < 18) {  // range that stops early: a prefix of the contents, current values
      const int stop_after = pick(4) + 1;
      int calls = 0;
      m.range([&](const K& k, const V& v) {
        EXPECT_EQ(model_value(k), v);
        return ++calls < stop_after;
      });
      ASSERT_EQ(calls, std::min<int>(stop_after, static_cast<int>(model.size())));
    } else if (op < 19) {
      const auto result = CollectRange(m);
      ASSERT_EQ(result.duplicates, 0);
      ASSERT_EQ(result.seen, model);
    } else if (pick(8) == 0) {
      m.clear();
      model.clear();
    }
    ASSERT_TRUE(InvariantsHold(m));
    if (step % 64 == 0) {
      ASSERT_EQ(CollectRange(m).seen, model);
    }
  }
  ASSERT_EQ(CollectRange(m).seen, model);
}

// Verifies every operation's result against std::map over 20000 random steps (int -> int).
TEST(SyncMapSequential, DifferentialAgainstStdMapInts) {
  RunDifferential<int, int>(20240611, 20000);
}

// The same with heap-allocated string keys and values, so sanitizers watch value lifetimes.
TEST(SyncMapSequential, DifferentialAgainstStdMapStrings) {
  RunDifferential<std::string, std::string>(7, 8000);
}

}  // namespace
}  // namespace sync_map_test
