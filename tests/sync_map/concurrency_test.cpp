// Multi-threaded runs of SyncMap, meant for the tsan preset (races and lock-order problems) and the
// asan preset (use after free of values, entries and read-only snapshots); in every build they also
// check results that only a correct map produces: no lost update, no value handed out twice, one
// winner per LoadOrStore, no torn or freed value copied out, and the invariants S1-S6 checked
// while the writers run. Workers record; the test thread asserts after join.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <latch>
#include <map>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <gomap/sync_map.hpp>

#include "sync_test_support.hpp"

namespace sync_map_test {
namespace {

using IntMap = gomap::SyncMap<int, int>;

// Runs body(thread_index) on `threads` threads that start together, and joins them.
template <class Body>
void RunThreads(int threads, Body body) {
  std::latch start(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      body(t);
    });
  }
  for (auto& thread : pool) thread.join();
}

// A per-thread xorshift generator: cheap under TSan and deterministic per thread.
struct XorShift {
  std::uint64_t x;
  std::uint64_t next() {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};

// Values of the hammer test name their key: value / kPerKey == key.
constexpr int kPerKey = 1'000'000;

// Verifies 8 threads running every operation on 8 keys leave a consistent map: every value ever
// observed belongs to its key, load and range agree afterwards, S1-S6 hold (also when checked by a
// ninth thread while the writers run), and a differential run against std::map still passes on
// the map that went through the storm.
TEST(SyncMapConcurrency, HammerEveryOperationOnFewKeys) {
  constexpr int kThreads = 8;
  constexpr int kKeys = 8;
  constexpr int kOpsPerThread = 4000;
  IntMap m;
  std::atomic<int> misattributed{0};
  std::atomic<int> invariant_failures{0};
  std::atomic<bool> writers_done{false};
  auto check = [&](int key, const std::optional<int>& v) {
    if (v && *v / kPerKey != key) ++misattributed;
  };
  std::thread checker([&] {
    while (!writers_done.load()) {
      if (debug::check_sync_invariants(m)) ++invariant_failures;
      std::this_thread::yield();
    }
  });
  RunThreads(kThreads, [&](int t) {
    XorShift rng{0x1234567ULL * static_cast<std::uint64_t>(t + 1)};
    for (int i = 0; i < kOpsPerThread; ++i) {
      const int key = rng.below(kKeys);
      const int value = key * kPerKey + t * 100'000 + i;
      switch (rng.below(12)) {
        case 0:
          check(key, m.load(key));
          break;
        case 1:
          m.store(key, value);
          break;
        case 2: {
          const auto [actual, loaded] = m.load_or_store(key, value);
          check(key, actual);
          if (!loaded && actual != value) ++misattributed;
          break;
        }
        case 3:
          check(key, m.load_and_delete(key));
          break;
        case 4:
          m.erase(key);
          break;
        case 5:
          check(key, m.swap(key, value));
          break;
        case 6:
          if (const auto current = m.load(key)) m.compare_and_swap(key, *current, value);
          break;
        case 7:
          if (const auto current = m.load(key)) m.compare_and_delete(key, *current);
          break;
        case 8:
          m.range([&](int k, int v) {
            check(k, v);
            return rng.below(4) != 0;
          });
          break;
        case 9:
          if (rng.below(64) == 0) m.clear();
          break;
        default:
          check(key, m.load(key + 100));
          break;  // absent keys: misses and promotions
      }
    }
  });
  writers_done = true;
  checker.join();
  EXPECT_EQ(misattributed.load(), 0);
  EXPECT_EQ(invariant_failures.load(), 0);
  ASSERT_TRUE(InvariantsHold(m));

  const auto ranged = CollectRange(m);
  EXPECT_EQ(ranged.duplicates, 0);
  std::map<int, int> model;
  for (int k = 0; k < kKeys + 100; ++k) {
    const std::optional<int> v = m.load(k);
    if (v) model[k] = *v;
  }
  EXPECT_EQ(ranged.seen, model);

  std::mt19937 rng(42);  // the map still behaves like a map
  for (int i = 0; i < 2000; ++i) {
    const int key = static_cast<int>(rng() % 16);
    const auto it = model.find(key);
    const std::optional<int> before =
        it == model.end() ? std::nullopt : std::optional<int>(it->second);
    if (rng() % 2 == 0) {
      ASSERT_EQ(m.swap(key, i), before) << "step " << i;
      model[key] = i;
    } else {
      ASSERT_EQ(m.load_and_delete(key), before) << "step " << i;
      model.erase(key);
    }
  }
  EXPECT_EQ(CollectRange(m).seen, model);
}

// Verifies no increment is lost: 6 threads add 1 to 3 counters with load + compare_and_swap
// (creating a missing counter with load_or_store) while 2 threads churn other keys so that the
// dirty map is rebuilt, promoted and its deleted entries expunged throughout.
TEST(SyncMapConcurrency, CompareAndSwapIncrementsAreNeverLost) {
  constexpr int kCounters = 3;
  constexpr int kIncrementers = 6;
  constexpr int kChurners = 2;
  constexpr int kIncrementsEach = 1500;
  IntMap m;
  std::atomic<int> incrementers_left{kIncrementers};
  RunThreads(kIncrementers + kChurners, [&](int t) {
    if (t >= kIncrementers) {
      XorShift rng{0xABCDEFULL + static_cast<std::uint64_t>(t)};
      while (incrementers_left.load(std::memory_order_relaxed) > 0) {
        const int key = 100 + rng.below(64);
        if (rng.below(2) == 0)
          m.store(key, key);
        else
          m.erase(key);
        m.load(1000 + rng.below(8));  // misses promote the dirty map
      }
      return;
    }
    for (int i = 0; i < kIncrementsEach; ++i) {
      const int key = (t + i) % kCounters;
      for (;;) {
        const std::optional<int> current = m.load(key);
        if (!current) {
          if (!m.load_or_store(key, 1).second) break;  // we created it with our increment
          continue;
        }
        if (m.compare_and_swap(key, *current, *current + 1)) break;
      }
    }
    --incrementers_left;
  });
  int total = 0;
  for (int k = 0; k < kCounters; ++k) total += m.load(k).value_or(0);
  EXPECT_EQ(total, kIncrementers * kIncrementsEach);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies conservation for Swap and LoadAndDelete: every distinct value swapped into 4 keys is
// handed back exactly once — by a later swap or load_and_delete — or is still in the map at the
// end. A store that landed in an expunged entry (lost at the next promotion) or a value returned
// twice breaks the count. Other threads create and delete keys meanwhile, so deleted entries are
// expunged and resurrected all the time.
TEST(SyncMapConcurrency, SwapHandsBackEveryValueExactlyOnce) {
  constexpr int kKeys = 4;
  constexpr int kSwappers = 6;
  constexpr int kChurners = 2;
  constexpr int kOpsEach = 8000;
  IntMap m;
  std::vector<std::vector<int>> handed_back(kSwappers);
  std::atomic<int> swappers_left{kSwappers};
  RunThreads(kSwappers + kChurners, [&](int t) {
    if (t >= kSwappers) {
      // Few churn keys and many misses keep the dirty map small, so it is promoted and rebuilt
      // (expunging the swap keys that are deleted at that moment) every few iterations.
      XorShift rng{0x5151ULL + static_cast<std::uint64_t>(t)};
      while (swappers_left.load(std::memory_order_relaxed) > 0) {
        const int key = 100 + rng.below(4);
        m.store(key, 0);
        m.erase(key);
        for (int i = 0; i < 3; ++i) m.load(200);
      }
      return;
    }
    XorShift rng{0x77ULL + static_cast<std::uint64_t>(t)};
    for (int i = 0; i < kOpsEach; ++i) {
      const int key = rng.below(kKeys);
      std::optional<int> previous;
      if (rng.below(4) == 0)
        previous = m.load_and_delete(key);
      else
        previous = m.swap(key, t * kOpsEach + i);  // unique per (thread, step)
      if (previous) handed_back[t].push_back(*previous);
    }
    --swappers_left;
  });
  std::vector<int> accounted;
  for (const auto& values : handed_back)
    accounted.insert(accounted.end(), values.begin(), values.end());
  for (int k = 0; k < kKeys; ++k) {
    if (const auto v = m.load(k)) accounted.push_back(*v);
  }
  std::sort(accounted.begin(), accounted.end());
  EXPECT_EQ(std::adjacent_find(accounted.begin(), accounted.end()), accounted.end())
      << "a value was handed back twice";
  // Every value that was swapped in is accounted for: recompute the set of swapped-in values with
  // the same generators.
  std::vector<int> swapped_in;
  for (int t = 0; t < kSwappers; ++t) {
    XorShift rng{0x77ULL + static_cast<std::uint64_t>(t)};
    for (int i = 0; i < kOpsEach; ++i) {
      rng.below(kKeys);
      if (rng.below(4) != 0) swapped_in.push_back(t * kOpsEach + i);
    }
  }
  std::sort(swapped_in.begin(), swapped_in.end());
  EXPECT_EQ(accounted.size(), swapped_in.size());
  EXPECT_TRUE(accounted == swapped_in) << "a swapped-in value was lost or invented";
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies LoadOrStore has exactly one winner per key: 6 threads race load_or_store(key, own id)
// on 300 fresh keys; per key exactly one gets loaded == false, and every thread gets that
// thread's value back as `actual`.
TEST(SyncMapConcurrency, LoadOrStoreHasExactlyOneWinnerPerKey) {
  constexpr int kThreads = 6;
  constexpr int kKeys = 300;
  IntMap m;
  std::vector<std::vector<std::pair<int, bool>>> results(kThreads,
                                                         std::vector<std::pair<int, bool>>(kKeys));
  RunThreads(kThreads, [&](int t) {
    for (int k = 0; k < kKeys; ++k) results[t][k] = m.load_or_store(k, t);
  });
  for (int k = 0; k < kKeys; ++k) {
    int winners = 0;
    int winner = -1;
    for (int t = 0; t < kThreads; ++t) {
      if (!results[t][k].second) ++winners, winner = t;
    }
    ASSERT_EQ(winners, 1) << "key " << k;
    for (int t = 0; t < kThreads; ++t) ASSERT_EQ(results[t][k].first, winner) << "key " << k;
    ASSERT_EQ(m.load(k), winner);
  }
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies each stored value is deleted exactly once when 6 threads race load_and_delete and
// compare_and_delete over 400 keys, half of them in the read-only map and half only in the dirty
// map.
TEST(SyncMapConcurrency, EachValueIsDeletedExactlyOnce) {
  constexpr int kThreads = 6;
  constexpr int kKeys = 400;
  IntMap m;
  for (int k = 0; k < kKeys / 2; ++k) m.store(k, k);
  for (int k = 0; k < kKeys / 2; ++k) m.load(k);  // promote the first half
  for (int k = kKeys / 2; k < kKeys; ++k) m.store(k, k);
  std::vector<std::atomic<int>> deletions(kKeys);
  RunThreads(kThreads, [&](int t) {
    for (int i = 0; i < kKeys; ++i) {
      const int k = (i * 7 + t * 61) % kKeys;  // different orders per thread
      const bool deleted = t % 2 == 0 ? m.load_and_delete(k) == k : m.compare_and_delete(k, k);
      if (deleted) ++deletions[k];
    }
  });
  for (int k = 0; k < kKeys; ++k) ASSERT_EQ(deletions[k].load(), 1) << "key " << k;
  EXPECT_EQ(CollectRange(m).calls, 0);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies a concurrent load never copies a torn or freed value: 4 writers store, swap and delete
// 128-byte values on 4 keys (every displaced value may be freed at once) while 4 readers load and
// range. Each copy must be internally consistent, made from a live object and belong to its key.
// Under ASan a copy from freed memory is also a heap-use-after-free report.
TEST(SyncMapConcurrency, LoadsNeverSeeTornOrFreedValues) {
  constexpr int kKeys = 4;
  constexpr int kWriters = 4;
  constexpr int kReaders = 4;
  constexpr int kWritesEach = 3000;
  gomap::SyncMap<int, StampedValue> m;
  std::atomic<int> bad_copies{0};
  std::atomic<long> good_copies{0};
  std::atomic<int> writers_left{kWriters};
  auto inspect = [&](int key, const StampedValue& v) {
    if (!v.consistent() || v.stamp() % kKeys != static_cast<std::uint64_t>(key))
      ++bad_copies;
    else
      ++good_copies;
  };
  RunThreads(kWriters + kReaders, [&](int t) {
    XorShift rng{0xC0FFEEULL + static_cast<std::uint64_t>(t)};
    if (t < kWriters) {
      for (int i = 0; i < kWritesEach; ++i) {
        const int key = rng.below(kKeys);
        const StampedValue value((static_cast<std::uint64_t>(t * kWritesEach + i) * kKeys) + key);
        switch (rng.below(4)) {
          case 0:
            m.store(key, value);
            break;
          case 1:
            if (auto previous = m.swap(key, value)) inspect(key, *previous);
            break;
          case 2:
            if (auto previous = m.load_and_delete(key)) inspect(key, *previous);
            break;
          default:
            m.store(key + kKeys * (1 + rng.below(8)), value);
            break;  // other keys
        }
      }
      --writers_left;
      return;
    }
    while (writers_left.load(std::memory_order_relaxed) > 0) {
      const int key = rng.below(kKeys);
      if (auto v = m.load(key)) inspect(key, *v);
      if (rng.below(16) == 0) {
        m.range([&](int k, const StampedValue& v) {
          inspect(k % kKeys, v);
          return true;
        });
      }
    }
  });
  EXPECT_EQ(bad_copies.load(), 0);
  EXPECT_GT(good_copies.load(), 0);
  EXPECT_TRUE(InvariantsHold(m));
}

}  // namespace
}  // namespace sync_map_test
