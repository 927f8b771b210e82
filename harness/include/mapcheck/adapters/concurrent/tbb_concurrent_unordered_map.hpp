// Concurrent adapter for tbb::concurrent_unordered_map (oneTBB 2021.8), a split-ordered list.
//
// What oneTBB promises: insert, emplace, find, count, traversal and size are concurrency-safe;
// unsafe_erase, clear and rehash are not (so `exclusive` here). A mapped value is a plain object
// that the map hands out by reference, so overwriting one while another thread reads it is the
// caller's data race: no store, compare_and_swap or compare_and_delete is offered (a map author
// would pair this map with atomic values or accessors for that). reserve is not offered at all:
// in 2021.8 reserve(n) never returns when the buckets already suffice (oneTBB issue #1056, a
// known finding of the sequential suites), and a stress run would only hang on it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <oneapi/tbb/concurrent_unordered_map.h>

#include "mapcheck/stress/concurrent_adapter.hpp"

namespace mapcheck::adapters {

struct TbbConcurrentUnorderedMapStress {
  static constexpr std::string_view name = "tbb_concurrent_unordered_map";
  using MapKey = stress::MapKey;
  using MapValue = stress::MapValue;
  using map_type = tbb::concurrent_unordered_map<MapKey, MapValue>;
  using HistoryOp = stress::HistoryOp;
  static constexpr stress::StressOpSet exclusive = {stress::StressOpKind::erase,
                                                    stress::StressOpKind::clear};

  static std::unique_ptr<map_type> make() { return std::make_unique<map_type>(); }

  static HistoryOp load(map_type& m, MapKey k) {
    const auto it = m.find(k);
    if (it == m.end()) return models::record::load({}, k, std::nullopt);
    return models::record::load({}, k, it->second);
  }
  static HistoryOp insert(map_type& m, MapKey k, MapValue v) {
    const auto [it, inserted] = m.insert(map_type::value_type(k, v));
    return models::record::insert({}, k, v, inserted, it->second);
  }
  static HistoryOp erase(map_type& m, MapKey k) {
    return models::record::erase({}, k, m.unsafe_erase(k) == 1);
  }
  static std::vector<stress::KeyValue> range(map_type& m) { return stress::entries_of(m); }
  static std::uint64_t size(map_type& m) { return m.size(); }
  static void clear(map_type& m) { m.clear(); }
  static void insert_range(map_type& m, std::span<const stress::KeyValue> entries) {
    const auto values = stress::values_of<map_type>(entries);
    m.insert(values.begin(), values.end());
  }
};

}  // namespace mapcheck::adapters
