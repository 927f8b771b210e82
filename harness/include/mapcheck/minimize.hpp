// Minimising a failing program: the smallest program (by op count) found by deleting ops, that
// still fails. Engines shrink in their own way first (RapidCheck by its generators, libFuzzer by
// its own minimiser); this final pass works on any Program, so every finding is reported at the
// same, 1-minimal granularity: deleting any single op makes the failure go away.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "mapcheck/interpreter.hpp"
#include "mapcheck/program.hpp"

namespace mapcheck {

// Returns a 1-minimal failing program derived from `program`, which must fail.
template <class Adapter>
Program minimize(Program program) {
  auto fails = [](const Program& p) { return run_program<Adapter>(p).has_value(); };
  if (auto failure = run_program<Adapter>(program))
    program.ops.resize(failure->op_index + 1);  // nothing after it matters
  // Delete chunks, halving their size (ddmin's complement step), then single ops until a fixpoint.
  for (std::size_t chunk = program.ops.size() / 2; chunk >= 1; chunk /= 2) {
    bool removed = true;
    while (removed) {
      removed = false;
      for (std::size_t start = 0; start + chunk <= program.ops.size();) {
        Program candidate = program;
        candidate.ops.erase(candidate.ops.begin() + static_cast<std::ptrdiff_t>(start),
                            candidate.ops.begin() + static_cast<std::ptrdiff_t>(start + chunk));
        if (fails(candidate)) {
          program = std::move(candidate);
          removed = true;
        } else {
          start += chunk;
        }
      }
    }
    if (chunk == 1) break;
  }
  return program;
}

}  // namespace mapcheck
