// A stress campaign on every bundled concurrent adapter: each must come out clean (no data race
// under the tsan preset, every history linearizable) over a fixed number of programs. The same
// programs run on every build; only the interleavings differ. Under TSan a race ends the process
// (halt_on_error=1), which fails the test with TSan's report.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "mapcheck/adapters/concurrent/libcuckoo_cuckoohash_map.hpp"
#include "mapcheck/adapters/concurrent/locked_map.hpp"
#include "mapcheck/adapters/concurrent/sync_map.hpp"
#include "mapcheck/adapters/concurrent/tbb_concurrent_hash_map.hpp"
#include "mapcheck/adapters/concurrent/tbb_concurrent_unordered_map.hpp"
#include "mapcheck/stress/campaign.hpp"

namespace {

namespace adapters = mapcheck::adapters;
namespace stress = mapcheck::stress;

template <class A>
class ConcurrentMapStress : public testing::Test {};

using ConcurrentAdapters =
    testing::Types<adapters::SyncMapStress, adapters::LockedGomap, adapters::LockedStdUnorderedMap,
                   adapters::TbbConcurrentHashMapStress, adapters::TbbConcurrentUnorderedMapStress,
                   adapters::LibcuckooStress>;
TYPED_TEST_SUITE(ConcurrentMapStress, ConcurrentAdapters);

// Verifies that 600 programs (2, 3, 4 and 8 threads; every offered call, exclusive calls alone)
// leave no finding, and that the checker decided every history.
TYPED_TEST(ConcurrentMapStress, ProgramsAreLinearizableAndRaceFree) {
  stress::CampaignOptions options;
  options.seconds = 60;
  options.max_programs = 600;
  options.seed = 2026;
  const stress::CampaignResult result = stress::run_campaign<TypeParam>(options);
  std::printf("%.*s: %zu programs, %zu calls in %.2f s (%s)\n",
              static_cast<int>(TypeParam::name.size()), TypeParam::name.data(), result.programs,
              result.calls, result.seconds,
              stress::names_of(stress::offered_ops<TypeParam>()).c_str());
  ASSERT_FALSE(result.finding.has_value()) << stress::describe(*result.finding);
  EXPECT_EQ(result.programs, options.max_programs) << "the time budget ran out first";
  EXPECT_EQ(result.undecided, 0u);
}

}  // namespace
