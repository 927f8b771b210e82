// Misuse detection with real threads (spec §2.5): threads racing on one gomap::Map without a lock
// must end in Go's fatal errors, "concurrent map writes" (two writers), "concurrent map read and
// map write" (a writer and readers doing find/contains) and "concurrent map iteration and map
// write" (a writer and a thread calling begin() and ++it). misuse_death_test.cpp proves that each
// check fires, deterministically, by re-entrancy in one thread; these tests prove that the checks
// catch the cross-thread races they exist for. Messages are matched through gomap's constants.
//
// Why probabilistic: like Go's, the checks are best effort. A writer sets and clears hashWriting
// with relaxed loads and stores, and a racing operation is caught only when it starts (or, for a
// second writer, ends) while another thread's write is in progress. One racing operation may slip
// through; a loop of them is caught within microseconds to milliseconds once two threads overlap,
// because a writer that writes in a tight loop has hashWriting set most of the time.
// gomap.concurrent_misuse_99_of_100 (tests/gomap/concurrency.cmake) runs each death test 100
// times and requires 99 passes.
//
// The bound: every thread loops until the death-test child dies or kGiveUpAfter of wall time has
// passed. Then the threads return, the statement ends without dying, and EXPECT_DEATH fails
// ("failed to die"): a map that never detects the misuse fails the test after 10 s, it never hangs.
//
// The race must be lost to the fatal handler, not to a crash: the table is pre-sized (B = 8, no
// grow can start), IdentityHash gives every key a chain of its own, and each writer writes only
// its own keys, so racing writes never share a chain; only header fields (flags, count) race.
// 128 permanent keys keep count far from 0 and from the load factor, so a count skewed by a lost
// update cannot start a grow or make a lookup skip its check.
//
// The control runs the same threads with a std::mutex around every map call: nothing may fire
// (a recording handler counts calls), and the map and every iteration stay exact.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <latch>
#include <limits>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <gomap/fatal.hpp>
#include <gomap/map.hpp>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using Clock = std::chrono::steady_clock;

// How long the racing threads keep trying before they give up (and the death test fails).
constexpr auto kGiveUpAfter = std::chrono::seconds(10);
// 256 chains (reserve(1024)); with IdentityHash, key k < 256 is alone in chain k.
constexpr unsigned kPresizedB = 8;
constexpr int kPermanentFirst = 128;  // keys 128..255: inserted before the race, never written
constexpr int kPermanentCount = 128;
constexpr int kKeysPerWriter = 16;  // writer t owns keys [16t, 16t + 16), all below kPermanentFirst
constexpr int kReaders = 2;         // readers racing the writer in the read-and-write race

// Go prints "fatal error: <message>"; the regex is built from the constant.
std::string fatal_line(std::string_view message) { return "fatal error: " + std::string(message); }

// No lock at all: the misuse. std::mutex in its place gives the control.
struct NoLock {
  void lock() {}
  void unlock() {}
};

// When one thread stops: after max_ops operations, or at the deadline (the clock is read every
// 256 operations so that it does not slow the race down). Each thread owns its copy.
class Budget {
 public:
  Budget(Clock::time_point deadline, std::int64_t max_ops)
      : deadline_(deadline), max_ops_(max_ops) {}
  // Counts one operation and reports whether the thread should stop.
  bool spent() {
    ++ops_;
    return ops_ > max_ops_ || (ops_ % 256 == 0 && Clock::now() >= deadline_);
  }

 private:
  Clock::time_point deadline_;
  std::int64_t max_ops_;
  std::int64_t ops_ = 0;
};
// Loops until the child dies, or gives up after kGiveUpAfter.
Budget until_death() {
  return {Clock::now() + kGiveUpAfter, std::numeric_limits<std::int64_t>::max()};
}
Budget fixed_ops(std::int64_t ops) { return {Clock::now() + kGiveUpAfter, ops}; }

// The map every race runs on: B = 8 and the permanent keys (value = key).
IdentityMap make_map() {
  IdentityMap m;
  m.reserve(1024);
  for (int k = kPermanentFirst; k < kPermanentFirst + kPermanentCount; ++k)
    m.insert_or_assign(k, k);
  return m;
}

// Writes the writer's own keys in a tight loop, 16 inserts then 16 erases, again and again: every
// call is a real write (mapassign, mapdelete), so hashWriting is set most of the time.
template <class Lock>
void write_own_keys(IdentityMap& m, Lock& lock, int writer, Budget budget) {
  const int first = writer * kKeysPerWriter;
  for (std::int64_t op = 0; !budget.spent(); ++op) {
    const int key = first + static_cast<int>(op % kKeysPerWriter);
    const bool inserting = (op / kKeysPerWriter) % 2 == 0;
    std::lock_guard hold(lock);
    if (inserting) {
      m.insert_or_assign(key, static_cast<int>(op));
    } else {
      m.erase(key);
    }
  }
}

// Looks up every key below 256 in turn with contains and find; counts permanent keys not found.
template <class Lock>
void read_keys(const IdentityMap& m, Lock& lock, int reader, Budget budget,
               std::atomic<std::int64_t>& permanent_misses) {
  std::int64_t misses = 0;
  for (std::int64_t op = 0; !budget.spent(); ++op) {
    const int key = static_cast<int>((op * 7 + reader) % 256);
    std::lock_guard hold(lock);
    const bool found = op % 2 == 0 ? m.contains(key) : m.find(key) != m.end();
    if (key >= kPermanentFirst && !found) ++misses;
  }
  permanent_misses += misses;
}

// Iterates the map from begin() to end() again and again (each ++it is one operation of the
// budget; the iteration in progress is finished); counts iterations that did not see each permanent
// key exactly once. begin() and each step are separate map calls.
template <class Lock>
void iterate(const IdentityMap& m, Lock& lock, Budget budget,
             std::atomic<std::int64_t>& inexact_iterations) {
  std::int64_t inexact = 0;
  for (bool stop = false; !stop;) {
    IdentityMap::const_iterator it;
    {
      std::lock_guard hold(lock);
      it = m.begin();
    }
    int permanent_seen = 0;
    for (;;) {
      std::lock_guard hold(lock);
      if (it == m.end()) break;
      permanent_seen += (*it).first >= kPermanentFirst ? 1 : 0;
      ++it;
      stop = budget.spent() || stop;
    }
    if (permanent_seen != kPermanentCount) ++inexact;
  }
  inexact_iterations += inexact;
}

enum class Race { writes, read_and_write, iteration_and_write };

const char* name(Race race) {
  switch (race) {
    case Race::writes:
      return "two writers";
    case Race::read_and_write:
      return "a writer and readers";
    case Race::iteration_and_write:
      return "a writer and an iteration";
  }
  return "?";
}

// What the threads of a race recorded (only meaningful when the race ends: the control).
struct Outcome {
  std::int64_t permanent_misses = 0;
  std::int64_t inexact_iterations = 0;
};

// Runs the threads of `race` on `m`, every map call under `lock`, released together by a latch so
// that they overlap; returns when every thread has spent its budget.
template <class Lock>
Outcome run_race(Race race, IdentityMap& m, Lock& lock, const Budget& budget) {
  std::atomic<std::int64_t> permanent_misses{0};
  std::atomic<std::int64_t> inexact_iterations{0};
  std::vector<std::function<void()>> bodies;
  bodies.emplace_back([&] { write_own_keys(m, lock, 0, budget); });
  switch (race) {
    case Race::writes:
      bodies.emplace_back([&] { write_own_keys(m, lock, 1, budget); });
      break;
    case Race::read_and_write:
      for (int r = 0; r < kReaders; ++r) {
        bodies.emplace_back([&, r] { read_keys(m, lock, r, budget, permanent_misses); });
      }
      break;
    case Race::iteration_and_write:
      bodies.emplace_back([&] { iterate(m, lock, budget, inexact_iterations); });
      break;
  }
  std::latch start(static_cast<std::ptrdiff_t>(bodies.size()));
  std::vector<std::thread> threads;
  for (auto& body : bodies) {
    threads.emplace_back([&start, &body] {
      start.arrive_and_wait();
      body();
    });
  }
  for (auto& thread : threads) thread.join();
  return {permanent_misses.load(), inexact_iterations.load()};
}

// Death tests run in a child that re-executes the binary up to the EXPECT_DEATH ("threadsafe"), so
// that no forked copy of a thread (or of a lock it held) is inherited.
class ConcurrentMisuseDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::GTEST_FLAG(death_test_style) = "threadsafe"; }
};

// Verifies that two threads inserting and erasing on one map without a lock die with "concurrent
// map writes" (mapassign / mapdelete entry check, or the exit check after the XOR was undone).
TEST_F(ConcurrentMisuseDeathTest, TwoWritersAreConcurrentMapWrites) {
  IdentityMap m = make_map();
  ASSERT_EQ(debug::B(m), kPresizedB);
  NoLock no_lock;
  EXPECT_DEATH(run_race(Race::writes, m, no_lock, until_death()),
               fatal_line(gomap::kConcurrentMapWrites));
}

// Verifies that readers doing find and contains while a writer writes die with "concurrent map
// read and map write" (mapaccess's hashWriting check).
TEST_F(ConcurrentMisuseDeathTest, ReadersDuringWritesAreConcurrentMapReadAndWrite) {
  IdentityMap m = make_map();
  ASSERT_EQ(debug::B(m), kPresizedB);
  NoLock no_lock;
  EXPECT_DEATH(run_race(Race::read_and_write, m, no_lock, until_death()),
               fatal_line(gomap::kConcurrentMapReadAndWrite));
}

// Verifies that a thread running begin() and ++it while a writer writes dies with "concurrent map
// iteration and map write" (mapiternext's check, run by every step).
TEST_F(ConcurrentMisuseDeathTest, IterationDuringWritesIsConcurrentMapIterationAndWrite) {
  IdentityMap m = make_map();
  ASSERT_EQ(debug::B(m), kPresizedB);
  NoLock no_lock;
  EXPECT_DEATH(run_race(Race::iteration_and_write, m, no_lock, until_death()),
               fatal_line(gomap::kConcurrentMapIterationAndWrite));
}

std::atomic<int> g_fatal_calls{0};
void counting_handler(std::string_view /*message*/) { ++g_fatal_calls; }

// Restores the previous fatal handler when a test ends.
class HandlerGuard {
 public:
  explicit HandlerGuard(gomap::FatalHandler handler)
      : previous_(gomap::set_fatal_handler(handler)) {}
  ~HandlerGuard() { gomap::set_fatal_handler(previous_); }
  HandlerGuard(const HandlerGuard&) = delete;
  HandlerGuard& operator=(const HandlerGuard&) = delete;

 private:
  gomap::FatalHandler previous_;
};

// Verifies the control: the same threads with a std::mutex around every map call never fire a
// check (so the deaths above come from the races, not from the operations), every reader finds
// every permanent key, every iteration sees each permanent key exactly once (iterators survive
// writes made between steps, G1-G5), and the map ends sound with only the permanent keys (each
// writer's last block of 16 operations erased its keys: 20000 = 1250 blocks of 16).
TEST(ConcurrentMisuseControl, SameThreadsUnderAMutexNeverFire) {
  g_fatal_calls = 0;
  HandlerGuard guard(&counting_handler);
  for (Race race : {Race::writes, Race::read_and_write, Race::iteration_and_write}) {
    SCOPED_TRACE(name(race));
    IdentityMap m = make_map();
    ASSERT_EQ(debug::B(m), kPresizedB);
    std::mutex lock;
    const Outcome outcome = run_race(race, m, lock, fixed_ops(20000));
    EXPECT_EQ(g_fatal_calls.load(), 0);
    EXPECT_EQ(outcome.permanent_misses, 0);
    EXPECT_EQ(outcome.inexact_iterations, 0);
    EXPECT_TRUE(map_is_sound(m));
    EXPECT_EQ(m.size(), static_cast<std::size_t>(kPermanentCount));
    for (int k = kPermanentFirst; k < kPermanentFirst + kPermanentCount; ++k) {
      EXPECT_EQ(m.at(k), k);
    }
  }
}

}  // namespace
}  // namespace gomap_test
