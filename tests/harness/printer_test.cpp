// Tests of the reproducer printer (harness/include/mapcheck/printer.hpp) and of the helpers printed
// tests use (reproducer.hpp). That printed tests compile and pass on the correct maps is proved by
// printed_samples_test (print_samples.cpp); here: the printed lines say what the model says, the
// printer follows the interpreter's rules (capabilities, iteration rules, failing op), and the
// helpers' checks fire on wrong output.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#if defined(__GNUC__) && !defined(__clang__)
// GCC 12 at -O2 reports `_M_before_begin._M_nxt may be used uninitialized` inside
// std::optional<LostEraseMap>::emplace in the interpreter's copy_construct case, which LostErase
// (no capabilities) never runs: a false positive of the middle end, not silenced per line because
// it points into <bits/hashtable.h>.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <gtest/gtest.h>

#include <mapcheck/adapters/gomap.hpp>
#include <mapcheck/adapters/std_unordered_map.hpp>
#include <mapcheck/interpreter.hpp>
#include <mapcheck/printer.hpp>
#include <mapcheck/program.hpp>
#include <mapcheck/reproducer.hpp>

namespace {

using mapcheck::Op;
using mapcheck::OpKind;
using mapcheck::Program;
using mapcheck::UniverseKind;
using Gomap = mapcheck::adapters::Gomap;
using StdMap = mapcheck::adapters::StdUnorderedMap;

Op keyed(OpKind kind, int key, int value = 0) {
  Op op;
  op.kind = kind;
  op.key = static_cast<std::uint8_t>(key);
  op.value = static_cast<std::uint8_t>(value);
  return op;
}
Op plain(OpKind kind) { return keyed(kind, 0); }
Op on_slot(OpKind kind, int slot) {
  Op op = plain(kind);
  op.iter = static_cast<std::uint8_t>(slot);
  return op;
}
Op with_count(OpKind kind, int key, std::uint32_t count) {
  Op op = keyed(kind, key, 1);
  op.count = count;
  return op;
}
Op reserve(std::uint32_t code) { return with_count(OpKind::reserve, 0, code); }
Op churn(std::uint32_t code) { return with_count(OpKind::churn, 0, code); }

Program program(std::vector<Op> ops, UniverseKind universe = UniverseKind::ints) {
  Program p;
  p.universe = universe;
  p.hash_policy = mapcheck::HashPolicy::constant;
  p.hash_seed = 0xABC;
  p.random_seed = 0x123;
  p.ops = std::move(ops);
  return p;
}

template <class Adapter>
std::string print(const Program& p,
                  const std::optional<mapcheck::Failure>& failure = std::nullopt) {
  return mapcheck::print_reproducer<Adapter>(p, "Sample", "adapter.hpp", failure);
}

bool has(const std::string& text, std::string_view line) {
  return text.find(line) != std::string::npos;
}

std::size_t count(const std::string& text, std::string_view line) {
  std::size_t n = 0;
  for (auto at = text.find(line); at != std::string::npos; at = text.find(line, at + line.size()))
    ++n;
  return n;
}

// std::unordered_map declared like a map that keeps values in empty slots (no exact count).
struct LooseCount {
  static constexpr std::string_view name = "loose_count";
  static constexpr std::string_view cpp_name = "LooseCount";
  template <class K, class V, class H, class E, class A>
  using map = std::unordered_map<K, V, H, E, A>;
  static constexpr mapcheck::Capabilities capabilities =
      mapcheck::adapters::StdUnorderedMap::capabilities.without(
          mapcheck::Capability::exact_element_count);
};

// std::unordered_map whose erase(key) loses the erase: it removes nothing and says so. A planted
// bug for the printed expectations to contradict.
template <class K, class V, class H, class E, class A>
struct LostEraseMap : std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;
  using Base::Base;
  using Base::erase;
  std::size_t erase(const K&) { return 0; }
};
struct LostErase {
  static constexpr std::string_view name = "lost_erase";
  static constexpr std::string_view cpp_name = "LostErase";
  template <class K, class V, class H, class E, class A>
  using map = LostEraseMap<K, V, H, E, A>;
  static constexpr mapcheck::Capabilities capabilities = {};
};

}  // namespace

namespace {

// ---- the header ----

// The header names the map, universe, policy, seeds and failure, and lists the includes.
TEST(Printer, HeaderNamesTheRunAndTheIncludes) {
  const Program p = program({keyed(OpKind::insert, 1, 2)});
  mapcheck::Failure failure{0,       "insert(k=1, v=2)", "true",
                            "false", "insert result",    mapcheck::Check::results};
  const std::string text = print<Gomap>(p, failure);
  EXPECT_TRUE(has(text, "//   map          gomap (mapcheck::adapters::Gomap)\n"));
  EXPECT_TRUE(has(text, "//   universe     ints: std::int64_t keys\n"));
  EXPECT_TRUE(has(text, "//   hash policy  constant (every key hashes alike), seed 0xabc\n"));
  EXPECT_TRUE(has(text, "//   random seed  0x123"));
  EXPECT_TRUE(has(
      text,
      "//   failure      op #0 insert(k=1, v=2): insert result (expected true, observed false)\n"));
  EXPECT_TRUE(has(text, "//   #include <gtest/gtest.h>\n"));
  EXPECT_TRUE(has(text, "//   #include <mapcheck/reproducer.hpp>\n"));
  EXPECT_TRUE(has(text, "//   #include <adapter.hpp>\n"));
  EXPECT_TRUE(has(text, "TEST(MapcheckReproducer, Sample) {\n"));
  EXPECT_TRUE(has(text, "mapcheck::adapter_traits<mapcheck::adapters::Gomap>::seed(0x123ULL);"));
  EXPECT_TRUE(has(text, "const Hash hash(mapcheck::HashPolicy::constant, 0xabcULL);"));
  EXPECT_TRUE(
      has(text,
          "mapcheck::adapter_traits<mapcheck::adapters::Gomap>::map<Key, mapcheck::CountedValue, "
          "Hash, std::equal_to<Key>>;"));
  // The program's bytes, for mapcheck replay: universe 00, policy 01, then the seeds.
  EXPECT_TRUE(has(text, " 00 01 bc 0a 00 00 00 00 00 00 23 01"));
}

// Test names become C++ identifiers.
TEST(Printer, TestNameBecomesAnIdentifier) {
  const std::string text = mapcheck::print_reproducer<Gomap>(program({}), "finding 3/7", "a.hpp");
  EXPECT_TRUE(has(text, "TEST(MapcheckReproducer, finding_3_7) {"));
}

// Every row of ops.def prints its op comment (the printer has a case for each op kind).
TEST(Printer, EveryOpKindIsPrinted) {
  for (std::size_t kind = 0; kind < mapcheck::kOpCount; ++kind) {
    Op op = keyed(static_cast<OpKind>(kind), 1, 1);
    if (op.kind == OpKind::insert_n || op.kind == OpKind::erase_n) op.count = 2;
    const std::string text = print<Gomap>(program({keyed(OpKind::insert, 1, 1), op}));
    EXPECT_TRUE(has(text, "// op #1: " + mapcheck::describe(op) + "\n"))
        << mapcheck::kOps[kind].name;
    EXPECT_FALSE(has(text, "// skipped"))
        << mapcheck::kOps[kind].name;  // gomap declares everything
  }
}

// ---- what each op checks ----

// insert, try_emplace, insert_or_assign and m[k] = v: the result and the entry the model expects.
TEST(Printer, WritesCheckTheirResults) {
  const std::string text = print<Gomap>(program({
      keyed(OpKind::insert, 1, 10),
      keyed(OpKind::insert, 1, 11),
      keyed(OpKind::try_emplace, 2, 20),
      keyed(OpKind::try_emplace, 2, 21),
      keyed(OpKind::insert_or_assign, 3, 30),
      keyed(OpKind::insert_or_assign, 3, 31),
      keyed(OpKind::subscript_assign, 1, 12),
  }));
  EXPECT_TRUE(
      has(text, "  EXPECT_TRUE(mapcheck::reproducer::inserted(m.insert({1, 10}), 1, 10));\n"));
  EXPECT_TRUE(
      has(text, "  EXPECT_TRUE(mapcheck::reproducer::not_inserted(m.insert({1, 11}), 1, 10));\n"));
  EXPECT_TRUE(
      has(text, "  EXPECT_TRUE(mapcheck::reproducer::inserted(m.try_emplace(2, 20), 2, 20));\n"));
  EXPECT_TRUE(has(
      text, "  EXPECT_TRUE(mapcheck::reproducer::not_inserted(m.try_emplace(2, 21), 2, 20));\n"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(m.insert_or_assign(3, 30).second);\n"));
  EXPECT_TRUE(has(text, "  EXPECT_FALSE(m.insert_or_assign(3, 31).second);\n"));
  EXPECT_TRUE(has(text, "  m[1] = 12;\n"));
  EXPECT_TRUE(has(text, "  EXPECT_EQ(m.size(), 3u);\n"));
}

// insert_n and erase_n print one call per key, with the interpreter's wrap-around of key indices.
TEST(Printer, RunsOfKeysPrintOneCallPerKey) {
  const std::string text = print<StdMap>(
      program({with_count(OpKind::insert_n, 254, 3), with_count(OpKind::erase_n, 255, 3)}));
  EXPECT_TRUE(has(text,
                  "  EXPECT_TRUE(mapcheck::reproducer::inserted(m.insert({254, 1}), 254, 1));\n"
                  "  EXPECT_TRUE(mapcheck::reproducer::inserted(m.insert({255, 1}), 255, 1));\n"
                  "  EXPECT_TRUE(mapcheck::reproducer::inserted(m.insert({0, 1}), 0, 1));\n"
                  "  EXPECT_EQ(m.size(), 3u);\n"));
  EXPECT_TRUE(has(text,
                  "  EXPECT_EQ(m.erase(255), 1u);\n  EXPECT_EQ(m.erase(0), 1u);\n  "
                  "EXPECT_EQ(m.erase(1), 0u);\n"));
}

// erase, find, contains and size follow the model, and size() is checked after every op.
TEST(Printer, ReadsAndErasesFollowTheModel) {
  const std::string text = print<StdMap>(program({
      keyed(OpKind::insert, 4, 40),
      keyed(OpKind::find, 4),
      keyed(OpKind::contains, 4),
      keyed(OpKind::erase_key, 4),
      keyed(OpKind::erase_key, 4),
      keyed(OpKind::find, 4),
      keyed(OpKind::contains, 4),
      plain(OpKind::size),
  }));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(mapcheck::reproducer::find_returns(m, 4, 40));\n"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(m.contains(4));\n"));
  EXPECT_TRUE(has(text, "  EXPECT_EQ(m.erase(4), 1u);\n"));
  EXPECT_TRUE(has(text, "  EXPECT_EQ(m.erase(4), 0u);\n"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(mapcheck::reproducer::find_returns_end(m, 4));\n"));
  EXPECT_TRUE(has(text, "  EXPECT_FALSE(m.contains(4));\n"));
  std::size_t size_checks = 0;
  for (std::size_t at = text.find("EXPECT_EQ(m.size()"); at != std::string::npos;
       at = text.find("EXPECT_EQ(m.size()", at + 1))
    ++size_checks;
  EXPECT_EQ(size_checks, 8u);
}

// Copies, moves and swaps check both maps' contents by lookups; iterate compares sorted entries.
TEST(Printer, ContentsAreCheckedAfterCopiesMovesSwapsAndIterate) {
  const std::string text = print<Gomap>(program({
      keyed(OpKind::insert, 1, 10),
      plain(OpKind::copy_construct),
      plain(OpKind::swap),
      plain(OpKind::move_assign),
      plain(OpKind::iterate),
  }));
  EXPECT_TRUE(has(text, "  side.emplace(m);"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(mapcheck::reproducer::holds(*side, {{1, 10}}));\n"));
  EXPECT_TRUE(has(text, "    swap(m, *side);\n"));
  EXPECT_TRUE(has(text, "  *side = std::move(m);\n  m.clear();"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(mapcheck::reproducer::holds(m, {}));\n"));
  EXPECT_TRUE(has(
      text,
      "  EXPECT_EQ(mapcheck::reproducer::iterate(m), mapcheck::reproducer::entries<Map>({}));\n"));
}

// Keys are printed with Universe<U>::cpp; tagged keys keep the bits the model stored: gomap
// declares assign_updates_key (the overwrite stores the caller's bits), std::unordered_map does
// not.
TEST(Printer, TaggedOverwriteExpectsNewBitsOnlyWhenDeclared) {
  const Program p = program(
      {keyed(OpKind::insert, 2, 1), keyed(OpKind::insert_or_assign, 3, 5), keyed(OpKind::find, 2)},
      UniverseKind::tagged);
  EXPECT_TRUE(has(print<Gomap>(p),
                  "find_returns(m, mapcheck::TaggedKey{1, 0}, mapcheck::TaggedKey{1, 1}, 5)"));
  EXPECT_TRUE(has(print<StdMap>(p), "find_returns(m, mapcheck::TaggedKey{1, 0}, 5)"));
  const std::string large =
      print<Gomap>(program({keyed(OpKind::contains, 7)}, UniverseKind::large));
  EXPECT_TRUE(has(large, "m.contains(mapcheck::Universe<mapcheck::UniverseKind::large>::key(7))"));
  const std::string nan = print<Gomap>(program({keyed(OpKind::insert, 15, 1)}, UniverseKind::nan));
  EXPECT_TRUE(
      has(nan, "  EXPECT_TRUE(m.insert({std::numeric_limits<double>::quiet_NaN(), 1}).second);\n"));
}

// ---- the interpreter's rules ----

// An op whose capability the map does not declare is skipped, as the interpreter skips it.
TEST(Printer, UndeclaredCapabilitiesSkipTheirOps) {
  const std::string text =
      print<LostErase>(program({keyed(OpKind::subscript_assign, 1, 1), plain(OpKind::swap)}));
  EXPECT_TRUE(has(text,
                  "  // op #0: subscript_assign(k=1, v=1)\n  // skipped: the map does not declare "
                  "subscript\n"));
  EXPECT_TRUE(has(text, "  // skipped: the map does not declare swap\n"));
  EXPECT_FALSE(has(text, "m[1]"));
}

// reserve of an absurd size is reduced like the interpreter does unless absurd_reserve is declared.
TEST(Printer, AbsurdReserveNeedsItsCapability) {
  Op absurd = plain(OpKind::reserve);
  absurd.count = 255;
  EXPECT_TRUE(has(print<Gomap>(program({absurd})),
                  "mapcheck::reproducer::reserve(m, 18446744073709551615ULL);"));
  EXPECT_TRUE(has(print<StdMap>(program({absurd})), "mapcheck::reproducer::reserve(m, 20ULL);"));
}

// Under the standard iteration rules a write ends the open iterations (printed as a comment and a
// final check); under Go's rules they go on.
TEST(Printer, WritesEndIterationsOnlyUnderStandardRules) {
  const Program p = program({keyed(OpKind::insert, 1, 1), on_slot(OpKind::iter_open, 0),
                             keyed(OpKind::insert, 2, 2), on_slot(OpKind::iter_step, 0)});
  const std::string standard = print<StdMap>(p);
  EXPECT_TRUE(
      has(standard,
          "// it0 ends: the op is a write to m (standard iteration rules); it is not used again."));
  EXPECT_TRUE(has(standard, "  it0.close();\n"));
  EXPECT_TRUE(has(standard, "  // op #3: iter_step(it0)\n  // nothing to do: it0 is not open\n"));
  const std::string go = print<Gomap>(p);
  EXPECT_FALSE(has(go, "it0 ends"));
  EXPECT_TRUE(has(go, "  it0.step(3);\n"));
  EXPECT_TRUE(has(go, "// it0 is still open at the end of the program."));
}

// An iteration is judged against the lifetimes of the entries while it was open:
// {instance, key, value, from op, until op}.
TEST(Printer, IterationsAreJudgedAgainstEntryLifetimes) {
  const std::string text = print<Gomap>(program({
      keyed(OpKind::insert, 1, 10),            // instance 1
      keyed(OpKind::insert, 2, 20),            // instance 2
      on_slot(OpKind::iter_open, 0),           // op 2
      keyed(OpKind::insert_or_assign, 1, 11),  // op 3: instance 1 gets value 11
      keyed(OpKind::erase_key, 2),             // op 4: instance 2 ends
      keyed(OpKind::insert, 3, 30),            // op 5: instance 3 starts
      on_slot(OpKind::iter_close, 0),          // op 6
  }));
  EXPECT_TRUE(has(text, "  it0.open(m, 2);\n"));
  EXPECT_TRUE(has(text,
                  "  EXPECT_TRUE(it0.obeys_guarantees({\n"
                  "      {1, 1, 10, 2, 3},\n"
                  "      {1, 1, 11, 3, 6},\n"
                  "      {2, 2, 20, 2, 4},\n"
                  "      {3, 3, 30, 5, 6}\n"
                  "  }));\n"
                  "  it0.close();\n"));
}

// erase(it) prints the entry the map's iterator was on when printing, ASSERTed before erasing.
TEST(Printer, EraseAtIteratorPinsTheRecordedEntry) {
  const std::string text = print<StdMap>(program({
      keyed(OpKind::insert, 5, 50),
      on_slot(OpKind::iter_open, 0),
      on_slot(OpKind::erase_iterator, 0),
      on_slot(OpKind::erase_iterator, 0),
  }));
  EXPECT_TRUE(has(text, "  ASSERT_TRUE(it0.is_on(5, 50));\n  it0.erase(2);\n"));
  EXPECT_TRUE(
      has(text, "  // op #3: erase_iterator(it0)\n  // nothing to do: it0 has reached its end"));
  EXPECT_TRUE(has(text, "  ASSERT_TRUE(it0.finished());\n"));
}

// With a failure, the test stops after the failing op, as the run did.
TEST(Printer, FailureStopsTheTestAfterTheFailingOp) {
  const Program p =
      program({keyed(OpKind::insert, 1, 1), keyed(OpKind::erase_key, 1), keyed(OpKind::find, 1)});
  const std::string text = print<Gomap>(
      p,
      mapcheck::Failure{1, "erase_key(k=1)", "1", "0", "erase result", mapcheck::Check::results});
  EXPECT_TRUE(has(text, "// op #1: erase_key(k=1)"));
  EXPECT_FALSE(has(text, "// op #2"));
  EXPECT_TRUE(has(text, "3 ops (the test stops after the failing op #1)"));
}

// ---- the element and table checks, repeated where one of them failed ----

mapcheck::Failure failed(const Program& p, mapcheck::Check check) {
  mapcheck::Failure failure;
  failure.op_index = p.ops.size() - 1;
  failure.broke = "sample";
  failure.check = check;
  return failure;
}

const std::vector<std::string_view> kRepeatedChecks = {"mapcheck::value_census() = {};",
                                                       "values_match(",
                                                       "values_sound(",
                                                       "no_values_left()",
                                                       "ValueAddresses<Map>",
                                                       ".unchanged(",
                                                       "mapcheck::reproducer::capacity<",
                                                       "reserved_capacity"};

// A result failure (or none) prints none of the element and table checks.
TEST(Printer, OtherFailuresDoNotRepeatElementOrTableChecks) {
  const Program p =
      program({keyed(OpKind::insert, 1, 10), reserve(10), keyed(OpKind::insert, 2, 20), churn(5)});
  for (const std::string& text :
       {print<StdMap>(p), print<StdMap>(p, failed(p, mapcheck::Check::results)),
        print<StdMap>(p, failed(p, mapcheck::Check::structure))}) {
    for (const std::string_view check : kRepeatedChecks) EXPECT_FALSE(has(text, check)) << check;
  }
}

// Value lifetimes: counted from the start, checked after every op, and after both maps are gone;
// the exact count only where the map declares exact_element_count.
TEST(Printer, ElementFailureChecksValuesAfterEveryOpAndAtTheEnd) {
  const Program p = program({keyed(OpKind::insert, 1, 10), plain(OpKind::copy_construct),
                             on_slot(OpKind::iter_open, 0), keyed(OpKind::find, 1)});
  const std::string text = print<StdMap>(p, failed(p, mapcheck::Check::elements));
  EXPECT_TRUE(has(text, "  mapcheck::value_census() = {};"));
  EXPECT_TRUE(has(text, "  Map& m = *owner;\n"));
  EXPECT_EQ(count(text, "  EXPECT_TRUE(mapcheck::reproducer::values_match(m, *side));\n"), 4u);
  EXPECT_TRUE(has(text,
                  "  it0.close();\n  side.reset();\n  owner.reset();\n"
                  "  EXPECT_TRUE(mapcheck::reproducer::no_values_left());\n}"));
  // A map that keeps values in empty slots promises no exact count: only lifetimes are checked.
  const std::string loose = print<LooseCount>(p, failed(p, mapcheck::Check::elements));
  EXPECT_FALSE(has(loose, "values_match("));
  EXPECT_EQ(count(loose, "  EXPECT_TRUE(mapcheck::reproducer::values_sound());\n"), 4u);
  // A failure before the end stops there: the maps are not destroyed in the test.
  mapcheck::Failure early = failed(p, mapcheck::Check::elements);
  early.op_index = 1;
  EXPECT_FALSE(has(print<StdMap>(p, early), "no_values_left"));
}

// Stable references: every write compares the entries' addresses with the last ones; a copy into
// a map makes new values, and a swap takes the records along.
TEST(Printer, ReferenceFailureComparesAddressesAfterEveryWrite) {
  const Program p =
      program({keyed(OpKind::insert, 1, 10), keyed(OpKind::find, 1), keyed(OpKind::insert, 2, 20),
               plain(OpKind::copy_construct), plain(OpKind::swap), keyed(OpKind::erase_key, 1)});
  const std::string text = print<StdMap>(p, failed(p, mapcheck::Check::references));
  EXPECT_TRUE(has(text, "  mapcheck::reproducer::ValueAddresses<Map> m_values, side_values;\n"));
  EXPECT_TRUE(
      has(text, "  EXPECT_EQ(m.size(), 1u);\n  EXPECT_TRUE(m_values.unchanged(m, {1}));\n"));
  EXPECT_EQ(count(text, "m_values.unchanged(m, {1})"), 1u);  // not after find, a read
  EXPECT_TRUE(has(text, "  side_values.forget();  // new values\n"));
  EXPECT_TRUE(has(text, "  swap(m_values, side_values);"));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(m_values.unchanged(m, {2}));\n"));  // after the erase
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(side_values.unchanged(*side, {1, 2}));\n"));
}

// Bounded capacity and reserve: the capacity is compared at the failing op, with the bound the
// interpreter used (32 x the largest size or reservation + 256) or the capacity right after the
// last reserve.
TEST(Printer, CapacityFailuresCompareTheCapacityAtTheFailingOp) {
  const Program churned =
      program({keyed(OpKind::insert, 1, 10), reserve(10), keyed(OpKind::erase_key, 1), churn(5)});
  const std::string bounded = print<StdMap>(churned, failed(churned, mapcheck::Check::capacity));
  EXPECT_EQ(count(bounded, "EXPECT_LE(mapcheck::reproducer::capacity<"), 2u);  // m and side
  EXPECT_TRUE(has(bounded,
                  "EXPECT_LE(mapcheck::reproducer::capacity<mapcheck::adapters::"
                  "StdUnorderedMap>(m), 1536u)\n"
                  "      << \"bounded capacity: at most 32 x 40 (m's largest size or "
                  "reservation) + 256\";"));
  EXPECT_TRUE(has(bounded, "(*side), 256u)"));

  const Program reserved = program(
      {reserve(1), reserve(10), keyed(OpKind::insert, 1, 10), with_count(OpKind::insert_n, 2, 5)});
  const std::string text = print<StdMap>(reserved, failed(reserved, mapcheck::Check::reservation));
  EXPECT_EQ(count(text, "const std::size_t reserved_capacity"), 1u);
  EXPECT_TRUE(has(text,
                  "  mapcheck::reproducer::reserve(m, 40ULL);  // length_error / bad_alloc "
                  "allowed\n  const std::size_t reserved_capacity ="));
  EXPECT_EQ(count(text, "reserved_capacity)"), 1u);  // at the failing op only
  EXPECT_TRUE(has(text, "  // op #3: insert_n(k=2, n=5)"));
}

// ---- a planted bug ----

// The printed expectations come from the model, not from the map: for a map that loses erases, the
// interpreter finds the failure, and the printed EXPECTs contradict what that map returns, so the
// test fails on it. (printed_zoo_test compiles printed tests of planted bugs and runs them.)
TEST(Printer, PrintedExpectationsContradictALostErase) {
  const Program p =
      program({keyed(OpKind::insert, 1, 10), keyed(OpKind::erase_key, 1),
               keyed(OpKind::contains, 1), keyed(OpKind::find, 1), plain(OpKind::iterate)});
  const auto failure = mapcheck::run_program<LostErase>(p);
  ASSERT_TRUE(failure.has_value());
  EXPECT_EQ(failure->op_index, 1u);
  EXPECT_TRUE(
      has(print<LostErase>(p, failure), "//   failure      op #1 erase_key(k=1): erase result"));

  const std::string text = print<LostErase>(p);  // every op, to compare each with the broken map
  using Key = std::int64_t;
  using Hash = mapcheck::PolicyHash<Key, mapcheck::IdOf<UniverseKind::ints>>;
  using Map = mapcheck::adapter_traits<LostErase>::map<Key, std::int64_t, Hash, std::equal_to<Key>>;
  Map m(0, Hash(p.hash_policy, p.hash_seed), std::equal_to<Key>());
  m.insert({1, 10});
  const std::size_t erased = m.erase(1);
  EXPECT_TRUE(has(text, "  EXPECT_EQ(m.erase(1), 1u);\n"));
  EXPECT_FALSE(has(text, "  EXPECT_EQ(m.erase(1), " + std::to_string(erased) + "u);\n"));
  EXPECT_TRUE(has(text, "  EXPECT_EQ(m.size(), 0u);\n"));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_TRUE(has(text, "  EXPECT_FALSE(m.contains(1));\n"));
  EXPECT_TRUE(m.contains(1));
  EXPECT_TRUE(has(text, "  EXPECT_TRUE(mapcheck::reproducer::find_returns_end(m, 1));\n"));
  EXPECT_FALSE(mapcheck::reproducer::find_returns_end(m, 1));
  EXPECT_TRUE(
      has(text, "mapcheck::reproducer::iterate(m), mapcheck::reproducer::entries<Map>({})"));
  EXPECT_NE(mapcheck::reproducer::iterate(m), mapcheck::reproducer::entries<Map>({}));
}

// ---- the helpers printed tests use ----

using IntMap = std::unordered_map<std::int64_t, std::int64_t>;

// Contents helpers compare key bits and values and describe the difference.
TEST(ReproducerHelpers, ContentChecksFireOnWrongContents) {
  IntMap m{{1, 10}, {2, 20}};
  EXPECT_TRUE(mapcheck::reproducer::holds(m, {{1, 10}, {2, 20}}));
  const auto wrong_value = mapcheck::reproducer::holds(m, {{1, 10}, {2, 21}});
  EXPECT_FALSE(wrong_value);
  EXPECT_TRUE(has(wrong_value.message(), "find(2) is {2, 20}, expected {2, 21}"));
  EXPECT_FALSE(mapcheck::reproducer::holds(m, {{1, 10}}));
  EXPECT_EQ(mapcheck::reproducer::iterate(m),
            (mapcheck::reproducer::entries<IntMap>({{2, 20}, {1, 10}})));
  EXPECT_TRUE(mapcheck::reproducer::inserted(m.insert({3, 30}), 3, 30));
  EXPECT_FALSE(mapcheck::reproducer::inserted(m.insert({3, 31}), 3, 31));
  EXPECT_TRUE(mapcheck::reproducer::not_inserted(m.insert({3, 31}), 3, 30));
  EXPECT_FALSE(mapcheck::reproducer::find_returns(m, 3, 31));

  std::unordered_map<mapcheck::TaggedKey, std::int64_t> tagged{{mapcheck::TaggedKey{1, 1}, 5}};
  EXPECT_TRUE(mapcheck::reproducer::find_returns(tagged, mapcheck::TaggedKey{1, 0},
                                                 mapcheck::TaggedKey{1, 1}, 5));
  EXPECT_FALSE(
      mapcheck::reproducer::find_returns(tagged, mapcheck::TaggedKey{1, 0}, 5));  // other bits
}

// The value checks fire on a double destruction, a value the maps do not account for, and a value
// left alive.
TEST(ReproducerHelpers, ValueChecksFireOnLifetimeErrors) {
  mapcheck::value_census() = {};
  const IntMap none;
  std::optional<mapcheck::CountedValue> held(std::in_place, 7);
  EXPECT_FALSE(mapcheck::reproducer::values_match(none, none));
  EXPECT_TRUE(has(mapcheck::reproducer::values_match(none, none).message(),
                  "1 values are alive, but the maps hold 0 entries"));
  EXPECT_FALSE(mapcheck::reproducer::no_values_left());
  held.reset();
  EXPECT_TRUE(mapcheck::reproducer::values_match(none, none));
  EXPECT_TRUE(mapcheck::reproducer::no_values_left());

  alignas(mapcheck::CountedValue) unsigned char storage[sizeof(mapcheck::CountedValue)];
  auto* value = new (storage) mapcheck::CountedValue(1);
  value->~CountedValue();
  value->~CountedValue();  // the planted bug: a second destruction, which the census records
  const auto sound = mapcheck::reproducer::values_sound();
  EXPECT_FALSE(sound);
  EXPECT_TRUE(has(sound.message(), "destroyed after its destructor ran"));
  mapcheck::value_census() = {};
}

// ValueAddresses fires when an entry's value is somewhere else than at the last check, and only
// for entries it saw before.
TEST(ReproducerHelpers, AddressChecksFireWhenValuesMove) {
  std::unordered_map<std::int64_t, mapcheck::CountedValue> m{{1, 10}};
  mapcheck::reproducer::ValueAddresses<decltype(m)> addresses;
  EXPECT_TRUE(addresses.unchanged(m, {1}));
  m.insert({2, 20});
  m.rehash(1000);  // node-based: rehashing relinks the nodes, the values stay put
  EXPECT_TRUE(addresses.unchanged(m, {1, 2}));
  auto copy = m;  // the same keys, other objects
  const auto moved = addresses.unchanged(copy, {1, 2});
  EXPECT_FALSE(moved);
  EXPECT_TRUE(has(moved.message(), "the value of 1 moved from"));
  addresses.forget();
  EXPECT_TRUE(addresses.unchanged(m, {1, 2}));
}

// A map whose iteration yields a scripted sequence, to make Iteration see wrong output.
struct ScriptedMap {
  using key_type = std::int64_t;
  using Items = std::vector<std::pair<const std::int64_t, std::int64_t>>;
  using iterator = Items::iterator;
  Items items;
  iterator begin() { return items.begin(); }
  iterator end() { return items.end(); }
  iterator erase(iterator it) { return it + 1; }  // the judge only sees what the iteration yields
};
using Lifetime = mapcheck::reproducer::Iteration<ScriptedMap>::Lifetime;

// Runs a whole iteration over `items`, opened at op 0, one step per op, and judges it.
::testing::AssertionResult judge(ScriptedMap::Items items, const std::vector<Lifetime>& lifetimes) {
  ScriptedMap m{std::move(items)};
  mapcheck::reproducer::Iteration<ScriptedMap> it;
  it.open(m, 0);
  for (std::size_t op = 1; op <= m.items.size(); ++op) it.step(op);
  EXPECT_TRUE(it.finished());
  return it.obeys_guarantees(lifetimes);
}

// Iteration::obeys_guarantees accepts legal output and names the guarantee each wrong output
// breaks.
TEST(ReproducerHelpers, IterationJudgeNamesTheBrokenGuarantee) {
  const std::vector<Lifetime> two = {{1, 1, 10, 0, 9}, {2, 2, 20, 0, 9}};
  EXPECT_TRUE(judge({{2, 20}, {1, 10}}, two));
  EXPECT_TRUE(has(judge({{1, 10}}, two).message(), "G1:"));                    // 2 never produced
  EXPECT_TRUE(has(judge({{1, 10}, {1, 10}, {2, 20}}, two).message(), "G2:"));  // 1 twice
  EXPECT_TRUE(has(judge({{1, 10}, {2, 21}}, two).message(), "G3/G5:"));        // stale value
  EXPECT_TRUE(has(judge({{1, 10}, {3, 30}}, two).message(), "G3/G5:"));        // never live
  EXPECT_TRUE(has(judge({{1, 10}}, {{3, 3, 30, 5, 9}}).message(), "G9:"));     // empty at open
  // Produced at op 2, after instance 2 ended at op 1: not live when produced.
  EXPECT_TRUE(
      has(judge({{1, 10}, {2, 20}}, {{1, 1, 10, 0, 9}, {2, 2, 20, 0, 1}}).message(), "G3/G5:"));
  // A key erased and inserted again is a new instance: it may come twice.
  EXPECT_TRUE(judge({{1, 10}, {1, 10}}, {{1, 1, 10, 0, 1}, {2, 1, 10, 1, 9}}));
  // An entry inserted after open need not come (G1 is about entries live since open).
  EXPECT_TRUE(judge({{1, 10}}, {{1, 1, 10, 0, 9}, {2, 2, 20, 1, 9}}));
}

// A closed iteration is judged on what it produced; G1 applies only to one that reached its end.
TEST(ReproducerHelpers, ClosedIterationOwesNothing) {
  ScriptedMap m{{{1, 10}, {2, 20}}};
  mapcheck::reproducer::Iteration<ScriptedMap> it;
  it.open(m, 0);
  EXPECT_TRUE(it.is_on(1, 10));
  EXPECT_FALSE(it.is_on(2, 20));
  it.close();
  it.step(1);  // nothing: closed
  EXPECT_FALSE(it.finished());
  EXPECT_TRUE(it.obeys_guarantees({{1, 1, 10, 0, 9}, {2, 2, 20, 0, 9}}));
}

}  // namespace
