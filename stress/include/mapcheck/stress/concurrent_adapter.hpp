// How the stress engine calls a concurrent map, and what the map promises about concurrency.
//
// A concurrent adapter is a struct of static functions over keys `MapKey` and values `MapValue`
// (models/history.hpp). It offers a row of stress_ops.def by defining the function of that name;
// the engine finds them with requires-expressions and deals only the rows offered:
//
//   struct MyMapStress {
//     static constexpr std::string_view name = "my_map";   // as `mapcheck list` prints it
//     using map_type = my::Map<MapKey, MapValue>;
//     static std::unique_ptr<map_type> make();              // at its smallest capacity
//     static constexpr StressOpSet exclusive = {...};       // offered, but unsafe concurrently
//
//     // Point calls return what the map reported, built with models::record (the call's thread
//     // and timestamps are filled in by the runner).
//     static HistoryOp load(map_type&, MapKey);
//     static HistoryOp store(map_type&, MapKey, MapValue);
//     static HistoryOp insert(map_type&, MapKey, MapValue);
//     static HistoryOp erase(map_type&, MapKey);
//     static HistoryOp compare_and_swap(map_type&, MapKey, MapValue expected, MapValue desired);
//     static HistoryOp compare_and_delete(map_type&, MapKey, MapValue expected);
//     // Whole-map calls return their raw result; the runner records them.
//     static std::vector<KeyValue> range(map_type&);
//     static std::uint64_t size(map_type&);
//     static void clear(map_type&);
//     static void reserve(map_type&, std::uint64_t count);
//     static void insert_range(map_type&, std::span<const KeyValue>);
//   };
//
// Per-operation contracts. Every offered call is promised linearizable against every other
// (range: weakly consistent; size: exact when nothing overlaps it), except `exclusive` calls,
// which are only safe while no other call runs (tbb::concurrent_unordered_map's unsafe_erase and
// clear; libcuckoo's size(), which reads its counters without locks): the engine runs each in a
// burst of its own, on one thread. A call that is safe but promises nothing useful concurrently is
// exclusive too: running it concurrently would only make TSan report what the map documents.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mapcheck/models/history.hpp"
#include "mapcheck/stress/stress_op.hpp"

namespace mapcheck::stress {

using models::HistoryOp;
using models::KeyValue;

// Every (key, value) a map of pairs iterates over, in its order: what range() reports.
template <class Map>
std::vector<KeyValue> entries_of(const Map& m) {
  std::vector<KeyValue> seen;
  for (const auto& [k, v] : m) seen.push_back({k, v});
  return seen;
}

// `entries` as the map's value_type, for a bulk insert(first, last).
template <class Map>
std::vector<typename Map::value_type> values_of(std::span<const KeyValue> entries) {
  std::vector<typename Map::value_type> values;
  for (const KeyValue& kv : entries) values.emplace_back(kv.key, kv.value);
  return values;
}

// The rows `A` offers, found from the functions it defines (the one list of their signatures).
template <class A>
constexpr StressOpSet offered_ops() {
  using M = typename A::map_type;
  using Op = StressOpKind;
  StressOpSet s;
  const auto kv = std::span<const KeyValue>();
  if constexpr (requires(M & m) {
                  { A::load(m, MapKey()) } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::load);
  if constexpr (requires(M & m) {
                  { A::store(m, MapKey(), MapValue()) } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::store);
  if constexpr (requires(M & m) {
                  { A::insert(m, MapKey(), MapValue()) } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::insert);
  if constexpr (requires(M & m) {
                  { A::erase(m, MapKey()) } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::erase);
  if constexpr (requires(M & m) {
                  {
                    A::compare_and_swap(m, MapKey(), MapValue(), MapValue())
                    } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::compare_and_swap);
  if constexpr (requires(M & m) {
                  { A::compare_and_delete(m, MapKey(), MapValue()) } -> std::same_as<HistoryOp>;
                })
    s = s.with(Op::compare_and_delete);
  if constexpr (requires(M & m) {
                  { A::range(m) } -> std::same_as<std::vector<KeyValue>>;
                })
    s = s.with(Op::range);
  if constexpr (requires(M & m) {
                  { A::size(m) } -> std::convertible_to<std::uint64_t>;
                })
    s = s.with(Op::size);
  if constexpr (requires(M & m) { A::clear(m); }) s = s.with(Op::clear);
  if constexpr (requires(M & m) { A::reserve(m, std::uint64_t()); }) s = s.with(Op::reserve);
  if constexpr (requires(M & m) { A::insert_range(m, kv); }) s = s.with(Op::insert_range);
  return s;
}

template <class A>
constexpr StressOpSet exclusive_ops() {
  if constexpr (requires { A::exclusive; }) return A::exclusive;
  return {};
}

template <class A>
concept ConcurrentAdapter = requires {
  { A::name } -> std::convertible_to<std::string_view>;
  typename A::map_type;
  { A::make() } -> std::same_as<std::unique_ptr<typename A::map_type>>;
};

// One readable message per way an adapter can be incomplete.
template <class A>
constexpr bool check_concurrent_adapter() {
  static_assert(ConcurrentAdapter<A>,
                "a concurrent adapter needs `static constexpr std::string_view name`, "
                "`using map_type = ...` and `static std::unique_ptr<map_type> make()` "
                "(stress/include/mapcheck/stress/concurrent_adapter.hpp)");
  if constexpr (ConcurrentAdapter<A>) {
    constexpr StressOpSet offered = offered_ops<A>();
    static_assert(offered.has(StressOpKind::load),
                  "a concurrent adapter must offer `static HistoryOp load(map_type&, MapKey)`");
    static_assert(offered.has(StressOpKind::store) || offered.has(StressOpKind::insert),
                  "a concurrent adapter must offer a write: `static HistoryOp store(map_type&, "
                  "MapKey, MapValue)` or `insert` with the same signature");
    static_assert(!exclusive_ops<A>().has(StressOpKind::load),
                  "load must be safe concurrently: a map whose lookups are not needs a lock "
                  "(mapcheck::Locked) before it can be stress-tested");
    static_assert(exclusive_ops<A>().without(offered).empty(),
                  "`exclusive` names a call the adapter does not define");
  }
  return true;
}

}  // namespace mapcheck::stress
