// The std-like surface of gomap::Map (api.md): insert family, lookups, erase by key and by
// position (erase loops, Go's mapclear idiom), initializer lists, ranges and range-for.
#include <cmath>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;
using StrMap = gomap::Map<std::string, std::string>;

// Verifies insert(value_type): a new key is inserted and reported; an existing key is left alone
// and the returned iterator points at it.
TEST(StdInterface, InsertKeepsExistingEntry) {
  Checked<StrMap> c;
  auto [it, inserted] = c->insert({"a", "1"});
  EXPECT_TRUE(inserted);
  EXPECT_EQ(it->first, "a");
  EXPECT_EQ(it->second, "1");
  const StrMap::value_type entry{"a", "2"};
  auto [it2, inserted2] = c->insert(entry);
  EXPECT_FALSE(inserted2);
  EXPECT_EQ(it2->second, "1");
  EXPECT_EQ(c.get().at("a"), "1");
  EXPECT_EQ(c.get().size(), 1u);
}

// Verifies insert_or_assign: inserts or overwrites, reports which, returns the entry.
TEST(StdInterface, InsertOrAssignOverwrites) {
  Checked<StrMap> c;
  EXPECT_TRUE(c->insert_or_assign("k", "v1").second);
  auto [it, inserted] = c->insert_or_assign("k", "v2");
  EXPECT_FALSE(inserted);
  EXPECT_EQ(it->second, "v2");
  EXPECT_EQ(c.get().at("k"), "v2");
  std::string key = "moved";
  c->insert_or_assign(std::move(key), "v3");
  EXPECT_EQ(c.get().at("moved"), "v3");
}

// Verifies try_emplace constructs the value only when the key is absent, and does not consume its
// arguments otherwise.
TEST(StdInterface, TryEmplaceLeavesArgumentsWhenKeyExists) {
  Checked<gomap::Map<int, std::unique_ptr<int>>> c;
  auto p = std::make_unique<int>(1);
  EXPECT_TRUE(c->try_emplace(1, std::move(p)).second);
  auto q = std::make_unique<int>(2);
  EXPECT_FALSE(c->try_emplace(1, std::move(q)).second);
  EXPECT_NE(q, nullptr) << "try_emplace consumed its argument for an existing key";
  EXPECT_EQ(*c.get().at(1), 1);
  Checked<gomap::Map<std::string, std::string>> s;
  EXPECT_TRUE(s->try_emplace("x", 3, 'z').second);  // value built from (3, 'z')
  EXPECT_EQ(s.get().at("x"), "zzz");
}

// Verifies emplace with pair arguments and piecewise construction.
TEST(StdInterface, EmplaceBuildsTheEntry) {
  Checked<StrMap> c;
  EXPECT_TRUE(c->emplace("a", "b").second);
  EXPECT_FALSE(c->emplace("a", "c").second);
  EXPECT_TRUE(c->emplace(std::piecewise_construct, std::forward_as_tuple(2, 'q'),
                         std::forward_as_tuple(3, 'r'))
                  .second);
  EXPECT_EQ(c.get().at("a"), "b");
  EXPECT_EQ(c.get().at("qq"), "rrr");
}

// Verifies operator[]: creates a value-initialised entry, returns a reference that writes through.
TEST(StdInterface, SubscriptCreatesAndWritesThrough) {
  Checked<IntMap> c;
  EXPECT_EQ(c->operator[](5), 0);
  EXPECT_EQ(c.get().size(), 1u);
  c->operator[](5) = 9;
  c->operator[](6) += 2;
  EXPECT_EQ(c.get().at(5), 9);
  EXPECT_EQ(c.get().at(6), 2);
}

// Verifies at() (const and non-const) returns the value or throws std::out_of_range.
TEST(StdInterface, AtThrowsOnMissingKey) {
  Checked<IntMap> c;
  c->insert_or_assign(1, 10);
  EXPECT_EQ(c->at(1), 10);
  c->at(1) = 11;
  const IntMap& cm = c.get();
  EXPECT_EQ(cm.at(1), 11);
  EXPECT_THROW((void)cm.at(2), std::out_of_range);
  EXPECT_THROW((void)c->at(2), std::out_of_range);
  EXPECT_EQ(c.get().size(), 1u) << "at() must not insert";
}

// Verifies find/contains/count on present and missing keys, on an empty map (no table yet) too.
TEST(StdInterface, LookupsAgreeWithContents) {
  Checked<IntMap> c;
  EXPECT_TRUE(c->find(1) == c.end());
  EXPECT_FALSE(c.get().contains(1));
  EXPECT_EQ(c.get().count(1), 0u);
  for (int i = 0; i < 200; i += 2) c->insert_or_assign(i, -i);
  for (int i = 0; i < 200; ++i) {
    const bool present = i % 2 == 0;
    EXPECT_EQ(c.get().contains(i), present) << i;
    EXPECT_EQ(c.get().count(i), present ? 1u : 0u) << i;
    auto it = c.get().find(i);
    ASSERT_EQ(it != c.get().end(), present) << i;
    if (present) {
      EXPECT_EQ(it->first, i);
      EXPECT_EQ(it->second, -i);
    }
  }
}

// Verifies that a find() iterator is a single-entry view: ++ gives end(), it can be used to modify
// the value, and erase(find(k)) removes that entry and returns end() (api.md).
TEST(StdInterface, FindIteratorIsSingleEntryView) {
  Checked<IntMap> c;
  for (int i = 0; i < 50; ++i) c->insert_or_assign(i, i);
  auto it = c->find(7);
  ASSERT_TRUE(it != c.end());
  it->second = 70;
  EXPECT_EQ(c.get().at(7), 70);
  auto next = it;
  c.next(next);
  EXPECT_TRUE(next == c.end());
  auto after = c->erase(c->find(8));
  EXPECT_TRUE(after == c.end());
  EXPECT_FALSE(c.get().contains(8));
  EXPECT_EQ(c.get().size(), 49u);
}

// Verifies erase(key) returns 1 for a present key and 0 for a missing one, on an empty map too.
TEST(StdInterface, EraseByKeyReportsCount) {
  Checked<IntMap> c;
  EXPECT_EQ(c->erase(1), 0u);
  c->insert_or_assign(1, 1);
  EXPECT_EQ(c->erase(2), 0u);
  EXPECT_EQ(c->erase(1), 1u);
  EXPECT_EQ(c->erase(1), 0u);
  EXPECT_TRUE(c.get().empty());
}

// Verifies the erase loop `for (it = begin(); it != end();) it = erase(it);` removes every entry,
// for plain keys, for NaN keys (positional erase works where erase by key cannot) and for a map
// in the middle of a grow.
TEST(StdInterface, EraseLoopRemovesEverything) {
  {
    Checked<IntMap> c;
    for (int i = 0; i < 500; ++i) c->insert_or_assign(i, i);
    int erased = 0;
    for (auto it = c.begin(); it != c.end(); ++erased) it = c->erase(it);
    EXPECT_EQ(erased, 500);
    EXPECT_TRUE(c.get().empty());
  }
  {
    Checked<gomap::Map<double, int>> c;
    for (int i = 0; i < 100; ++i) c->insert_or_assign(nan_value(), i);
    for (int i = 0; i < 100; ++i) c->insert_or_assign(static_cast<double>(i), i);
    ASSERT_EQ(c.get().size(), 200u);
    int erased = 0;
    for (auto it = c.begin(); it != c.end(); ++erased) it = c->erase(it);
    EXPECT_EQ(erased, 200);
    EXPECT_TRUE(c.get().empty());
    EXPECT_TRUE(c.collect().empty());
  }
  {
    Checked<IntMap> c;
    for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
    ASSERT_TRUE(debug::growing(c.get()));
    int erased = 0;
    for (auto it = c.begin(); it != c.end(); ++erased) it = c->erase(it);
    EXPECT_EQ(erased, 105);
    EXPECT_TRUE(c.get().empty());
  }
}

// Verifies erasing selected entries by position while iterating keeps the others and visits
// every entry once (returns the next entry of that iteration, api.md).
TEST(StdInterface, SelectiveEraseByPosition) {
  Checked<IntMap> c;
  for (int i = 0; i < 300; ++i) c->insert_or_assign(i, i);
  std::map<int, int> visited;
  for (auto it = c.begin(); it != c.end();) {
    const int k = it->first;
    ++visited[k];
    if (k % 3 == 0) {
      it = c->erase(it);
    } else {
      c.next(it);
    }
  }
  EXPECT_EQ(visited.size(), 300u);
  for (const auto& [k, n] : visited) EXPECT_EQ(n, 1) << k;
  EXPECT_EQ(c.get().size(), 200u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(c.get().contains(i), i % 3 != 0) << i;
}

// Verifies erase(const_iterator) works like erase(iterator).
TEST(StdInterface, EraseByConstIterator) {
  Checked<IntMap> c;
  for (int i = 0; i < 10; ++i) c->insert_or_assign(i, i);
  IntMap::const_iterator cit = c->find(3);
  c->erase(cit);
  EXPECT_FALSE(c.get().contains(3));
  EXPECT_EQ(c.get().size(), 9u);
}

// Verifies Go's mapclear idiom `for k := range m { delete(m, k) }` (test/mapclear.go): erasing the
// produced key each step empties a map of reflexive keys, the map stays usable, and with NaN keys
// the idiom leaves the NaN entries (delete cannot find them; Go only rewrites the loop to mapclear
// for reflexive keys).
TEST(StdInterface, RangeDeleteIdiomEmptiesMap) {
  Checked<gomap::Map<std::string, int>> c;
  for (int i = 0; i < 100; ++i) c->insert_or_assign(std::to_string(i), i);
  std::string last;
  for (auto it = c.begin(); it != c.end(); c.next(it)) {
    last = it->first;
    c->erase(last);
  }
  EXPECT_TRUE(c.get().empty());
  EXPECT_FALSE(last.empty());
  c->insert_or_assign("again", 1);
  EXPECT_EQ(c.get().at("again"), 1);

  Checked<gomap::Map<double, int>> f;
  for (int i = 0; i < 10; ++i) f->insert_or_assign(nan_value(), i);
  for (int i = 0; i < 10; ++i) f->insert_or_assign(static_cast<double>(i), i);
  for (auto it = f.begin(); it != f.end(); f.next(it)) {
    const double k = it->first;
    f->erase(k);
  }
  EXPECT_EQ(f.get().size(), 10u) << "only the 10 NaN entries survive";
  for (const auto& [k, v] : f.collect()) EXPECT_TRUE(std::isnan(k)) << v;
}

// Verifies construction and insertion from initializer lists and iterator ranges; duplicates keep
// the first entry (insert semantics).
TEST(StdInterface, InitializerListAndRangeConstruction) {
  Checked<IntMap> c(std::in_place,
                    std::initializer_list<IntMap::value_type>{{1, 10}, {2, 20}, {1, 11}});
  EXPECT_EQ(c.get().size(), 2u);
  EXPECT_EQ(c.get().at(1), 10);
  c->insert({{3, 30}, {4, 40}});
  EXPECT_EQ(c.get().size(), 4u);
  const std::vector<std::pair<int, int>> pairs = {{5, 50}, {6, 60}, {5, 51}};
  c->insert(pairs.begin(), pairs.end());
  EXPECT_EQ(c.get().size(), 6u);
  EXPECT_EQ(c.get().at(5), 50);
  Checked<IntMap> r(std::in_place, pairs.begin(), pairs.end());
  EXPECT_EQ(r.get().size(), 2u);
  EXPECT_EQ(r.get().at(6), 60);
  std::map<int, int> source;
  for (int i = 0; i < 100; ++i) source[i] = i * i;
  Checked<IntMap> big(std::in_place, source.begin(), source.end());
  EXPECT_EQ(big.get().size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(big.get().at(i), i * i);
}

// Verifies range-for over mutable and const maps: structured bindings, writes through the value
// reference, each entry once.
TEST(StdInterface, RangeForVisitsEachEntryOnce) {
  Checked<IntMap> c;
  for (int i = 0; i < 100; ++i) c->insert_or_assign(i, i);
  for (auto&& [k, v] : c.unchecked()) v = k * 2;
  c.check();
  std::map<int, int> seen;
  for (const auto& [k, v] : c.get()) seen[k] += v;
  c.check();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i * 2) << i;
  int n = 0;
  for (auto it = c.get().cbegin(); it != c.get().cend(); ++it) ++n;
  c.check();
  EXPECT_EQ(n, 100);
}

// Verifies const_iterator is constructible from iterator and both compare equal at the same entry.
TEST(StdInterface, ConstIteratorFromIterator) {
  Checked<IntMap> c;
  c->insert_or_assign(1, 1);
  IntMap::iterator it = c->find(1);
  IntMap::const_iterator cit = it;
  EXPECT_EQ(cit->first, 1);
  IntMap::const_iterator cit2 = c.get().find(1);
  EXPECT_TRUE(cit == cit2);
  static_assert(std::is_convertible_v<IntMap::iterator, IntMap::const_iterator>);
  static_assert(std::is_same_v<IntMap::key_type, int>);
  static_assert(std::is_same_v<IntMap::mapped_type, int>);
  static_assert(std::is_same_v<IntMap::value_type, std::pair<const int, int>>);
}

// Verifies empty()/size() track inserts, erases and clear, and clear() on an empty map is fine.
TEST(StdInterface, SizeTracksContents) {
  Checked<IntMap> c;
  EXPECT_TRUE(c.get().empty());
  c->clear();
  for (int i = 0; i < 30; ++i) {
    c->insert_or_assign(i, i);
    EXPECT_EQ(c.get().size(), static_cast<std::size_t>(i + 1));
  }
  c->erase(3);
  EXPECT_EQ(c.get().size(), 29u);
  c->clear();
  EXPECT_TRUE(c.get().empty());
  EXPECT_TRUE(c->begin() == c.end());
}

// Verifies the observers return the map's function objects and allocator.
TEST(StdInterface, ObserversReturnFunctionObjects) {
  Checked<gomap::Map<int, int, IdentityHash>> c;
  EXPECT_EQ(c.get().hash_function()(41, 0), 41u);
  EXPECT_TRUE(c.get().key_eq()(3, 3));
  EXPECT_FALSE(c.get().key_eq()(3, 4));
  auto alloc = c.get().get_allocator();
  static_assert(std::is_same_v<decltype(alloc), std::allocator<std::pair<const int, int>>>);
}

}  // namespace
}  // namespace gomap_test
