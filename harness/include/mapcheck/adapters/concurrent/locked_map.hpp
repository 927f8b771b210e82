// Concurrent adapter for mapcheck::Locked<Map> over any std-like map: every call is one step
// under the lock, compound ones (compare_and_swap: find, compare, assign) included, so all of
// stress_ops.def is offered and promised linearizable. LockedGomap is Locked<gomap::Map>, the
// issue's "Locked<gomap::Map>"; LockedStdUnorderedMap is the same wrapper over the standard map.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gomap/map.hpp>

#include "mapcheck/locked.hpp"
#include "mapcheck/stress/concurrent_adapter.hpp"

namespace mapcheck::adapters {

namespace record = models::record;
using stress::HistoryOp;
using stress::KeyValue;
using stress::MapKey;
using stress::MapValue;

// The calls on a plain map that the locked adapter runs as one step each.
template <class Map>
struct LockedCalls {
  static std::optional<MapValue> find(const Map& m, MapKey k) {
    const auto it = m.find(k);
    if (it == m.end()) return std::nullopt;
    return it->second;
  }
};

template <class Map, const std::string_view& Name>
struct LockedStress {
  static constexpr std::string_view name = Name;
  using map_type = Locked<Map>;
  using Calls = LockedCalls<Map>;

  static std::unique_ptr<map_type> make() { return std::make_unique<map_type>(); }

  static HistoryOp load(map_type& m, MapKey k) {
    return record::load({}, k, m.with([&](const Map& map) { return Calls::find(map, k); }));
  }
  static HistoryOp store(map_type& m, MapKey k, MapValue v) {
    const bool inserted = m.with([&](Map& map) { return map.insert_or_assign(k, v).second; });
    return record::insert_or_assign({}, k, v, inserted);
  }
  static HistoryOp insert(map_type& m, MapKey k, MapValue v) {
    return m.with([&](Map& map) {
      const auto [it, inserted] = map.try_emplace(k, v);
      return record::insert({}, k, v, inserted, it->second);
    });
  }
  static HistoryOp erase(map_type& m, MapKey k) {
    return record::erase({}, k, m.with([&](Map& map) { return map.erase(k) == 1; }));
  }
  static HistoryOp compare_and_swap(map_type& m, MapKey k, MapValue expected, MapValue desired) {
    const bool swapped = m.with([&](Map& map) {
      const auto it = map.find(k);
      if (it == map.end() || it->second != expected) return false;
      it->second = desired;
      return true;
    });
    return record::compare_and_swap({}, k, expected, desired, swapped);
  }
  static HistoryOp compare_and_delete(map_type& m, MapKey k, MapValue expected) {
    const bool deleted = m.with([&](Map& map) {
      const auto it = map.find(k);
      if (it == map.end() || it->second != expected) return false;
      map.erase(k);
      return true;
    });
    return record::compare_and_delete({}, k, expected, deleted);
  }
  static std::vector<KeyValue> range(map_type& m) {
    return m.with([](const Map& map) { return stress::entries_of(map); });
  }
  static std::uint64_t size(map_type& m) {
    return m.with([](const Map& map) { return map.size(); });
  }
  static void clear(map_type& m) {
    m.with([](Map& map) { map.clear(); });
  }
  static void reserve(map_type& m, std::uint64_t count) {
    m.with([&](Map& map) { map.reserve(count); });
  }
  static void insert_range(map_type& m, std::span<const KeyValue> entries) {
    m.with([&](Map& map) {
      for (const KeyValue& kv : entries) map.try_emplace(kv.key, kv.value);
    });
  }
};

inline constexpr std::string_view kLockedGomapName = "locked_gomap";
inline constexpr std::string_view kLockedStdName = "locked_std_unordered_map";

using LockedGomap = LockedStress<gomap::Map<MapKey, MapValue>, kLockedGomapName>;
using LockedStdUnorderedMap = LockedStress<std::unordered_map<MapKey, MapValue>, kLockedStdName>;

}  // namespace mapcheck::adapters
