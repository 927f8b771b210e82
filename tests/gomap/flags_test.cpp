// The flags byte (spec §2): iterator/oldIterator are sticky and only hashGrow moves them,
// sameSizeGrow is set exactly during a same-size grow, hashWriting only inside a write.
#include <cstdint>
#include <functional>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

namespace d = gomap::debug;
using IntMap = gomap::Map<int, int>;

constexpr std::uint8_t kBothIterators = d::kIterator | d::kOldIterator;

// Inserts fresh keys from `next` until B changes.
void grow_once(Checked<IntMap>& c, int& next) {
  const unsigned b = d::B(c.get());
  while (d::B(c.get()) == b) c->insert_or_assign(next++, 0);
}

// Verifies the Appendix B sequence: flags 0 -> 3 after a full iteration (the bits stay set after
// the loop), 2 after the next grow (oldIterator := iterator), 0 after the grow after that
// (spec §2.1, §2.2, §3.4 step 3).
TEST(Flags, IteratorBitsGoZeroThreeTwoZero) {
  Checked<IntMap> c;
  c->insert_or_assign(0, 0);
  c->insert_or_assign(1, 1);
  EXPECT_EQ(d::flags(c.get()), 0);
  int produced = 0;
  c.iterate([&](int, int) { ++produced; });
  EXPECT_EQ(produced, 2);
  EXPECT_EQ(d::flags(c.get()), kBothIterators);
  int next = 10;
  grow_once(c, next);
  EXPECT_EQ(d::flags(c.get()) & ~d::kSameSizeGrow, d::kOldIterator);
  grow_once(c, next);
  EXPECT_EQ(d::flags(c.get()) & ~d::kSameSizeGrow, 0);
}

// Verifies that an abandoned iteration (stopped after one step, iterator destroyed) also leaves
// both bits set: the map never learns that a loop ended (spec §2.1, §7.9).
TEST(Flags, AbandonedIteratorLeavesBitsSet) {
  Checked<IntMap> c;
  for (int i = 0; i < 5; ++i) c->insert_or_assign(i, i);
  {
    auto it = c.begin();
    ASSERT_TRUE(it != c.end());
    c.next(it);
  }
  EXPECT_EQ(d::flags(c.get()), kBothIterators);
}

// Verifies that begin() on an empty map sets nothing (spec §4.1 step 1: no iterator state, G9)
// and that such an iterator stays at end() even when the map is filled afterwards.
TEST(Flags, BeginOnEmptyMapSetsNoFlags) {
  Checked<IntMap> c;
  auto it = c.begin();
  EXPECT_TRUE(it == c.end());
  EXPECT_EQ(d::flags(c.get()), 0);
  c->insert_or_assign(1, 1);
  EXPECT_TRUE(it == c.end()) << "an iteration of an empty map yields nothing (G9)";
  c->erase(1);
  auto it2 = c.begin();  // emptied map, header exists
  EXPECT_TRUE(it2 == c.end());
  EXPECT_EQ(d::flags(c.get()), 0);
}

// Verifies that clear() does not touch the iterator bits (spec §3.7 last paragraph).
TEST(Flags, ClearKeepsIteratorBits) {
  Checked<IntMap> c;
  for (int i = 0; i < 20; ++i) c->insert_or_assign(i, i);
  c.iterate([](int, int) {});
  ASSERT_EQ(d::flags(c.get()), kBothIterators);
  c->clear();
  EXPECT_EQ(d::flags(c.get()), kBothIterators);
}

// Verifies that an iteration started during a grow sets both bits (spec §4.1 step 5) and that the
// grow completing does not clear them (spec §3.6 step 6.2).
TEST(Flags, IterationDuringGrowSetsBothAndGrowEndKeepsThem) {
  Checked<IntMap> c;
  for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
  ASSERT_TRUE(d::growing(c.get()));
  ASSERT_EQ(d::flags(c.get()), 0);
  auto it = c.begin();
  ASSERT_TRUE(it != c.end());
  EXPECT_EQ(d::flags(c.get()), kBothIterators);
  for (int i = 0; i < 100 && d::growing(c.get()); ++i) c->erase(-1);
  EXPECT_FALSE(d::growing(c.get()));
  EXPECT_EQ(d::flags(c.get()), kBothIterators);
}

// Verifies sameSizeGrow: set by a grow triggered by overflow buckets (B unchanged), present on
// every step of that grow, cleared when its last old bucket is evacuated (spec §2.4, I6).
TEST(Flags, SameSizeGrowFlagExactlyWhileSameSizeGrowing) {
  Checked<IdentityMap> c;
  ASSERT_NO_FATAL_FAILURE(drive_into_same_size_grow(c));
  EXPECT_NE(d::flags(c.get()) & d::kSameSizeGrow, 0);
  EXPECT_EQ(d::B(c.get()), 2u);
  int writes = 0;
  while (d::growing(c.get())) {
    EXPECT_NE(d::flags(c.get()) & d::kSameSizeGrow, 0);
    c->erase(-1);  // a write: runs growWork
    ASSERT_LT(++writes, 10) << "a 4-bucket grow must finish within 4 writes";
  }
  EXPECT_EQ(d::flags(c.get()) & d::kSameSizeGrow, 0);
  EXPECT_EQ(d::B(c.get()), 2u);
  for (int k : {1000, 1001, 1002, 1003, 5000}) EXPECT_TRUE(c.get().contains(k)) << k;
}

// Verifies that clear() during a same-size grow clears sameSizeGrow (spec §3.7 step 4).
TEST(Flags, ClearEndsSameSizeGrow) {
  Checked<IdentityMap> c;
  ASSERT_NO_FATAL_FAILURE(drive_into_same_size_grow(c));
  c->clear();
  EXPECT_EQ(d::flags(c.get()) & d::kSameSizeGrow, 0);
  EXPECT_FALSE(d::growing(c.get()));
}

// Verifies that a doubling grow never sets sameSizeGrow.
TEST(Flags, DoublingGrowDoesNotSetSameSizeGrow) {
  Checked<IntMap> c;
  for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
  ASSERT_TRUE(d::growing(c.get()));
  EXPECT_EQ(d::growth(c.get()), d::Growth::doubling);
  EXPECT_EQ(d::flags(c.get()) & d::kSameSizeGrow, 0);
}

// Key whose copy constructor runs a hook (to observe the map from inside a write).
struct HookKey {
  static inline std::function<void()> on_copy;
  int v;
  explicit HookKey(int x) : v(x) {}
  HookKey(const HookKey& o) : v(o.v) {
    if (on_copy) on_copy();
  }
  HookKey(HookKey&&) noexcept = default;
  HookKey& operator=(const HookKey&) = default;
  HookKey& operator=(HookKey&&) noexcept = default;
  bool operator==(const HookKey& o) const { return v == o.v; }
};
struct HookKeyHash {
  static inline std::function<void()> on_hash;
  std::uint64_t operator()(const HookKey& k, std::uint64_t seed) const {
    if (on_hash) on_hash();
    return gomap::Hash<int>{}(k.v, seed);
  }
};

// Verifies that hashWriting is set while a write runs (observed from the key copy made inside
// insert), is not set while the key is hashed before it (Go hashes first, spec §2.3), and is
// never set after the write returns (checked after every step by Checked).
TEST(Flags, HashWritingSetOnlyInsideWrites) {
  using M = gomap::Map<HookKey, int, HookKeyHash>;
  Checked<M> c;
  for (int i = 0; i < 10; ++i) c->insert_or_assign(HookKey(i), i);
  int copies = 0;
  int copies_while_writing = 0;
  int lookup_hashes = 0;
  int lookup_hashes_while_writing = 0;
  HookKey::on_copy = [&] {
    ++copies;
    copies_while_writing += (d::flags(c.get()) & d::kHashWriting) != 0;
  };
  const HookKey key(100);
  // The hooks are removed before c.check(): the checker itself may copy and hash keys.
  c.unchecked().insert_or_assign(key, 1);  // copies `key` into its slot
  HookKey::on_copy = nullptr;
  c.check();
  HookKeyHash::on_hash = [&] {
    ++lookup_hashes;
    lookup_hashes_while_writing += (d::flags(c.get()) & d::kHashWriting) != 0;
  };
  const bool found = c.get().contains(key);
  HookKeyHash::on_hash = nullptr;
  EXPECT_TRUE(found);
  EXPECT_GE(copies, 1);
  EXPECT_EQ(copies_while_writing, copies) << "the key was copied outside the write section";
  EXPECT_GE(lookup_hashes, 1);
  EXPECT_EQ(lookup_hashes_while_writing, 0) << "a lookup set hashWriting";
}

}  // namespace
}  // namespace gomap_test
