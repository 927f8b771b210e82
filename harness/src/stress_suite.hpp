// The `stress` suite of `mapcheck run`: a stress campaign (stress/campaign.hpp) on a concurrent
// map (concurrent_registry.hpp), in a child process like every other pair. A program is a case:
// the child beats after every program and every minimisation run, so a deadlocked map is a hang
// finding and a crashing one a crash finding, each with the program it was running. A finding is
// minimised in the child; its history table goes to history.txt and its replayable program to
// reproducer.cpp. Races are classed only when mapcheck itself is built with -fsanitize=thread.
#pragma once

#include <functional>
#include <string_view>

#include "campaign.hpp"
#include "mapcheck/concurrent_registry.hpp"

namespace mapcheck::cli {

inline constexpr std::string_view kStressSuite = "stress";
inline constexpr std::string_view kStressSuiteHelp =
    "concurrent calls from 2-8 threads in bursts; every history checked for linearizability "
    "(and, in a ThreadSanitizer build of mapcheck, for data races)";

PairResult run_stress_pair(const ConcurrentMapEntry& map, const CampaignOptions& options,
                           const std::function<void(const PairProgress&)>& on_progress = {});

}  // namespace mapcheck::cli
