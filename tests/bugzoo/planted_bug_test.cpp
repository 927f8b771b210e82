// The bug zoo, gomap part: this file is compiled once per planted bug (GOMAP_PLANTED_BUG names a
// row of target/include/gomap/internal/planted_bugs.hpp) and proves that the property suite catches
// that bug, and that the failure minimises to a short program (at most 12 ops), which it prints.
#include <chrono>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "mapcheck/adapters/gomap.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/properties/suite.hpp"

static_assert(!gomap::internal::planted(gomap::internal::PlantedBug::none),
              "compile this test with -DGOMAP_PLANTED_BUG=<bug>");

#define MAPCHECK_STRINGIFY2(x) #x
#define MAPCHECK_STRINGIFY(x) MAPCHECK_STRINGIFY2(x)

// The property suite fails on the planted bug, and the shortest minimised failing program among
// the properties that catch it has at most 12 ops.
TEST(BugZoo, PropertySuiteCatchesPlantedBug) {
  using Gomap = mapcheck::adapters::Gomap;
  namespace props = mapcheck::properties;
  const auto start = std::chrono::steady_clock::now();
  double first_detection = -1;
  std::string caught_by;
  std::optional<mapcheck::Program> shortest;
  for (std::size_t i = 0; i < std::size(props::kProperties); ++i) {
    if (!props::kCaps<Gomap>.has(props::kProperties[i].needs)) continue;
    props::last_failure().reset();
    if (props::check_property<Gomap>(i)) continue;
    if (first_detection < 0)
      first_detection =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    caught_by += std::string(caught_by.empty() ? "" : ", ") + props::kProperties[i].name;
    if (!props::last_failure().has_value())
      continue;  // a property that checks a map directly, not a program
    mapcheck::Program minimal = mapcheck::minimize<Gomap>(props::last_failure()->program);
    if (!shortest || minimal.ops.size() < shortest->ops.size()) shortest = std::move(minimal);
  }
  ASSERT_TRUE(shortest.has_value()) << "no property caught " MAPCHECK_STRINGIFY(GOMAP_PLANTED_BUG);
  const auto failure = mapcheck::run_program<Gomap>(*shortest);
  ASSERT_TRUE(failure.has_value());
  std::printf(
      "bug %s: first caught after %.2f s; caught by %s; shortest minimal program (%zu ops): %s\n%s",
      MAPCHECK_STRINGIFY(GOMAP_PLANTED_BUG), first_detection, caught_by.c_str(),
      shortest->ops.size(), failure->to_string().c_str(), mapcheck::describe(*shortest).c_str());
  EXPECT_LE(shortest->ops.size(), 12u);
}
