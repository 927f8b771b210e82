// The property suite on std::unordered_map, within the operations its rules define (ctest label
// `properties`). A property that fails here is a bug in mapcheck, not in the standard library.
#include <gtest/gtest.h>

#include "mapcheck/adapters/std_unordered_map.hpp"
#include "mapcheck/properties/suite.hpp"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  mapcheck::properties::register_properties<mapcheck::adapters::StdUnorderedMap>(
      "StdUnorderedMapProperties");
  return RUN_ALL_TESTS();
}
