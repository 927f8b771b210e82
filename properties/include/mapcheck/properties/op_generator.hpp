// RapidCheck generators for ops and programs, derived from the op table: one arm per Operands kind,
// so a new row of ops.def is generated (and shrunk) without touching this file.
//
// Keys are drawn from a small span (many repeats, collisions, deletes of present keys); counts and
// values shrink towards small numbers, and kinds shrink towards the first rows of ops.def (insert),
// so a failing program shrinks to few, simple ops.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <vector>

#include "mapcheck/op.hpp"
#include "mapcheck/program.hpp"

namespace mapcheck::properties {

// Key indices generated: most programs stay within a few dozen keys so that keys repeat.
inline constexpr int kKeySpan = 48;

// Operands for an op of kind `kind`, from the op table's Operands column.
inline rc::Gen<Op> gen_op_of(OpKind kind) {
  const auto key = rc::gen::inRange<int>(0, kKeySpan);
  const auto value = rc::gen::inRange<int>(0, 256);
  switch (info(kind).operands) {
    case Operands::none:
      return rc::gen::just(Op{kind});
    case Operands::key:
      return rc::gen::map(key, [kind](int k) { return Op{kind, static_cast<std::uint8_t>(k)}; });
    case Operands::key_value:
      return rc::gen::apply(
          [kind](int k, int v) {
            return Op{kind, static_cast<std::uint8_t>(k), static_cast<std::uint8_t>(v)};
          },
          key, value);
    case Operands::key_count:
      return rc::gen::apply(
          [kind](int k, int n, int v) {
            Op op{kind, static_cast<std::uint8_t>(k), static_cast<std::uint8_t>(v)};
            op.count = static_cast<std::uint32_t>(n);
            return op;
          },
          key, rc::gen::inRange<int>(1, static_cast<int>(kMaxRun) + 1), value);
    case Operands::iter:
      return rc::gen::map(rc::gen::inRange<int>(0, kIteratorSlots), [kind](int i) {
        Op op{kind};
        op.iter = static_cast<std::uint8_t>(i);
        return op;
      });
    case Operands::count:
      return rc::gen::map(rc::gen::weightedOneOf<int>(
                              {{12, rc::gen::inRange(0, 64)}, {1, rc::gen::inRange(250, 256)}}),
                          [kind](int c) {
                            Op op{kind};
                            op.count = static_cast<std::uint32_t>(c);
                            return op;
                          });
    case Operands::target:
      return rc::gen::map(rc::gen::arbitrary<bool>(), [kind](bool self) {
        Op op{kind};
        op.self = self;
        return op;
      });
  }
  return rc::gen::just(Op{kind});
}

// How often each kind is drawn: writes and iteration steps dominate, structural ops are rarer.
inline int weight_of(OpKind kind) {
  switch (kind) {
    case OpKind::insert:
    case OpKind::insert_or_assign:
    case OpKind::erase_key:
    case OpKind::iter_step:
      return 8;
    case OpKind::find:
    case OpKind::try_emplace:
    case OpKind::subscript_assign:
    case OpKind::iter_open:
      return 4;
    case OpKind::insert_n:
    case OpKind::erase_n:
    case OpKind::erase_iterator:
      return 3;
    default:
      return 1;
  }
}

// A weighted choice among generators (rc::gen::weightedOneOf takes only an initializer list).
// The choice shrinks towards the first arm.
template <class T>
rc::Gen<T> weighted_one_of(std::vector<std::pair<std::uint32_t, rc::Gen<T>>> arms) {
  std::uint32_t total = 0;
  for (const auto& arm : arms) total += arm.first;
  return rc::gen::mapcat(rc::gen::inRange<std::uint32_t>(0, total),
                         [arms = std::move(arms)](std::uint32_t r) {
                           for (const auto& [weight, gen] : arms) {
                             if (r < weight) return gen;
                             r -= weight;
                           }
                           return arms.back().second;
                         });
}

// An op of any kind the capabilities allow, weighted.
inline rc::Gen<Op> gen_op(Capabilities caps) {
  std::vector<std::pair<std::uint32_t, rc::Gen<Op>>> arms;
  for (std::size_t i = 0; i < kOpCount; ++i) {
    const auto kind = static_cast<OpKind>(i);
    if (caps.has(info(kind).needs)) arms.emplace_back(weight_of(kind), gen_op_of(kind));
  }
  return weighted_one_of(std::move(arms));
}

// A program's run choices: universe and hash policy as given, seeds generated.
inline rc::Gen<Program> gen_program_header(UniverseKind universe, rc::Gen<HashPolicy> policy) {
  return rc::gen::apply(
      [universe](HashPolicy p, std::uint64_t hash_seed, std::uint64_t random_seed) {
        Program program;
        program.universe = universe;
        program.hash_policy = p;
        program.hash_seed = hash_seed;
        program.random_seed = random_seed;
        return program;
      },
      std::move(policy), rc::gen::arbitrary<std::uint64_t>(), rc::gen::arbitrary<std::uint64_t>());
}

inline rc::Gen<HashPolicy> gen_hash_policy() {
  return rc::gen::map(rc::gen::inRange<int>(0, static_cast<int>(kHashPolicies.size())),
                      [](int i) { return static_cast<HashPolicy>(i); });
}

}  // namespace mapcheck::properties
