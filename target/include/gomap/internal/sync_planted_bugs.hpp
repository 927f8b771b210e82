// Planted bugs of gomap::SyncMap for mapcheck's concurrency bug zoo (tests/bugzoo/concurrency/):
// each is a small, realistic slip in sync.Map's design that the stress engine must catch, through
// ThreadSanitizer, the linearizability checker, or both. A build selects at most one by defining
// GOMAP_SYNC_PLANTED_BUG to a row name; every other build gets `none`, and each hook is an
// `if constexpr` that compiles to nothing. Compile a planted bug only into its own executable
// (ODR).
#pragma once

namespace gomap::internal {

enum class SyncPlantedBug {
  none,
  promote_without_lock,  // a lookup's miss counts and promotes dirty_ after releasing the mutex
  store_loses_expunged,  // a store to an expunged key un-expunges it without putting it back into
                         // dirty_, so the next promotion drops the key
};

#ifndef GOMAP_SYNC_PLANTED_BUG
#define GOMAP_SYNC_PLANTED_BUG none
#endif

inline constexpr SyncPlantedBug kSyncPlantedBug = SyncPlantedBug::GOMAP_SYNC_PLANTED_BUG;

// Reports whether this build plants `bug`.
constexpr bool planted(SyncPlantedBug bug) { return kSyncPlantedBug == bug; }

}  // namespace gomap::internal
