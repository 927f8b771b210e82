// Concurrent reads without a writer are legal (Go's TestConcurrentReadsAfterGrowth, in C++): maps
// of 1 to 10000 entries, grown by inserting one key at a time, are read by kReaders threads at once
// with find, contains, count and at on present and absent keys, and iterated in full. Each reader
// records what it saw in its own slot; the test thread asserts after join that every lookup
// returned the right answer, every iteration produced each key exactly once, no misuse check fired
// (a recording fatal handler counts calls) and the map is unchanged and sound.
//
// The same runs happen while a grow is unfinished (a doubling grow half evacuated, and a same-size
// grow): without a writer nothing evacuates, so readers walk old and new arrays side by side, and
// they must neither move anything nor see a torn state. Meant for the tsan preset too: readers
// share nothing writable but the map's atomic flags (begin() sets the iterator bits) and the
// reference counts of the bucket arrays an iteration holds.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <latch>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <gomap/debug.hpp>
#include <gomap/fatal.hpp>
#include <gomap/map.hpp>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;

constexpr int kReaders = 6;
// Lookups per reader and map; a small map is read in more rounds (each round also iterates once).
constexpr std::size_t kLookupsPerReader = 30000;

// Never 0, so a value-initialised value is noticed.
int value_of(int key) { return key * 3 + 1; }

// What a map must contain and which keys it must not, fixed before the readers start.
struct Expected {
  std::vector<std::pair<int, int>> entries;  // sorted by key
  std::vector<int> absent;
};

// What one reader saw. Each reader writes only its own slot (a cache line of its own); the test
// thread reads the slots after join.
struct alignas(64) ReaderTally {
  std::size_t lookups = 0;
  std::size_t wrong_lookups = 0;  // a present key missed or with a wrong value, or an absent found
  std::size_t iterations = 0;
  std::size_t inexact_iterations =
      0;  // a key missed, produced twice, unknown or with a wrong value
  std::string first_problem;
};

// Looks `key` up with the operation `op` (0 find, 1 contains, 2 count, 3 at) and reports whether
// the answer agrees with `expected` (the key's value, or nullptr for an absent key).
template <class M>
bool lookup_agrees(const M& m, int op, int key, const int* expected) {
  switch (op) {
    case 0: {
      const auto it = m.find(key);
      if (expected == nullptr) return it == m.end();
      return it != m.end() && (*it).first == key && (*it).second == *expected;
    }
    case 1:
      return m.contains(key) == (expected != nullptr);
    case 2:
      return m.count(key) == (expected != nullptr ? 1u : 0u);
    default:
      try {
        const int value = m.at(key);
        return expected != nullptr && value == *expected;
      } catch (const std::out_of_range&) {
        return expected == nullptr;
      }
  }
}

// One full iteration; reports whether it produced each expected key exactly once with its value.
// `seen` is the reader's own scratch vector.
template <class M>
bool iteration_is_exact(const M& m, const Expected& want, std::vector<int>& seen) {
  std::fill(seen.begin(), seen.end(), 0);
  bool exact = true;
  for (auto it = m.begin(); it != m.end(); ++it) {
    const auto entry = *it;
    const auto pos = std::lower_bound(
        want.entries.begin(), want.entries.end(), std::pair<int, int>(entry.first, 0),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    if (pos == want.entries.end() || pos->first != entry.first || pos->second != entry.second) {
      exact = false;
      continue;
    }
    ++seen[static_cast<std::size_t>(pos - want.entries.begin())];
  }
  return exact && std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; });
}

// The body of reader `t`: rounds of lookups (present keys from a reader-specific starting point,
// then absent keys, the operation rotating per key, round and reader) and one iteration each.
template <class M>
void read(const M& m, const Expected& want, int t, ReaderTally& tally) {
  const std::size_t keys = want.entries.size() + want.absent.size();
  const std::size_t rounds = std::max<std::size_t>(2, kLookupsPerReader / keys);
  std::vector<int> seen(want.entries.size());
  const std::size_t n = want.entries.size();
  for (std::size_t round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto& [key, value] = want.entries[(i + static_cast<std::size_t>(t) * 7919) % n];
      const int op = static_cast<int>((i + round + static_cast<std::size_t>(t)) % 4);
      ++tally.lookups;
      if (!lookup_agrees(m, op, key, &value)) {
        if (tally.wrong_lookups++ == 0)
          tally.first_problem = "present key " + std::to_string(key) + " op " + std::to_string(op);
      }
    }
    for (std::size_t i = 0; i < want.absent.size(); ++i) {
      const int key = want.absent[i];
      const int op = static_cast<int>((i + round + static_cast<std::size_t>(t)) % 4);
      ++tally.lookups;
      if (!lookup_agrees(m, op, key, nullptr)) {
        if (tally.wrong_lookups++ == 0)
          tally.first_problem = "absent key " + std::to_string(key) + " op " + std::to_string(op);
      }
    }
    ++tally.iterations;
    if (!iteration_is_exact(m, want, seen)) ++tally.inexact_iterations;
  }
}

std::atomic<int> g_fatal_calls{0};
void counting_handler(std::string_view /*message*/) { ++g_fatal_calls; }

// Installs counting_handler for the scope of a test and restores the previous handler.
class CountFatalCalls {
 public:
  CountFatalCalls() : previous_(gomap::set_fatal_handler(&counting_handler)) { g_fatal_calls = 0; }
  ~CountFatalCalls() { gomap::set_fatal_handler(previous_); }
  CountFatalCalls(const CountFatalCalls&) = delete;
  CountFatalCalls& operator=(const CountFatalCalls&) = delete;

 private:
  gomap::FatalHandler previous_;
};

// Runs kReaders readers on `m` at once (released together by a latch), joins them, and checks
// their tallies and that the map is unchanged: size, growth state and evacuation progress.
template <class M>
void read_concurrently_and_check(const M& m, const Expected& want) {
  const bool growing = debug::growing(m);
  const std::size_t nevacuate = debug::nevacuate(m);
  const unsigned b = debug::B(m);
  std::vector<ReaderTally> tallies(kReaders);
  std::latch start(kReaders);
  std::vector<std::thread> readers;
  for (int t = 0; t < kReaders; ++t) {
    readers.emplace_back([&, t] {
      start.arrive_and_wait();
      read(m, want, t, tallies[static_cast<std::size_t>(t)]);
    });
  }
  for (auto& reader : readers) reader.join();

  for (int t = 0; t < kReaders; ++t) {
    const ReaderTally& tally = tallies[static_cast<std::size_t>(t)];
    SCOPED_TRACE("reader " + std::to_string(t));
    EXPECT_GE(tally.lookups, kLookupsPerReader / 2);
    EXPECT_EQ(tally.wrong_lookups, 0u) << "first: " << tally.first_problem;
    EXPECT_GE(tally.iterations, 2u);
    EXPECT_EQ(tally.inexact_iterations, 0u);
  }
  EXPECT_EQ(g_fatal_calls.load(), 0);
  EXPECT_EQ(m.size(), want.entries.size());
  EXPECT_EQ(debug::growing(m), growing) << "reads must not finish a grow";
  EXPECT_EQ(debug::nevacuate(m), nevacuate) << "reads must not evacuate";
  EXPECT_EQ(debug::B(m), b);
  EXPECT_TRUE(map_is_sound(m));
}

// Keys 0..n-1 with value_of(key); absent keys on both sides of the range.
Expected keys_below(int n) {
  Expected want;
  for (int k = 0; k < n; ++k) want.entries.emplace_back(k, value_of(k));
  for (int i = 0; i < std::max(n, 2); ++i) want.absent.push_back(i % 2 == 0 ? n + i : -1 - i);
  return want;
}

// Overwrites existing keys (no new entry) until the grow in progress is finished.
void finish_grow(IntMap& m) {
  for (int k = 0; debug::growing(m); k = (k + 1) % static_cast<int>(m.size()))
    m.insert_or_assign(k, value_of(k));
}

// Verifies Go's TestConcurrentReadsAfterGrowth: maps of 1, 10, 100, 1000 and 10000 entries,
// inserted one at a time (every size from 10 on went through doubling grows) and with the last
// grow finished, read by 6 threads at once, give every lookup and iteration its exact answer.
TEST(ConcurrentReads, ReadsAfterGrowthSeeEveryEntry) {
  CountFatalCalls fatal_calls;
  for (int n : {1, 10, 100, 1000, 10000}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    IntMap m;
    for (int k = 0; k < n; ++k) m.insert_or_assign(k, value_of(k));
    finish_grow(m);
    ASSERT_FALSE(debug::growing(m));
    if (n >= 10) {
      ASSERT_GT(debug::B(m), 0u) << "the map should have grown";
    }
    read_concurrently_and_check(m, keys_below(n));
  }
}

// Inserts keys 0, 1, 2, ... until a doubling grow is in progress with at least n entries, then
// overwrites existing keys until about half of the old buckets are evacuated. A write may evacuate
// more than asked (advance_evacuation_mark skips chains already done) and finish the grow; then
// the next grow is used. Returns the number of keys inserted.
int insert_until_half_evacuated(IntMap& m, int n) {
  int count = 0;
  for (;;) {
    while (count < n || !debug::growing(m)) {
      m.insert_or_assign(count, value_of(count));
      ++count;
    }
    const std::size_t half = debug::old_bucket_count(m) / 2;
    for (int k = 0; debug::nevacuate(m) < half && debug::growing(m); k = (k + 1) % count)
      m.insert_or_assign(k, value_of(k));
    if (debug::growing(m)) return count;
  }
}

// Verifies the same while a doubling grow is half done (at least 10, 100, 1000 and 10000 entries):
// readers walk unevacuated old chains and the new array side by side.
TEST(ConcurrentReads, ReadsDuringUnfinishedDoublingGrowSeeEveryEntry) {
  CountFatalCalls fatal_calls;
  for (int n : {10, 100, 1000, 10000}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    IntMap m;
    const int count = insert_until_half_evacuated(m, n);
    ASSERT_TRUE(debug::growing(m)) << describe_tables(m);
    ASSERT_EQ(debug::growth(m), debug::Growth::doubling);
    ASSERT_GT(debug::old_bucket_count(m), 2u);
    ASSERT_GT(debug::nevacuate(m), 0u);
    read_concurrently_and_check(m, keys_below(count));
  }
}

// Verifies the same during an unfinished same-size grow (tombstone-ridden chains being re-packed,
// spec §3.4), reached with test_support's drive_into_same_size_grow.
TEST(ConcurrentReads, ReadsDuringUnfinishedSameSizeGrowSeeEveryEntry) {
  CountFatalCalls fatal_calls;
  Checked<IdentityMap> c;
  drive_into_same_size_grow(c, /*trigger_key=*/5000);
  if (HasFatalFailure()) return;
  Expected want;
  for (int j = 0; j < 4; ++j) want.entries.emplace_back(1000 + j, 0);
  want.entries.emplace_back(5000, -1);
  for (int k = 0; k < 64; ++k) want.absent.push_back(1004 + k);  // erased by the drive or never set
  ASSERT_TRUE(debug::growing(c.get()));
  read_concurrently_and_check(c.get(), want);
}

}  // namespace
}  // namespace gomap_test
