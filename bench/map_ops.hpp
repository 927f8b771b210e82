// The benchmarks of the maps: the keys they are fed and the operations they time, written once for
// every map. bench/map_bench.cpp runs them on a table of maps side by side (gomap, std, absl);
// bench/adapter_bench.cpp on one map plugged in with mapcheck_add_map (mapcheck_bench_<name>).
//
// A map is a row: its benchmark name and its type, and optionally how to make it and whether it
// may be copied:
//
//   struct MyRow {
//     static constexpr std::string_view name = "my_map";
//     using type = my::Map<Key, Value>;
//     static auto constructor_args() { return std::tuple(...); }  // default: none
//     static constexpr bool copyable = ...;                        // default: true
//   };
//
// The operations call only what every map plugged into mapcheck has (the ops of ops.def that need
// no capability: try_emplace, find, erase(k), size, begin/end), and copy a map only if its row
// allows, so that any adapter's map runs them.
//
// Benchmark names are `<operation>/<map>/<size>` (DESIGN.md), e.g. `find_hit/gomap/1000000`.
//
// Debian's libbenchmark prints "***WARNING*** Library was built as DEBUG. Timings may be
// affected." on every run. That concerns the library's own bookkeeping around each timed batch,
// which is harmless for these timings: every timed iteration here is a whole pass over 1,000 to
// 8,000,000 keys (microseconds to seconds).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <benchmark/benchmark.h>

namespace mapcheck::bench {

using Key = std::int64_t;
using Value = std::int64_t;

// ---- Rows ----

template <class Row>
using MapOf = typename Row::type;

template <class Row>
inline constexpr bool copyable = [] {
  if constexpr (requires { Row::copyable; })
    return static_cast<bool>(Row::copyable);
  else
    return true;
}();

template <class Row>
auto constructor_args() {
  if constexpr (requires { Row::constructor_args(); })
    return Row::constructor_args();
  else
    return std::tuple<>();
}

// An empty map of the row. Built in place, here and in emplace_map, so that no map needs to be
// movable to be measured.
template <class Row>
MapOf<Row> make_map() {
  return std::make_from_tuple<MapOf<Row>>(constructor_args<Row>());
}

// Replaces m's map, if any, with an empty one.
template <class Row>
void emplace_map(std::optional<MapOf<Row>>& m) {
  std::apply([&m](auto&&... args) { m.emplace(args...); }, constructor_args<Row>());
}

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

// A map of Row's type holding hits[i] -> i for every i.
template <class Row>
MapOf<Row> filled_map(const std::vector<Key>& hits) {
  MapOf<Row> m = make_map<Row>();
  fill(m, hits);
  return m;
}

// ---- Operations: one struct each, a name and a run<Row>(state, n) written once for all maps ----

// Defaults of the throughput operations: one timed iteration is one pass over n keys.
struct PassOp {
  static constexpr std::array<std::size_t, 3> sizes = {1000, 65536, 1000000};
  static void configure(benchmark::internal::Benchmark* b, std::size_t n) {
    b->Unit(n <= 1000 ? benchmark::kMicrosecond : benchmark::kMillisecond);
  }
};

// Inserts n random keys into an empty map (no reserve). The destructor of the previous fill and
// the constructor run outside the timing.
struct Insert : PassOp {
  static constexpr std::string_view name = "insert";
  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    std::optional<MapOf<Row>> m;
    for (auto _ : state) {
      state.PauseTiming();
      emplace_map<Row>(m);
      state.ResumeTiming();
      fill(*m, keys.hits);
    }
    if (m->size() != n) state.SkipWithError("insert: size() != number of distinct keys inserted");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Looks up every key of a map of n keys, in shuffled order, summing the values.
struct FindHit : PassOp {
  static constexpr std::string_view name = "find_hit";
  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    MapOf<Row> m = filled_map<Row>(keys.hits);
    std::size_t found = 0;
    for (auto _ : state) {
      std::uint64_t sum = 0;
      for (Key k : keys.lookups) {
        auto it = m.find(k);
        if (it != m.end()) {
          ++found;
          sum += static_cast<std::uint64_t>(it->second);
        }
      }
      benchmark::DoNotOptimize(sum);
    }
    if (found != static_cast<std::size_t>(state.iterations()) * n) {
      state.SkipWithError("find_hit: a present key was not found");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Looks up n keys that are absent from a map of n keys.
struct FindMiss : PassOp {
  static constexpr std::string_view name = "find_miss";
  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    MapOf<Row> m = filled_map<Row>(keys.hits);
    std::size_t found = 0;
    for (auto _ : state) {
      for (Key k : keys.misses) found += m.find(k) != m.end() ? 1 : 0;
      benchmark::DoNotOptimize(found);
    }
    if (found != 0) state.SkipWithError("find_miss: an absent key was found");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Erases all n keys, in shuffled order, from a copy of a filled map; the copy (and the
// destruction of the previous, emptied map) run outside the timing. A map that may not be copied
// (copyable<Row>) is filled afresh instead, also outside the timing.
struct Erase : PassOp {
  static constexpr std::string_view name = "erase";
  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    std::optional<MapOf<Row>> full;
    if constexpr (copyable<Row>) {
      emplace_map<Row>(full);
      fill(*full, keys.hits);
    }
    std::optional<MapOf<Row>> m;
    std::size_t erased = 0;
    for (auto _ : state) {
      state.PauseTiming();
      if constexpr (copyable<Row>) {
        m.emplace(*full);
      } else {
        m.reset();
        emplace_map<Row>(m);
        fill(*m, keys.hits);
      }
      state.ResumeTiming();
      for (Key k : keys.lookups) erased += m->erase(k);
    }
    if (erased != static_cast<std::size_t>(state.iterations()) * n || m->size() != 0) {
      state.SkipWithError("erase: not every key was erased exactly once");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Iterates over a map of n entries, summing the values.
struct Iterate : PassOp {
  static constexpr std::string_view name = "iterate";
  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    MapOf<Row> m = filled_map<Row>(keys.hits);
    const std::uint64_t expected = n * (n - 1) / 2;  // values are 0 .. n-1
    bool all_sums_right = true;
    for (auto _ : state) {
      std::uint64_t sum = 0;
      for (auto&& entry : m) sum += static_cast<std::uint64_t>(entry.second);
      benchmark::DoNotOptimize(sum);
      all_sums_right = all_sums_right && sum == expected;
    }
    if (!all_sums_right) state.SkipWithError("iterate: the values did not sum to 0 + ... + n-1");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Inserts n random keys into an empty map once, timing every insert on its own, and reports the
// distribution: growth policy shows here (a map that rehashes everything at once has a max
// latency proportional to its size; Go's incremental evacuation spreads that work).
//
// Clock: std::chrono::steady_clock (clock_gettime(CLOCK_MONOTONIC) through the vDSO, TSC-backed
// here), not __rdtsc: rdtsc would need the TSC frequency calibrated and trusted to be invariant
// across cores and VM migrations on this shared virtual machine. Measured here: a read costs
// about 40 ns and two back-to-back reads differ by 34 ns at p50, and by up to tens of us at the
// extreme (preemption on a shared VM). So p50_ns carries a ~35 ns floor, and max_ns reads as
// growth cost only when it is far above tens of us, as the stop-the-world rehash of a 1M-entry
// table (milliseconds) is.
struct InsertMaxLatency {
  static constexpr std::string_view name = "insert_max_latency";
  static constexpr std::array<std::size_t, 2> sizes = {1000000, 8000000};
  static void configure(benchmark::internal::Benchmark* b, std::size_t) {
    b->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);
  }

  template <class Row>
  static void run(benchmark::State& state, std::size_t n) {
    using Clock = std::chrono::steady_clock;
    const KeySet& keys = key_set(n);
    // Preallocated and already written (value-initialised), so that recording a sample is a
    // sequential store into touched memory: no allocation or page fault inside the fill. 32 bits
    // hold up to 4.29 s per insert and halve the cache footprint of the samples.
    std::vector<std::uint32_t> ns(n);
    std::optional<MapOf<Row>> m;  // destroyed when run() returns, outside the timing
    for (auto _ : state) {
      emplace_map<Row>(m);
      for (std::size_t i = 0; i < n; ++i) {
        const Clock::time_point t0 = Clock::now();
        m->try_emplace(keys.hits[i], static_cast<Value>(i));
        const Clock::time_point t1 = Clock::now();
        const auto d = std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
        ns[i] = static_cast<std::uint32_t>(
            std::min<std::int64_t>(d, std::numeric_limits<std::uint32_t>::max()));
      }
    }
    if (m->size() != n) state.SkipWithError("insert_max_latency: size() != keys inserted");
    const auto max = *std::max_element(ns.begin(), ns.end());
    const auto at_rank = [&ns](double q) {
      const auto k = static_cast<std::ptrdiff_t>(q * static_cast<double>(ns.size() - 1));
      std::nth_element(ns.begin(), ns.begin() + k, ns.end());
      return static_cast<double>(ns[static_cast<std::size_t>(k)]);
    };
    state.counters["max_ns"] = static_cast<double>(max);
    state.counters["p9999_ns"] = at_rank(0.9999);
    state.counters["p50_ns"] = at_rank(0.5);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// ---- Registration ----

// Registers `<Op::name>/<Row::name>/<n>`.
template <class Op, class Row>
void register_one(std::size_t n) {
  const std::string name =
      std::string(Op::name) + "/" + std::string(Row::name) + "/" + std::to_string(n);
  auto run = [n](benchmark::State& state) { Op::template run<Row>(state, n); };
  Op::configure(benchmark::RegisterBenchmark(name.c_str(), run), n);
}

// main() of a benchmark binary: its benchmarks are registered at run time, from the tables, by
// register_all (not by BENCHMARK macros), before Google Benchmark reads the command line.
inline int run_benchmarks(int argc, char** argv, void (*register_all)()) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace mapcheck::bench
