// Big items: keys and values above 128 bytes (Go stores them out of line, "indirect", spec §1.3)
// survive inserts, growth, iteration and lookups.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Verifies 100 entries with [256]string keys and values come back through iteration, key and
// value agreeing (TestBigItems, hint 4 as in Go).
TEST(BigItems, StringArrayKeysAndValuesRoundTrip) {
  using Big = std::array<std::string, 256>;
  Checked<gomap::Map<Big, Big>> c(std::in_place, std::size_t{4});
  Big key;
  key.fill("foo");
  for (int i = 0; i < 100; ++i) {
    key[37] = "string" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    c->insert_or_assign(key, key);
  }
  ASSERT_EQ(c.get().size(), 100u);
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (auto it = c.begin(); it != c.end(); c.next(it)) {
    keys.push_back(it->first[37]);
    values.push_back(it->second[37]);
    EXPECT_EQ(it->first, it->second);
  }
  std::sort(keys.begin(), keys.end());
  std::sort(values.begin(), values.end());
  ASSERT_EQ(keys.size(), 100u);
  for (int i = 0; i < 100; ++i) {
    const std::string want = "string" + std::string(i < 10 ? "0" : "") + std::to_string(i);
    EXPECT_EQ(keys[i], want);
    EXPECT_EQ(values[i], want);
  }
}

// Verifies 256-byte trivially copyable keys and values (indirect, pointer-free) round-trip.
TEST(BigItems, ByteArrayKeysAndValuesRoundTrip) {
  using Bytes = std::array<char, 256>;
  Checked<gomap::Map<Bytes, Bytes>> c;
  auto make = [](int i, char fill) {
    Bytes b;
    b.fill(fill);
    b[0] = static_cast<char>(i);
    b[255] = static_cast<char>(i / 256);
    return b;
  };
  for (int i = 0; i < 200; ++i) c->insert_or_assign(make(i, 'k'), make(i, 'v'));
  ASSERT_EQ(c.get().size(), 200u);
  for (int i = 0; i < 200; ++i) {
    auto it = c.get().find(make(i, 'k'));
    ASSERT_TRUE(it != c.get().end()) << i;
    EXPECT_EQ(it->second, make(i, 'v')) << i;
  }
  EXPECT_FALSE(c.get().contains(make(5, 'v')));
}

// Verifies 300 keys of 64 int64 (512 bytes, no pointers) are all found after the growth they
// cause (TestMapLargeKeyNoPointer uses 1000, and a GC).
TEST(BigItems, LargeKeyWithoutPointers) {
  using Key = std::array<std::int64_t, 64>;
  Checked<gomap::Map<Key, int>> c;
  auto key = [](int i) {
    Key k;
    for (std::size_t j = 0; j < k.size(); ++j) k[j] = static_cast<std::int64_t>(i) * 64 + j;
    return k;
  };
  for (int i = 0; i < 300; ++i) c->insert_or_assign(key(i), i);
  for (int i = 0; i < 300; ++i) ASSERT_EQ(c.get().at(key(i)), i) << i;
  EXPECT_EQ(c.get().size(), 300u);
}

// Verifies 1000 values of 64 int64 (512 bytes, no pointers) keep their contents through growth
// (TestMapLargeValNoPointer, minus the GC), and that updates through at() stick.
TEST(BigItems, LargeValueWithoutPointers) {
  using Val = std::array<std::int64_t, 64>;
  Checked<gomap::Map<int, Val>> c;
  auto val = [](int i) {
    Val v;
    for (std::size_t j = 0; j < v.size(); ++j) v[j] = static_cast<std::int64_t>(i) * 1000 + j;
    return v;
  };
  for (int i = 0; i < 1000; ++i) c->insert_or_assign(i, val(i));
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(c.get().at(i), val(i)) << i;
  c->at(7)[63] = -1;
  EXPECT_EQ(c.get().at(7)[63], -1);
  EXPECT_EQ(c.get().at(7)[62], 7062);
}

// Verifies big keys and values stay intact while iterating through a grow that happens during
// the iteration (old and new slots of an indirect item share or copy the box, spec §1.3/§7.2).
TEST(BigItems, BigItemsSurviveGrowthDuringIteration) {
  using Val = std::array<std::int64_t, 40>;  // 320 bytes
  Checked<gomap::Map<std::string, Val>> c;
  auto val = [](int i) {
    Val v;
    v.fill(i);
    return v;
  };
  for (int i = 0; i < 50; ++i) c->insert_or_assign(std::to_string(i), val(i));
  std::vector<int> seen(50, 0);
  bool grown = false;
  for (auto it = c.begin(); it != c.end(); c.next(it)) {
    const int i = std::stoi(it->first);
    EXPECT_EQ(it->second, val(i)) << i;
    if (i < 50) ++seen[static_cast<std::size_t>(i)];
    if (!grown) {
      for (int j = 50; j < 500; ++j) c->insert_or_assign(std::to_string(j), val(j));
      grown = true;
    }
  }
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], 1) << i;
}

}  // namespace
}  // namespace gomap_test
