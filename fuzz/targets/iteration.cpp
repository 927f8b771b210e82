// The `iteration` fuzz mode (fuzz/include/mapcheck/fuzz/modes.hpp), compiled once per map.
#include "mapcheck/fuzz/target.hpp"

MAPCHECK_FUZZ_TARGET("iteration")
