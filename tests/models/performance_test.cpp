// A sanity check of the checker's speed on the stress engine's typical load: 8 threads x 200
// calls on 4 keys. It prints the time and asserts only the verdicts (timings on a shared machine
// are noise; bench/ measures the checker properly).
#include <chrono>
#include <cstdio>

#include <gtest/gtest.h>

#include <mapcheck/models/generated_history.hpp>
#include <mapcheck/models/history_table.hpp>
#include <mapcheck/models/map_linearizability.hpp>

namespace mapcheck::models {
namespace {

using generated::generate_history;
using generated::GenerateOptions;
using generated::Mix;

// Checks `h`, prints how long it took, and returns the report.
LinearizabilityReport timed_check(const char* name, const History& h, const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  LinearizabilityReport r = check_linearizable(h, options);
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  std::printf("[ timing   ] %s: %zu calls, %zu keys (%zu by zones), %llu nodes, %.1f ms\n", name,
              h.size(), r.stats.keys, r.stats.fast_path_keys,
              static_cast<unsigned long long>(r.stats.nodes), took.count());
  return r;
}

TEST(Performance, EightThreadsTwoHundredCallsFourKeys) {
  const History everything = generate_history(
      2024, {.threads = 8, .ops_per_thread = 200, .keys = 4, .barrier_every = 200});
  EXPECT_EQ(timed_check("every kind, size barriers", everything, {}).verdict, Verdict::ok);

  const History no_barriers =
      generate_history(2025, {.threads = 8, .ops_per_thread = 200, .keys = 4});
  EXPECT_EQ(timed_check("every kind, no barriers", no_barriers, {}).verdict, Verdict::ok);

  const History registers = generate_history(
      2026, {.threads = 8, .ops_per_thread = 200, .keys = 4, .mix = Mix::registers});
  EXPECT_EQ(timed_check("registers, zones", registers, {}).verdict, Verdict::ok);
  EXPECT_EQ(timed_check("registers, search", registers, {.zone_fast_path = false}).verdict,
            Verdict::ok);
}

// An illegal history of the same size: one late read of a stale value. The search must refute
// the whole key, which costs more than finding one linearization.
TEST(Performance, EightThreadsTwoHundredCallsWithOneStaleRead) {
  History h = generate_history(2027, {.threads = 8, .ops_per_thread = 200, .keys = 4});
  Timestamp end = 0;
  for (const HistoryOp& op : h) end = std::max(end, op.response);
  h.push_back(record::store({0, end + 1, end + 2}, 0, 12345));
  h.push_back(record::load({1, end + 3, end + 4}, 0, 54321));
  const LinearizabilityReport r = timed_check("one stale read", h, {});
  EXPECT_EQ(r.verdict, Verdict::illegal) << describe_report(h, r);
}

}  // namespace
}  // namespace mapcheck::models
