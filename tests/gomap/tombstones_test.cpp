// Tombstones: the emptyOne/emptyRest discipline of delete (spec §3.3, invariant I3).
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

namespace d = gomap::debug;

// Verifies I3 after each phase of Go's TestMapTombstones (fill, delete every other key, insert
// new keys, delete everything). Go uses 10000 keys; 1000 keeps the every-step check quick.
TEST(Tombstones, EmptyRestDisciplineHoldsThroughFillDeleteRefill) {
  constexpr int kN = 1000;
  Checked<gomap::Map<int, int>> c;
  for (int i = 0; i < kN; ++i) c->insert_or_assign(i, i);
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get()))) << "after fill";
  for (int i = 0; i < kN; i += 2) c->erase(i);
  EXPECT_EQ(c.get().size(), static_cast<std::size_t>(kN / 2));
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get()))) << "after deleting evens";
  for (int i = kN; i < kN + kN / 2; ++i) c->insert_or_assign(i, i);
  EXPECT_EQ(c.get().size(), static_cast<std::size_t>(kN));
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get()))) << "after refill";
  for (int i = 0; i < kN + kN / 2; ++i) c->erase(i);
  EXPECT_TRUE(c.get().empty());
  const auto dump = d::dump_current(c.get());
  EXPECT_TRUE(emptyrest_discipline_holds(dump)) << "after deleting everything";
  // An empty table is all emptyRest: every tail conversion ran back to slot 0 of its chain.
  for (const auto& chain : dump.chains)
    for (const auto& bucket : chain.tophash)
      for (std::uint8_t top : bucket) ASSERT_EQ(top, d::kEmptyRest) << "chain " << chain.index;
}

// Builds one chain of 40 entries in insertion order (all keys hash alike, B = 3), slots 0..39.
void fill_one_chain(Checked<ConstantMap>& c) {
  for (int k = 0; k < 40; ++k) c->insert_or_assign(k, k);
  ASSERT_EQ(d::B(c.get()), 3u);
  ASSERT_FALSE(d::growing(c.get()));
  const auto slots = chain_slots(d::dump_current(c.get()), 0);
  ASSERT_EQ(slots.size(), 40u);  // 5 buckets: head + 4 overflow
  for (std::size_t i = 0; i < slots.size(); ++i)
    ASSERT_EQ(slots[i], kConstantTophash) << "slot " << i << "\n" << describe_tables(c.get());
}

// Verifies the delete tail conversion across bucket boundaries: deleting the last entry of a chain
// turns the whole run of emptyOne holes before it into emptyRest, walking back over overflow
// buckets (spec §3.3 step 6.5, I3).
TEST(Tombstones, DeleteRestoresEmptyRestAcrossOverflowBuckets) {
  Checked<ConstantMap> c;
  ASSERT_NO_FATAL_FAILURE(fill_one_chain(c));
  // Holes in the middle stay emptyOne: later slots are still occupied.
  for (int k = 20; k <= 38; ++k) c->erase(k);
  auto slots = chain_slots(d::dump_current(c.get()), 0);
  ASSERT_EQ(slots.size(), 40u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(slots[i], kConstantTophash) << i;
  for (int i = 20; i <= 38; ++i) EXPECT_EQ(slots[i], d::kEmptyOne) << i;
  EXPECT_EQ(slots[39], kConstantTophash);
  // Deleting the last entry converts slots 39 down to 20 (crossing buckets 4 -> 3 -> 2).
  c->erase(39);
  slots = chain_slots(d::dump_current(c.get()), 0);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(slots[i], kConstantTophash) << i;
  for (int i = 20; i < 40; ++i) EXPECT_EQ(slots[i], d::kEmptyRest) << i;
  EXPECT_EQ(c.get().size(), 20u);
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get())));
}

// Verifies that deleting the last live entry of a chain turns the whole chain emptyRest (the
// conversion stops only at slot 0 of the head bucket) and that the chain keeps its overflow
// buckets (delete never unlinks them, spec §3.3).
TEST(Tombstones, DeletingEveryEntryLeavesWholeChainEmptyRest) {
  Checked<ConstantMap> c;
  ASSERT_NO_FATAL_FAILURE(fill_one_chain(c));
  for (int k = 0; k < 39; ++k) c->erase(k);  // all emptyOne except the last
  c->erase(39);
  const auto slots = chain_slots(d::dump_current(c.get()), 0);
  ASSERT_EQ(slots.size(), 40u) << "overflow buckets are not unlinked by delete";
  for (std::size_t i = 0; i < slots.size(); ++i) EXPECT_EQ(slots[i], d::kEmptyRest) << i;
  EXPECT_TRUE(c.get().empty());
}

// Verifies that an insert reuses the first empty slot in chain order, be it an emptyOne hole or the
// first emptyRest slot (spec §3.2 step 8), and that I3 holds afterwards.
TEST(Tombstones, InsertReusesFirstEmptySlotInChainOrder) {
  Checked<ConstantMap> c;
  ASSERT_NO_FATAL_FAILURE(fill_one_chain(c));
  for (int k = 20; k < 40; ++k) c->erase(k);  // slots 20..39 emptyRest
  c->erase(5);                                // slot 5 emptyOne
  c->erase(17);                               // slot 17 emptyOne
  c->insert_or_assign(100, 100);              // -> slot 5
  auto slots = chain_slots(d::dump_current(c.get()), 0);
  EXPECT_EQ(slots[5], kConstantTophash);
  EXPECT_EQ(slots[17], d::kEmptyOne);
  c->insert_or_assign(101, 101);  // -> slot 17
  c->insert_or_assign(102, 102);  // -> slot 20, the first emptyRest
  slots = chain_slots(d::dump_current(c.get()), 0);
  for (int i = 0; i <= 20; ++i) EXPECT_EQ(slots[i], kConstantTophash) << i;
  for (int i = 21; i < 40; ++i) EXPECT_EQ(slots[i], d::kEmptyRest) << i;
  EXPECT_EQ(c.get().at(100), 100);
  EXPECT_EQ(c.get().at(101), 101);
  EXPECT_EQ(c.get().at(102), 102);
  EXPECT_FALSE(c.get().contains(5));
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get())));
}

// Verifies that a delete whose next slot is occupied leaves an emptyOne hole, and that deleting
// the entry after the hole then converts both (a run of exactly two) - the smallest conversion.
TEST(Tombstones, HoleBecomesEmptyRestWhenTailReachesIt) {
  Checked<gomap::Map<int, int>> c;
  for (int k = 0; k < 5; ++k) c->insert_or_assign(k, k);  // one bucket, slots 0..4 in order
  ASSERT_EQ(d::B(c.get()), 0u);
  c->erase(3);
  auto slots = chain_slots(d::dump_current(c.get()), 0);
  EXPECT_EQ(slots[3], d::kEmptyOne);
  EXPECT_GE(slots[4], d::kMinTopHash);
  c->erase(4);
  slots = chain_slots(d::dump_current(c.get()), 0);
  EXPECT_EQ(slots[3], d::kEmptyRest);
  EXPECT_EQ(slots[4], d::kEmptyRest);
  for (int i = 0; i < 3; ++i) EXPECT_GE(slots[i], d::kMinTopHash) << i;
}

// Verifies that lookups stop at emptyRest but not at emptyOne: keys behind holes stay reachable
// (spec §3.1 step 5) across many random delete patterns on a single long chain.
TEST(Tombstones, KeysBehindHolesStayReachable) {
  Checked<ConstantMap> c;
  ASSERT_NO_FATAL_FAILURE(fill_one_chain(c));
  std::vector<bool> live(40, true);
  for (int k : {0, 7, 8, 9, 15, 16, 23, 24, 31, 32, 33, 38}) {
    c->erase(k);
    live[k] = false;
    for (int j = 0; j < 40; ++j) ASSERT_EQ(c.get().contains(j), live[j]) << "key " << j;
  }
  EXPECT_TRUE(emptyrest_discipline_holds(d::dump_current(c.get())));
}

}  // namespace
}  // namespace gomap_test
