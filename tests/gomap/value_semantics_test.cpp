// Values: read-modify-write through the map (m[k] op= v), empty types, move-only values, values
// without a default constructor, and object lifetimes (every constructed object destroyed once).
#include <cstdint>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Verifies +=, /=, %= through the reference operator[] returns (TestMapOperatorAssignment).
TEST(ValueSemantics, OperatorAssignmentThroughReference) {
  Checked<gomap::Map<int, int>> c;
  c->operator[](0) = 12345;
  c->operator[](0) += 67890;
  c->operator[](0) /= 123;
  c->operator[](0) %= 456;
  EXPECT_EQ(c.get().at(0), (12345 + 67890) / 123 % 456);
}

// Verifies repeated m[0] = append(m[0], x) accumulates, for vector and string values
// (TestMapAppendAssignment).
TEST(ValueSemantics, AppendAssignmentAccumulates) {
  Checked<gomap::Map<int, std::vector<int>>> c;
  c->operator[](0).push_back(12345);
  c->operator[](0).push_back(67890);
  for (int i = 0; i < 100; ++i) c->operator[](i % 3).push_back(i);
  const auto& v0 = c.get().at(0);
  ASSERT_GE(v0.size(), 2u);
  EXPECT_EQ(v0[0] + v0[1], 12345 + 67890);
  EXPECT_EQ(v0.size(), 2u + 34u);
  EXPECT_EQ(std::accumulate(v0.begin() + 2, v0.end(), 0), 1683);  // 0 + 3 + ... + 99

  Checked<gomap::Map<int, std::string>> s;
  for (int i = 0; i < 10; ++i) s->operator[](7) += std::to_string(i);
  EXPECT_EQ(s.get().at(7), "0123456789");
}

struct Empty {
  bool operator==(const Empty&) const = default;
};
struct EmptyHash {
  std::size_t operator()(const Empty&) const { return 0; }  // std-like: mixed with the seed
};

// Verifies empty key and/or value types: insert, overwrite, size, lookup (TestEmptyKeyAndValue;
// C++ has no zero-size types, spec §7.8, so empty classes stand in).
TEST(ValueSemantics, EmptyKeyAndValue) {
  Checked<gomap::Map<int, Empty>> a;
  Checked<gomap::Map<Empty, int, EmptyHash>> b;
  Checked<gomap::Map<Empty, Empty, EmptyHash>> c;
  a->insert_or_assign(0, Empty{});
  b->insert_or_assign(Empty{}, 0);
  b->insert_or_assign(Empty{}, 1);
  c->insert_or_assign(Empty{}, Empty{});
  EXPECT_EQ(a.get().size(), 1u);
  EXPECT_EQ(b.get().size(), 1u);
  EXPECT_EQ(c.get().size(), 1u);
  EXPECT_EQ(b.get().at(Empty{}), 1);
  EXPECT_TRUE(c.get().contains(Empty{}));
  EXPECT_EQ(c->erase(Empty{}), 1u);
  EXPECT_TRUE(c.get().empty());
  for (int i = 0; i < 100; ++i) a->insert_or_assign(i, Empty{});
  EXPECT_EQ(a.get().size(), 100u);
}

// Verifies move-only values (std::unique_ptr) through inserts, growth while an iterator is live
// (so evacuation cannot copy them: spec §7.2), updates and erases.
TEST(ValueSemantics, MoveOnlyValuesSurviveGrowthDuringIteration) {
  using M = gomap::Map<int, std::unique_ptr<int>>;
  Checked<M> c;
  for (int i = 0; i < 20; ++i) c->try_emplace(i, std::make_unique<int>(i));
  int produced = 0;
  for (auto it = c.begin(); it != c.end(); c.next(it)) {
    const int k = it->first;
    ASSERT_NE(it->second, nullptr);
    EXPECT_EQ(*it->second, k);
    ++produced;
    if (produced == 1) {
      for (int i = 100; i < 400; ++i) c->insert_or_assign(i, std::make_unique<int>(i));
    }
  }
  EXPECT_GE(produced, 20);
  EXPECT_EQ(c.get().size(), 320u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(*c.get().at(i), i);
  for (int i = 100; i < 400; ++i) EXPECT_EQ(*c.get().at(i), i);
  EXPECT_EQ(c->operator[](1000), nullptr);  // value-initialised
  c->operator[](5) = std::make_unique<int>(55);
  EXPECT_EQ(*c.get().at(5), 55);
  auto [it, inserted] = c->try_emplace(5, std::make_unique<int>(-1));
  EXPECT_FALSE(inserted);
  EXPECT_EQ(*it->second, 55);
  EXPECT_EQ(c->erase(5), 1u);
  EXPECT_FALSE(c.get().contains(5));
}

struct NoDefault {
  explicit NoDefault(int x) : v(x) {}
  int v;
};

// Verifies a value type without a default constructor works with try_emplace, emplace, insert and
// insert_or_assign (operator[] is simply not available for it).
TEST(ValueSemantics, ValueWithoutDefaultConstructor) {
  Checked<gomap::Map<int, NoDefault>> c;
  EXPECT_TRUE(c->try_emplace(1, 10).second);
  EXPECT_FALSE(c->try_emplace(1, 11).second);
  EXPECT_TRUE(c->emplace(2, NoDefault(20)).second);
  EXPECT_TRUE(c->insert({3, NoDefault(30)}).second);
  EXPECT_FALSE(c->insert_or_assign(3, NoDefault(31)).second);
  for (int i = 10; i < 200; ++i) c->try_emplace(i, i);
  EXPECT_EQ(c.get().at(1).v, 10);
  EXPECT_EQ(c.get().at(2).v, 20);
  EXPECT_EQ(c.get().at(3).v, 31);
  EXPECT_EQ(c.get().at(150).v, 150);
}

// Counts live objects, so that leaks and double destruction show up as a non-zero balance.
struct Counted {
  static inline std::int64_t live = 0;
  int v = 0;
  Counted() { ++live; }
  explicit Counted(int x) : v(x) { ++live; }
  Counted(const Counted& o) : v(o.v) { ++live; }
  Counted(Counted&& o) noexcept : v(o.v) { ++live; }
  Counted& operator=(const Counted&) = default;
  Counted& operator=(Counted&&) noexcept = default;
  ~Counted() { --live; }
  bool operator==(const Counted& o) const { return v == o.v; }
};
struct CountedHash {
  std::uint64_t operator()(const Counted& k, std::uint64_t seed) const {
    return gomap::Hash<int>{}(k.v, seed);
  }
};

// Verifies that every key and value object the map constructs is destroyed exactly once, through
// growth with and without live iterators, erase, clear, copy and destruction (spec §7.2/§7.8:
// construct on insert, destroy on delete/clear/generation destruction).
TEST(ValueSemantics, EveryConstructedObjectIsDestroyedOnce) {
  Counted::live = 0;
  {
    Checked<gomap::Map<Counted, Counted, CountedHash>> c;
    for (int i = 0; i < 200; ++i) c->insert_or_assign(Counted(i), Counted(i));
    EXPECT_GE(Counted::live, 400);
    for (auto it = c.begin(); it != c.end(); c.next(it)) {
      const int k = it->first.v;
      if (k % 3 == 0) c->erase(Counted(k));
      if (k == 0)
        for (int i = 1000; i < 1500; ++i) c->try_emplace(Counted(i), i);
    }
    {
      Checked<gomap::Map<Counted, Counted, CountedHash>> copy(std::in_place, c.get());
      EXPECT_EQ(copy.get().size(), c.get().size());
    }
    c->clear();
    EXPECT_TRUE(c.get().empty());
    for (int i = 0; i < 50; ++i) c->operator[](Counted(i)).v = i;
    EXPECT_GE(Counted::live, 100);
  }
  EXPECT_EQ(Counted::live, 0) << "objects leaked (>0) or destroyed twice (<0)";
}

}  // namespace
}  // namespace gomap_test
