// The properties of properties.def, generic over an adapter. Every property builds Programs and
// runs them through the shared interpreter; a failure records the program (the last record after
// shrinking is the minimal one, which the bug zoo measures) and fails with the interpreter's
// verdict and the program printed op by op.
#pragma once

#include <rapidcheck.h>

#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "gomap/debug.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/printer.hpp"
#include "mapcheck/properties/op_command.hpp"
#include "mapcheck/properties/op_generator.hpp"

namespace mapcheck {
// RapidCheck shows a failing case's generated values through showValue, found by ADL.
inline void showValue(const Program& program, std::ostream& out) { out << describe(program); }
inline void showValue(const Op& op, std::ostream& out) { out << describe(op); }
}  // namespace mapcheck

namespace mapcheck::properties {

struct FailureRecord {
  Program program;
  Failure failure;
};

// The most recent failing case of any property in this process.
inline std::optional<FailureRecord>& last_failure() {
  static std::optional<FailureRecord> record;
  return record;
}

// Runs `program`; on a failure records it and fails the property with the verdict, the program and
// its reproducer (RapidCheck then shrinks; the message of the last, minimal case is the one shown,
// followed by RapidCheck's own RC_PARAMS="reproduce=..." line).
template <class Adapter>
void expect_program_holds(const Program& program) {
  if (auto failure = run_program<Adapter>(program)) {
    last_failure() = FailureRecord{program, *failure};
    const std::string header = "mapcheck/adapters/" + std::string(Adapter::name) + ".hpp";
    RC_FAIL(failure->to_string() + "\n" + describe(program) + "\n" +
            print_reproducer<Adapter>(program, "Shrunk", header, failure));
  }
}

template <class Adapter>
inline constexpr Capabilities kCaps = adapter_traits<Adapter>::capabilities;

// ---- helpers for shaped programs ----
inline Op make(OpKind kind, int key = 0, int value = 0, std::uint32_t count = 0, int iter = 0) {
  Op op{kind, static_cast<std::uint8_t>(key), static_cast<std::uint8_t>(value)};
  op.count = count;
  op.iter = static_cast<std::uint8_t>(iter);
  return op;
}
inline void append(std::vector<Op>& to, const std::vector<Op>& ops) {
  to.insert(to.end(), ops.begin(), ops.end());
}
// Enough steps to finish any iteration of the programs below.
inline std::vector<Op> drain(int iter) {
  return std::vector<Op>(300, make(OpKind::iter_step, 0, 0, 0, iter));
}

// One of the given op shapes, repeated.
inline rc::Gen<std::vector<Op>> gen_body(std::vector<std::pair<std::uint32_t, rc::Gen<Op>>> arms) {
  return rc::gen::container<std::vector<Op>>(weighted_one_of(std::move(arms)));
}
inline rc::Gen<Op> gen_shaped(OpKind kind, int key_lo, int key_hi, int n_hi = 1) {
  return rc::gen::apply(
      [kind](int k, int n, int v) { return make(kind, k, v, static_cast<std::uint32_t>(n)); },
      rc::gen::inRange(key_lo, key_hi), rc::gen::inRange(1, n_hi + 1), rc::gen::inRange(0, 256));
}

// ---- the properties ----
template <class Adapter, UniverseKind U>
void stateful() {
  Program program = *gen_program_header(U, gen_hash_policy());
  program.ops = *gen_ops(kCaps<Adapter>);
  expect_program_holds<Adapter>(program);
}
template <class Adapter>
void StatefulIntKeys() {
  stateful<Adapter, UniverseKind::ints>();
}
template <class Adapter>
void StatefulLargeKeys() {
  stateful<Adapter, UniverseKind::large>();
}
template <class Adapter>
void StatefulNanKeys() {
  stateful<Adapter, UniverseKind::nan>();
}
template <class Adapter>
void StatefulTaggedKeys() {
  stateful<Adapter, UniverseKind::tagged>();
}

template <class Adapter>
void IterationSurvivesDoublingGrowth() {
  Program program = *gen_program_header(UniverseKind::ints, gen_hash_policy());
  const int initial = *rc::gen::inRange(1, 60);
  program.ops = {make(OpKind::insert_n, 0, 1, static_cast<std::uint32_t>(initial)),
                 make(OpKind::iter_open)};
  append(program.ops, *gen_body({{4, rc::gen::just(make(OpKind::iter_step))},
                                 {2, gen_shaped(OpKind::insert_n, 0, 250, 32)},
                                 {2, gen_shaped(OpKind::erase_key, 0, 120)},
                                 {1, gen_shaped(OpKind::insert_or_assign, 0, 120)}}));
  append(program.ops, drain(0));
  program.ops.push_back(make(OpKind::iterate));
  expect_program_holds<Adapter>(program);
}

template <class Adapter>
void IterationSurvivesSameSizeGrowth() {
  Program program = *gen_program_header(
      UniverseKind::ints,
      rc::gen::element(HashPolicy::constant, HashPolicy::two_valued, HashPolicy::low_equal));
  program.ops = {make(OpKind::insert_n, 0, 1, *rc::gen::inRange(8u, 40u)), make(OpKind::iter_open)};
  append(program.ops, *gen_body({{3, rc::gen::just(make(OpKind::iter_step))},
                                 {2, gen_shaped(OpKind::erase_n, 0, 120, 16)},
                                 {2, gen_shaped(OpKind::insert_n, 0, 120, 16)}}));
  append(program.ops, drain(0));
  expect_program_holds<Adapter>(program);
}

template <class Adapter>
void DeleteAndReinsertDuringIteration() {
  Program program = *gen_program_header(UniverseKind::ints, gen_hash_policy());
  const int n = *rc::gen::inRange(1, 30);
  program.ops = {make(OpKind::insert_n, 0, 1, static_cast<std::uint32_t>(n)),
                 make(OpKind::iter_open)};
  const auto rounds = *rc::gen::container<std::vector<std::pair<int, int>>>(
      rc::gen::pair(rc::gen::inRange(0, n), rc::gen::inRange(0, 256)));
  for (const auto& [key, value] : rounds) {
    append(program.ops, {make(OpKind::iter_step), make(OpKind::erase_key, key),
                         make(OpKind::insert, key, value)});
  }
  append(program.ops, drain(0));
  expect_program_holds<Adapter>(program);
}

template <class Adapter>
void ClearDuringIteration() {
  Program program = *gen_program_header(*rc::gen::element(UniverseKind::ints, UniverseKind::nan),
                                        gen_hash_policy());
  program.ops = {make(OpKind::insert_n, 0, 1, *rc::gen::inRange(1u, 64u)), make(OpKind::iter_open)};
  append(program.ops, *gen_body({{2, rc::gen::just(make(OpKind::iter_step))},
                                 {1, gen_shaped(OpKind::insert_n, 64, 250, 40)}}));
  program.ops.push_back(make(OpKind::clear));
  append(program.ops, *gen_body({{2, rc::gen::just(make(OpKind::iter_step))},
                                 {1, gen_shaped(OpKind::insert, 0, 120)}}));
  append(program.ops, drain(0));
  expect_program_holds<Adapter>(program);
}

template <class Adapter>
void SlotReuseAfterDeletes() {
  Program program =
      *gen_program_header(*rc::gen::element(UniverseKind::ints, UniverseKind::tagged),
                          rc::gen::element(HashPolicy::constant, HashPolicy::low_equal));
  program.ops = *gen_body({{3, gen_shaped(OpKind::insert, 0, 40)},
                           {2, gen_shaped(OpKind::erase_key, 0, 40)},
                           {1, gen_shaped(OpKind::insert_n, 0, 40, 20)},
                           {1, gen_shaped(OpKind::erase_n, 0, 40, 20)},
                           {2, gen_shaped(OpKind::find, 0, 40)}});
  program.ops.push_back(make(OpKind::iterate));
  expect_program_holds<Adapter>(program);
}

// Fresh keys inserted and erased at a constant size, with an iteration open across them: the
// interpreter's bounded-capacity check (and gomap's structural model) judges every step.
template <class Adapter>
void CapacityBoundedUnderChurn() {
  Program program = *gen_program_header(UniverseKind::ints, gen_hash_policy());
  program.ops = {make(OpKind::insert_n, 0, 1, *rc::gen::inRange(1u, 64u)), make(OpKind::iter_open)};
  const auto churn = rc::gen::map(rc::gen::inRange<std::uint32_t>(1, 253), [](std::uint32_t code) {
    return make(OpKind::churn, 0, 0, code);
  });
  append(program.ops, *gen_body({{4, churn},
                                 {1, rc::gen::just(make(OpKind::iter_step))},
                                 {1, gen_shaped(OpKind::erase_key, 0, 64)},
                                 {1, gen_shaped(OpKind::insert, 0, 64)}}));
  program.ops.push_back(make(OpKind::iterate));
  expect_program_holds<Adapter>(program);
}

template <class Adapter>
void EraseWhileIteratingVisitsRest() {
  Program program = *gen_program_header(*rc::gen::element(UniverseKind::ints, UniverseKind::nan),
                                        gen_hash_policy());
  program.ops = {make(OpKind::insert_n, 0, 1, *rc::gen::inRange(1u, 64u)), make(OpKind::iter_open)};
  append(program.ops, *gen_body({{1, rc::gen::just(make(OpKind::iter_step))},
                                 {2, rc::gen::just(make(OpKind::erase_iterator))}}));
  append(program.ops, std::vector<Op>(100, make(OpKind::erase_iterator)));
  append(program.ops, drain(0));
  program.ops.push_back(make(OpKind::size));
  expect_program_holds<Adapter>(program);
}

// gomap only (reads gomap::debug): under delete-oldest/insert-new churn at constant size the table
// never doubles; same-size grows keep it compact (Go issue #16070, spec Appendix B).
template <class Adapter>
void ChurnAtConstantSizeKeepsBFixed() {
  if constexpr (kCaps<Adapter>.has(Capability::go_iteration)) {  // registered for gomap only
    using Map = typename adapter_traits<Adapter>::template map<
        std::int64_t, std::int64_t, gomap::Hash<std::int64_t>, std::equal_to<std::int64_t>>;
    const int size = *rc::gen::inRange(9, 200);
    const int rounds = *rc::gen::inRange(0, 3000);
    Map m;
    for (int k = 0; k < size; ++k) m[k] = k;
    const unsigned b = gomap::debug::B(m);
    for (int r = 0; r < rounds; ++r) {
      m.erase(r);
      m[size + r] = r;
      RC_ASSERT(gomap::debug::B(m) == b);
    }
    const auto violation = gomap::debug::check_invariants(m);
    RC_ASSERT(!violation.has_value());
  }
}

// G11: a map of 3, 7, 9 or 15 entries shows at least two orders within 100 re-iterations
// (Go's TestMapIterOrder).
template <class Adapter>
void IterationOrderIsRandomized() {
  using Map = typename adapter_traits<Adapter>::template map<
      std::int64_t, std::int64_t, std::hash<std::int64_t>, std::equal_to<std::int64_t>>;
  const int n = *rc::gen::element(3, 7, 9, 15);
  Map m;
  for (int k = 0; k < n; ++k) m[*rc::gen::inRange<std::int64_t>(0, 1 << 20)] = k;
  std::set<std::vector<std::int64_t>> orders;
  for (int i = 0; i < 100 && orders.size() < 2; ++i) {
    std::vector<std::int64_t> order;
    for (auto it = m.begin(); it != m.end(); ++it) order.push_back(it->first);
    orders.insert(order);
  }
  RC_ASSERT(m.size() < 2 || orders.size() >= 2);
}

// ---- registration ----
struct PropertyInfo {
  const char* name;
  Capability needs;
  const char* help;
};
inline constexpr PropertyInfo kProperties[] = {
#define MAPCHECK_PROPERTY(name, needs, help) {#name, Capability::needs, help},
#include "mapcheck/properties/properties.def"
#undef MAPCHECK_PROPERTY
};

// The property functions of one adapter, in properties.def order.
template <class Adapter>
inline constexpr void (*kPropertyFunctions[])() = {
#define MAPCHECK_PROPERTY(name, needs, help) &name<Adapter>,
#include "mapcheck/properties/properties.def"
#undef MAPCHECK_PROPERTY
};

// Runs property `index` with RapidCheck (RC_PARAMS configures it). Returns whether it held.
template <class Adapter>
bool check_property(std::size_t index) {
  return rc::check(kProperties[index].name, kPropertyFunctions<Adapter>[index]);
}

// Registers one GoogleTest test per property the map's capabilities make applicable.
template <class Adapter>
void register_properties(const char* suite) {
  for (std::size_t i = 0; i < std::size(kProperties); ++i) {
    if (!kCaps<Adapter>.has(kProperties[i].needs)) continue;
    testing::RegisterTest(suite, kProperties[i].name, nullptr, kProperties[i].help, __FILE__,
                          __LINE__, [i]() -> testing::Test* {
                            struct PropertyTest : testing::Test {
                              explicit PropertyTest(std::size_t index) : index_(index) {}
                              void TestBody() override {
                                EXPECT_TRUE(check_property<Adapter>(index_));
                              }
                              std::size_t index_;
                            };
                            return new PropertyTest(i);
                          });
  }
}

}  // namespace mapcheck::properties
