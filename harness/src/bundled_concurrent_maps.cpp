// The concurrent maps the `mapcheck` command stresses (suite `stress`): Go's sync.Map design, a
// mutex around gomap::Map, and the concurrent maps Debian ships.
#include "mapcheck/adapters/concurrent/libcuckoo_cuckoohash_map.hpp"
#include "mapcheck/adapters/concurrent/locked_map.hpp"
#include "mapcheck/adapters/concurrent/sync_map.hpp"
#include "mapcheck/adapters/concurrent/tbb_concurrent_hash_map.hpp"
#include "mapcheck/adapters/concurrent/tbb_concurrent_unordered_map.hpp"
#include "mapcheck/concurrent_registry.hpp"

MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::adapters::SyncMapStress,
                                 "mapcheck/adapters/concurrent/sync_map.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::adapters::LockedGomap,
                                 "mapcheck/adapters/concurrent/locked_map.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::adapters::TbbConcurrentHashMapStress,
                                 "mapcheck/adapters/concurrent/tbb_concurrent_hash_map.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::adapters::TbbConcurrentUnorderedMapStress,
                                 "mapcheck/adapters/concurrent/tbb_concurrent_unordered_map.hpp");
MAPCHECK_REGISTER_CONCURRENT_MAP(mapcheck::adapters::LibcuckooStress,
                                 "mapcheck/adapters/concurrent/libcuckoo_cuckoohash_map.hpp");
