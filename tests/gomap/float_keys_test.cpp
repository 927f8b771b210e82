// Floating point keys: +0/-0 are one key whose stored bits follow the last assignment, NaN keys
// are irreflexive (every insert is a new entry that lookups never find), NaNs spread over buckets.
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using FloatMap = gomap::Map<double, int>;

// Verifies that +0.0 and -0.0 are one key and an overwrite stores the caller's sign, in both
// orders (TestNegativeZero; NeedKeyUpdate, spec §3.2 step 8).
TEST(FloatKeys, NegativeZeroOverwriteStoresLastSign) {
  {
    Checked<FloatMap> c;
    c->insert_or_assign(+0.0, 1);
    c->insert_or_assign(-0.0, 2);
    EXPECT_EQ(c.get().size(), 1u);
    const auto all = c.collect();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_TRUE(std::signbit(all[0].first)) << "stored key keeps +0 after m[-0] = v";
    EXPECT_EQ(all[0].second, 2);
  }
  {
    Checked<FloatMap> c;
    c->insert_or_assign(-0.0, 1);
    c->insert_or_assign(+0.0, 2);
    EXPECT_EQ(c.get().size(), 1u);
    const auto all = c.collect();
    ASSERT_EQ(all.size(), 1u);
    EXPECT_FALSE(std::signbit(all[0].first)) << "stored key keeps -0 after m[+0] = v";
  }
}

// Verifies that lookups treat +0 and -0 alike (they hash alike, spec §1.4) and find() reports the
// stored representation.
TEST(FloatKeys, SignedZerosFindEachOther) {
  Checked<FloatMap> c;
  c->insert_or_assign(-0.0, 7);
  EXPECT_TRUE(c.get().contains(+0.0));
  EXPECT_EQ(c.get().at(+0.0), 7);
  auto it = c->find(+0.0);
  ASSERT_TRUE(it != c.end());
  EXPECT_TRUE(std::signbit(it->first));
  EXPECT_EQ(c->erase(+0.0), 1u);
  EXPECT_TRUE(c.get().empty());
}

// Verifies key update for aggregates holding a float: pair(-0.0, 1) overwrites pair(+0.0, 1) and
// the stored pair takes the new sign (needs_key_update for pairs, spec §1.5).
TEST(FloatKeys, NegativeZeroInsidePairOverwritesKey) {
  Checked<gomap::Map<std::pair<double, int>, int>> c;
  c->insert_or_assign({+0.0, 1}, 1);
  c->insert_or_assign({-0.0, 1}, 2);
  EXPECT_EQ(c.get().size(), 1u);
  const auto all = c.collect();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(std::signbit(all[0].first.first));
  EXPECT_EQ(all[0].second, 2);
}

// Verifies that three m[NaN] = v assignments make three entries whose values all come back
// through iteration with NaN keys (TestMapAssignmentNan).
TEST(FloatKeys, NanAssignmentCreatesNewEntries) {
  Checked<FloatMap> c;
  c->insert_or_assign(nan_value(), 1);
  c->insert_or_assign(nan_value(), 2);
  c->insert_or_assign(nan_value(), 4);
  EXPECT_EQ(c.get().size(), 3u);
  int s = 0;
  int n = 0;
  c.iterate([&](double k, int v) {
    EXPECT_TRUE(std::isnan(k)) << "nan disappeared";
    EXPECT_EQ(v & (v - 1), 0) << "value wrong: " << v;
    s |= v;
    ++n;
  });
  EXPECT_EQ(n, 3);
  EXPECT_EQ(s, 7);
}

// Verifies that m[NaN] += v creates a new value-initialised entry every time
// (TestMapOperatorAssignmentNan; operator[] on an irreflexive key).
TEST(FloatKeys, NanOperatorAssignmentStartsFromZeroEachTime) {
  Checked<FloatMap> c;
  c->operator[](nan_value()) += 1;
  c->operator[](nan_value()) += 2;
  c->operator[](nan_value()) += 4;
  EXPECT_EQ(c.get().size(), 3u);
  std::multiset<int> values;
  c.iterate([&](double k, int v) {
    EXPECT_TRUE(std::isnan(k));
    values.insert(v);
  });
  EXPECT_EQ(values, (std::multiset<int>{1, 2, 4}));
}

// Verifies that NaN keys are never found and cannot be erased by key (spec §3.1 "a key with
// k != k is never found"; issue #56351: only clear() or positional erase remove them).
TEST(FloatKeys, NanKeysAreNeverFoundOrErasedByKey) {
  Checked<FloatMap> c;
  for (int i = 0; i < 20; ++i) c->insert_or_assign(nan_value(), i);
  c->insert_or_assign(1.5, 100);
  EXPECT_FALSE(c.get().contains(nan_value()));
  EXPECT_EQ(c.get().count(nan_value()), 0u);
  EXPECT_TRUE(c->find(nan_value()) == c.end());
  EXPECT_THROW((void)c.get().at(nan_value()), std::out_of_range);
  EXPECT_EQ(c->erase(nan_value()), 0u);
  EXPECT_EQ(c.get().size(), 21u);
  c->clear();
  EXPECT_TRUE(c.get().empty());
  EXPECT_TRUE(c.collect().empty());
}

// Verifies that positional erase removes NaN entries (the only per-entry way, issue #63312) and
// leaves the other entries alone.
TEST(FloatKeys, PositionalEraseRemovesNanEntries) {
  Checked<FloatMap> c;
  for (int i = 0; i < 30; ++i) c->insert_or_assign(nan_value(), i);
  for (int i = 0; i < 30; ++i) c->insert_or_assign(static_cast<double>(i), i);
  for (auto it = c.begin(); it != c.end();) {
    if (std::isnan(it->first)) {
      it = c->erase(it);
    } else {
      c.next(it);
    }
  }
  EXPECT_EQ(c.get().size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(c.get().at(static_cast<double>(i)), i);
  for (const auto& [k, v] : c.collect()) EXPECT_FALSE(std::isnan(k)) << v;
}

// Verifies that inserting many NaN keys does not build one long chain: every NaN hashes to a
// fresh random value, so the longest chain stays short (test/maplinear.go, spec §1.4; the
// structural form of "not quadratic" - no timing). 5000 keys (maplinear uses more) keep the
// every-step check affordable; one chain would be 625 buckets long.
TEST(FloatKeys, ManyNanKeysSpreadOverBuckets) {
  constexpr int kN = 5000;
  Checked<FloatMap> c;
  for (int i = 0; i < kN; ++i) {
    c->insert_or_assign(nan_value(), i);
    if (!c.ok()) break;
  }
  EXPECT_EQ(c.get().size(), static_cast<std::size_t>(kN));
  const auto dump = debug::dump_current(c.get());
  EXPECT_LT(longest_chain(dump), 20u) << "NaN keys pile up in one chain";
  EXPECT_EQ(debug::B(c.get()), 10u);  // 3328 < 5000 <= 6656
}

// Verifies that many -0.0/+0.0 flips keep one entry and never grow the table (an update is not a
// new key, spec §3.2 step 9).
TEST(FloatKeys, SignedZeroFlipsStayOneEntry) {
  Checked<FloatMap> c;
  for (int i = 0; i < 100; ++i) c->insert_or_assign(i % 2 ? -0.0 : 0.0, i);
  EXPECT_EQ(c.get().size(), 1u);
  EXPECT_EQ(debug::B(c.get()), 0u);
  const auto all = c.collect();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_TRUE(std::signbit(all[0].first));  // i = 99 is odd: -0.0
  EXPECT_EQ(all[0].second, 99);
}

}  // namespace
}  // namespace gomap_test
