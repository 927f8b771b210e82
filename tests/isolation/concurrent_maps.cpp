// Registers the misbehaving concurrent maps (misbehaving_concurrent_maps.hpp) in a mapcheck
// command of their own.
#include "mapcheck/concurrent_registry.hpp"
#include "misbehaving_concurrent_maps.hpp"

MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::isolation_test::ConcurrentInsertLies,
                                 "misbehaving_concurrent_maps.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::isolation_test::ConcurrentCrashing,
                                 "misbehaving_concurrent_maps.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::isolation_test::ConcurrentHanging,
                                 "misbehaving_concurrent_maps.hpp");
