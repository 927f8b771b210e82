// The bug zoo, gomap part: this file is compiled once per planted bug (GOMAP_PLANTED_BUG names a
// row of target/include/gomap/internal/planted_bugs.hpp) and proves that the property suite catches
// that bug, and that the failure minimises to a short program (at most 12 ops), which it prints.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "mapcheck/adapters/gomap.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/properties/suite.hpp"

static_assert(!gomap::internal::planted(gomap::internal::PlantedBug::none),
              "compile this test with -DGOMAP_PLANTED_BUG=<bug>");

#define MAPCHECK_STRINGIFY2(x) #x
#define MAPCHECK_STRINGIFY(x) MAPCHECK_STRINGIFY2(x)

// The property suite fails on the planted bug, and the minimised failing program has <= 12 ops.
TEST(BugZoo, PropertySuiteCatchesPlantedBug) {
  using Gomap = mapcheck::adapters::Gomap;
  namespace props = mapcheck::properties;
  const auto start = std::chrono::steady_clock::now();
  std::optional<std::size_t> caught_by;
  for (std::size_t i = 0; i < std::size(props::kProperties) && !caught_by; ++i) {
    if (props::kCaps<Gomap>.has(props::kProperties[i].needs) && !props::check_property<Gomap>(i)) caught_by = i;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(caught_by.has_value()) << "no property caught " MAPCHECK_STRINGIFY(GOMAP_PLANTED_BUG);
  ASSERT_TRUE(props::last_failure().has_value()) << "the failing property recorded no program";
  const mapcheck::Program shrunk = mapcheck::minimize<Gomap>(props::last_failure()->program);
  const auto failure = mapcheck::run_program<Gomap>(shrunk);
  ASSERT_TRUE(failure.has_value());
  std::printf("bug %s: caught by %s in %.2f s; minimal program (%zu ops): %s\n%s",
              MAPCHECK_STRINGIFY(GOMAP_PLANTED_BUG), props::kProperties[*caught_by].name, seconds, shrunk.ops.size(),
              failure->to_string().c_str(), props::show_program(shrunk).c_str());
  EXPECT_LE(shrunk.ops.size(), 12u);
}
