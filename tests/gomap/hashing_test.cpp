// Hashing: gomap::Hash equates +0/-0, randomises NaN, is seeded and mixes into the top byte; a
// seeded user hasher is used verbatim, a std-like one is mixed with the seed (spec §1.4, §7.6).
#include <cstdint>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Verifies that +0.0 and -0.0 hash alike under any seed (they are one key, spec §1.4).
TEST(Hashing, SignedZerosHashAlike) {
  for (std::uint64_t seed : {0ull, 1ull, 0xDEADBEEFull}) {
    EXPECT_EQ(gomap::Hash<double>{}(0.0, seed), gomap::Hash<double>{}(-0.0, seed));
    EXPECT_EQ(gomap::Hash<float>{}(0.0f, seed), gomap::Hash<float>{}(-0.0f, seed));
  }
}

// Verifies that every NaN hash is a fresh random value, so NaN keys spread out
// (test/maplinear.go; spec §1.4).
TEST(Hashing, EveryNanHashIsFresh) {
  std::set<std::uint64_t> hashes;
  for (int i = 0; i < 100; ++i) hashes.insert(gomap::Hash<double>{}(nan_value(), 7));
  EXPECT_GE(hashes.size(), 99u);
}

// Verifies that the seed changes the hash of (nearly) every key.
TEST(Hashing, SeedChangesTheHash) {
  int same = 0;
  for (int k = 0; k < 1000; ++k) same += gomap::Hash<int>{}(k, 1) == gomap::Hash<int>{}(k, 2);
  EXPECT_LE(same, 1);
  EXPECT_NE(gomap::Hash<std::string>{}("abc", 1), gomap::Hash<std::string>{}("abc", 2));
}

// Verifies that consecutive small integers get well-spread top bytes (tophash) and low bytes
// (bucket index) under 8 map seeds: a random function gives ~251 distinct values of 256 for 1000
// keys (below 200 essentially never); an identity hash such as libstdc++'s std::hash<int> gives
// one tophash (issue #66841, spec §7.6 "mix all input bits").
TEST(Hashing, SmallIntegersSpreadOverTopByteAndLowBits) {
  for (std::uint64_t seed : {0ull, 1ull, 12345ull, 0xFFFFFFFFull, 1ull << 40, 0x9E3779B97F4A7C15ull,
                             0xDEADBEEFCAFEF00Dull, ~0ull}) {
    std::set<std::uint64_t> tops;
    std::set<std::uint64_t> lows;
    for (int k = 0; k < 1000; ++k) {
      const std::uint64_t h = gomap::Hash<int>{}(k, seed);
      tops.insert(h >> 56);
      lows.insert(h & 255);
    }
    EXPECT_GE(tops.size(), 200u) << "seed " << seed << ": top bytes of 1000 consecutive keys";
    EXPECT_GE(lows.size(), 200u) << "seed " << seed << ": low bytes of 1000 consecutive keys";
  }
}

// Top byte 0x40 + key, low bits = key: exact, distinct tophashes per key.
struct TopByteHash {
  std::uint64_t operator()(int key, std::uint64_t /*seed*/) const {
    const auto k = static_cast<std::uint64_t>(key);
    return ((0x40 + k) << 56) | k;
  }
};

// Verifies that a seeded user hasher is used verbatim (api.md): with B = 1, key k sits in chain
// k & 1, with tophash 0x40 + k (top 8 bits, spec §1.4), packed in insertion order.
TEST(Hashing, SeededUserHasherIsUsedVerbatim) {
  Checked<gomap::Map<int, int, TopByteHash>> c(std::in_place, std::size_t{9});
  ASSERT_EQ(debug::B(c.get()), 1u);
  for (int k = 0; k < 8; ++k) c->insert_or_assign(k, k);
  const auto dump = debug::dump_current(c.get());
  const auto even = chain_slots(dump, 0);
  const auto odd = chain_slots(dump, 1);
  ASSERT_EQ(even.size(), 8u);
  ASSERT_EQ(odd.size(), 8u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(even[static_cast<std::size_t>(i)], 0x40 + 2 * i) << i;
    EXPECT_EQ(odd[static_cast<std::size_t>(i)], 0x40 + 2 * i + 1) << i;
  }
  for (std::size_t i = 4; i < 8; ++i) {
    EXPECT_EQ(even[i], debug::kEmptyRest);
    EXPECT_EQ(odd[i], debug::kEmptyRest);
  }
}

// Verifies that a tophash below minTopHash is bumped by 5 (spec §1.4): the identity hasher gives
// top byte 0 for small keys, stored as 5.
TEST(Hashing, LowTophashIsBumpedToMinTopHash) {
  Checked<IdentityMap> c;
  for (int k = 0; k < 5; ++k) c->insert_or_assign(k, k);
  const auto slots = chain_slots(debug::dump_current(c.get()), 0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(slots[static_cast<std::size_t>(i)], debug::kMinTopHash);
}

// std-like hasher h(key) -> size_t returning the key itself.
struct PlainIdentityHash {
  std::size_t operator()(int key) const { return static_cast<std::size_t>(key); }
};

// Verifies that a std-like hasher is mixed with the seed (api.md): identity values would all give
// tophash 5 if used verbatim; mixed, the tophashes of 100 keys are spread out.
TEST(Hashing, StdLikeHasherIsMixedWithSeed) {
  Checked<gomap::Map<int, int, PlainIdentityHash>> c;
  for (int k = 0; k < 100; ++k) c->insert_or_assign(k, k);
  std::set<std::uint8_t> tops;
  for (const auto& chain : debug::dump_current(c.get()).chains)
    for (const auto& bucket : chain.tophash)
      for (std::uint8_t t : bucket)
        if (t >= debug::kMinTopHash) tops.insert(t);
  EXPECT_GE(tops.size(), 30u);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(c.get().at(k), k);
}

}  // namespace
}  // namespace gomap_test
