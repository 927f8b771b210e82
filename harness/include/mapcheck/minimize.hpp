// Minimising a failing program. Engines shrink in their own way first (RapidCheck by its
// generators, libFuzzer by its own minimiser); this final pass works on any Program, so every
// finding is reported at the same granularity whichever engine found it.
//
// Three passes, repeated until none of them makes progress:
//   delete     drop everything after the failing op, then chunks of ops, halving the chunk size
//              (ddmin's complement step), down to single ops;
//   summarise  replace one stepwise-iteration op by `iterate`, a whole iteration in one op. A bug
//              that a full iteration shows needs dozens of iter_step ops to reach by steps, and no
//              deletion can turn those steps into one op;
//   simplify   shrink operands: counts toward 1, keys, values and iteration slots toward 0.
// Each accepted change makes (op count, operand sum) strictly smaller, so the loop ends. The
// result is 1-minimal: deleting any single op makes the failure go away.
//
// What "fails" means is a probe: the interpreter's verdict (minimize<Adapter>), or, for a map that
// crashes or hangs, a run in a child process (the mapcheck command's isolation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <type_traits>
#include <vector>

#include "mapcheck/interpreter.hpp"
#include "mapcheck/program.hpp"

namespace mapcheck {

// The index of the op at which `program` fails, or nothing if it holds.
using FailingOp = std::function<std::optional<std::size_t>(const Program&)>;

namespace detail {

// What the minimiser makes smaller: op count first, then the sum of operands.
inline std::uint64_t operand_weight(const Program& p) {
  std::uint64_t sum = 0;
  for (const Op& op : p.ops) sum += op.key + op.value + op.iter + op.count;
  return sum;
}

class Minimizer {
 public:
  Minimizer(Program program, FailingOp probe)
      : program_(std::move(program)), probe_(std::move(probe)) {}

  Program run() {
    truncate(program_);
    bool progress = true;
    while (progress) {
      delete_ops();
      progress = summarise_iterations() || simplify_operands();
    }
    return std::move(program_);
  }

 private:
  // Keeps only the ops up to the failing one; false if `p` does not fail.
  bool truncate(Program& p) const {
    const auto failing_op = probe_(p);
    if (!failing_op) return false;
    if (*failing_op + 1 < p.ops.size()) p.ops.resize(*failing_op + 1);
    return true;
  }

  bool fails(Program& candidate) { return truncate(candidate); }

  void delete_ops() {
    for (std::size_t chunk = program_.ops.size() / 2; chunk >= 1; chunk /= 2) {
      bool removed = true;
      while (removed) {
        removed = false;
        for (std::size_t start = 0; start + chunk <= program_.ops.size();) {
          Program candidate = program_;
          auto first = candidate.ops.begin() + static_cast<std::ptrdiff_t>(start);
          candidate.ops.erase(first, first + static_cast<std::ptrdiff_t>(chunk));
          if (fails(candidate)) {
            program_ = std::move(candidate);
            removed = true;
          } else {
            start += chunk;
          }
        }
      }
      if (chunk == 1) break;
    }
  }

  static bool is_stepwise_iteration(OpKind kind) {
    return kind == OpKind::iter_open || kind == OpKind::iter_step || kind == OpKind::erase_iterator;
  }

  // Accepts the first replacement whose own minimisation is shorter than the current program.
  bool summarise_iterations() {
    for (std::size_t i = 0; i < program_.ops.size(); ++i) {
      if (!is_stepwise_iteration(program_.ops[i].kind)) continue;
      Program candidate = program_;
      candidate.ops[i] = Op{.kind = OpKind::iterate};
      if (!fails(candidate)) continue;
      Minimizer inner(std::move(candidate), probe_);
      inner.delete_ops();
      if (inner.program_.ops.size() < program_.ops.size()) {
        program_ = std::move(inner.program_);
        return true;
      }
    }
    return false;
  }

  // Tries smaller values for each operand of each op; true if anything shrank.
  bool simplify_operands() {
    bool shrank = false;
    for (std::size_t i = 0; i < program_.ops.size(); ++i) {
      shrank |= shrink_field(i, &Op::count, 1);
      shrank |= shrink_field(i, &Op::key, 0);
      shrank |= shrink_field(i, &Op::value, 0);
      shrank |= shrink_field(i, &Op::iter, 0);
    }
    return shrank;
  }

  // Binary search toward `floor` for the smallest value of one operand that still fails.
  template <class Field>
  bool shrink_field(std::size_t i, Field Op::*field, std::type_identity_t<Field> floor) {
    if (i >= program_.ops.size()) return false;  // an earlier shrink moved the failure forward
    bool shrank = false;
    Field lo = floor;
    while (program_.ops[i].*field > lo) {
      Field current = program_.ops[i].*field;
      Field mid = static_cast<Field>(lo + (current - lo) / 2);
      Program candidate = program_;
      candidate.ops[i].*field = mid;
      if (operand_weight(candidate) < operand_weight(program_) && fails(candidate)) {
        program_ = std::move(candidate);
        shrank = true;
        if (i >= program_.ops.size()) break;
      } else {
        lo = static_cast<Field>(mid + 1);
      }
    }
    return shrank;
  }

  Program program_;
  FailingOp probe_;
};

}  // namespace detail

// Returns a 1-minimal program derived from `program` that `probe` still finds failing.
inline Program minimize(Program program, FailingOp probe) {
  return detail::Minimizer(std::move(program), std::move(probe)).run();
}

// Returns a 1-minimal failing program derived from `program`, which must fail on Adapter's map.
template <class Adapter>
Program minimize(Program program) {
  return minimize(std::move(program), [](const Program& p) -> std::optional<std::size_t> {
    if (auto failure = run_program<Adapter>(p)) return failure->op_index;
    return std::nullopt;
  });
}

}  // namespace mapcheck
