// Table sizing: bucket counts after n inserts, the 6.5 load factor, hints and reserve.
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;

struct BucketCase {
  int n;
  std::size_t buckets;
};
// Bucket count after n distinct inserts: Go's TestMapBuckets sample points plus the exact 6.5
// boundaries of spec §1.6 (13 -> 2, 14 -> 4, 26 -> 4, 27 -> 8, 52 -> 8, 53 -> 16).
constexpr BucketCase kBucketTable[] = {{0, 1},  {1, 1},  {8, 1},  {9, 2},  {12, 2},
                                       {13, 2}, {14, 4}, {24, 4}, {26, 4}, {27, 8},
                                       {48, 8}, {52, 8}, {53, 16}};

// Verifies the bucket count after n inserts into a map made without a hint (TestMapBuckets
// "nohint", spec §1.6 with the exact 6.5 boundaries).
TEST(Sizing, BucketCountAfterInsertsFollowsLoadFactor) {
  for (const auto& [n, buckets] : kBucketTable) {
    Checked<IntMap> c;
    for (int i = 0; i < n; ++i) c->insert_or_assign(i, i);
    EXPECT_EQ(debug::bucket_count(c.get()), buckets) << "n=" << n;
    EXPECT_EQ(c.get().size(), static_cast<std::size_t>(n));
  }
}

// Verifies that a map made with hint n has the same bucket count, before and after inserting the
// n keys (TestMapBuckets "makemap": makemap picks the smallest B with !overLoadFactor(hint, B)).
TEST(Sizing, HintPicksSmallestTableThatHoldsIt) {
  for (const auto& [n, buckets] : kBucketTable) {
    Checked<IntMap> c(std::in_place, static_cast<std::size_t>(n));
    EXPECT_EQ(debug::bucket_count(c.get()), buckets) << "hint=" << n;
    for (int i = 0; i < n; ++i) c->insert_or_assign(i, i);
    EXPECT_EQ(debug::bucket_count(c.get()), buckets) << "hint=" << n << " after inserts";
    EXPECT_FALSE(debug::growing(c.get()));
  }
}

// Verifies that map literals (initializer lists) size like inserts (TestMapBuckets "mapliteral").
TEST(Sizing, InitializerListSizesLikeInserts) {
  Checked<IntMap> c9(std::in_place,
                     std::initializer_list<IntMap::value_type>{
                         {0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}, {8, 8}});
  EXPECT_EQ(c9.get().size(), 9u);
  EXPECT_EQ(debug::bucket_count(c9.get()), 2u);
  Checked<IntMap> c8(std::in_place,
                     std::initializer_list<IntMap::value_type>{
                         {0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {7, 7}});
  EXPECT_EQ(debug::bucket_count(c8.get()), 1u);
}

// Verifies the load factor 13/2 exactly for B = 0..8 by inserting: a table of 2^B buckets takes
// its maximum (8, then 13 * 2^(B-1)) without doubling and doubles on the next key (TestLoadFactor,
// Go 1.23; issue #63438 is the 1.21 slip to 6.0). Sequential inserts pass through every B.
TEST(Sizing, LoadFactorIsThirteenHalves) {
  Checked<IntMap> c;
  int next = 0;
  for (unsigned b = 0; b <= 8; ++b) {
    const std::size_t max = max_entries_for_B(b);
    while (c.get().size() < max) {
      c->insert_or_assign(next, next);
      ++next;
    }
    ASSERT_TRUE(c.ok());
    EXPECT_EQ(debug::B(c.get()), b) << "holding " << max << " entries";
    c->insert_or_assign(next, next);
    ++next;
    EXPECT_EQ(debug::B(c.get()), b + 1) << "after entry " << max + 1;
    EXPECT_NE(debug::growth(c.get()), debug::Growth::same_size);
  }
}

// Verifies the same boundaries for B = 0..15 through hints (makemap applies overLoadFactor to the
// hint, spec §1.6): hint 13 * 2^(B-1) gives 2^B buckets, one more gives 2^(B+1).
TEST(Sizing, LoadFactorBoundariesThroughHints) {
  for (unsigned b = 0; b <= 15; ++b) {
    const std::size_t max = max_entries_for_B(b);
    Checked<IntMap> at_max(std::in_place, max);
    EXPECT_EQ(debug::B(at_max.get()), b) << "hint " << max;
    Checked<IntMap> above(std::in_place, max + 1);
    EXPECT_EQ(debug::B(above.get()), b + 1) << "hint " << max + 1;
  }
}

// Verifies that the B = 0 table is special: it holds 8 (not 6.5) and only a 9th key doubles it
// (spec §1.6 overLoadFactor: count > 8 is required).
TEST(Sizing, SingleBucketHoldsEightEntries) {
  Checked<IntMap> c;
  for (int i = 0; i < 8; ++i) {
    c->insert_or_assign(i, i);
    EXPECT_EQ(debug::B(c.get()), 0u) << "after " << i + 1;
  }
  c->insert_or_assign(8, 8);
  EXPECT_EQ(debug::B(c.get()), 1u);
}

// Verifies that updates of existing keys never grow the table: grow triggers are only evaluated
// when a new key is added (spec §3.2 step 9).
TEST(Sizing, OverwritesNeverGrow) {
  Checked<IntMap> c;
  for (int i = 0; i < 13; ++i) c->insert_or_assign(i, i);
  ASSERT_EQ(debug::B(c.get()), 1u);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 13; ++i) {
      c->insert_or_assign(i, round);
      c->operator[](i) += 1;
    }
  }
  EXPECT_EQ(debug::B(c.get()), 1u);
  EXPECT_EQ(c.get().size(), 13u);
}

// Verifies that absurd hints are ignored instead of throwing or allocating (TestIgnoreBogusMapHint,
// issue #19926: Go passes -1 and 1<<62; SIZE_MAX is -1 converted to size_t).
TEST(Sizing, BogusHintsAreIgnored) {
  const std::size_t hints[] = {std::numeric_limits<std::size_t>::max(), std::size_t{1} << 62,
                               std::numeric_limits<std::size_t>::max() / 2,
                               static_cast<std::size_t>(-(std::int64_t{1} << 30))};
  for (std::size_t hint : hints) {
    Checked<IntMap> c(std::in_place, hint);
    EXPECT_EQ(debug::bucket_count(c.get()), 1u) << "hint " << hint;
    for (int i = 0; i < 100; ++i) c->insert_or_assign(i, i);
    EXPECT_EQ(c.get().size(), 100u);
    EXPECT_EQ(c.get().at(42), 42);
  }
}

// Verifies that a large sane hint allocates the table up front: B for 1000 is 8 (832 < 1000 <=
// 1664) and the 1000 inserts then never grow (spec §1.6 makemap).
TEST(Sizing, LargeHintPreallocates) {
  Checked<IntMap> c(std::in_place, std::size_t{1000});
  EXPECT_EQ(debug::B(c.get()), 8u);
  for (int i = 0; i < 1000; ++i) c->insert_or_assign(i, i);
  EXPECT_EQ(debug::B(c.get()), 8u);
  EXPECT_FALSE(debug::growing(c.get()));
}

// Verifies reserve(n) on an empty map: the following n inserts never change B (api.md reserve;
// the same B rule as a hint).
TEST(Sizing, ReserveAvoidsGrowthDuringFollowingInserts) {
  for (std::size_t n : {std::size_t{9}, std::size_t{14}, std::size_t{53}, std::size_t{500}}) {
    Checked<IntMap> c;
    c->reserve(n);
    const unsigned b = debug::B(c.get());
    EXPECT_GE(max_entries_for_B(b), n);
    for (std::size_t i = 0; i < n; ++i) {
      c->insert_or_assign(static_cast<int>(i), 1);
      ASSERT_EQ(debug::B(c.get()), b) << "reserve(" << n << ") then insert #" << i + 1;
    }
  }
}

// Verifies reserve(n) on a non-empty map: every entry survives, B grows so that n fit, the grow is
// finished synchronously, and the next inserts up to n do not change B.
TEST(Sizing, ReserveOnNonEmptyMapKeepsEveryEntry) {
  Checked<IntMap> c;
  for (int i = 0; i < 40; ++i) c->insert_or_assign(i, i * 3);
  c->reserve(700);
  EXPECT_EQ(c.get().size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(c.get().at(i), i * 3);
  const unsigned b = debug::B(c.get());
  EXPECT_GE(max_entries_for_B(b), 700u);
  EXPECT_FALSE(debug::growing(c.get())) << "reserve grows synchronously (api.md)";
  for (int i = 40; i < 700; ++i) c->insert_or_assign(i, i * 3);
  EXPECT_EQ(debug::B(c.get()), b);
  for (int i = 0; i < 700; ++i) ASSERT_EQ(c.get().at(i), i * 3);
}

// Verifies reserve during an in-progress grow keeps every entry (the pending evacuation is
// completed or carried along, never lost).
TEST(Sizing, ReserveDuringGrowKeepsEveryEntry) {
  Checked<IntMap> c;
  for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
  ASSERT_TRUE(debug::growing(c.get()));
  c->reserve(2000);
  EXPECT_EQ(c.get().size(), 105u);
  for (int i = 0; i < 105; ++i) EXPECT_EQ(c.get().at(i), i);
  EXPECT_GE(max_entries_for_B(debug::B(c.get())), 2000u);
}

// Verifies that reserve with an absurd n is ignored like a bogus hint: no throw, nothing changes
// (api.md "absurd n ignored", spec §7.5).
TEST(Sizing, AbsurdReserveIsIgnored) {
  Checked<IntMap> c;
  for (int i = 0; i < 20; ++i) c->insert_or_assign(i, i);
  const unsigned b = debug::B(c.get());
  c->reserve(std::numeric_limits<std::size_t>::max());
  c->reserve(std::size_t{1} << 62);
  EXPECT_EQ(debug::B(c.get()), b);
  EXPECT_EQ(c.get().size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(c.get().at(i), i);
}

// Verifies that reserve never shrinks (Go never shrinks a table, issue #20135).
TEST(Sizing, ReserveSmallerThanCapacityIsNoOp) {
  Checked<IntMap> c;
  for (int i = 0; i < 100; ++i) c->insert_or_assign(i, i);
  const unsigned b = debug::B(c.get());
  c->reserve(1);
  c->reserve(0);
  EXPECT_EQ(debug::B(c.get()), b);
  EXPECT_EQ(c.get().size(), 100u);
}

// Verifies that erasing never shrinks the table (issue #20135): B stays after deleting everything.
TEST(Sizing, EraseNeverShrinks) {
  Checked<IntMap> c;
  for (int i = 0; i < 300; ++i) c->insert_or_assign(i, i);
  const unsigned b = debug::B(c.get());
  EXPECT_EQ(b, 6u);
  for (int i = 0; i < 300; ++i) c->erase(i);
  EXPECT_TRUE(c.get().empty());
  EXPECT_EQ(debug::B(c.get()), b);
}

}  // namespace
}  // namespace gomap_test
