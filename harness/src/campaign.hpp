// A campaign: every (map, suite) pair the run selected, each checked for a time budget.
//
// A suite is a mode of modes.hpp: random byte strings read as programs in that mode's dialect,
// the same inputs a fuzzer of that mode would start from. Case i of a suite is the same program on
// every map (the bytes depend on the seed, the suite and i only), so maps are compared on equal
// terms and `--seed` with the case index recreates any case.
//
// One child process runs a pair's cases until its budget is spent (isolation.hpp). The first
// finding ends the pair: a contract broken (the child minimises the program and writes the
// finding itself), or a crash or hang (the parent writes it from the shared progress page, then
// minimises it with one child per candidate program).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "finding.hpp"
#include "isolation.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/modes.hpp"
#include "mapcheck/registry.hpp"

namespace mapcheck::cli {

struct CampaignOptions {
  std::uint64_t seed = 1;
  std::chrono::milliseconds budget{5000};  // per (map, suite) pair
  std::chrono::milliseconds op_timeout{10'000};
  std::chrono::milliseconds minimise_budget{30'000};  // for crashes, one child per candidate
  std::filesystem::path out = "mapcheck-out";
  // Ops that need one of these are left out of every case (expected_findings.hpp: "withhold").
  Capabilities withheld;
};

enum class PairStatus { pass, finding, not_applicable };

struct PairResult {
  std::string map;
  std::string suite;
  PairStatus status = PairStatus::pass;
  std::uint64_t cases = 0;
  double seconds = 0;
  std::optional<Finding> finding;
  std::string note;  // what ran after a known finding, with its capabilities withheld
};

// What a progress display is told while a pair runs.
struct PairProgress {
  const PairResult* pair;
  std::uint64_t cases;
  double seconds_left;
};

// The interpreter's verdict as a minimisation probe: the failing op of a program on `map`, run in
// this process (progress, if given, keeps a supervisor's heartbeat going while it runs).
FailingOp interpreter_probe(const MapEntry& map, OpProgress progress = nullptr,
                            void* context = nullptr);

// The bytes of case `index` of `suite` (deterministic in seed, suite and index).
std::vector<std::uint8_t> case_bytes(std::uint64_t seed, std::string_view suite,
                                     std::uint64_t index);

// Runs one pair; `on_progress` is called a few times a second.
PairResult run_pair(const MapEntry& map, const Mode& suite, const CampaignOptions& options,
                    const std::function<void(const PairProgress&)>& on_progress = {});

// What a suite runs in a pair's child, and how it completes a finding when the child dies.
struct PairChild {
  // In the child: run cases until the deadline; save a broken contract and return kChildBroken.
  std::function<int(Progress&, std::chrono::steady_clock::time_point deadline)> body;
  // In the parent, after a crash or hang: the message, input and reproducer (saved next).
  std::function<void(Finding&, const ChildOutcome&, const Progress&)> describe_death;
  // Optional, after the save: more work on the finding (minimisation), which saves again.
  std::function<void(Finding&, const ChildOutcome&, SharedProgress&)> after_death;
};

// Runs `child` for the pair `result` names (map and suite set): its folder emptied, the child
// supervised, its finding read back or, when it died, written here. Every suite's runner uses it.
PairResult run_pair_in_child(PairResult result, const CampaignOptions& options,
                             const PairChild& child,
                             const std::function<void(const PairProgress&)>& on_progress);

}  // namespace mapcheck::cli
