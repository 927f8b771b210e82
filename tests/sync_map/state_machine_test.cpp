// The internal life cycle of SyncMap, observed through gomap::debug: keys enter through the dirty
// map, misses promote it to the read-only map, deleted entries are expunged when the dirty map is
// rebuilt, and a store resurrects an expunged key through the dirty map. Every step also checks
// the invariants S1-S6.
#include <map>
#include <optional>

#include <gtest/gtest.h>

#include <gomap/sync_map.hpp>

#include "sync_test_support.hpp"

namespace sync_map_test {
namespace {

using IntMap = gomap::SyncMap<int, int>;
using State = debug::SyncEntryState;

// Stores keys [0, n) into a fresh map and loads them until the dirty map is promoted: afterwards
// every key is in the read-only map and there is no dirty map.
void FillAndPromote(IntMap& m, int n) {
  for (int k = 0; k < n; ++k) m.store(k, k);
  for (int k = 0; k < n; ++k) ASSERT_EQ(m.load(k), k);
  const auto layout = debug::sync_layout(m);
  ASSERT_EQ(layout.read_keys, static_cast<std::size_t>(n));
  ASSERT_FALSE(layout.has_dirty);
}

// Verifies that new keys go to the dirty map only and mark the read-only map amended.
TEST(SyncMapStateMachine, NewKeysEnterThroughDirtyMap) {
  IntMap m;
  EXPECT_FALSE(debug::sync_layout(m).has_dirty);
  for (int k = 0; k < 5; ++k) m.store(k, k);
  const auto layout = debug::sync_layout(m);
  EXPECT_EQ(layout.read_keys, 0u);
  EXPECT_TRUE(layout.amended);
  EXPECT_TRUE(layout.has_dirty);
  EXPECT_EQ(layout.dirty_keys, 5u);
  EXPECT_EQ(debug::read_entry_state(m, 0), std::nullopt);
  EXPECT_TRUE(debug::in_dirty(m, 0));
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies Go's promotion rule: each lookup that has to consult the dirty map counts a miss (hit
// or not), and the miss that brings the count to len(dirty) promotes dirty to read-only.
TEST(SyncMapStateMachine, PromotionAfterLenDirtyMisses) {
  IntMap m;
  for (int k = 0; k < 4; ++k) m.store(k, k);
  EXPECT_EQ(m.load(0), 0);
  EXPECT_EQ(m.load(100), std::nullopt);  // an absent key is a miss too
  EXPECT_EQ(m.load(1), 1);
  auto layout = debug::sync_layout(m);
  EXPECT_EQ(layout.misses, 3u);
  EXPECT_TRUE(layout.amended);
  EXPECT_EQ(layout.read_keys, 0u);
  EXPECT_TRUE(InvariantsHold(m));

  EXPECT_EQ(m.load(2), 2);  // fourth miss == len(dirty)
  layout = debug::sync_layout(m);
  EXPECT_EQ(layout.read_keys, 4u);
  EXPECT_FALSE(layout.amended);
  EXPECT_FALSE(layout.has_dirty);
  EXPECT_EQ(layout.misses, 0u);
  EXPECT_EQ(debug::read_entry_state(m, 3), State::live);
  EXPECT_TRUE(InvariantsHold(m));

  EXPECT_EQ(m.load(3), 3);  // now served by the read-only map: no miss
  EXPECT_EQ(debug::sync_layout(m).misses, 0u);
}

// Verifies CompareAndSwap on a key only in the dirty map counts a miss (Go's comment: the key set
// did not change, but the lookup took the mutex).
TEST(SyncMapStateMachine, CompareAndSwapInDirtyCountsMiss) {
  IntMap m;
  m.store(1, 10);
  m.store(2, 20);
  EXPECT_TRUE(m.compare_and_swap(1, 10, 11));
  EXPECT_EQ(debug::sync_layout(m).misses, 1u);
  EXPECT_FALSE(m.compare_and_swap(2, 0, 21));
  EXPECT_FALSE(debug::sync_layout(m).has_dirty);  // second miss promoted
  EXPECT_EQ(m.load(1), 11);
  EXPECT_EQ(m.load(2), 20);
}

// Verifies that a delete of a read-only key only marks its entry deleted (lock-free; it stays in
// the read-only map), and that a later store refills the same entry without the mutex.
TEST(SyncMapStateMachine, DeleteMarksEntryDeletedAndStoreRefillsIt) {
  IntMap m;
  FillAndPromote(m, 4);
  m.erase(1);
  EXPECT_EQ(debug::read_entry_state(m, 1), State::deleted);
  EXPECT_EQ(m.load(1), std::nullopt);
  EXPECT_FALSE(debug::sync_layout(m).has_dirty);
  m.store(1, 11);
  EXPECT_EQ(debug::read_entry_state(m, 1), State::live);
  EXPECT_EQ(m.load(1), 11);
  EXPECT_FALSE(debug::sync_layout(m).has_dirty);  // served without creating a dirty map
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies dirtyLocked: the first new key after a promotion rebuilds the dirty map from the
// read-only one, expunging deleted entries instead of copying them.
TEST(SyncMapStateMachine, DirtyRebuildExpungesDeletedEntries) {
  IntMap m;
  FillAndPromote(m, 4);
  m.erase(1);
  m.store(10, 100);  // new key: rebuild dirty
  EXPECT_EQ(debug::read_entry_state(m, 1), State::expunged);
  EXPECT_FALSE(debug::in_dirty(m, 1));
  for (int k : {0, 2, 3, 10}) EXPECT_TRUE(debug::in_dirty(m, k)) << k;
  const auto layout = debug::sync_layout(m);
  EXPECT_TRUE(layout.amended);
  EXPECT_EQ(layout.dirty_keys, 4u);
  EXPECT_EQ(m.load(1), std::nullopt);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies that a store to an expunged key takes the mutex, puts the entry back into the dirty map
// and un-expunges it, so the key survives the next promotion.
TEST(SyncMapStateMachine, StoreResurrectsExpungedKeyThroughDirty) {
  IntMap m;
  FillAndPromote(m, 4);
  m.erase(1);
  m.store(10, 100);
  ASSERT_EQ(debug::read_entry_state(m, 1), State::expunged);
  m.store(1, 11);
  EXPECT_EQ(debug::read_entry_state(m, 1), State::live);
  EXPECT_TRUE(debug::in_dirty(m, 1));
  EXPECT_TRUE(InvariantsHold(m));
  for (int i = 0; i < 8; ++i) m.load(10);  // promote
  ASSERT_FALSE(debug::sync_layout(m).has_dirty);
  EXPECT_EQ(m.load(1), 11);
  EXPECT_EQ(debug::read_entry_state(m, 1), State::live);
  EXPECT_TRUE(InvariantsHold(m));
}

// The other entry points that resurrect an expunged key: LoadOrStore and Swap.
TEST(SyncMapStateMachine, LoadOrStoreAndSwapResurrectExpungedKeys) {
  IntMap m;
  FillAndPromote(m, 4);
  m.erase(1);
  m.erase(2);
  m.store(10, 100);
  ASSERT_EQ(debug::read_entry_state(m, 1), State::expunged);
  ASSERT_EQ(debug::read_entry_state(m, 2), State::expunged);
  EXPECT_EQ(m.load_or_store(1, 11), std::make_pair(11, false));
  EXPECT_EQ(m.swap(2, 22), std::nullopt);
  for (int k : {1, 2}) {
    EXPECT_EQ(debug::read_entry_state(m, k), State::live) << k;
    EXPECT_TRUE(debug::in_dirty(m, k)) << k;
  }
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies that a promotion drops expunged entries: the new read-only map is the dirty map, which
// never held them.
TEST(SyncMapStateMachine, PromotionDropsExpungedKeys) {
  IntMap m;
  FillAndPromote(m, 4);
  m.erase(1);
  m.store(10, 100);
  for (int i = 0; i < 8; ++i) m.load(10);
  EXPECT_EQ(debug::sync_layout(m).read_keys, 4u);  // 0, 2, 3, 10
  EXPECT_EQ(debug::read_entry_state(m, 1), std::nullopt);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies that LoadAndDelete of a key only in the dirty map removes it from the dirty map and
// leaves `amended` set (S2 holds one way only, as in Go).
TEST(SyncMapStateMachine, LoadAndDeleteOfDirtyOnlyKeyLeavesAmended) {
  IntMap m;
  FillAndPromote(m, 4);
  m.store(10, 100);
  EXPECT_EQ(m.load_and_delete(10), 100);
  EXPECT_FALSE(debug::in_dirty(m, 10));
  const auto layout = debug::sync_layout(m);
  EXPECT_TRUE(layout.amended);
  EXPECT_EQ(layout.dirty_keys, 4u);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies that Range promotes an amended dirty map before iterating (it must see keys only the
// dirty map has), and leaves a map that is not amended alone.
TEST(SyncMapStateMachine, RangePromotesAmendedDirty) {
  IntMap m;
  m.store(1, 10);
  m.store(2, 20);
  EXPECT_EQ(CollectRange(m).seen.size(), 2u);
  const auto layout = debug::sync_layout(m);
  EXPECT_FALSE(layout.amended);
  EXPECT_FALSE(layout.has_dirty);
  EXPECT_EQ(layout.read_keys, 2u);
  m.erase(1);
  m.store(3, 30);  // rebuilds dirty (expunging 1) and sets amended
  m.store(4, 40);
  EXPECT_TRUE(m.compare_and_delete(3, 30));  // 3: a deleted entry in the dirty map only
  ASSERT_TRUE(debug::sync_layout(m).amended);
  EXPECT_EQ(CollectRange(m).seen, (std::map<int, int>{{2, 20}, {4, 40}}));
  EXPECT_FALSE(debug::sync_layout(m).amended);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies Go's Clear layout: an empty read-only map, the dirty map emptied but kept, no misses.
TEST(SyncMapStateMachine, ClearKeepsAnEmptyDirtyMap) {
  IntMap m;
  FillAndPromote(m, 4);
  m.store(10, 100);
  m.load(11);
  m.clear();
  const auto layout = debug::sync_layout(m);
  EXPECT_EQ(layout.read_keys, 0u);
  EXPECT_FALSE(layout.amended);
  EXPECT_TRUE(layout.has_dirty);
  EXPECT_EQ(layout.dirty_keys, 0u);
  EXPECT_EQ(layout.misses, 0u);
  EXPECT_TRUE(InvariantsHold(m));
}

// Verifies S1-S6 after every step of a churn that goes through every transition: stores to new,
// live, deleted and expunged keys, deletes, dirty rebuilds and promotions by misses.
TEST(SyncMapStateMachine, InvariantsHoldThroughEveryTransition) {
  IntMap m;
  for (int round = 0; round < 20; ++round) {
    for (int k = 0; k < 6; ++k) {
      if ((k + round) % 3 == 0)
        m.erase(k);
      else
        m.store(k + round % 2 * 10, round);
      ASSERT_TRUE(InvariantsHold(m)) << "round " << round << " key " << k;
    }
    for (int k = 0; k < 3; ++k) m.load(100 + k);
    ASSERT_TRUE(InvariantsHold(m)) << "round " << round;
  }
}

}  // namespace
}  // namespace sync_map_test
