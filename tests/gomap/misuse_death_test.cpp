// Misuse detection (spec §2.5): a write, read or iterator step that starts while another write
// is in progress is a fatal error with Go's message. Triggered deterministically in one thread by
// re-entrancy: a key's copy constructor, run by insert inside its write section, calls back into
// the same map. Messages are matched through gomap's constants (STYLE.md pattern 5).
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Key whose copy constructor runs (and disarms) a one-shot hook.
struct ReentrantKey {
  static inline std::function<void()> on_copy;
  int v;
  explicit ReentrantKey(int x) : v(x) {}
  ReentrantKey(const ReentrantKey& o) : v(o.v) {
    if (auto hook = std::exchange(on_copy, nullptr)) hook();
  }
  ReentrantKey(ReentrantKey&&) noexcept = default;
  ReentrantKey& operator=(const ReentrantKey&) = default;
  ReentrantKey& operator=(ReentrantKey&&) noexcept = default;
  bool operator==(const ReentrantKey& o) const { return v == o.v; }
};
struct ReentrantKeyHash {
  std::uint64_t operator()(const ReentrantKey& k, std::uint64_t seed) const {
    return gomap::Hash<int>{}(k.v, seed);
  }
};
using RMap = gomap::Map<ReentrantKey, int, ReentrantKeyHash>;

// Disarms the hook when a test ends, whatever happened.
struct HookGuard {
  ~HookGuard() { ReentrantKey::on_copy = nullptr; }
};

// Go prints "fatal error: <message>"; the regex is built from the constant.
std::string fatal_line(std::string_view message) { return "fatal error: " + std::string(message); }

void fill(Checked<RMap>& c) {
  for (int i = 0; i < 20; ++i) c->insert_or_assign(ReentrantKey(i), i);
}

// Runs insert of the new key `k` (a copy of a local key) with `hook` armed for that copy.
void insert_with_hook(RMap& m, std::function<void()> hook, int k = 1000) {
  const ReentrantKey key(k);
  ReentrantKey::on_copy = std::move(hook);
  m.insert_or_assign(key, 1);
}

// Verifies that an insert started inside another insert's write section dies with
// "concurrent map writes" (spec §2.5, mapassign entry check).
TEST(MisuseDeathTest, InsertDuringInsertIsConcurrentMapWrites) {
  HookGuard guard;
  Checked<RMap> c;
  fill(c);
  RMap& m = c.unchecked();
  EXPECT_DEATH(insert_with_hook(m, [&m] { m.insert_or_assign(ReentrantKey(2000), 2); }),
               fatal_line(gomap::kConcurrentMapWrites));
}

// Verifies that erase and clear inside a write also die with "concurrent map writes" (mapdelete,
// mapclear entry checks on a non-empty map).
TEST(MisuseDeathTest, EraseOrClearDuringInsertIsConcurrentMapWrites) {
  HookGuard guard;
  Checked<RMap> c;
  fill(c);
  RMap& m = c.unchecked();
  EXPECT_DEATH(insert_with_hook(m, [&m] { m.erase(ReentrantKey(3)); }),
               fatal_line(gomap::kConcurrentMapWrites));
  EXPECT_DEATH(insert_with_hook(m, [&m] { m.clear(); }), fatal_line(gomap::kConcurrentMapWrites));
}

// Verifies that a lookup inside a write dies with "concurrent map read and map write", for
// find, contains, count and at (mapaccess1/2 check hashWriting before hashing).
TEST(MisuseDeathTest, LookupDuringInsertIsConcurrentReadAndWrite) {
  HookGuard guard;
  Checked<RMap> c;
  fill(c);
  RMap& m = c.unchecked();
  const std::string line = fatal_line(gomap::kConcurrentMapReadAndWrite);
  EXPECT_DEATH(insert_with_hook(m, [&m] { (void)m.find(ReentrantKey(3)); }), line);
  EXPECT_DEATH(insert_with_hook(m, [&m] { (void)m.contains(ReentrantKey(3)); }), line);
  EXPECT_DEATH(insert_with_hook(m, [&m] { (void)m.count(ReentrantKey(3)); }), line);
  EXPECT_DEATH(insert_with_hook(m, [&m] { (void)m.at(ReentrantKey(3)); }), line);
}

// Verifies that advancing a live iterator inside a write dies with "concurrent map iteration and
// map write" (mapiternext checks at the top of every call).
TEST(MisuseDeathTest, IteratorStepDuringInsertIsConcurrentIterationAndWrite) {
  HookGuard guard;
  Checked<RMap> c;
  fill(c);
  RMap& m = c.unchecked();
  auto it = m.begin();
  ASSERT_TRUE(it != m.end());
  EXPECT_DEATH(insert_with_hook(m, [&it] { ++it; }),
               fatal_line(gomap::kConcurrentMapIterationAndWrite));
}

// Verifies that begin() inside a write also dies: it runs the first mapiternext (spec §4.1 step 6).
TEST(MisuseDeathTest, BeginDuringInsertIsConcurrentIterationAndWrite) {
  HookGuard guard;
  Checked<RMap> c;
  fill(c);
  RMap& m = c.unchecked();
  EXPECT_DEATH(insert_with_hook(m, [&m] { (void)m.begin(); }),
               fatal_line(gomap::kConcurrentMapIterationAndWrite));
}

// Verifies the control: without re-entrancy the same operations are fine (so the deaths above come
// from the write in progress, not from the operations themselves).
TEST(MisuseDeathTest, SameOperationsOutsideAWriteAreFine) {
  Checked<RMap> c;
  fill(c);
  c->insert_or_assign(ReentrantKey(2000), 2);
  EXPECT_TRUE(c.get().contains(ReentrantKey(3)));
  auto it = c.begin();
  c.next(it);
  c->erase(ReentrantKey(3));
  c->clear();
  EXPECT_TRUE(c.get().empty());
}

struct FatalCalled : std::runtime_error {
  using std::runtime_error::runtime_error;
};
std::string g_fatal_message;
int g_fatal_calls = 0;

void throwing_handler(std::string_view message) {
  g_fatal_message = std::string(message);
  ++g_fatal_calls;
  throw FatalCalled(g_fatal_message);
}
void recording_handler(std::string_view message) {
  g_fatal_message = std::string(message);
  ++g_fatal_calls;
}

// Restores the default fatal handler when a test ends.
struct HandlerGuard {
  ~HandlerGuard() { gomap::set_fatal_handler(nullptr); }
};

// Verifies set_fatal_handler: a custom handler receives the exact message; here it throws, the
// outer insert unwinds like for any throwing copy (spec §7.4) and leaves the map intact and
// usable; set_fatal_handler returns the previous handler, nullptr restores the default.
TEST(MisuseHandler, CustomHandlerReceivesMessage) {
  HookGuard hook_guard;
  HandlerGuard handler_guard;
  Checked<RMap> c;
  fill(c);
  g_fatal_message.clear();
  g_fatal_calls = 0;
  const gomap::FatalHandler previous = gomap::set_fatal_handler(&throwing_handler);
  EXPECT_NE(previous, nullptr);
  RMap& m = c.unchecked();
  EXPECT_THROW(insert_with_hook(m, [&m] { m.insert_or_assign(ReentrantKey(2000), 2); }),
               FatalCalled);
  c.check();
  EXPECT_EQ(g_fatal_message, gomap::kConcurrentMapWrites);
  EXPECT_EQ(g_fatal_calls, 1);
  EXPECT_EQ(c.get().size(), 20u);
  EXPECT_FALSE(c.get().contains(ReentrantKey(1000)));
  EXPECT_FALSE(c.get().contains(ReentrantKey(2000)));

  auto it = m.begin();
  EXPECT_THROW(insert_with_hook(m, [&it] { ++it; }), FatalCalled);
  c.check();
  EXPECT_EQ(g_fatal_message, gomap::kConcurrentMapIterationAndWrite);

  EXPECT_EQ(gomap::set_fatal_handler(previous), &throwing_handler);
  c->insert_or_assign(ReentrantKey(1000), 1);
  EXPECT_EQ(c.get().size(), 21u);
  gomap::set_fatal_handler(&throwing_handler);
  EXPECT_EQ(gomap::set_fatal_handler(nullptr), &throwing_handler);
  // The default handler is back: the same misuse aborts again.
  EXPECT_DEATH(insert_with_hook(
                   m, [&m] { m.insert_or_assign(ReentrantKey(3000), 2); }, 4000),
               fatal_line(gomap::kConcurrentMapWrites));
}

// Verifies a handler that returns: the map carries on (api.md: only for tests); a lookup inside a
// write is reported once with its message, and both operations complete.
TEST(MisuseHandler, ReturningHandlerLetsTheMapContinue) {
  HookGuard hook_guard;
  HandlerGuard handler_guard;
  Checked<RMap> c;
  fill(c);
  g_fatal_message.clear();
  g_fatal_calls = 0;
  gomap::set_fatal_handler(&recording_handler);
  RMap& m = c.unchecked();
  bool found = false;
  insert_with_hook(m, [&m, &found] { found = m.contains(ReentrantKey(3)); });
  gomap::set_fatal_handler(nullptr);
  c.check();
  EXPECT_EQ(g_fatal_calls, 1);
  EXPECT_EQ(g_fatal_message, gomap::kConcurrentMapReadAndWrite);
  EXPECT_TRUE(found);
  EXPECT_TRUE(c.get().contains(ReentrantKey(1000)));
  EXPECT_EQ(c.get().size(), 21u);
}

}  // namespace
}  // namespace gomap_test
