// The concurrency bug zoo: this file is compiled once per planted bug and proves that the stress
// engine catches it, five times over with five seeds, and says by which signal (TSan, the
// linearizability checker, or both). It prints each detection's time and class, their median,
// and the first detection's minimal history and replayable program. Each campaign runs in a
// child process: a planted race may well crash the map, and a crash is a detection too.
//
//   GOMAP_SYNC_PLANTED_BUG=<row>   a planted bug of gomap::SyncMap
//                                  (target/include/gomap/internal/sync_planted_bugs.hpp)
//   MAPCHECK_ZOO_FORGOTTEN_LOCK    Locked<gomap::Map> that reads size() without the lock
//
// Under TSan this test runs with halt_on_error=0 (CMakeLists.txt), so that a race is counted and
// the run goes on to the checker's verdict and the minimisation.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "mapcheck/adapters/concurrent/locked_map.hpp"
#include "mapcheck/adapters/concurrent/sync_map.hpp"
#include "mapcheck/stress/isolated_campaign.hpp"

namespace {

namespace stress = mapcheck::stress;

#ifdef MAPCHECK_ZOO_FORGOTTEN_LOCK
// The planted bug: size() skips the lock, as if the author thought reading one counter was safe.
struct ZooAdapter : mapcheck::adapters::LockedGomap {
  static constexpr std::string_view name = "locked_gomap_size_without_lock";
  static std::uint64_t size(map_type& m) { return m.unguarded().size(); }
};
#define MAPCHECK_ZOO_BUG forgotten_lock
#else
static_assert(!gomap::internal::planted(gomap::internal::SyncPlantedBug::none),
              "compile this test with -DGOMAP_SYNC_PLANTED_BUG=<bug> or "
              "-DMAPCHECK_ZOO_FORGOTTEN_LOCK");
using ZooAdapter = mapcheck::adapters::SyncMapStress;
#define MAPCHECK_ZOO_BUG GOMAP_SYNC_PLANTED_BUG
#endif

#define MAPCHECK_STRINGIFY2(x) #x
#define MAPCHECK_STRINGIFY(x) MAPCHECK_STRINGIFY2(x)
constexpr const char* kBug = MAPCHECK_STRINGIFY(MAPCHECK_ZOO_BUG);

// Verifies that five campaigns (seeds 1-5), each with a 30 s budget, all find the planted bug.
TEST(ConcurrencyBugZoo, StressEngineCatchesPlantedBug) {
  constexpr int kRuns = 5;
  std::vector<double> seconds;
  std::string first;
  for (int run = 1; run <= kRuns; ++run) {
    stress::CampaignOptions options;
    options.seed = static_cast<std::uint64_t>(run);
    options.seconds = 30;
    options.minimize.seconds = 10;
    const stress::IsolatedOutcome outcome =
        stress::run_isolated_campaign<ZooAdapter>(options, "ZooAdapter", "zoo_adapter.hpp");
    ASSERT_NE(outcome.finding, stress::FindingClass::none)
        << kBug << ": seed " << run << " found nothing in " << outcome.programs << " programs";
    std::printf("bug %s, seed %d: %s after %.3f s (program %zu)\n", kBug, run,
                std::string(stress::class_name(outcome.finding)).c_str(), outcome.seconds_to_detect,
                outcome.program_index);
    seconds.push_back(outcome.seconds_to_detect);
    if (first.empty()) first = outcome.report;
    EXPECT_NE(outcome.finding, stress::FindingClass::threw) << outcome.report;
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("bug %s: median time to detection %.3f s over %d seeds (%s build)\n%s", kBug,
              seconds[kRuns / 2], kRuns,
              stress::kRacesDetected ? "ThreadSanitizer" : "uninstrumented", first.c_str());
}

}  // namespace
