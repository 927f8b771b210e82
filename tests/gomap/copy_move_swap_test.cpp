// Value semantics of the map object (spec §7.9 choice, map.hpp): copies are deep and independent
// (also of a map in the middle of a grow), moved-from maps are empty and usable, swap and move
// carry live iterators along with the elements.
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;
using StrMap = gomap::Map<std::string, std::string>;

std::map<int, int> contents(Checked<IntMap>& c) {
  std::map<int, int> out;
  for (const auto& [k, v] : c.collect()) {
    EXPECT_TRUE(out.emplace(k, v).second) << "key " << k << " produced twice";
  }
  return out;
}

std::map<int, int> expected_range(int n, int factor) {
  std::map<int, int> out;
  for (int i = 0; i < n; ++i) out[i] = i * factor;
  return out;
}

// Verifies the copy constructor makes a deep, independent copy: same contents, and writes to
// either side are invisible to the other.
TEST(CopyMoveSwap, CopyIsDeepAndIndependent) {
  Checked<StrMap> a;
  for (int i = 0; i < 200; ++i) a->insert_or_assign(std::to_string(i), std::string(i % 50, 'v'));
  Checked<StrMap> b(std::in_place, a.get());
  EXPECT_EQ(b.get().size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(b.get().at(std::to_string(i)), std::string(i % 50, 'v'));
  b->operator[]("0") = "changed";
  b->erase("1");
  a->insert_or_assign("new", "a-only");
  EXPECT_EQ(a.get().at("0"), "");
  EXPECT_TRUE(a.get().contains("1"));
  EXPECT_FALSE(b.get().contains("new"));
  EXPECT_EQ(a.get().size(), 201u);
  EXPECT_EQ(b.get().size(), 199u);
}

// Verifies copying a map in the middle of a doubling grow (unevacuated old chains must be copied
// too, spec §3.8, issue #69110's cousin): same contents; both continue independently.
TEST(CopyMoveSwap, CopyOfGrowingMap) {
  Checked<IntMap> a;
  for (int i = 0; i < 105; ++i) a->insert_or_assign(i, i);
  ASSERT_TRUE(debug::growing(a.get()));
  Checked<IntMap> b(std::in_place, a.get());
  EXPECT_TRUE(debug::growing(a.get()));
  EXPECT_EQ(contents(b), expected_range(105, 1));
  for (int i = 105; i < 300; ++i) b->insert_or_assign(i, i);
  for (int i = 0; i < 105; i += 2) a->erase(i);
  EXPECT_EQ(contents(b), expected_range(300, 1));
  EXPECT_EQ(a.get().size(), 52u);
}

// Verifies copying a map in the middle of a same-size grow (can be above its load factor; copies
// must size from the source, issue #69110).
TEST(CopyMoveSwap, CopyOfSameSizeGrowingMap) {
  Checked<IdentityMap> a;
  ASSERT_NO_FATAL_FAILURE(drive_into_same_size_grow(a));
  Checked<IdentityMap> b(std::in_place, a.get());
  EXPECT_EQ(b.get().size(), a.get().size());
  for (int k : {1000, 1001, 1002, 1003, 5000}) EXPECT_TRUE(b.get().contains(k)) << k;
}

// Verifies copy assignment replaces the target's contents (also a non-empty, growing target) and
// leaves the source untouched; self-assignment changes nothing.
TEST(CopyMoveSwap, CopyAssignmentReplacesContents) {
  Checked<IntMap> a;
  for (int i = 0; i < 30; ++i) a->insert_or_assign(i, i * 2);
  Checked<IntMap> b;
  for (int i = 1000; i < 1105; ++i) b->insert_or_assign(i, 0);
  ASSERT_TRUE(debug::growing(b.get()));
  b.unchecked() = a.get();
  b.reset_tracker();
  b.check();
  EXPECT_EQ(contents(b), expected_range(30, 2));
  EXPECT_EQ(contents(a), expected_range(30, 2));
  IntMap& self = a.unchecked();
  const IntMap& same = self;
  self = same;  // self-assignment
  a.check();
  EXPECT_EQ(contents(a), expected_range(30, 2));
}

// Verifies the move constructor takes the contents in O(1) and leaves the source empty and usable
// (insertable, iterable, clearable).
TEST(CopyMoveSwap, MovedFromMapIsEmptyAndUsable) {
  Checked<IntMap> a;
  for (int i = 0; i < 100; ++i) a->insert_or_assign(i, i);
  Checked<IntMap> b(std::in_place, std::move(a.unchecked()));
  a.reset_tracker();
  a.check();
  EXPECT_EQ(contents(b), expected_range(100, 1));
  EXPECT_TRUE(a.get().empty());
  EXPECT_TRUE(a.get().begin() == a.get().end());
  EXPECT_FALSE(a.get().contains(1));
  EXPECT_EQ(a->erase(1), 0u);
  a->clear();
  for (int i = 0; i < 20; ++i) a->insert_or_assign(i, -i);
  EXPECT_EQ(a.get().size(), 20u);
  EXPECT_EQ(a.get().at(5), -5);
}

// Verifies move assignment into a non-empty map, and that the moved-from source is usable.
TEST(CopyMoveSwap, MoveAssignmentReplacesContents) {
  Checked<IntMap> a;
  for (int i = 0; i < 60; ++i) a->insert_or_assign(i, i * 3);
  Checked<IntMap> b;
  for (int i = 0; i < 10; ++i) b->insert_or_assign(i + 500, 0);
  b.unchecked() = std::move(a.unchecked());
  b.reset_tracker();
  b.check();
  a.reset_tracker();
  a.check();
  EXPECT_EQ(contents(b), expected_range(60, 3));
  EXPECT_TRUE(a.get().empty());
  a->insert_or_assign(1, 1);
  EXPECT_EQ(a.get().size(), 1u);
}

// Verifies swap exchanges contents and that a live iterator follows its elements into the other
// map object: continuing it produces the rest of the original entries (api.md).
TEST(CopyMoveSwap, SwapCarriesLiveIterators) {
  Checked<IntMap> a;
  Checked<IntMap> b;
  for (int i = 0; i < 50; ++i) a->insert_or_assign(i, i);
  for (int i = 100; i < 110; ++i) b->insert_or_assign(i, i);
  std::map<int, int> produced;
  auto it = a.begin();
  ++produced[it->first];
  a.next(it);
  ++produced[it->first];
  a.swap(b);  // gomap's member swap, trackers swapped along
  EXPECT_EQ(a.get().size(), 10u);
  EXPECT_EQ(b.get().size(), 50u);
  for (b.next(it); it != b.end(); b.next(it)) ++produced[it->first];
  std::map<int, int> each_once;
  for (int i = 0; i < 50; ++i) each_once[i] = 1;
  EXPECT_EQ(produced, each_once);
  using std::swap;
  swap(a.unchecked(), b.unchecked());  // free swap
  swap(a.unchecked(), b.unchecked());
  a.check();
  b.check();
  EXPECT_EQ(a.get().size(), 10u);
}

// Verifies an iterator follows its elements through a move construction, including while the
// body keeps writing through the new owner.
TEST(CopyMoveSwap, MoveCarriesLiveIterators) {
  Checked<IntMap> a;
  for (int i = 0; i < 40; ++i) a->insert_or_assign(i, i);
  auto it = a.begin();
  std::map<int, int> produced;
  ++produced[it->first];
  Checked<IntMap> b(std::in_place, std::move(a.unchecked()));
  a.reset_tracker();
  int step = 0;
  for (b.next(it); it != b.end(); b.next(it)) {
    ++produced[it->first];
    if (++step == 3) {
      for (int i = 100; i < 300; ++i) b->insert_or_assign(i, i);  // grows under the iterator
    }
  }
  for (int i = 0; i < 40; ++i) EXPECT_EQ(produced[i], 1) << i;
  for (const auto& [k, n] : produced) EXPECT_EQ(n, 1) << k;
}

// Verifies that a copy does not share NaN entries or iterator state with its source: NaN entries
// are copied (by position, they cannot be looked up), and the copy's iteration produces them all.
TEST(CopyMoveSwap, CopyKeepsNanEntries) {
  Checked<gomap::Map<double, int>> a;
  for (int i = 0; i < 30; ++i) a->insert_or_assign(nan_value(), i);
  a->insert_or_assign(1.0, 100);
  Checked<gomap::Map<double, int>> b(std::in_place, a.get());
  EXPECT_EQ(b.get().size(), 31u);
  int nans = 0;
  int sum = 0;
  b.iterate([&](double k, int v) {
    if (std::isnan(k)) {
      ++nans;
      sum += v;
    }
  });
  EXPECT_EQ(nans, 30);
  EXPECT_EQ(sum, 29 * 30 / 2);
  b->clear();
  EXPECT_EQ(a.get().size(), 31u);
}

}  // namespace
}  // namespace gomap_test
