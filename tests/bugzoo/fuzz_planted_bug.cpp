// The bug zoo, fuzzer part: a libFuzzer target on gomap with one planted bug (GOMAP_PLANTED_BUG),
// serving every fuzz mode (MAPCHECK_FUZZ_MODE). Built in the fuzz preset as
// bugzoo_fuzz_<bug>; ci/fuzz_bugzoo measures how long each mode takes to find each bug, and the
// ctest `bugzoo.fuzz.<bug>` proves, for the bugs CI runs, that the fuzzer finds it.
#include "mapcheck/fuzz/target.hpp"

static_assert(!gomap::internal::planted(gomap::internal::PlantedBug::none),
              "compile this target with -DGOMAP_PLANTED_BUG=<bug>");

MAPCHECK_FUZZ_TARGET_FROM_ENVIRONMENT()
