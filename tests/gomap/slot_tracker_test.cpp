// SlotTracker's own check, I8: an entry that stays in its array keeps its slot. gomap never breaks
// it, so these tests break it by hand, the way a buggy compaction or rehash-in-place would: two
// entries of one bucket trade slots (tophash bytes, keys and values together, so that I1-I7 still
// hold and only I8 can see it).
#include <cstdint>
#include <utility>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace gomap_test {
namespace {

namespace d = gomap::debug;

// Swaps slots a and b of the head bucket of chain j of the current array.
template <class M>
void swap_slots(M& m, std::uint64_t j, unsigned a, unsigned b) {
  auto* table =
      const_cast<std::remove_cvref_t<decltype(*d::Access::table(m))>*>(d::Access::table(m));
  auto* bucket = table->buckets->bucket(j);
  std::swap(bucket->tophash[a], bucket->tophash[b]);
  std::swap(bucket->key(a), bucket->key(b));
  std::swap(bucket->value(a), bucket->value(b));
}

TEST(SlotTracker, EntriesThatTradeSlotsWithinTheirArrayBreakI8) {
  gomap::Map<int, int, ConstantHash> m;  // every key in chain 0, in insertion order
  d::SlotTracker<decltype(m)> tracker;
  for (int k = 0; k < 5; ++k) {
    m.insert_or_assign(k, k * 10);
    ASSERT_FALSE(tracker.check(m).has_value()) << "after inserting " << k;
  }
  swap_slots(m, 0, 1, 3);
  EXPECT_FALSE(d::check_invariants(m).has_value()) << "I1-I7 still hold: only I8 can see it";
  const auto violation = tracker.check(m);
  ASSERT_TRUE(violation.has_value());
  EXPECT_EQ(violation->invariant, 8) << violation->message;
  EXPECT_NE(violation->message.find("moved within its array"), std::string::npos)
      << violation->message;
}

// Checked after every op, as the tracker requires: an erase followed by an insert of the same key
// is a new entry, wherever it lands.
TEST(SlotTracker, SlotsReusedByLaterInsertsAreNoMove) {
  gomap::Map<int, int, ConstantHash> m;
  d::SlotTracker<decltype(m)> tracker;
  auto check = [&](const char* step) {
    const auto violation = tracker.check(m);
    EXPECT_FALSE(violation.has_value()) << step << ": " << violation->message;
  };
  for (int k = 0; k < 5; ++k) {
    m.insert_or_assign(k, k);
    check("insert");
  }
  m.erase(2);
  check("erase 2: slot 2 becomes emptyOne");
  m.insert_or_assign(7, 7);
  check("insert 7 takes slot 2, the first free one");
  m.erase(0);
  check("erase 0");
  m.erase(1);
  check("erase 1");
  m.insert_or_assign(1, 1);
  check("insert 1 into slot 0");
  EXPECT_EQ(m.size(), 4u);
}

}  // namespace
}  // namespace gomap_test
