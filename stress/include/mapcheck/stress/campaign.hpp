// A stress campaign: program after program on fresh maps, for a time budget, until one fails; the
// failure is then minimised and described. Program i is the same on every run with the same seed
// (its threads, shape and calls come from the seed and i only); what differs between runs is the
// interleaving the machine chooses.
//
// Thread counts cycle through 2, 3, 4 and 8: as many threads as this machine kind has cores, a
// few more, and many more (threads descheduled in the middle of a call are what expose lock-free
// bugs). Shapes vary with i: few or more hot keys, owned keys or none, short or long bursts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "mapcheck/stress/minimize.hpp"
#include "mapcheck/stress/stress_program.hpp"
#include "mapcheck/stress/verdict.hpp"

namespace mapcheck::stress {

struct CampaignOptions {
  double seconds = 5;
  std::size_t max_programs = SIZE_MAX;
  std::uint64_t seed = 1;
  std::vector<std::size_t> thread_counts = {2, 3, 4, 8};
  MinimizeOptions minimize;
  std::function<void(std::size_t programs)> on_program;  // after each program (progress)
};

struct StressFinding {
  FindingClass finding = FindingClass::none;
  std::size_t program_index = 0;
  double seconds_to_detect = 0;
  StressProgram original;
  Minimized minimal;
};

struct CampaignResult {
  std::size_t programs = 0;
  std::size_t calls = 0;
  std::size_t undecided = 0;  // programs whose history the checker could not decide
  double seconds = 0;
  std::optional<StressFinding> finding;
};

// The shape of program `index`: deterministic in (seed, index).
inline StressShape shape_of(const CampaignOptions& options, std::size_t index) {
  std::mt19937_64 rng(options.seed * 0x9E3779B97F4A7C15ULL + index);
  StressShape shape;
  shape.threads = options.thread_counts[index % options.thread_counts.size()];
  shape.bursts = 4 + rng() % 20;
  shape.ops_per_burst = 2 + rng() % 14;
  shape.hot_keys = 1 + rng() % 6;
  shape.owned_keys = rng() % 4;
  return shape;
}

inline std::uint64_t program_seed(const CampaignOptions& options, std::size_t index) {
  return options.seed ^ (0xD1B54A32D192ED03ULL * (index + 1));
}

template <class A>
StressProgram program_of(const CampaignOptions& options, std::size_t index) {
  return generate(shape_of(options, index), offered_ops<A>(), exclusive_ops<A>(),
                  program_seed(options, index));
}

template <class A>
CampaignResult run_campaign(const CampaignOptions& options) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  CampaignResult result;
  for (std::size_t i = 0; i < options.max_programs && elapsed() < options.seconds; ++i) {
    StressProgram program = program_of<A>(options, i);
    Attempt a = attempt<A>(program);
    ++result.programs;
    result.calls += program.op_count();
    if (a.report.verdict == models::Verdict::unknown) ++result.undecided;
    if (options.on_program) options.on_program(result.programs);
    if (a.finding() == FindingClass::none) continue;
    StressFinding finding;
    finding.finding = a.finding();
    finding.program_index = i;
    finding.seconds_to_detect = elapsed();
    finding.original = program;
    finding.minimal = minimize<A>(std::move(program), std::move(a), options.minimize);
    result.finding = std::move(finding);
    break;
  }
  result.seconds = elapsed();
  return result;
}

// What a finding says to a map author: the class, where it was found, the minimal history.
inline std::string describe(const StressFinding& f) {
  auto count = [](std::size_t n, const char* what) {
    return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
  };
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", f.seconds_to_detect);
  std::string out = std::string(class_name(f.finding)) + " (program " +
                    std::to_string(f.program_index) + ", found after " + seconds +
                    " s; minimised to " + count(f.minimal.program.threads, "thread") + ", " +
                    count(f.minimal.program.op_count(), "call") + " in " +
                    count(f.minimal.runs, "run") + ")\n";
  return out + f.minimal.failing.describe();
}

}  // namespace mapcheck::stress
