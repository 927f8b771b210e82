// Mutation at op granularity, for LLVMFuzzerCustomMutator and LLVMFuzzerCustomCrossOver.
//
// libFuzzer's byte mutations are blind to the op boundaries of the program byte form: flipping one
// kind byte re-frames every op after it. These mutations decode the input in its mode's dialect,
// change whole ops (insert, delete, duplicate a run, swap, change an op's kind or one operand,
// change a seed) and encode it back, so a mutant keeps the rest of its parent's program. Keys are
// drawn half the time from the keys the program already uses, so new ops meet existing entries.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <vector>

#include "mapcheck/program.hpp"

namespace mapcheck::fuzz {

class OpMutator {
 public:
  OpMutator(const Dialect& dialect, unsigned seed) : dialect_(dialect), rng_(seed) {}

  // Mutates `program` in place by one op-level change.
  void mutate(Program& program) {
    std::vector<Op>& ops = program.ops;
    switch (ops.empty() ? 0 : below(8)) {
      case 0:
        ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(below(ops.size() + 1)),
                   random_op(program));
        break;
      case 1:
        ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(below(ops.size())));
        break;
      case 2:
        duplicate_run(ops);
        break;
      case 3:
        std::swap(ops[below(ops.size())], ops[below(ops.size())]);
        break;
      case 4: {
        Op& op = ops[below(ops.size())];
        op = with_kind(op, dialect_.kind(below(dialect_.size())));
        break;
      }
      case 5:
        ops[below(ops.size())].key = random_key(program);
        break;
      case 6:
        randomize_operands(ops[below(ops.size())]);
        break;
      case 7:
        mutate_header(program);
        break;
    }
  }

  // A child of two programs: a prefix of one followed by a suffix of the other.
  Program cross(const Program& a, const Program& b) {
    Program child = a;
    child.ops.resize(below(a.ops.size() + 1));
    const std::size_t from = below(b.ops.size() + 1);
    child.ops.insert(child.ops.end(), b.ops.begin() + static_cast<std::ptrdiff_t>(from),
                     b.ops.end());
    return child;
  }

  // Encodes `program`, dropping ops from the end until it fits in `max_size` bytes.
  std::size_t write(Program& program, std::span<std::uint8_t> out) const {
    std::vector<std::uint8_t> bytes = encode(program, dialect_);
    while (bytes.size() > out.size() && !program.ops.empty()) {
      program.ops.pop_back();
      bytes = encode(program, dialect_);
    }
    const std::size_t n = std::min(bytes.size(), out.size());
    std::copy_n(bytes.begin(), n, out.begin());
    return n;
  }

 private:
  std::size_t below(std::size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

  std::uint8_t random_key(const Program& program) {
    if (!program.ops.empty() && below(2) == 0) return program.ops[below(program.ops.size())].key;
    return static_cast<std::uint8_t>(below(below(2) == 0 ? 16 : 256));
  }

  Op random_op(const Program& program) {
    Op op = with_kind(Op{}, dialect_.kind(below(dialect_.size())));
    op.key = random_key(program);
    randomize_operands(op);
    op.self = below(4) == 0;
    return op;
  }

  // New value, count (in the range of op's kind) and iteration slot; the key is left alone.
  void randomize_operands(Op& op) {
    op.value = static_cast<std::uint8_t>(below(256));
    op.count =
        static_cast<std::uint32_t>(op.kind == OpKind::reserve ? below(256) : 1 + below(kMaxRun));
    op.iter = static_cast<std::uint8_t>(below(kIteratorSlots));
  }

  // `op` as another kind, keeping the operands both kinds read; counts stay in the new kind's
  // range.
  static Op with_kind(Op op, OpKind kind) {
    op.kind = kind;
    if (info(kind).operands == Operands::key_count)
      op.count = std::clamp<std::uint32_t>(op.count, 1, kMaxRun);
    if (info(kind).operands == Operands::count) op.count = std::min<std::uint32_t>(op.count, 255);
    return op;
  }

  void duplicate_run(std::vector<Op>& ops) {
    const std::size_t start = below(ops.size());
    const std::size_t length = 1 + below(std::min<std::size_t>(ops.size() - start, 8));
    const std::vector<Op> run(ops.begin() + static_cast<std::ptrdiff_t>(start),
                              ops.begin() + static_cast<std::ptrdiff_t>(start + length));
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(below(ops.size() + 1)), run.begin(),
               run.end());
  }

  void mutate_header(Program& program) {
    switch (below(4)) {
      case 0:
        program.universe = static_cast<UniverseKind>(below(kUniverses.size()));
        break;
      case 1:
        program.hash_policy = static_cast<HashPolicy>(below(kHashPolicies.size()));
        break;
      case 2:
        program.hash_seed = rng_();
        break;
      default:
        program.random_seed = rng_();
        break;
    }
  }

  Dialect dialect_;
  std::mt19937_64 rng_;
};

}  // namespace mapcheck::fuzz
