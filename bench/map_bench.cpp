// Google Benchmark: gomap::Map side by side with std::unordered_map and absl::flat_hash_map,
// int64 keys -> int64 values, random keys from a fixed seed; the operations and the keys are in
// bench/map_ops.hpp, shared with the per-map benchmarks of mapcheck_add_map (adapter_bench.cpp).
//
// The insert_max_latency rows carry the suffix that Google Benchmark appends for ->Iterations(1)
// and ->UseRealTime(): `insert_max_latency/gomap/8000000/iterations:1/real_time`; the first three
// components are the name.
//
// Run: build/bench/bench/gomap_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only
// (ci/bench does, and summarises the JSON with ci/bench_summary.py).

#include <cstddef>
#include <string_view>
#include <unordered_map>

#include <absl/container/flat_hash_map.h>
#include <benchmark/benchmark.h>

#include <gomap/map.hpp>

#include "map_ops.hpp"

namespace mapcheck::bench {
namespace {

// ---- The map table: one row per map, {benchmark name, type with its default hasher} ----
//
// Every benchmark is instantiated for each row. To compare another map, add a row with its
// benchmark name and its type (keep the map's default hasher: the point is to measure maps as
// users get them).

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

// ---- Registration: operations x sizes x map table, in that order, so that the three maps of one
// operation and size run (and print) next to each other ----

template <class Op, class... Rows>
void register_op(MapTable<Rows...>) {
  for (std::size_t n : Op::sizes) (register_one<Op, Rows>(n), ...);
}

template <class... Ops>
void register_ops() {
  (register_op<Ops>(Maps{}), ...);
}

// The operations, declared once.
void register_all() { register_ops<Insert, FindHit, FindMiss, Erase, Iterate, InsertMaxLatency>(); }

}  // namespace
}  // namespace mapcheck::bench

int main(int argc, char** argv) {
  return mapcheck::bench::run_benchmarks(argc, argv, mapcheck::bench::register_all);
}
