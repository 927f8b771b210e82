// Planted bugs for mapcheck's bug zoo (tests/bugzoo/): each is a small, realistic deviation from
// the algorithm that the checkers must catch. A build selects at most one by defining
// GOMAP_PLANTED_BUG to a row name; every other build (the default) gets `none`, and each hook below
// is an `if constexpr` that compiles to nothing.
//
// Defining GOMAP_PLANTED_BUG changes gomap::Map for the whole program: compile a planted bug only
// into its own executable (ODR).
#pragma once

namespace gomap::internal {

enum class PlantedBug {
  none,
  empty_rest_too_early,  // delete marks emptyRest without checking the next slot (§3.3 6.4)
  evacuate_wrong_half,   // evacuation sends X-half entries to Y and back (§3.6)
  iterator_no_filter,  // an iterator walking an old chain does not filter by destination (§4.2 B.3)
  no_growth_at_load_factor,  // the load-factor trigger is checked against count instead of count+1
                             // (§3.2 9)
  clear_keeps_epoch,         // clear() does not end live iterations (Go #59411, spec §6.1)
  reuse_skips_match,  // an insert stops scanning at the first free slot and misses its key (§3.2 8)
  evacuate_drops_overflow,  // evacuation forgets the overflow buckets of an old chain (§3.6 3)
  lookup_stays_in_old,  // a lookup during a grow keeps searching the old chain after its evacuation
                        // (§3.1 4)
  erase_forgets_count,  // delete does not decrement count (§3.3 6.6)
};

#ifndef GOMAP_PLANTED_BUG
#define GOMAP_PLANTED_BUG none
#endif

inline constexpr PlantedBug kPlantedBug = PlantedBug::GOMAP_PLANTED_BUG;

// Reports whether this build plants `bug`.
constexpr bool planted(PlantedBug bug) { return kPlantedBug == bug; }

}  // namespace gomap::internal
