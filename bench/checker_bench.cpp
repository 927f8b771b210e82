// Throughput of the checker itself: checked ops per second when the interpreter runs programs on
// gomap against the sequential and iteration models, with and without gomap's structural model
// (invariants I1-I8 and the growth state machine after every op), and on std::unordered_map.
// Names follow `<checker>/<workload>`; items_per_second counts ops.
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "mapcheck/adapters/gomap.hpp"
#include "mapcheck/adapters/std_unordered_map.hpp"
#include "mapcheck/interpreter.hpp"

namespace {

// gomap without its structural model: what the interpreter costs on its own.
struct GomapWithoutStructure {
  static constexpr std::string_view name = "gomap";
  template <class K, class V, class H, class E, class A>
  using map = gomap::Map<K, V, H, E, A>;
  static constexpr mapcheck::Capabilities capabilities = mapcheck::adapters::Gomap::capabilities;
  static void seed(std::uint64_t s) { gomap::seed_thread_random(s); }
  template <class M>
  static std::size_t capacity(const M& m) {
    return mapcheck::adapters::Gomap::capacity(m);
  }
};

// A fixed mix of programs of every op kind: random bytes through the total decoder, keeping the
// universe at ints so that workloads differ only in the checker.
std::vector<mapcheck::Program> workload(std::size_t programs, std::size_t bytes_each) {
  std::mt19937_64 rng(42);
  std::vector<mapcheck::Program> result;
  for (std::size_t i = 0; i < programs; ++i) {
    std::vector<std::uint8_t> bytes(bytes_each);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    bytes[0] = 0;  // universe: ints
    bytes[1] = 0;  // hash policy: the map's default
    result.push_back(mapcheck::decode(bytes));
  }
  return result;
}

template <class Adapter>
void BM_interpreter(benchmark::State& state) {
  const auto programs = workload(64, 600);
  std::int64_t ops = 0;
  for (auto _ : state) {
    for (const mapcheck::Program& program : programs) {
      auto failure = mapcheck::run_program<Adapter>(program);
      if (failure) state.SkipWithError(failure->to_string().c_str());
      ops += static_cast<std::int64_t>(program.ops.size());
    }
  }
  state.SetItemsProcessed(ops);
}

BENCHMARK(BM_interpreter<mapcheck::adapters::Gomap>)
    ->Name("interpreter/gomap_with_structure")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_interpreter<GomapWithoutStructure>)
    ->Name("interpreter/gomap_without_structure")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_interpreter<mapcheck::adapters::StdUnorderedMap>)
    ->Name("interpreter/std_unordered_map")
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
