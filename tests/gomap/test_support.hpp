// Shared helpers of the gomap unit tests: hostile hashers, dump readers and small utilities.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"

namespace gomap_test {

inline double nan_value() { return std::numeric_limits<double>::quiet_NaN(); }

// Seeded hasher used verbatim by the map (api.md): the hash word is the key itself, so the bucket
// index is `key & (2^B - 1)` and the tophash is 5 for every key below 2^56.
struct IdentityHash {
  std::uint64_t operator()(int key, std::uint64_t /*seed*/) const {
    return static_cast<std::uint64_t>(key);
  }
};
using IdentityMap = gomap::Map<int, int, IdentityHash>;

// Every key hashes to kConstantHashWord: one chain (bucket 0), tophash 0xAB.
inline constexpr std::uint64_t kConstantHashWord = 0xAB00'0000'0000'0000ULL;
inline constexpr std::uint8_t kConstantTophash = 0xAB;
struct ConstantHash {
  std::uint64_t operator()(int /*key*/, std::uint64_t /*seed*/) const { return kConstantHashWord; }
};
using ConstantMap = gomap::Map<int, int, ConstantHash>;

// A double hasher with gomap::Hash<double>'s rules (+0 == -0, every NaN a fresh draw from
// gomap::thread_random) but no per-process key: with gomap::seed_thread_random() every layout,
// and so every run of a seeded test, is reproducible across processes.
struct ReproducibleDoubleHash {
  std::uint64_t operator()(double key, std::uint64_t seed) const {
    if (std::isnan(key)) return gomap::thread_random();
    if (key == 0) key = 0;  // -0.0 -> +0.0
    std::uint64_t bits;
    std::memcpy(&bits, &key, sizeof bits);
    std::uint64_t z = bits ^ seed ^ 0x9E3779B97F4A7C15ULL;  // splitmix64 finaliser
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

// Largest count a table of 2^B buckets holds before a doubling grow (spec §1.6, load factor 6.5).
inline std::size_t max_entries_for_B(unsigned b) { return b == 0 ? 8 : std::size_t{13} << (b - 1); }

// The tophash bytes of one chain of a dump, flattened in chain order (head bucket first).
inline std::vector<std::uint8_t> chain_slots(const gomap::debug::TableDump& t, std::size_t index) {
  std::vector<std::uint8_t> out;
  for (const auto& chain : t.chains) {
    if (chain.index != index) continue;
    for (const auto& bucket : chain.tophash) out.insert(out.end(), bucket.begin(), bucket.end());
  }
  return out;
}

// Number of buckets (head + overflow) in the longest chain of a dump.
inline std::size_t longest_chain(const gomap::debug::TableDump& t) {
  std::size_t longest = 0;
  for (const auto& chain : t.chains) longest = std::max(longest, chain.tophash.size());
  return longest;
}

// Number of occupied slots (tophash >= kMinTopHash) in a dump.
inline std::size_t occupied_slots(const gomap::debug::TableDump& t) {
  std::size_t n = 0;
  for (const auto& chain : t.chains)
    for (const auto& bucket : chain.tophash)
      for (std::uint8_t top : bucket) n += top >= gomap::debug::kMinTopHash;
  return n;
}

// I3 checked independently of the map's own checker: walking every chain of a (current) table,
// no emptyRest slot is followed by a non-emptyRest slot, and the last non-emptyRest slot is
// occupied, never emptyOne (spec §1.7, Go's MapTombstoneCheck).
inline ::testing::AssertionResult emptyrest_discipline_holds(const gomap::debug::TableDump& t) {
  namespace d = gomap::debug;
  for (const auto& chain : t.chains) {
    std::vector<std::uint8_t> slots;
    for (const auto& bucket : chain.tophash)
      slots.insert(slots.end(), bucket.begin(), bucket.end());
    bool seen_rest = false;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      if (slots[i] == d::kEmptyRest) {
        seen_rest = true;
        if (i > 0 && slots[i - 1] == d::kEmptyOne) {
          return ::testing::AssertionFailure()
                 << "chain " << chain.index << ": emptyOne right before emptyRest at slot " << i;
        }
      } else if (seen_rest) {
        return ::testing::AssertionFailure() << "chain " << chain.index << ": slot " << i
                                             << " is not emptyRest but follows an emptyRest slot";
      }
    }
    if (!slots.empty() && slots.back() == d::kEmptyOne) {
      return ::testing::AssertionFailure()
             << "chain " << chain.index << ": last slot is emptyOne (should be emptyRest)";
    }
  }
  return ::testing::AssertionSuccess();
}

// Drives an IdentityMap (hash = key) into an in-progress same-size grow at B = 2:
// 14 keys make B = 2; then for each of the 4 chains, 9 keys of that chain force one overflow
// bucket (noverflow reaches 2^B = 4, spec §1.6 tooManyOverflowBuckets) and 8 of them are erased
// again so the load stays far below 6.5; the next insert of a new key starts a same-size grow
// (spec §3.2 step 9, §3.4), which needs more than one write to finish (4 old buckets, 2 per write).
// Leaves the map with 4 + 1 entries: the survivors {1000+j}, j = 0..3, and `trigger_key`.
inline void drive_into_same_size_grow(Checked<IdentityMap>& c, int trigger_key = 5000) {
  for (int k = 0; k < 14; ++k) c->insert_or_assign(k, k);
  ASSERT_EQ(gomap::debug::B(c.get()), 2u);
  for (int k = 0; k < 14; ++k) c->erase(k);
  ASSERT_FALSE(gomap::debug::growing(c.get()));
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 9; ++i) c->insert_or_assign(1000 + j + 4 * i, i);
    for (int i = 1; i < 9; ++i) c->erase(1000 + j + 4 * i);
  }
  ASSERT_EQ(gomap::debug::B(c.get()), 2u);
  ASSERT_GE(gomap::debug::noverflow(c.get()), 4u) << describe_tables(c.get());
  ASSERT_FALSE(gomap::debug::growing(c.get()));
  c->insert_or_assign(trigger_key, -1);
  ASSERT_TRUE(gomap::debug::growing(c.get())) << describe_tables(c.get());
  ASSERT_EQ(gomap::debug::growth(c.get()), gomap::debug::Growth::same_size);
  ASSERT_EQ(gomap::debug::B(c.get()), 2u);
}

}  // namespace gomap_test
