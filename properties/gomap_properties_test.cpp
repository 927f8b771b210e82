// The property suite on gomap::Map (ctest label `properties`).
#include <gtest/gtest.h>

#include "mapcheck/adapters/gomap.hpp"
#include "mapcheck/properties/suite.hpp"

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  mapcheck::properties::register_properties<mapcheck::adapters::Gomap>("GomapProperties");
  return RUN_ALL_TESTS();
}
