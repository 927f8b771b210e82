// range()'s documented guarantees (Go's Range): no key is visited twice, a key present and
// unmodified for the whole call is visited with its value, returning false stops the walk, and f
// may call any method of the map — also while other threads write.
#include <atomic>
#include <cstdint>
#include <latch>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <gomap/sync_map.hpp>

#include "sync_test_support.hpp"

namespace sync_map_test {
namespace {

using IntMap = gomap::SyncMap<int, int>;

// Verifies range visits every live key once with its value, whether the key lives in the read-only
// map or only in the dirty map, and skips deleted and expunged keys.
TEST(SyncMapRange, VisitsEachLiveKeyOnceWithItsValue) {
  IntMap m;
  EXPECT_EQ(CollectRange(m).calls, 0);
  std::map<int, int> model;
  auto store = [&](int key, int value) {
    m.store(key, value);
    model[key] = value;
  };
  for (int k = 0; k < 16; ++k) store(k, k * 10);
  for (int k = 0; k < 16; ++k) m.load(k);  // promote
  for (int k = 0; k < 16; k += 3) {
    m.erase(k);
    model.erase(k);
  }
  for (int k = 16; k < 20; ++k) store(k, k * 10);  // dirty only; the rebuild expunges
  store(1, 111);
  const auto result = CollectRange(m);
  EXPECT_EQ(result.duplicates, 0);
  EXPECT_EQ(result.calls, static_cast<int>(model.size()));
  EXPECT_EQ(result.seen, model);
}

// Verifies that returning false stops the walk at once.
TEST(SyncMapRange, StopsWhenFReturnsFalse) {
  IntMap m;
  for (int k = 0; k < 50; ++k) m.store(k, k);
  for (int stop_after : {1, 2, 7, 50}) {
    int calls = 0;
    m.range([&](int key, int value) {
      EXPECT_EQ(key, value);
      return ++calls < stop_after;
    });
    EXPECT_EQ(calls, stop_after);
  }
}

// Verifies f may call any member, including range itself: f deletes each visited key and stores a
// new one. Every original key is untouched until visited, so each is visited exactly once; a key
// added by f may or may not be visited, but at most once.
TEST(SyncMapRange, FMayCallAnyMethodOfTheMap) {
  IntMap m;
  for (int k = 0; k < 32; ++k) m.store(k, k);
  std::map<int, int> visits;
  m.range([&](int key, int value) {
    ++visits[key];
    EXPECT_EQ(value, key);
    EXPECT_EQ(m.load_and_delete(key), value);
    m.store(key + 1000, key + 1000);
    int nested = 0;
    m.range([&](int, int) { return ++nested < 2; });
    EXPECT_GE(nested, 1);
    return true;
  });
  for (int k = 0; k < 32; ++k) EXPECT_EQ(visits[k], 1) << k;
  for (const auto& [key, count] : visits) EXPECT_LE(count, 1) << key;
  std::map<int, int> expected;
  for (int k = 0; k < 32; ++k) expected[k + 1000] = k + 1000;
  EXPECT_EQ(CollectRange(m).seen, expected);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies the concurrent guarantees: while 3 writers churn keys [100, 132) with every write
// operation (creating dirty rebuilds, expunges and promotions), each of 3 rangers must see every
// stable key [0, 64) exactly once with its value, and each churn key at most once with a value
// some writer stored for it.
TEST(SyncMapRange, ConcurrentRangeSeesStableKeysExactlyOnce) {
  constexpr int kStable = 64;
  constexpr int kChurnBase = 100;
  constexpr int kChurnKeys = 32;
  constexpr int kWriters = 3;
  constexpr int kRangers = 3;
  constexpr int kRangesEach = 40;
  IntMap m;
  for (int k = 0; k < kStable; ++k) m.store(k, k * 7);
  std::atomic<int> rangers_left{kRangers};
  std::atomic<int> failures{0};
  std::atomic<int> ranges_done{0};
  std::latch start(kWriters + kRangers);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      std::uint64_t x = 0x9E3779B97F4A7C15ULL * (w + 1);
      start.arrive_and_wait();
      for (int i = 0; rangers_left.load(std::memory_order_relaxed) > 0; ++i) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        const int key = kChurnBase + static_cast<int>(x % kChurnKeys);
        const int value = key * 1000 + i % 1000;  // value / 1000 names the key
        switch (x >> 60) {
          case 0:
          case 1:
          case 2:
            m.store(key, value);
            break;
          case 3:
            m.erase(key);
            break;
          case 4:
            m.load_and_delete(key);
            break;
          case 5:
            m.swap(key, value);
            break;
          case 6:
            m.load_or_store(key, value);
            break;
          case 7:
            m.compare_and_delete(key, value);
            break;
          case 8:
            m.compare_and_swap(key, key * 1000 + (i + 999) % 1000, value);
            break;
          case 9:  // a short-lived new key: rebuilds the dirty map when there is none
            m.store(key + 1000, (key + 1000) * 1000);
            m.erase(key + 1000);
            break;
          default:
            m.load(key);
            break;
        }
      }
    });
  }
  for (int r = 0; r < kRangers; ++r) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < kRangesEach; ++i) {
        std::map<int, int> stable_visits;
        std::set<int> churn_seen;
        m.range([&](int key, int value) {
          if (key < kStable) {
            if (++stable_visits[key] > 1 || value != key * 7) ++failures;
          } else if (!churn_seen.insert(key).second || value / 1000 != key) {
            ++failures;
          }
          return true;
        });
        if (stable_visits.size() != kStable) ++failures;
        ++ranges_done;
      }
      --rangers_left;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ranges_done.load(), kRangers * kRangesEach);
  EXPECT_TRUE(InvariantsHold(m));
}

}  // namespace
}  // namespace sync_map_test
