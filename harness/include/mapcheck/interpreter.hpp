// The interpreter: runs a Program on a map (through its adapter) and on the models, compares every
// observable result after every op, runs the structural checks, and stops at the first
// disagreement with a Failure naming the op, the expected and observed results and what broke.
// Every engine (RapidCheck properties, fuzzers, replay) runs programs through this one class.
//
// Two maps take part: `m`, which ops act on, and `side`, the target of copies, moves and swaps (so
// assignments go into non-empty maps too). Up to kIteratorSlots iterations can be open at once;
// each remembers which map it iterates. Under the standard iteration rules a mutation ends every
// open iteration of that map except the one erase(it) continues; under Go's rules they go on.
//
// Beyond the results, every op is checked against what the map's profile promises about its
// elements and its table (each check fires only where the promise is declared, or where the
// property holds for every hash map):
//   element lifetimes   values are CountedValue (counted_value.hpp): no double destruction or use
//                       after destruction, ever; the maps hold exactly m.size() + side.size() live
//                       values (exact_element_count); nothing is left alive when both are
//                       destroyed.
//   stable references   the address of each entry's value stays until the entry is erased
//                       (stable_references).
//   reserve             after reserve(n), inserts that keep size() <= n leave the capacity as it
//   was
//                       (reserve_keeps_buckets).
//   bounded capacity    the capacity never exceeds kCapacityFactor times the largest size or
//                       reservation the map has had: churn at a constant size (insert new keys,
//                       erase old ones) must not grow the table without end. Every map whose
//                       capacity is observable (adapter_traits::capacity).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mapcheck/adapter.hpp"
#include "mapcheck/counted_value.hpp"
#include "mapcheck/hashers.hpp"
#include "mapcheck/models/iteration.hpp"
#include "mapcheck/models/sequential.hpp"
#include "mapcheck/op.hpp"
#include "mapcheck/program.hpp"
#include "mapcheck/universe.hpp"

namespace mapcheck {

// Which kind of check a failure comes from. The printer repeats the element and table checks in a
// reproducer only when one of them is what failed (printer.hpp).
enum class Check {
  results,     // a return value or the contents differ from the model's
  structure,   // the adapter's structural checks (gomap's invariants and growth states)
  elements,    // value lifetimes, exact_element_count, values left alive at the end
  references,  // stable_references
  capacity,    // the bounded capacity
  reservation  // reserve_keeps_buckets
};

struct Failure {
  std::size_t op_index = 0;  // index into Program::ops
  std::string op;            // the op as text
  std::string expected;
  std::string observed;
  std::string broke;  // the guarantee, invariant or contract that failed
  Check check = Check::results;

  std::string to_string() const {
    std::ostringstream out;
    out << "op #" << op_index << " " << op << ": " << broke;
    if (!expected.empty() || !observed.empty())
      out << " (expected " << expected << ", observed " << observed << ")";
    return out.str();
  }
};

// The op as text, e.g. "insert_or_assign(k=3, v=7)".
inline std::string describe(const Op& op) {
  std::ostringstream out;
  out << info(op.kind).name << '(';
  switch (info(op.kind).operands) {
    case Operands::none:
      break;
    case Operands::key:
      out << "k=" << int(op.key);
      break;
    case Operands::key_value:
      out << "k=" << int(op.key) << ", v=" << int(op.value);
      break;
    case Operands::key_count:
      out << "k=" << int(op.key) << ", n=" << op.count;
      break;
    case Operands::iter:
      out << "it" << int(op.iter);
      break;
    case Operands::count:
      out << "n="
          << (op.kind == OpKind::churn ? churn_length(op.count) : reserve_argument(op.count));
      break;
    case Operands::target:
      out << (op.self ? "self" : "side");
      break;
  }
  out << ')';
  return out.str();
}

// The program as text: its choices on one line, then one numbered op per line.
inline std::string describe(const Program& program) {
  std::ostringstream out;
  out << "universe=" << kUniverses[static_cast<int>(program.universe)].name
      << " hash=" << kHashPolicies[static_cast<int>(program.hash_policy)].name
      << " hash_seed=" << program.hash_seed << " random_seed=" << program.random_seed << '\n';
  for (std::size_t i = 0; i < program.ops.size(); ++i)
    out << "  #" << i << ' ' << describe(program.ops[i]) << '\n';
  return out.str();
}

template <class Adapter, UniverseKind U>
class Interpreter {
 public:
  using Uni = Universe<U>;
  using Key = typename Uni::Key;
  using Value = CountedValue;
  using Hash = PolicyHash<Key, IdOf<U>>;
  using Map = typename adapter_traits<Adapter>::template map<Key, Value, Hash, std::equal_to<Key>>;
  using Iterator = typename Map::iterator;
  static constexpr Capabilities kCaps = adapter_traits<Adapter>::capabilities;
  static_assert(!kCaps.has(Capability::reserve_keeps_buckets) ||
                    adapter_traits<Adapter>::template has_capacity<Map>,
                "mapcheck adapter: reserve_keeps_buckets is checked through the capacity: give the "
                "map bucket_count() or the adapter `template <class M> static std::size_t "
                "capacity(const M&)`");

  // A map's capacity may reach this many times the largest size (or reservation) it has had, plus
  // kCapacitySlack: loose enough for every sound growth policy (hopscotch maps under collisions
  // rehash down to a tenth full), tight enough that a table growing with the number of inserts
  // rather than with its size crosses it within one program of churn.
  static constexpr std::size_t kCapacityFactor = 32;
  static constexpr std::size_t kCapacitySlack = 256;
  // reserve(n) for n above this is an absurd size: ignored or refused, and it promises nothing.
  static constexpr std::uint64_t kOrdinaryReserve = std::uint64_t{1} << 20;

  explicit Interpreter(const Program& program)
      : hash_(program.hash_policy, program.hash_seed),
        models_{models::SequentialModel(facts()), models::SequentialModel(facts())} {
    value_census() = ValueCensus{};
    adapter_traits<Adapter>::seed(program.random_seed);
    maps_[0].emplace(0, hash_, std::equal_to<Key>());
    maps_[1].emplace(0, hash_, std::equal_to<Key>());
  }

  // Runs one op (op_index is for the report). Returns the first violation.
  std::optional<Failure> step(const Op& op, std::size_t op_index) {
    index_ = op_index;
    current_ = op;
    if (!supported(op)) return std::nullopt;
    if (info(op.kind).mutates && !kCaps.has(Capability::go_iteration)) {
      const int keep = op.kind == OpKind::erase_iterator ? op.iter : -1;
      end_iterations_of(0, keep);
    }
    if (info(op.kind).mutates && !keeps_reservation(op.kind)) reservation_.reset();
    std::optional<Failure> failure = dispatch(op);
    if (!failure) failure = check_structures();
    if (!failure) failure = check_size(0);
    if (!failure) failure = check_elements();
    if (!failure && info(op.kind).mutates) failure = check_tables();
    return failure;
  }

  // Destroys both maps (iterators first) and checks that no value outlived them.
  std::optional<Failure> finish() {
    for (OpenIteration& open : iterations_) close(open);
    maps_[0].reset();
    maps_[1].reset();
    if (auto f = check_lifetimes()) return f;
    if (value_census().live() != 0)
      return Failure{index_,
                     "end of the program (both maps destroyed)",
                     "0",
                     std::to_string(value_census().live()),
                     "element lifetime: values constructed by the maps and never destroyed",
                     Check::elements};
    return std::nullopt;
  }

  // Runs a whole program; observe(map(), op) after each op that held.
  template <class Observer>
  static std::optional<Failure> run(const Program& program, Observer&& observe) {
    Interpreter interpreter(program);
    for (std::size_t i = 0; i < program.ops.size(); ++i) {
      if (auto failure = interpreter.step(program.ops[i], i)) return failure;
      observe(interpreter.map(), program.ops[i]);
    }
    return interpreter.finish();
  }

  // Reports whether the op can run on this map at all (its capability is declared).
  static bool supported(const Op& op) { return kCaps.has(info(op.kind).needs); }

  const Map& map() const { return *maps_[0]; }

 private:
  struct OpenIteration {
    std::optional<Iterator> it;
    int map = 0;  // 0: m, 1: side
    models::IterationModel model;
    std::uint64_t positioned_at =
        0;  // mutations_ when it last moved: *it is valid only until the next
  };

  static models::KeyFacts facts() { return {&Uni::canonical, &Uni::reflexive}; }

  std::optional<Failure> dispatch(const Op& op) {
    Map& m = *maps_[0];
    switch (op.kind) {
      case OpKind::insert:
        return insert_like(op, [&](const Key& k, Value v) { return m.insert({k, v}); });
      case OpKind::try_emplace:
        return insert_like(op, [&](const Key& k, Value v) { return m.try_emplace(k, v); });
      case OpKind::insert_or_assign:
        return assign_like(op, /*subscript=*/false);
      case OpKind::subscript_assign:
        return assign_like(op, /*subscript=*/true);
      case OpKind::erase_key:
        return erase_key(op.key);
      case OpKind::erase_iterator:
        // Each op a map may lack is compiled only for maps that declare it (std_like.hpp detects).
        if constexpr (kCaps.has(Capability::erase_iterator)) return erase_iterator(op.iter);
        return std::nullopt;
      case OpKind::find:
        return find(op.key);
      case OpKind::contains:
        return expect_equal(m.contains(Uni::key(op.key)), models_[0].find(op.key).has_value(),
                            "contains");
      case OpKind::size:
        return expect_equal(m.size(), models_[0].size(), "size");
      case OpKind::clear: {
        m.clear();
        models::Effects& effects = fresh_effects();
        models_[0].clear(effects);
        return after_mutation(0, effects, StepKind::clear, nullptr);
      }
      case OpKind::reserve:
        if constexpr (kCaps.has(Capability::reserve)) return reserve(op.count);
        return std::nullopt;
      case OpKind::copy_construct:
        if constexpr (kCaps.has(Capability::copy)) {
          end_iterations_of(1, -1);
          maps_[1].reset();
          maps_[1].emplace(m);
          return after_replacement(1, models_[0], "copy construction");
        }
        return std::nullopt;
      case OpKind::copy_assign:
        if constexpr (kCaps.has(Capability::copy)) {
          if (op.self) {
            end_iterations_of(0, -1);
            m = *maps_[0];  // self-assignment through a reference the compiler cannot see through
            return after_replacement(0, models_[0], "self copy-assignment");
          }
          end_iterations_of(1, -1);
          *maps_[1] = m;
          return after_replacement(1, models_[0], "copy assignment");
        }
        return std::nullopt;
      case OpKind::move_construct:
      case OpKind::move_assign:
        if constexpr (kCaps.has(Capability::move)) return move(op);
        return std::nullopt;
      case OpKind::swap:
        if constexpr (kCaps.has(Capability::swap)) return swap_maps();
        return std::nullopt;
      case OpKind::iterate:
        return iterate();
      case OpKind::iter_open:
        return iter_open(op.iter);
      case OpKind::iter_step:
        return iter_step(op.iter);
      case OpKind::iter_close:
        close(iterations_[op.iter]);
        return std::nullopt;
      case OpKind::churn:
        return churn(op.count);
      case OpKind::insert_n:
      case OpKind::erase_n:
        for (std::uint32_t j = 0; j < op.count; ++j) {
          const auto key = static_cast<std::uint8_t>(op.key + j);
          auto f = op.kind == OpKind::insert_n ? insert_like(Op{OpKind::insert, key, op.value},
                                                             [&](const Key& k, Value v) {
                                                               return m.insert({k, v});
                                                             })
                                               : erase_key(key);
          if (f) return f;
        }
        return std::nullopt;
    }
    return std::nullopt;
  }

  std::optional<Failure> move(const Op& op) {
    Map& m = *maps_[0];
    end_iterations_of(0, -1);
    end_iterations_of(1, -1);
    if (op.kind == OpKind::move_construct) {
      maps_[1].reset();
      maps_[1].emplace(std::move(m));
    } else {
      *maps_[1] = std::move(m);
    }
    m.clear();  // a moved-from map is valid but unspecified: clear() makes it known (empty)
    m = Map(0, hash_, std::equal_to<Key>());  // and the program's hash policy applies to it again
    const models::SequentialModel moved = models_[0];
    models::Effects& effects = fresh_effects();
    models_[0].clear(effects);
    if (auto f = after_replacement(0, models_[0], "moved-from map after clear()")) return f;
    return after_replacement(1, moved, "move");
  }

  std::optional<Failure> swap_maps() {
    using std::swap;
    swap(*maps_[0], *maps_[1]);
    swap(models_[0], models_[1]);
    swap(structure_[0], structure_[1]);
    swap(addresses_[0], addresses_[1]);
    swap(peak_[0], peak_[1]);
    for (OpenIteration& open : iterations_) {
      if (!open.it) continue;
      if (kCaps.has(Capability::iterators_follow_swap)) {
        open.map = 1 - open.map;
      } else {
        close(open);
      }
    }
    if (auto f = check_contents(0, "swap")) return f;
    return check_contents(1, "swap");
  }

  // ---- writes ----
  template <class Insert>
  std::optional<Failure> insert_like(const Op& op, Insert&& insert) {
    models::Effects& effects = fresh_effects();
    const bool expected = models_[0].insert(op.key, op.value, effects);
    const auto [it, inserted] = insert(Uni::key(op.key), op.value);
    if (inserted != expected) return fail("insert result", expected, inserted);
    const auto entry = models_[0].find(op.key);
    if (entry && !same_entry(it->first, it->second, *entry))
      return fail("iterator returned by insert", show(*entry),
                  show_observed(it->first, it->second));
    return after_mutation(0, effects, inserted ? StepKind::add_key : StepKind::write, &op.key);
  }

  std::optional<Failure> assign_like(const Op& op, bool subscript) {
    Map& m = *maps_[0];
    models::Effects& effects = fresh_effects();
    const bool expected =
        models_[0].assign(op.key, op.value, kCaps.has(Capability::assign_updates_key), effects);
    bool inserted = expected;
    if (subscript) {
      if constexpr (requires { m[Uni::key(op.key)]; }) m[Uni::key(op.key)] = op.value;
    } else {
      inserted = m.insert_or_assign(Uni::key(op.key), op.value).second;
      if (inserted != expected) return fail("insert_or_assign result", expected, inserted);
    }
    return after_mutation(0, effects, expected ? StepKind::add_key : StepKind::write, &op.key);
  }

  std::optional<Failure> erase_key(std::uint8_t key) {
    const bool empty_before = models_[0].size() == 0;
    models::Effects& effects = fresh_effects();
    const std::size_t expected = models_[0].erase(key, effects);
    const std::size_t erased = maps_[0]->erase(Uni::key(key));
    if (erased != expected) return fail("erase result", expected, erased);
    return after_mutation(0, effects, empty_before ? StepKind::read : StepKind::write, &key);
  }

  std::optional<Failure> erase_iterator(std::uint8_t slot) {
    OpenIteration& open = iterations_[slot];
    if (!open.it || *open.it == maps_[open.map]->end()) return std::nullopt;
    if (open.positioned_at != mutations_)
      return std::nullopt;  // *it is stale: erase(it) is undefined
    Map& m = *maps_[open.map];
    const auto entry = match(open.map, (*open.it)->first, (*open.it)->second);
    if (!entry)
      return fail("erase(it) on an entry the model does not hold", "a live entry",
                  show_observed((*open.it)->first, (*open.it)->second));
    models::Effects& effects = fresh_effects();
    models_[open.map].erase_instance(entry->instance, effects);
    const std::uint8_t key = entry->key;
    open.it = m.erase(*open.it);
    if (auto f = after_mutation(open.map, effects, StepKind::write, &key)) return f;
    return observe_position(open);
  }

  std::optional<Failure> reserve(std::uint32_t code) {
    if (code >= 253 && !kCaps.has(Capability::absurd_reserve)) code %= 250;
    const std::uint64_t n = reserve_argument(code);
    try {
      maps_[0]->reserve(static_cast<typename Map::size_type>(n));
    } catch (const std::length_error&) {
    } catch (const std::bad_alloc&) {
    }
    if (auto f = after_mutation(0, {}, StepKind::reserve, nullptr)) return f;
    if (n <= kOrdinaryReserve) {
      peak_[0] = std::max<std::uint64_t>(peak_[0], n);
      if constexpr (kCaps.has(Capability::reserve_keeps_buckets))
        reservation_ = Reservation{n, *adapter_traits<Adapter>::capacity(*maps_[0])};
    }
    return check_contents(0, "reserve");
  }

  // Fresh keys, each erased right after its insert; the contents must come out unchanged.
  std::optional<Failure> churn(std::uint32_t code) {
    Map& m = *maps_[0];
    const std::uint64_t n = churn_length(code);
    for (std::uint64_t j = 0; j < n; ++j) {
      const Key k = Uni::fresh_key(fresh_keys_++);
      if (!m.insert({k, Value{0}}).second)
        return fail("churn: insert of a fresh key outside the universe", true, false);
      if (auto f = structure_after_key(0, StepKind::add_key, &k)) return f;
      if (const std::size_t erased = m.erase(k); erased != 1)
        return fail("churn: erase of the fresh key just inserted", 1, erased);
      if (auto f = structure_after_key(0, StepKind::write, &k)) return f;
    }
    ++mutations_;
    return check_contents(0, "churn");
  }

  // ---- reads ----
  std::optional<Failure> find(std::uint8_t key) {
    const auto expected = models_[0].find(key);
    const auto it = maps_[0]->find(Uni::key(key));
    const bool found = it != maps_[0]->end();
    if (found != expected.has_value())
      return fail("find", expected ? "found" : "end()", found ? "found" : "end()");
    if (expected && !same_entry(it->first, it->second, *expected))
      return fail("find: key bits or value", show(*expected), show_observed(it->first, it->second));
    return structure_after(0, StepKind::read, nullptr);
  }

  std::optional<Failure> iterate() {
    models::IterationModel& model = full_iteration_;
    model.open(models_[0]);
    std::size_t produced = 0;
    for (auto it = maps_[0]->begin(); it != maps_[0]->end(); ++it) {
      if (++produced > models_[0].size() + 1)
        return fail("full iteration produced more entries than the map holds", models_[0].size(),
                    produced);
      if (auto g = model.on_produced(match_unproduced(0, model, it->first, it->second),
                                     [&] { return show_observed(it->first, it->second); }))
        return broken(*g);
    }
    if (auto g = model.on_finished(models_[0])) return broken(*g);
    return structure_after(0, StepKind::open_iteration, nullptr);
  }

  std::optional<Failure> iter_open(std::uint8_t slot) {
    OpenIteration& open = iterations_[slot];
    close(open);
    open.map = 0;
    open.model.open(models_[0]);
    open.it = maps_[0]->begin();
    if (auto f = structure_after(0, StepKind::open_iteration, nullptr)) return f;
    return observe_position(open);
  }

  std::optional<Failure> iter_step(std::uint8_t slot) {
    OpenIteration& open = iterations_[slot];
    if (!open.it || *open.it == maps_[open.map]->end()) return std::nullopt;
    ++*open.it;
    return observe_position(open);
  }

  // After an iteration moved: judge what it is on now (an entry, or the end).
  std::optional<Failure> observe_position(OpenIteration& open) {
    Map& m = *maps_[open.map];
    open.positioned_at = mutations_;
    if (*open.it == m.end()) {
      auto g = open.model.on_finished(models_[open.map]);
      close(open);
      if (g) return broken(*g);
      return std::nullopt;
    }
    const auto& key = (*open.it)->first;
    const auto& value = (*open.it)->second;
    if (auto g = open.model.on_produced(match_unproduced(open.map, open.model, key, value),
                                        [&] { return show_observed(key, value); }))
      return broken(*g);
    return std::nullopt;
  }

  // ---- matching observed entries to model instances ----
  bool same_entry(const Key& key, const Value& value, const models::Entry& entry) const {
    const auto index = Uni::index_of(key);
    const bool key_ok = index ? *index == entry.key : !Uni::reflexive(entry.key);
    return key_ok && value == entry.value;
  }
  // The live entry the map's output stands for, if any.
  std::optional<models::Entry> match(int map, const Key& key, const Value& value) const {
    return match_unproduced(map, nullptr, key, value);
  }
  std::optional<models::Entry> match_unproduced(int map, const models::IterationModel& iteration,
                                                const Key& key, const Value& value) const {
    return match_unproduced(map, &iteration, key, value);
  }
  std::optional<models::Entry> match_unproduced(int map, const models::IterationModel* iteration,
                                                const Key& key, const Value& value) const {
    const auto index = Uni::index_of(key);
    if (index && Uni::reflexive(*index)) {
      const auto entry = models_[map].find(*index);
      if (entry && same_entry(key, value, *entry)) return entry;
      return std::nullopt;
    }
    std::optional<models::Entry> fallback;  // irreflexive: any live instance with this value
    std::optional<models::Entry> unproduced;
    models_[map].for_each_entry([&](const models::Entry& e) {
      if (unproduced || Uni::reflexive(e.key) || e.value != value) return;
      if (iteration == nullptr || !iteration->has_produced(e.instance))
        unproduced = e;
      else
        fallback = e;
    });
    return unproduced ? unproduced : fallback;
  }

  // ---- after each op ----
  // The effects of one model step, empty. One object serves every step (no step nests another),
  // so its vectors allocate only when a step ends more instances than any step before.
  models::Effects& fresh_effects() {
    effects_.created.clear();
    effects_.ended.clear();
    return effects_;
  }
  std::optional<Failure> after_mutation(int map, const models::Effects& effects, StepKind kind,
                                        const std::uint8_t* key) {
    ++mutations_;
    for (OpenIteration& open : iterations_) {
      if (open.it && open.map == map) open.model.observe(effects);
    }
    return structure_after(map, kind, key);
  }

  std::optional<Failure> structure_after(int map, StepKind kind, const std::uint8_t* key) {
    std::optional<Key> k;
    if (key != nullptr) k = Uni::key(*key);
    return structure_after_key(map, kind, k ? &*k : nullptr);
  }
  std::optional<Failure> structure_after_key(int map, StepKind kind, const Key* key) {
    stepped_[map] = true;
    if (auto broke = structure_[map].after_step(*maps_[map], kind, key))
      return of(Check::structure, broken(*broke));
    return std::nullopt;
  }
  // After the op, the structural check of each map it stepped on (see GomapStructureModel: once
  // per op, not per key of a bulk op).
  std::optional<Failure> check_structures() {
    for (int map = 0; map < 2; ++map) {
      if (!std::exchange(stepped_[map], false)) continue;
      if (auto broke = structure_[map].after_op(*maps_[map]))
        return of(Check::structure, broken(*broke));
    }
    return std::nullopt;
  }

  std::optional<Failure> after_replacement(int map, const models::SequentialModel& expected,
                                           const char* what) {
    models_[map] = expected;
    addresses_[map] = {};  // a new map, or new elements: their addresses are recorded afresh
    peak_[map] = std::max(peak_[map], peak_[0]);
    if (auto f = structure_after_key(map, StepKind::replaced, nullptr)) return f;
    return check_contents(map, what);
  }

  std::optional<Failure> check_size(int map) {
    if (maps_[map]->size() != models_[map].size())
      return fail("size() after the op", models_[map].size(), maps_[map]->size());
    return std::nullopt;
  }

  // ---- elements and tables (see the header comment) ----
  std::optional<Failure> check_lifetimes() const {
    const ValueCensus& census = value_census();
    if (census.lifetime_errors == 0) return std::nullopt;
    return of(Check::elements,
              broken("element lifetime: " + census.first_error + " (" +
                     std::to_string(census.lifetime_errors) + " such errors so far)"));
  }

  std::optional<Failure> check_elements() {
    if (auto f = check_lifetimes()) return f;
    if constexpr (kCaps.has(Capability::exact_element_count)) {
      const std::int64_t held = value_census().live();
      const auto sizes = static_cast<std::int64_t>(maps_[0]->size() + maps_[1]->size());
      if (held != sizes)
        return of(Check::elements, fail("exact_element_count: live values in the two maps "
                                        "(m.size() + side.size())",
                                        sizes, held));
    }
    return std::nullopt;
  }

  // After a mutation: references, the reservation, and capacity bounds, on both maps (copies,
  // moves and swaps change `side` too).
  std::optional<Failure> check_tables() {
    for (int map = 0; map < 2; ++map) {
      peak_[map] = std::max<std::uint64_t>(peak_[map], maps_[map]->size());
      if (auto f = check_references(map)) return f;
      if (auto f = check_capacity_bound(map)) return f;
    }
    return check_reservation();
  }

  std::optional<Failure> check_references(int map) {
    if constexpr (kCaps.has(Capability::stable_references)) {
      std::array<const Value*, 256> now{};
      for (const models::Entry& e : models_[map].entries()) {
        if (!Uni::reflexive(e.key)) continue;
        const auto it = maps_[map]->find(Uni::key(e.key));
        if (it == maps_[map]->end())
          continue;  // a missing entry is reported by the contents checks
        now[e.key] = &it->second;
        const Value* before = addresses_[map][e.key];
        if (before != nullptr && before != now[e.key]) {
          std::ostringstream moved;
          moved << "stable_references: the value of " << show(e) << " in "
                << (map == 0 ? "m" : "side") << " moved from " << static_cast<const void*>(before)
                << " to " << static_cast<const void*>(now[e.key])
                << " (the map declares that references stay valid until their entry is erased)";
          return of(Check::references, broken(moved.str()));
        }
      }
      addresses_[map] = now;
    }
    return std::nullopt;
  }

  std::optional<Failure> check_capacity_bound(int map) const {
    const std::optional<std::size_t> capacity = adapter_traits<Adapter>::capacity(*maps_[map]);
    if (!capacity) return std::nullopt;
    const std::uint64_t bound = kCapacityFactor * peak_[map] + kCapacitySlack;
    if (*capacity <= bound) return std::nullopt;
    return of(Check::capacity,
              fail(std::string("bounded capacity: the capacity of ") + (map == 0 ? "m" : "side") +
                       " is more than " + std::to_string(kCapacityFactor) + " x " +
                       std::to_string(peak_[map]) + " (its largest size or reservation) + " +
                       std::to_string(kCapacitySlack),
                   std::string("at most ") + std::to_string(bound), *capacity));
  }

  static constexpr bool keeps_reservation(OpKind kind) {
    return kind == OpKind::insert || kind == OpKind::try_emplace ||
           kind == OpKind::insert_or_assign || kind == OpKind::subscript_assign ||
           kind == OpKind::insert_n;
  }

  std::optional<Failure> check_reservation() {
    if (!reservation_) return std::nullopt;
    if (maps_[0]->size() > reservation_->n) {
      reservation_.reset();  // past what was reserved: the map may grow
      return std::nullopt;
    }
    const std::size_t capacity = *adapter_traits<Adapter>::capacity(*maps_[0]);
    if (capacity == reservation_->capacity) return std::nullopt;
    return of(
        Check::reservation,
        fail("reserve_keeps_buckets: capacity after reserve(" + std::to_string(reservation_->n) +
                 ") and inserts up to size() " + std::to_string(maps_[0]->size()),
             reservation_->capacity, capacity));
  }

  // The map holds exactly the model's entries: the same size, and every findable entry found with
  // its value and key bits. Done with lookups, not an iteration, so that checking does not change
  // what it checks (an iteration sets gomap's sticky iterator flags, which change evacuation).
  std::optional<Failure> check_contents(int map, const char* what) {
    if (auto f = check_size(map)) {
      f->broke = std::string("contents after ") + what + ": " + f->broke;
      return f;
    }
    const Map& m = *maps_[map];
    for (const models::Entry& e : models_[map].entries()) {
      if (!Uni::reflexive(e.key)) continue;
      const auto it = m.find(Uni::key(e.key));
      if (it == m.end())
        return fail(std::string("contents after ") + what + ": entry missing", show(e), "end()");
      if (!same_entry(it->first, it->second, e))
        return fail(std::string("contents after ") + what, show(e),
                    show_observed(it->first, it->second));
    }
    return std::nullopt;
  }

  // ---- iterations ----
  void close(OpenIteration& open) {
    open.it.reset();
    open.model.close();
  }
  void end_iterations_of(int map, int keep) {
    for (std::size_t i = 0; i < iterations_.size(); ++i) {
      if (iterations_[i].it && iterations_[i].map == map && static_cast<int>(i) != keep)
        close(iterations_[i]);
    }
  }

  // ---- reporting ----
  // Every report builder is cold and out of line, and fail takes its message as it comes (a
  // literal stays a pointer): a std::string or ostringstream built inline would sit in the frame of
  // each hot step that can report, and ASan gives every such frame a fake stack (fuzz speed).
  [[gnu::noinline, gnu::cold]] static std::string show(const models::Entry& e) {
    return "{" + Uni::cpp(e.key) + ", " + std::to_string(e.value) + "}";
  }
  [[gnu::noinline, gnu::cold]] static std::string show_observed(const Key& key,
                                                                const Value& value) {
    const auto index = Uni::index_of(key);
    return "{" + (index ? Uni::cpp(*index) : std::string("NaN")) + ", " + std::to_string(value) +
           "}";
  }
  // A result that differs from the model's.
  template <class Broke, class E, class O>
  [[gnu::noinline, gnu::cold]] Failure fail(const Broke& broke, const E& expected,
                                            const O& observed) const {
    return Failure{
        index_,        describe(current_), to_text(expected), to_text(observed), std::string(broke),
        Check::results};
  }
  // A guarantee or invariant that broke (the message says what happened).
  [[gnu::noinline, gnu::cold]] Failure broken(std::string what) const {
    return Failure{index_, describe(current_), "", "", std::move(what), Check::results};
  }
  static Failure of(Check check, Failure failure) {
    failure.check = check;
    return failure;
  }
  template <class T>
  [[gnu::noinline, gnu::cold]] static std::string to_text(const T& v) {
    std::ostringstream out;
    if constexpr (std::is_same_v<T, bool>)
      out << (v ? "true" : "false");
    else
      out << v;
    return out.str();
  }
  std::optional<Failure> expect_equal(auto observed, auto expected, const char* what) {
    if (observed != expected) return fail(what, expected, observed);
    return structure_after(0, StepKind::read, nullptr);
  }

  Hash hash_;
  std::array<std::optional<Map>, 2> maps_;
  std::array<models::SequentialModel, 2> models_;
  std::array<typename adapter_traits<Adapter>::template structure<Map>, 2> structure_;
  std::array<bool, 2> stepped_{};  // a structural step since the last check_structures()
  std::array<OpenIteration, kIteratorSlots> iterations_;
  models::IterationModel full_iteration_;  // the iterate op's, kept for its storage
  models::Effects effects_;                // fresh_effects()'s, kept for its storage
  std::size_t index_ = 0;
  Op current_;
  std::uint64_t mutations_ = 0;   // data mutations so far (any map)
  std::uint64_t fresh_keys_ = 0;  // churn keys used so far: each one is new
  // stable_references: the address of each reflexive key's value, by key index, as last seen
  std::array<std::array<const Value*, 256>, 2> addresses_{};
  // the largest size or ordinary reservation each map has had (bounded capacity)
  std::array<std::uint64_t, 2> peak_{};
  // reserve_keeps_buckets: the last reserve(n) on m and the capacity it left, while only inserts
  // followed
  struct Reservation {
    std::uint64_t n;
    std::size_t capacity;
  };
  std::optional<Reservation> reservation_;
};

// Runs `program` on the adapter's map, in the program's universe. `observe(map, op)` is called
// after each op that held (the fuzzers read state features there).
struct IgnoreSteps {
  template <class Map>
  void operator()(const Map&, const Op&) const {}
};

template <class Adapter, class Observer = IgnoreSteps>
std::optional<Failure> run_program(const Program& program, Observer&& observe = {}) {
  switch (program.universe) {
    case UniverseKind::ints:
      return Interpreter<Adapter, UniverseKind::ints>::run(program, observe);
    case UniverseKind::large:
      return Interpreter<Adapter, UniverseKind::large>::run(program, observe);
    case UniverseKind::nan:
      return Interpreter<Adapter, UniverseKind::nan>::run(program, observe);
    case UniverseKind::tagged:
      return Interpreter<Adapter, UniverseKind::tagged>::run(program, observe);
  }
  return std::nullopt;
}

}  // namespace mapcheck
