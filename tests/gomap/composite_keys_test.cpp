// Composite and string keys: the hash agrees with equality for every field kind, so each inserted
// key is found again (TestMapInterfaceKey, TestSingleBucketMapStringKeys_DupLen/_NoDupLen).
#include <array>
#include <complex>
#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Inserts keys[i] -> i for all i, then checks every key maps to its own index and the size.
template <class C, class K>
void expect_each_key_found(C& c, const std::vector<K>& keys) {
  for (std::size_t i = 0; i < keys.size(); ++i) c->insert_or_assign(keys[i], static_cast<int>(i));
  ASSERT_EQ(c.get().size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto it = c.get().find(keys[i]);
    ASSERT_TRUE(it != c.get().end()) << "key #" << i << " not found";
    EXPECT_EQ(it->second, static_cast<int>(i)) << "key #" << i;
  }
}

// Verifies pair<double, string> keys are all found again (TestMapInterfaceKey struct keys with
// float and string fields).
TEST(CompositeKeys, PairOfDoubleAndStringKeysAreFoundAgain) {
  std::vector<std::pair<double, std::string>> keys;
  for (int i = 0; i < 500; ++i) keys.emplace_back(i * 0.25, "s" + std::to_string(i % 37));
  Checked<gomap::Map<std::pair<double, std::string>, int>> c;
  expect_each_key_found(c, keys);
}

// Verifies std::array keys holding doubles and holding strings are all found again.
TEST(CompositeKeys, ArrayKeysAreFoundAgain) {
  std::vector<std::array<double, 4>> dkeys;
  for (int i = 0; i < 500; ++i)
    dkeys.push_back(std::array<double, 4>{i * 1.5, -i * 0.5, 1e300 / (i + 1), 0.0});
  Checked<gomap::Map<std::array<double, 4>, int>> dc;
  expect_each_key_found(dc, dkeys);

  std::vector<std::array<std::string, 3>> skeys;
  for (int i = 0; i < 500; ++i)
    skeys.push_back(std::array<std::string, 3>{
        std::to_string(i), std::string(static_cast<std::size_t>(i % 40), 'x'), ""});
  Checked<gomap::Map<std::array<std::string, 3>, int>> sc;
  expect_each_key_found(sc, skeys);
}

// Verifies complex keys (float parts hashed by the float rules, spec §1.4).
TEST(CompositeKeys, ComplexKeysAreFoundAgain) {
  std::vector<std::complex<double>> keys;
  for (int i = 0; i < 500; ++i) keys.emplace_back(i * 0.5, -i * 2.0);
  Checked<gomap::Map<std::complex<double>, int>> c;
  expect_each_key_found(c, keys);
  EXPECT_TRUE(c.get().contains(std::complex<double>(-0.0, 0.0)));  // == (0, -0) == key 0
}

// A struct key with floating point, string and array members and its own seeded hasher built from
// gomap::Hash of each member.
struct Record {
  double x;
  float y;
  std::string name;
  std::array<std::int32_t, 3> tags;
  bool operator==(const Record&) const = default;
};
struct RecordHash {
  std::uint64_t operator()(const Record& r, std::uint64_t seed) const {
    std::uint64_t h = gomap::Hash<double>{}(r.x, seed);
    h = gomap::Hash<float>{}(r.y, h);
    h = gomap::Hash<std::string>{}(r.name, h);
    return gomap::Hash<std::array<std::int32_t, 3>>{}(r.tags, h);
  }
};

// Verifies a user struct key with a seeded member-wise hasher: every key found again, including
// keys differing only in one member.
TEST(CompositeKeys, StructKeyWithSeededHasherIsFoundAgain) {
  std::vector<Record> keys;
  for (int i = 0; i < 150; ++i) {
    using Tags = std::array<std::int32_t, 3>;
    keys.push_back(Record{i * 0.1, 0.0f, "r", Tags{i, 0, 0}});
    keys.push_back(Record{i * 0.1, 1.0f, "r", Tags{i, 0, 0}});                      // differs in y
    keys.push_back(Record{i * 0.1, 0.0f, "r" + std::to_string(i), Tags{i, 0, 0}});  // in name
    keys.push_back(Record{i * 0.1, 0.0f, "r", Tags{i, 0, 1}});                      // in tags
  }
  Checked<gomap::Map<Record, int, RecordHash>> c;
  expect_each_key_found(c, keys);
}

// Verifies tuple keys mixing integers, strings and doubles.
TEST(CompositeKeys, TupleKeysAreFoundAgain) {
  std::vector<std::tuple<int, std::string, double>> keys;
  for (int i = 0; i < 400; ++i) keys.emplace_back(i % 20, std::to_string(i / 20), i * 0.5);
  Checked<gomap::Map<std::tuple<int, std::string, double>, int>> c;
  expect_each_key_found(c, keys);
}

// Verifies a single-bucket string map whose keys share lengths, including 128-byte keys differing
// in one byte, and that absent keys of the same lengths are not found
// (TestSingleBucketMapStringKeys_DupLen).
TEST(StringKeys, SingleBucketKeysWithDuplicateLengths) {
  const std::string long_a(128, 'x');
  std::string long_b = long_a;
  long_b[127] = 'y';
  std::string long_c = long_a;
  long_c[0] = 'y';
  const std::vector<std::string> keys = {"", "x", "foo", "bar", "xxxx", long_a, long_b, long_c};
  Checked<gomap::Map<std::string, int>> c;
  expect_each_key_found(c, keys);
  EXPECT_EQ(debug::B(c.get()), 0u);
  for (const char* absent : {"baz", "fo", "xxxy", "y", "xxxxx"})
    EXPECT_FALSE(c.get().contains(absent));
  std::string long_d = long_a;
  long_d[64] = 'z';
  EXPECT_FALSE(c.get().contains(long_d));
}

// Verifies a single-bucket string map with keys of distinct lengths
// (TestSingleBucketMapStringKeys_NoDupLen).
TEST(StringKeys, SingleBucketKeysWithDistinctLengths) {
  const std::vector<std::string> keys = {"1",     "22",     "333",     "4444",
                                         "55555", "666666", "7777777", std::string(128, '8')};
  Checked<gomap::Map<std::string, int>> c;
  expect_each_key_found(c, keys);
  EXPECT_FALSE(c.get().contains("22 "));
  EXPECT_FALSE(c.get().contains(std::string(127, '8')));
}

// Verifies many keys with a long common prefix (only the tail differs) across growth.
TEST(StringKeys, LongCommonPrefixKeysAreFoundAgain) {
  const std::string prefix(100, 'p');
  std::vector<std::string> keys;
  for (int i = 0; i < 400; ++i) keys.push_back(prefix + std::to_string(i));
  Checked<gomap::Map<std::string, int>> c;
  expect_each_key_found(c, keys);
  EXPECT_FALSE(c.get().contains(prefix));
  EXPECT_FALSE(c.get().contains(prefix + "400"));
}

// Verifies that an overwrite of a string key keeps one entry with the new value (NeedKeyUpdate is
// about representation only; equal strings are equal).
TEST(StringKeys, OverwriteKeepsOneEntry) {
  Checked<gomap::Map<std::string, int>> c;
  std::string key(200, 'k');
  c->insert_or_assign(key, 1);
  c->insert_or_assign(std::string(200, 'k'), 2);
  EXPECT_EQ(c.get().size(), 1u);
  EXPECT_EQ(c.get().at(key), 2);
}

}  // namespace
}  // namespace gomap_test
