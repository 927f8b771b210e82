// Time to check a concurrent map history for linearizability (map_linearizability.hpp), at the
// sizes a long stress run records: 10k, 100k and 1M calls over 8 threads and 64 keys, with and
// without the unique-value fast path (Gibbons-Korach zones). It tells how long a stress run may
// record before judging its history becomes the bottleneck, and what the fast path buys.
//
// Histories come from generated_history.hpp (linearizable by construction), each generated once
// per (mix, size) outside the timing loop and shared by the fast_path and search_only cases:
//   registers   loads and blind stores of unique values: the fast path's domain, so fast_path
//               against search_only compares zones with the search on the same history;
//   everything  every kind of call: the fast path never applies, only search_only is measured.
//
// Names follow `linearizability/<mix>/<fast_path|search_only>/ops:<n>`; items_per_second counts
// calls checked. Counters: keys decided by zones and by the search, configurations the search
// explored, and keys left undecided by the node budget (the verdict is then "unknown", reported,
// not an error). A verdict of "illegal" is a checker bug and fails the case.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include <benchmark/benchmark.h>

#include <mapcheck/models/generated_history.hpp>
#include <mapcheck/models/history.hpp>
#include <mapcheck/models/history_table.hpp>
#include <mapcheck/models/map_linearizability.hpp>

namespace {

using mapcheck::models::check_linearizable;
using mapcheck::models::CheckOptions;
using mapcheck::models::History;
using mapcheck::models::LinearizabilityReport;
using mapcheck::models::MapKey;
using mapcheck::models::Verdict;
using mapcheck::models::generated::generate_history;
using mapcheck::models::generated::Mix;

constexpr std::size_t kThreads = 8;
constexpr MapKey kKeys = 64;
constexpr std::uint64_t kSeed = 2024;

// Histories of a million calls take seconds or more to check: they run once each, which keeps the
// whole binary to about a minute.
constexpr std::int64_t kSmallSizes[] = {10'000, 100'000};
constexpr std::int64_t kLargeSize = 1'000'000;

// The history of `ops` calls for `mix`, generated on first use and kept for the other cases.
const History& history_for(Mix mix, std::size_t ops) {
  static std::map<std::pair<Mix, std::size_t>, History> histories;
  auto it = histories.find({mix, ops});
  if (it == histories.end()) {
    History h = generate_history(
        kSeed, {.threads = kThreads, .ops_per_thread = ops / kThreads, .keys = kKeys, .mix = mix});
    it = histories.emplace(std::pair(mix, ops), std::move(h)).first;
  }
  return it->second;
}

void BM_check(benchmark::State& state, Mix mix, bool zone_fast_path) {
  const History& history = history_for(mix, static_cast<std::size_t>(state.range(0)));
  const CheckOptions options{.zone_fast_path = zone_fast_path};
  LinearizabilityReport report;
  for (auto _ : state) {
    report = check_linearizable(history, options);
    benchmark::DoNotOptimize(report);
  }
  if (report.verdict == Verdict::illegal) {
    const std::string why = "a linearizable-by-construction history was judged illegal: " +
                            mapcheck::models::describe_report(history, report);
    state.SkipWithError(why.c_str());
    return;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(history.size()));
  state.counters["keys_by_zones"] = static_cast<double>(report.stats.fast_path_keys);
  state.counters["keys_searched"] = static_cast<double>(report.stats.searched_keys);
  state.counters["nodes"] = static_cast<double>(report.stats.nodes);
  state.counters["undecided_keys"] = static_cast<double>(report.undecided.size());
}

// Registers `linearizability/<mix_name>/<fast_path|search_only>` at 10k, 100k and 1M calls.
void register_case(const char* mix_name, Mix mix, bool zone_fast_path) {
  const std::string name =
      std::string("linearizability/") + mix_name + (zone_fast_path ? "/fast_path" : "/search_only");
  auto* small = benchmark::RegisterBenchmark(name.c_str(), BM_check, mix, zone_fast_path);
  small->ArgName("ops")->Unit(benchmark::kMillisecond);
  for (std::int64_t ops : kSmallSizes) small->Arg(ops);
  benchmark::RegisterBenchmark(name.c_str(), BM_check, mix, zone_fast_path)
      ->ArgName("ops")
      ->Arg(kLargeSize)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace

int main(int argc, char** argv) {
  register_case("registers", Mix::registers, true);
  register_case("registers", Mix::registers, false);
  register_case("everything", Mix::everything, false);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
