// Concurrent adapter for tbb::concurrent_hash_map (oneTBB 2021.8): element access through
// accessors, which hold a per-element lock (an accessor a write lock, a const_accessor a read
// lock) for as long as they live.
//
// What oneTBB promises: find, insert and erase (by key or through an accessor) are concurrency-safe
// and the accessor makes find-then-modify atomic, which gives compare_and_swap and
// compare_and_delete here. size() is concurrency-safe (judged only at quiescence, like every
// map's). Not concurrency-safe, so `exclusive`: clear, rehash (our reserve), and iteration
// ("iterators are not thread-safe with concurrent modifications" in the specification).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <oneapi/tbb/concurrent_hash_map.h>

#include "mapcheck/stress/concurrent_adapter.hpp"

namespace mapcheck::adapters {

struct TbbConcurrentHashMapStress {
  static constexpr std::string_view name = "tbb_concurrent_hash_map";
  using MapKey = stress::MapKey;
  using MapValue = stress::MapValue;
  using map_type = tbb::concurrent_hash_map<MapKey, MapValue, tbb::tbb_hash_compare<MapKey>,
                                            std::allocator<std::pair<const MapKey, MapValue>>>;
  using HistoryOp = stress::HistoryOp;
  static constexpr stress::StressOpSet exclusive = {
      stress::StressOpKind::clear, stress::StressOpKind::reserve, stress::StressOpKind::range};

  static std::unique_ptr<map_type> make() { return std::make_unique<map_type>(); }

  static HistoryOp load(map_type& m, MapKey k) {
    map_type::const_accessor a;
    if (!m.find(a, k)) return models::record::load({}, k, std::nullopt);
    return models::record::load({}, k, a->second);
  }
  static HistoryOp store(map_type& m, MapKey k, MapValue v) {
    map_type::accessor a;
    const bool inserted = m.insert(a, k);
    a->second = v;
    return models::record::insert_or_assign({}, k, v, inserted);
  }
  static HistoryOp insert(map_type& m, MapKey k, MapValue v) {
    map_type::const_accessor a;
    const bool inserted = m.insert(a, map_type::value_type(k, v));
    return models::record::insert({}, k, v, inserted, a->second);
  }
  static HistoryOp erase(map_type& m, MapKey k) { return models::record::erase({}, k, m.erase(k)); }
  static HistoryOp compare_and_swap(map_type& m, MapKey k, MapValue expected, MapValue desired) {
    map_type::accessor a;
    const bool swapped = m.find(a, k) && a->second == expected;
    if (swapped) a->second = desired;
    return models::record::compare_and_swap({}, k, expected, desired, swapped);
  }
  static HistoryOp compare_and_delete(map_type& m, MapKey k, MapValue expected) {
    map_type::accessor a;
    const bool deleted = m.find(a, k) && a->second == expected && m.erase(a);
    return models::record::compare_and_delete({}, k, expected, deleted);
  }
  static std::vector<stress::KeyValue> range(map_type& m) { return stress::entries_of(m); }
  static std::uint64_t size(map_type& m) { return m.size(); }
  static void clear(map_type& m) { m.clear(); }
  static void reserve(map_type& m, std::uint64_t count) { m.rehash(count); }
  static void insert_range(map_type& m, std::span<const stress::KeyValue> entries) {
    const auto values = stress::values_of<map_type>(entries);
    m.insert(values.begin(), values.end());
  }
};

}  // namespace mapcheck::adapters
