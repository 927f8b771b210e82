// The maps that bench/map_bench.cpp compares, and the keys it feeds them.
//
// The map table (`Maps`) is declared once here; every benchmark in map_bench.cpp is instantiated
// for each of its rows. To compare another map, add a row with its benchmark name and its type
// (keep the map's default hasher: the point is to measure maps as users get them).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <absl/container/flat_hash_map.h>

#include <gomap/map.hpp>

namespace mapcheck::bench {

using Key = std::int64_t;
using Value = std::int64_t;

// ---- The map table: one row per map, {benchmark name, type with its default hasher} ----

struct GomapRow {
  static constexpr std::string_view name = "gomap";
  using type = gomap::Map<Key, Value>;  // gomap::Hash<Key>
};
struct StdRow {
  static constexpr std::string_view name = "std";
  using type = std::unordered_map<Key, Value>;  // std::hash<Key>
};
struct AbslRow {
  static constexpr std::string_view name = "absl";
  using type = absl::flat_hash_map<Key, Value>;  // absl::Hash<Key>
};

template <class... Rows>
struct MapTable {};

using Maps = MapTable<GomapRow, StdRow, AbslRow>;

// ---- Keys ----

// Seed of the key stream: every run, every map and every build sees the same keys.
inline constexpr std::uint64_t kKeySeed = 0x6d617063'6865636bULL;  // "mapcheck"

// The keys of one benchmark size n.
struct KeySet {
  std::vector<Key> hits;     // n distinct random keys, in insertion order (value of hits[i] is i)
  std::vector<Key> lookups;  // the same n keys shuffled: lookup and erase order, so that no map
                             // gains from walking its memory in insertion order
  std::vector<Key> misses;   // n random keys, none of them in hits
};

// Reports whether all values in v are distinct.
inline bool all_distinct(std::vector<Key> v) {
  std::sort(v.begin(), v.end());
  return std::adjacent_find(v.begin(), v.end()) == v.end();
}

// Draws 2n random 64-bit keys from std::mt19937_64 and splits them into hits and misses. A
// collision among 2n draws is improbable (about (2n)^2 / 2^65) but is checked: on one, the
// stream is redrawn with the next seed, so the result stays deterministic.
inline KeySet make_key_set(std::size_t n) {
  std::vector<Key> all(2 * n);
  for (std::uint64_t seed = kKeySeed;; ++seed) {
    std::mt19937_64 rng(seed);
    for (Key& k : all) k = static_cast<Key>(rng());
    if (all_distinct(all)) break;
  }
  KeySet keys;
  keys.hits.assign(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
  keys.misses.assign(all.begin() + static_cast<std::ptrdiff_t>(n), all.end());
  keys.lookups = keys.hits;
  std::shuffle(keys.lookups.begin(), keys.lookups.end(), std::mt19937_64(kKeySeed + 1));
  return keys;
}

// The key set of size n, made on first use and kept for the rest of the run (single-threaded:
// benchmarks are registered without ->Threads()).
inline const KeySet& key_set(std::size_t n) {
  static std::map<std::size_t, KeySet> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, make_key_set(n)).first;
  return it->second;
}

// Inserts hits[i] -> i for every i into m.
template <class M>
void fill(M& m, const std::vector<Key>& hits) {
  for (std::size_t i = 0; i < hits.size(); ++i) m.try_emplace(hits[i], static_cast<Value>(i));
}

// A map holding hits[i] -> i for every i.
template <class M>
M filled(const KeySet& keys) {
  M m;
  fill(m, keys.hits);
  return m;
}

}  // namespace mapcheck::bench
