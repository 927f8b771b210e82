// Concurrent adapter for gomap::SyncMap, Go's sync.Map design. Every call is promised
// linearizable, Range weakly consistent, and nothing is exclusive (sync.Map's documentation: "safe
// for concurrent use by multiple goroutines without additional locking"). SyncMap has no size and
// no reserve, like Go's. Two rows alternate between SyncMap calls of the same contract, so that
// both spellings get stressed: store is Store for even values and Swap for odd ones (Swap reports
// the previous value), erase is LoadAndDelete for even keys and Delete for odd ones.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <gomap/sync_map.hpp>

#include "mapcheck/stress/concurrent_adapter.hpp"

namespace mapcheck::adapters {

struct SyncMapStress {
  static constexpr std::string_view name = "gomap_sync_map";
  using map_type = gomap::SyncMap<stress::MapKey, stress::MapValue>;
  using HistoryOp = stress::HistoryOp;
  using MapKey = stress::MapKey;
  using MapValue = stress::MapValue;

  static std::unique_ptr<map_type> make() { return std::make_unique<map_type>(); }

  static HistoryOp load(map_type& m, MapKey k) { return models::record::load({}, k, m.load(k)); }
  static HistoryOp store(map_type& m, MapKey k, MapValue v) {
    if (v % 2 != 0) return models::record::swap({}, k, v, m.swap(k, v));
    m.store(k, v);
    return models::record::store({}, k, v);
  }
  static HistoryOp insert(map_type& m, MapKey k, MapValue v) {
    const auto [actual, loaded] = m.load_or_store(k, v);
    return models::record::load_or_store({}, k, v, actual, loaded);
  }
  static HistoryOp erase(map_type& m, MapKey k) {
    if (k % 2 == 0) return models::record::load_and_delete({}, k, m.load_and_delete(k));
    m.erase(k);
    HistoryOp op = models::record::erase({}, k, std::nullopt);
    op.label = "erase (Delete)";
    return op;
  }
  static HistoryOp compare_and_swap(map_type& m, MapKey k, MapValue expected, MapValue desired) {
    return models::record::compare_and_swap({}, k, expected, desired,
                                            m.compare_and_swap(k, expected, desired));
  }
  static HistoryOp compare_and_delete(map_type& m, MapKey k, MapValue expected) {
    return models::record::compare_and_delete({}, k, expected, m.compare_and_delete(k, expected));
  }
  static std::vector<stress::KeyValue> range(map_type& m) {
    std::vector<stress::KeyValue> seen;
    m.range([&](MapKey k, MapValue v) {
      seen.push_back({k, v});
      return true;
    });
    return seen;
  }
  static void clear(map_type& m) { m.clear(); }
};

}  // namespace mapcheck::adapters
