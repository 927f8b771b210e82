// Re-runs a stress program until it fails, for printed reproducers (reproducer.hpp) and for
// `mapcheck replay`. A concurrent failure needs the right interleaving, so one run proves little:
// replay() tries up to `attempts` times and prints the first failure with its history table.
#pragma once

#include <cstddef>
#include <cstdio>

#include "mapcheck/stress/stress_program.hpp"
#include "mapcheck/stress/verdict.hpp"

namespace mapcheck::stress {

// Returns 1 (the map broke its contract; printed) or 0 (every attempt was clean).
template <class A>
int replay(const StressProgram& program, std::size_t attempts) {
  for (std::size_t i = 0; i < attempts; ++i) {
    const Attempt a = attempt<A>(program);
    if (a.finding() == FindingClass::none) continue;
    std::printf("%.*s: %.*s on attempt %zu\n%s", static_cast<int>(A::name.size()), A::name.data(),
                static_cast<int>(class_name(a.finding()).size()), class_name(a.finding()).data(),
                i + 1, a.describe().c_str());
    return 1;
  }
  std::printf("%.*s: clean in %zu attempts\n", static_cast<int>(A::name.size()), A::name.data(),
              attempts);
  return 0;
}

}  // namespace mapcheck::stress
