// Google Benchmark for one map plugged in with mapcheck_add_map: mapcheck_bench_<name>. The build
// compiles this source once per map, with an include directory holding the generated
// mapcheck_benched_adapter.hpp, which names the map's adapter (as the fuzz targets' header does):
//
//   #include "mapcheck/adapters/gomap.hpp"
//   namespace mapcheck::bench { using BenchedAdapter = mapcheck::adapters::Gomap; }
//
// It times the operations of bench/map_ops.hpp that every map has (insert, find_hit, find_miss,
// erase, iterate; 1000, 65536 and 1000000 keys), on int64 keys and values, under the names
// `<operation>/<map>/<size>`, so that a plugged-in map's numbers line up with gomap_bench's. The
// map is the adapter's, instantiated the way the engines do (adapter_traits<A>::map, constructed as
// Map(0, hasher, equality)), and it is copied only if the adapter declares Capability::copy.
//
// The hasher is std::hash<Key> for every map, not mapcheck::PolicyHash: PolicyHash branches on its
// run-time policy at every call and hands gomap its own seeded hash while std-like maps get
// std::hash, so the numbers would carry a checker artefact and differ between maps for reasons
// other than the table. std::hash is what a std-like map gets by default, every adapter takes a
// std-like hasher (the engines pass one), and the keys are uniformly random 64-bit words, so even
// libstdc++'s identity std::hash<int64_t> spreads them over any table, power-of-two masks included
// (gomap mixes a std-like hasher with its per-map seed, as it does for any such hasher).
//
// It is built with the project's build type: numbers worth comparing need a Release build.
#include <cstddef>
#include <functional>
#include <string_view>
#include <tuple>

#include <benchmark/benchmark.h>

#include "map_ops.hpp"
#include "mapcheck/adapter.hpp"
#include "mapcheck_benched_adapter.hpp"

namespace mapcheck::bench {
namespace {

template <class Adapter>
struct AdapterRow {
  using Traits = adapter_traits<Adapter>;
  using Hasher = std::hash<Key>;
  using Equal = std::equal_to<Key>;

  static constexpr std::string_view name = Adapter::name;
  using type = typename Traits::template map<Key, Value, Hasher, Equal>;
  static auto constructor_args() { return std::tuple(std::size_t{0}, Hasher(), Equal()); }
  static constexpr bool copyable = Traits::capabilities.has(Capability::copy);
};

template <class Op, class Row>
void register_sizes() {
  for (std::size_t n : Op::sizes) register_one<Op, Row>(n);
}

// Operation by operation, each over its sizes, so that the output reads like gomap_bench's.
template <class Row, class... Ops>
void register_ops() {
  (register_sizes<Ops, Row>(), ...);
}

// Not insert_max_latency: its 8M-key run is a study of gomap's incremental growth, minutes of a
// user's build machine for a number few maps need.
void register_all() {
  register_ops<AdapterRow<BenchedAdapter>, Insert, FindHit, FindMiss, Erase, Iterate>();
}

}  // namespace
}  // namespace mapcheck::bench

int main(int argc, char** argv) {
  return mapcheck::bench::run_benchmarks(argc, argv, mapcheck::bench::register_all);
}
