// Google Benchmark: gomap::Map side by side with std::unordered_map and absl::flat_hash_map,
// int64 keys -> int64 values, random keys from a fixed seed (bench/map_ops.hpp).
//
// Benchmark names are `<operation>/<map>/<size>` (DESIGN.md), e.g. `find_hit/gomap/1000000`.
// The insert_max_latency rows carry the suffix that Google Benchmark appends for ->Iterations(1)
// and ->UseRealTime(): `insert_max_latency/gomap/8000000/iterations:1/real_time`; the first three
// components are the name.
//
// Debian's libbenchmark prints "***WARNING*** Library was built as DEBUG. Timings may be
// affected." on every run. That concerns the library's own bookkeeping around each timed batch,
// which is harmless for these timings: every timed iteration here is a whole pass over 1,000 to
// 8,000,000 keys (microseconds to seconds).
//
// Run: build/bench/bench/gomap_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only
// (ci/main does, and summarises the JSON with ci/bench_summary.py).

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <benchmark/benchmark.h>

#include "map_ops.hpp"

namespace mapcheck::bench {
namespace {

// ---- Operations: one struct each, a name and a run<Map>(state, n) written once for all maps ----

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
  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    std::optional<M> m;
    for (auto _ : state) {
      state.PauseTiming();
      m.emplace();
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
  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    M m = filled<M>(keys);
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
  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    M m = filled<M>(keys);
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
// destruction of the previous, emptied map) run outside the timing.
struct Erase : PassOp {
  static constexpr std::string_view name = "erase";
  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    const M full = filled<M>(keys);
    std::optional<M> m;
    std::size_t erased = 0;
    for (auto _ : state) {
      state.PauseTiming();
      m.emplace(full);
      state.ResumeTiming();
      for (Key k : keys.lookups) erased += m->erase(k);
    }
    if (erased != static_cast<std::size_t>(state.iterations()) * n || !m->empty()) {
      state.SkipWithError("erase: not every key was erased exactly once");
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  }
};

// Iterates over a map of n entries, summing the values.
struct Iterate : PassOp {
  static constexpr std::string_view name = "iterate";
  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    const KeySet& keys = key_set(n);
    M m = filled<M>(keys);
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

  template <class M>
  static void run(benchmark::State& state, std::size_t n) {
    using Clock = std::chrono::steady_clock;
    const KeySet& keys = key_set(n);
    // Preallocated and already written (value-initialised), so that recording a sample is a
    // sequential store into touched memory: no allocation or page fault inside the fill. 32 bits
    // hold up to 4.29 s per insert and halve the cache footprint of the samples.
    std::vector<std::uint32_t> ns(n);
    std::optional<M> m;  // destroyed when run() returns, outside the timing
    for (auto _ : state) {
      m.emplace();
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

// ---- Registration: operations x sizes x map table, in that order, so that the three maps of one
// operation and size run (and print) next to each other ----

template <class Op, class Row>
void register_one(std::size_t n) {
  const std::string name =
      std::string(Op::name) + "/" + std::string(Row::name) + "/" + std::to_string(n);
  auto run = [n](benchmark::State& state) { Op::template run<typename Row::type>(state, n); };
  Op::configure(benchmark::RegisterBenchmark(name.c_str(), run), n);
}

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
  mapcheck::bench::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
