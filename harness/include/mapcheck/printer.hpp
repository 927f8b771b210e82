// The reproducer printer: turns a Program (usually a minimised failing one) into a self-contained
// GoogleTest test that calls the map directly and checks, op by op, what the sequential model says
// each call must return. A user pastes it into their own tests; it fails where the map is wrong.
//
//   std::string text = mapcheck::print_reproducer<mapcheck::adapters::Gomap>(
//       program, "LostEraseRegression", "mapcheck/adapters/gomap.hpp", failure);
//
// What the printed test contains:
//   * a header comment: the map, universe, hash policy and seeds, the failure, the program's bytes
//     (for `mapcheck replay`) and the includes the test needs (reproducer.hpp and the adapter);
//   * `TEST(MapcheckReproducer, <name>)`: the map type (adapter_traits<Adapter>::map over the
//     universe's key, PolicyHash and std::equal_to), the adapter's seed call, `m` and `side` built
//     as the interpreter builds them, then one block per op, each opened by `// op #i: <op>`.
//
// The semantics are interpreter.hpp's, reproduced call for call, so that the printed test makes
// the same calls in the same order (gomap draws hash seeds and iteration starts from a seeded
// stream: the same calls give the same run): ops whose capability the map does not declare are
// skipped; under the standard iteration rules a mutation ends the open iterations of `m` (except
// the one erase(it) continues); copies and moves end those of their target; a swap carries
// iterations along or ends them (iterators_follow_swap); contents after copy, move, swap and
// reserve are checked by lookups, never by iterating; `size()` is checked after every op. A
// SequentialModel per map runs alongside to know every expected value; the program stops after the
// failing op.
//
// Stepwise iterations (iter_open / iter_step / erase_iterator / iter_close) use
// mapcheck::reproducer::Iteration. How far an iteration gets, and which entry it is on, is the
// map's choice, so the printed test judges iterations at run time against the lifetimes of the
// entries (from the model: instance, key, value, from op, until op) when each iteration is closed,
// ended or left open at the end. Only erase(it) needs the map's choice while printing: when the
// program erases at an iterator, the printer replays the program on the map itself (as the
// interpreter does) up to the last such op, prints the entry the iterator was on, and the test
// ASSERTs that its run is on the same entry before erasing. A map whose order is not reproducible
// from the program's seeds says so there instead of failing later for no visible reason; gomap is
// one when its hash is gomap::Hash (keyed per process, like Go's aeskeysched): under the
// map_default policy, and in `m` after a move (gomap keeps its hasher in its table, so a moved-from
// map's next table gets a default PolicyHash, which is map_default). Replaying runs the map: a
// program that crashes the map before its last erase(it) crashes the printer too.
//
// The element and table checks (interpreter.hpp) are repeated only when one of them is what failed
// (Failure::check), so that other reproducers stay short: the values are mapcheck::CountedValue in
// every printed test, as in the run, and a failed lifetime check adds values_match / values_sound
// after every op and no_values_left after destroying both maps; a failed stable_references check
// records and compares the values' addresses after every write (ValueAddresses); a failed capacity
// bound or reservation compares the capacity at the failing op.
//
// Not reproduced: the adapter's structural checks (gomap's I1-I8 and growth state machine); the
// failure text in the header names the one that broke.
#pragma once

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapcheck/adapter.hpp"
#include "mapcheck/counted_value.hpp"
#include "mapcheck/hashers.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/models/sequential.hpp"
#include "mapcheck/op.hpp"
#include "mapcheck/program.hpp"
#include "mapcheck/universe.hpp"

namespace mapcheck {

// The C++ spelling of an adapter type, as printed tests name it: the adapter's `cpp_name`.
template <class Adapter>
inline constexpr std::string_view adapter_type_name = [] {
  if constexpr (requires { Adapter::cpp_name; })
    return std::string_view(Adapter::cpp_name);
  else
    return std::string_view();
}();

// The GoogleTest suite every reproducer belongs to.
inline constexpr std::string_view kReproducerSuite = "MapcheckReproducer";

namespace detail {

inline std::string hex(std::uint64_t v) {
  std::ostringstream out;
  out << "0x" << std::hex << v;
  return out.str();
}
inline std::string hex_byte(std::uint8_t b) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  return {kDigits[b >> 4], kDigits[b & 15]};
}

// Collects the test's lines, indented, wrapping long braced lists at 100 columns.
class CodeLines {
 public:
  static constexpr std::size_t kColumns = 100;

  void line(std::string_view text) {
    if (text.empty()) {
      out_ << '\n';
      return;
    }
    out_ << "  " << text << '\n';
  }
  void comment(std::string_view text) { line("// " + std::string(text)); }

  // head + "item, item, ..." + tail on one line if it fits; else head, then the items wrapped
  // (or one per line), then tail.
  void list(std::string_view head, const std::vector<std::string>& items, std::string_view tail,
            bool one_per_line = false) {
    std::string joined;
    for (std::size_t i = 0; i < items.size(); ++i) joined += (i == 0 ? "" : ", ") + items[i];
    if (!one_per_line && 2 + head.size() + joined.size() + tail.size() <= kColumns) {
      line(std::string(head) + joined + std::string(tail));
      return;
    }
    line(head);
    std::string current;
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string item = items[i] + (i + 1 < items.size() ? "," : "");
      if (!current.empty() && (one_per_line || 6 + current.size() + 1 + item.size() > kColumns)) {
        line("    " + current);
        current.clear();
      }
      current += (current.empty() ? "" : " ") + item;
    }
    if (!current.empty()) line("    " + current);
    line(tail);
  }

  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

// Prints one program; one instance per call of print_reproducer.
template <class Adapter, UniverseKind U>
class ReproducerWriter {
 public:
  using Uni = Universe<U>;
  using Key = typename Uni::Key;
  using Value = CountedValue;  // as in the interpreter: the same map type, the same run
  using Hash = PolicyHash<Key, IdOf<U>>;
  using Map = typename adapter_traits<Adapter>::template map<Key, Value, Hash, std::equal_to<Key>>;
  using Iterator = typename Map::iterator;
  static constexpr Capabilities kCaps = adapter_traits<Adapter>::capabilities;
  using Checked = Interpreter<Adapter, U>;  // for the bounds of its table checks

  // Prints ops [0, op_count) of `program`; `failed` says which check to repeat in the test.
  ReproducerWriter(const Program& program, std::size_t op_count, Check failed)
      : program_(program),
        op_count_(op_count),
        failed_(failed),
        models_{models::SequentialModel(facts()), models::SequentialModel(facts())} {
    for (std::size_t i = 0; i < op_count_; ++i) {
      const Op& op = program_.ops[i];
      if (op.kind == OpKind::erase_iterator && supported(op)) replay_until_ = i + 1;
      if (op.kind == OpKind::reserve && supported(op)) last_reserve_ = i;
    }
    if (replay_until_ > 0) {  // exactly the interpreter's construction
      const Hash hash(program_.hash_policy, program_.hash_seed);
      adapter_traits<Adapter>::seed(program_.random_seed);
      maps_[0].emplace(0, hash, std::equal_to<Key>());
      maps_[1].emplace(0, hash, std::equal_to<Key>());
    }
  }

  // The TEST(...) { ... } block.
  std::string test(std::string_view test_name) {
    for (std::size_t i = 0; i < op_count_ && !stopped_; ++i) print_op(program_.ops[i], i);
    if (!stopped_) {
      for (std::size_t s = 0; s < kIteratorSlots; ++s) {
        if (!slots_[s].open) continue;
        lines_.line("");
        lines_.comment(slot_name(s) + " is still open at the end of the program.");
        print_iteration_check(s, op_count_);
      }
      if (failed_ == Check::elements && op_count_ == program_.ops.size()) print_destruction();
    }

    std::ostringstream out;
    const std::string adapter(adapter_type_name<Adapter>);
    out << "TEST(" << kReproducerSuite << ", " << test_name << ") {\n";
    out << "  using Key = " << Uni::cpp_type << ";\n";
    out << "  using Hash = mapcheck::PolicyHash<Key, mapcheck::IdOf<mapcheck::UniverseKind::"
        << universe_name() << ">>;\n";
    out << "  using Map =\n      mapcheck::adapter_traits<" << adapter
        << ">::map<Key, mapcheck::CountedValue, Hash, std::equal_to<Key>>;\n";
    out << "  mapcheck::adapter_traits<" << adapter << ">::seed(" << hex(program_.random_seed)
        << "ULL);\n";
    out << "  const Hash hash(mapcheck::HashPolicy::"
        << kHashPolicies[static_cast<std::size_t>(program_.hash_policy)].name << ", "
        << hex(program_.hash_seed) << "ULL);\n";
    if (failed_ == Check::elements) {
      out << "  mapcheck::value_census() = {};  // counts the values' lives from here on\n";
      out << "  std::optional<Map> owner(std::in_place, 0, hash, std::equal_to<Key>());  // "
             "destroyed at the end\n";
      out << "  Map& m = *owner;\n";
    } else {
      out << "  Map m(0, hash, std::equal_to<Key>());\n";
    }
    out << "  // The target of copies, moves and swaps (optional: copy and move construct it "
           "anew).\n";
    out << "  std::optional<Map> side(std::in_place, 0, hash, std::equal_to<Key>());\n";
    std::string declared;
    for (std::size_t s = 0; s < kIteratorSlots; ++s) {
      if (slots_[s].used) declared += (declared.empty() ? "" : ", ") + slot_name(s);
    }
    if (!declared.empty()) out << "  mapcheck::reproducer::Iteration<Map> " << declared << ";\n";
    if (failed_ == Check::references) {
      out << "  // Where each map keeps its entries' values, checked after every write.\n";
      out << "  mapcheck::reproducer::ValueAddresses<Map> m_values, side_values;\n";
    }
    out << lines_.text() << "}\n";
    return out.str();
  }

  static std::string universe_name() {
    return std::string(kUniverses[static_cast<std::size_t>(U)].name);
  }

 private:
  // The interpreter's OpenIteration, plus what the printer needs to judge it in the test.
  struct Slot {
    // printer's view: opened and not yet closed by a rule the printer knows statically (it may have
    // reached its end at run time, which only the test finds out)
    bool open = false;
    bool used = false;  // declared in the test
    int map = 0;        // 0: m, 1: side
    std::size_t opened_at = 0;
    struct Row {
      std::uint64_t instance;
      std::uint8_t key;
      std::int64_t value;
      std::size_t from;
      std::optional<std::size_t> until;
    };
    std::vector<Row> rows;                      // lifetimes since open
    std::map<std::uint64_t, std::size_t> live;  // instance -> its current row
    // replay's view (the interpreter's), while replaying
    std::optional<Iterator> it;
    std::uint64_t positioned_at = 0;
  };

  static models::KeyFacts facts() { return {&Uni::canonical, &Uni::reflexive}; }
  static bool supported(const Op& op) { return kCaps.has(info(op.kind).needs); }
  static std::string key(std::uint8_t index) { return Uni::cpp(index); }
  static std::string entry(const models::Entry& e) {
    return "{" + key(e.key) + ", " + std::to_string(e.value) + "}";
  }
  static std::string slot_name(std::size_t slot) { return "it" + std::to_string(slot); }
  static std::string map_name(int map) { return map == 0 ? "m" : "*side"; }
  static std::string values_name(int map) { return map == 0 ? "m_values" : "side_values"; }
  bool replaying() const { return now_ < replay_until_; }

  // ---- one op ----
  void print_op(const Op& op, std::size_t index) {
    now_ = index;
    lines_.line("");
    lines_.comment("op #" + std::to_string(index) + ": " + describe(op));
    if (!supported(op)) {
      lines_.comment(
          "skipped: the map does not declare " +
          std::string(kCapabilities[static_cast<std::size_t>(info(op.kind).needs)].name));
      return;
    }
    if (info(op.kind).mutates && !kCaps.has(Capability::go_iteration)) {
      const int keep = op.kind == OpKind::erase_iterator ? op.iter : -1;
      end_iterations_of(0, keep, "the op is a write to m (standard iteration rules)");
    }
    dispatch(op);
    if (stopped_) return;
    for (std::size_t s = 0; s < kIteratorSlots; ++s) {
      if (slots_[s].open) track_lifetimes(slots_[s]);
    }
    lines_.line("EXPECT_EQ(m.size(), " + std::to_string(models_[0].size()) + "u);");
    if (failed_ == Check::elements) {
      lines_.line(kCaps.has(Capability::exact_element_count)
                      ? "EXPECT_TRUE(mapcheck::reproducer::values_match(m, *side));"
                      : "EXPECT_TRUE(mapcheck::reproducer::values_sound());");
    }
    if (info(op.kind).mutates) print_table_checks();
  }

  // ---- the element and table checks, where one of them failed (the interpreter's check_tables)
  void print_table_checks() {
    for (int map = 0; map < 2; ++map) {
      peak_[map] = std::max<std::uint64_t>(peak_[map], models_[map].size());
      if (failed_ == Check::references) print_references(map);
    }
    if (now_ + 1 != op_count_) return;  // the bounds are printed where they broke
    const std::string capacity =
        "mapcheck::reproducer::capacity<" + std::string(adapter_type_name<Adapter>) + ">(";
    if (failed_ == Check::capacity) {
      for (int map = 0; map < 2; ++map) {
        const std::uint64_t bound = Checked::kCapacityFactor * peak_[map] + Checked::kCapacitySlack;
        lines_.line("EXPECT_LE(" + capacity + map_name(map) + "), " + std::to_string(bound) + "u)");
        lines_.line("    << \"bounded capacity: at most " +
                    std::to_string(Checked::kCapacityFactor) + " x " + std::to_string(peak_[map]) +
                    " (" + (map == 0 ? "m" : "side") + "'s largest size or reservation) + " +
                    std::to_string(Checked::kCapacitySlack) + "\";");
      }
    }
    if (failed_ == Check::reservation) {
      lines_.line("EXPECT_EQ(" + capacity + "m), reserved_capacity)");
      lines_.line(
          "    << \"reserve_keeps_buckets: inserts up to the reserved size keep the capacity\";");
    }
  }

  void print_references(int map) {
    if constexpr (kCaps.has(Capability::stable_references)) {
      std::vector<std::string> keys;
      for (const models::Entry& e : models_[map].entries()) {
        if (Uni::reflexive(e.key)) keys.push_back(key(e.key));
      }
      if (keys.empty() && !recorded_[map]) return;  // nothing recorded, nothing to record
      recorded_[map] = !keys.empty();
      lines_.list("EXPECT_TRUE(" + values_name(map) + ".unchanged(" + map_name(map) + ", {", keys,
                  "}));");
    }
  }

  // At the end of the program: iterators first, then both maps go; no value may outlive them.
  void print_destruction() {
    lines_.line("");
    lines_.comment("The end of the program: both maps are destroyed.");
    for (std::size_t s = 0; s < kIteratorSlots; ++s) {
      if (slots_[s].open) lines_.line(slot_name(s) + ".close();");
    }
    lines_.line("side.reset();");
    lines_.line("owner.reset();");
    lines_.line("EXPECT_TRUE(mapcheck::reproducer::no_values_left());");
  }

  void dispatch(const Op& op) {
    switch (op.kind) {
      case OpKind::insert:
        return insert_like(op.key, op.value, /*try_emplace=*/false);
      case OpKind::try_emplace:
        return insert_like(op.key, op.value, /*try_emplace=*/true);
      case OpKind::insert_or_assign:
        return assign_like(op, /*subscript=*/false);
      case OpKind::subscript_assign:
        return assign_like(op, /*subscript=*/true);
      case OpKind::erase_key:
        return erase_key(op.key);
      case OpKind::erase_iterator:
        return erase_iterator(op.iter);
      case OpKind::find:
        return find(op.key);
      case OpKind::contains: {
        const bool present = models_[0].find(op.key).has_value();
        lines_.line(std::string(present ? "EXPECT_TRUE" : "EXPECT_FALSE") + "(m.contains(" +
                    key(op.key) + "));");
        if (replaying()) (void)maps_[0]->contains(Uni::key(op.key));
        return;
      }
      case OpKind::size:  // the size check after every op is this op's check
        return;
      case OpKind::clear: {
        lines_.line("m.clear();");
        models::Effects effects;
        models_[0].clear(effects);
        if (replaying()) {
          maps_[0]->clear();
          ++mutations_;
        }
        return;
      }
      case OpKind::reserve:
        return reserve(op.count);
      case OpKind::copy_construct:
        end_iterations_of(1, -1, "side is copy-constructed anew");
        lines_.line("side.emplace(m);  // copy construction (emplace destroys the old side first)");
        if (replaying()) {
          maps_[1].reset();
          maps_[1].emplace(*maps_[0]);
        }
        return replaced(1, models_[0]);
      case OpKind::copy_assign:
        if (op.self) {
          end_iterations_of(0, -1, "m is assigned to");
          lines_.line("{");
          lines_.line("  Map& same = m;  // self-assignment through a reference");
          lines_.line("  m = same;");
          lines_.line("}");
          if (replaying()) {
            Map& same = *maps_[0];
            *maps_[0] = same;
          }
          return replaced(0, models_[0]);
        }
        end_iterations_of(1, -1, "side is assigned to");
        lines_.line("*side = m;");
        if (replaying()) *maps_[1] = *maps_[0];
        return replaced(1, models_[0]);
      case OpKind::move_construct:
      case OpKind::move_assign: {
        end_iterations_of(0, -1, "m is moved from");
        end_iterations_of(1, -1, "side is replaced");
        if (op.kind == OpKind::move_construct) {
          lines_.line("side.emplace(std::move(m));  // move construction");
        } else {
          lines_.line("*side = std::move(m);");
        }
        lines_.line(
            "m.clear();  // a moved-from map is valid but unspecified: clear() makes it empty");
        if (replaying()) {
          if (op.kind == OpKind::move_construct) {
            maps_[1].reset();
            maps_[1].emplace(std::move(*maps_[0]));
          } else {
            *maps_[1] = std::move(*maps_[0]);
          }
          maps_[0]->clear();
        }
        const models::SequentialModel moved = models_[0];
        models::Effects effects;
        models_[0].clear(effects);
        replaced(0, models_[0]);
        return replaced(1, moved);
      }
      case OpKind::swap:
        return swap();
      case OpKind::iterate:
        return iterate();
      case OpKind::iter_open:
        return iter_open(op.iter);
      case OpKind::iter_step:
        return iter_step(op.iter);
      case OpKind::iter_close: {
        Slot& slot = slots_[op.iter];
        if (!slot.open) {
          lines_.comment("nothing to do: " + slot_name(op.iter) + " is not open");
          return;
        }
        print_iteration_check(op.iter, now_);
        lines_.line(slot_name(op.iter) + ".close();");
        close(slot);
        return;
      }
      case OpKind::churn:
        return churn(op.count);
      case OpKind::insert_n:
      case OpKind::erase_n:
        for (std::uint32_t j = 0; j < op.count; ++j) {
          const auto k = static_cast<std::uint8_t>(op.key + j);
          if (op.kind == OpKind::insert_n) {
            insert_like(k, op.value, /*try_emplace=*/false);
          } else {
            erase_key(k);
          }
        }
        return;
    }
  }

  // ---- writes ----
  void insert_like(std::uint8_t k, std::uint8_t value, bool try_emplace) {
    models::Effects effects;
    const bool expected = models_[0].insert(k, value, effects);
    const std::string call = try_emplace
                                 ? "m.try_emplace(" + key(k) + ", " + std::to_string(value) + ")"
                                 : "m.insert({" + key(k) + ", " + std::to_string(value) + "})";
    if (const auto e = models_[0].find(k)) {
      lines_.line(std::string("EXPECT_TRUE(mapcheck::reproducer::") +
                  (expected ? "inserted(" : "not_inserted(") + call + ", " + key(e->key) + ", " +
                  std::to_string(e->value) + "));");
    } else {  // irreflexive: the interpreter checks the flag only
      lines_.line(std::string(expected ? "EXPECT_TRUE(" : "EXPECT_FALSE(") + call + ".second);");
    }
    if (replaying()) {
      if (try_emplace) {
        (void)maps_[0]->try_emplace(Uni::key(k), Value{value});
      } else {
        (void)maps_[0]->insert({Uni::key(k), Value{value}});
      }
      ++mutations_;
    }
  }

  void assign_like(const Op& op, bool subscript) {
    models::Effects effects;
    const bool expected =
        models_[0].assign(op.key, op.value, kCaps.has(Capability::assign_updates_key), effects);
    const std::string k = key(op.key);
    const std::string v = std::to_string(op.value);
    if (subscript) {
      if constexpr (requires(Map & m) { m[Uni::key(0)]; }) {
        lines_.line("m[" + k + "] = " + v + ";");
        if (replaying()) (*maps_[0])[Uni::key(op.key)] = op.value;
      } else {
        lines_.comment("the map declares subscript but has no operator[]: nothing to call");
      }
    } else {
      lines_.line(std::string(expected ? "EXPECT_TRUE(" : "EXPECT_FALSE(") + "m.insert_or_assign(" +
                  k + ", " + v + ").second);");
      if (replaying()) (void)maps_[0]->insert_or_assign(Uni::key(op.key), Value{op.value});
    }
    if (replaying()) ++mutations_;
  }

  void erase_key(std::uint8_t k) {
    models::Effects effects;
    const std::size_t expected = models_[0].erase(k, effects);
    lines_.line("EXPECT_EQ(m.erase(" + key(k) + "), " + std::to_string(expected) + "u);");
    if (replaying()) {
      (void)maps_[0]->erase(Uni::key(k));
      ++mutations_;
    }
  }

  void reserve(std::uint32_t code) {
    const std::uint32_t asked = code;
    if (code >= 253 && !kCaps.has(Capability::absurd_reserve)) code %= 250;
    const std::uint64_t n = reserve_argument(code);
    if (code != asked) {
      lines_.comment("the program asks for " + std::to_string(reserve_argument(asked)) +
                     ", but the map does not declare absurd_reserve: the interpreter reserves " +
                     std::to_string(n));
    }
    lines_.line("mapcheck::reproducer::reserve(m, " + std::to_string(n) +
                "ULL);  // length_error / bad_alloc allowed");
    if (replaying()) {
      try {
        maps_[0]->reserve(static_cast<typename Map::size_type>(n));
      } catch (const std::length_error&) {
      } catch (const std::bad_alloc&) {
      }
      ++mutations_;
    }
    if (n <= Checked::kOrdinaryReserve) {
      peak_[0] = std::max<std::uint64_t>(peak_[0], n);
      if (failed_ == Check::reservation && now_ == last_reserve_) {
        lines_.line("const std::size_t reserved_capacity = mapcheck::reproducer::capacity<" +
                    std::string(adapter_type_name<Adapter>) + ">(m);");
      }
    }
    print_holds(0);
  }

  void churn(std::uint32_t code) {
    const std::uint64_t n = churn_length(code);
    lines_.line("EXPECT_TRUE(mapcheck::reproducer::churn(m, " + std::to_string(fresh_keys_) + ", " +
                std::to_string(n) + "));  // fresh keys, each inserted and erased");
    if (replaying()) {
      for (std::uint64_t j = fresh_keys_; j < fresh_keys_ + n; ++j) {
        const Key k = Uni::fresh_key(j);
        (void)maps_[0]->insert({k, Value{}});
        (void)maps_[0]->erase(k);
      }
      ++mutations_;
    }
    fresh_keys_ += n;
    print_holds(0);
  }

  void erase_iterator(std::uint8_t s) {
    Slot& slot = slots_[s];
    const std::string name = slot_name(s);
    if (!slot.open) {
      lines_.comment("nothing to do: " + name + " is not open");
      return;
    }
    // From here on the printer follows the map's choices, replayed (replaying() holds: this op is
    // at most the last erase_iterator).
    if (!slot.it || *slot.it == maps_[slot.map]->end()) {
      lines_.comment("nothing to do: " + name +
                     " has reached its end (in the recorded run: the map's order");
      lines_.comment("decides when)");
      lines_.line("ASSERT_TRUE(" + name + ".finished());");
      return;
    }
    if (slot.positioned_at != mutations_) {
      lines_.comment("nothing to do: the map was written since " + name +
                     " last moved, so its entry is stale");
      lines_.comment("and erase(it) would be undefined");
      return;
    }
    const auto& observed_key = (*slot.it)->first;
    const std::int64_t observed_value = (*slot.it)->second;
    const auto e = match(slot.map, observed_key, observed_value);
    if (!e) {
      const auto index = Uni::index_of(observed_key);
      const std::string shown = "{" + (index ? key(*index) : std::string("NaN")) + ", " +
                                std::to_string(observed_value) + "}";
      lines_.comment("The recorded run stops here: " + name + " is on " + shown +
                     ", which is not a live entry,");
      lines_.comment("so erase(it) cannot be judged.");
      print_iteration_check(s, now_);
      lines_.line("ADD_FAILURE() << \"op #" + std::to_string(now_) + ": " + name +
                  " is on an entry the model does not hold\";");
      stopped_ = true;
      return;
    }
    lines_.comment(
        "The map's order chose this entry in the recorded run; the ops below assume it.");
    lines_.line("ASSERT_TRUE(" + name + ".is_on(" + key(e->key) + ", " + std::to_string(e->value) +
                "));");
    lines_.line(name + ".erase(" + std::to_string(now_) + ");");
    models::Effects effects;
    models_[slot.map].erase_instance(e->instance, effects);
    slot.it = maps_[slot.map]->erase(*slot.it);
    ++mutations_;
    observe_position(slot);
  }

  // ---- reads ----
  void find(std::uint8_t k) {
    const auto e = models_[0].find(k);
    if (!e) {
      lines_.line("EXPECT_TRUE(mapcheck::reproducer::find_returns_end(m, " + key(k) + "));");
    } else if (e->key == k) {
      lines_.line("EXPECT_TRUE(mapcheck::reproducer::find_returns(m, " + key(k) + ", " +
                  std::to_string(e->value) + "));");
    } else {
      lines_.line("EXPECT_TRUE(mapcheck::reproducer::find_returns(m, " + key(k) + ", " +
                  key(e->key) + ", " + std::to_string(e->value) + "));");
    }
    if (replaying()) (void)maps_[0]->find(Uni::key(k));
  }

  void iterate() {
    std::vector<std::string> items;
    for (const models::Entry& e : models_[0].entries()) items.push_back(entry(e));
    lines_.list("EXPECT_EQ(mapcheck::reproducer::iterate(m), mapcheck::reproducer::entries<Map>({",
                items, "}));");
    if (replaying()) {
      std::size_t produced = 0;
      for (auto it = maps_[0]->begin(); it != maps_[0]->end(); ++it) {
        if (++produced > models_[0].size() + 1) break;
      }
    }
  }

  // ---- copies, moves, swaps ----
  void replaced(int map, const models::SequentialModel& expected) {
    models_[map] = expected;
    peak_[map] = std::max(peak_[map], peak_[0]);
    if (failed_ == Check::references) {
      lines_.line(values_name(map) + ".forget();  // new values");
      recorded_[map] = false;
    }
    print_holds(map);
  }

  void swap() {
    lines_.line("{");
    lines_.line("  using std::swap;");
    lines_.line("  swap(m, *side);");
    if (failed_ == Check::references) {
      lines_.line("  swap(m_values, side_values);  // the values went with their maps");
      std::swap(recorded_[0], recorded_[1]);
    }
    lines_.line("}");
    std::swap(peak_[0], peak_[1]);
    if (replaying()) {
      using std::swap;
      swap(*maps_[0], *maps_[1]);
    }
    std::swap(models_[0], models_[1]);
    for (std::size_t s = 0; s < kIteratorSlots; ++s) {
      Slot& slot = slots_[s];
      if (!slot.open) continue;
      if (kCaps.has(Capability::iterators_follow_swap)) {
        slot.map = 1 - slot.map;
        lines_.line(slot_name(s) + ".now_in(" + std::string(slot.map == 0 ? "m" : "*side") +
                    ");  // iterators follow their entries");
      } else {
        lines_.comment(slot_name(s) + " ends: the map does not declare iterators_follow_swap");
        print_iteration_check(s, now_);
        lines_.line(slot_name(s) + ".close();");
        close(slot);
      }
    }
    print_holds(0);
    print_holds(1);
  }

  // The map holds exactly the model's entries, checked by lookups (the interpreter's
  // check_contents).
  void print_holds(int map) {
    std::vector<std::string> items;
    for (const models::Entry& e : models_[map].entries()) items.push_back(entry(e));
    lines_.list("EXPECT_TRUE(mapcheck::reproducer::holds(" + map_name(map) + ", {", items, "}));");
    if (replaying()) {
      for (const models::Entry& e : models_[map].entries()) {
        if (Uni::reflexive(e.key)) (void)std::as_const(*maps_[map]).find(Uni::key(e.key));
      }
    }
  }

  // ---- stepwise iterations ----
  void iter_open(std::uint8_t s) {
    Slot& slot = slots_[s];
    const std::string name = slot_name(s);
    if (slot.open) {
      lines_.comment(name + " is reopened: its previous iteration ends.");
      print_iteration_check(s, now_);
      close(slot);
    }
    slot = Slot{};
    slot.used = true;
    slot.open = true;
    slot.opened_at = now_;
    for (const models::Entry& e : models_[0].entries()) start_row(slot, e);
    lines_.line(name + ".open(m, " + std::to_string(now_) + ");");
    if (replaying()) {
      slot.it = maps_[0]->begin();
      observe_position(slot);
    }
  }

  void iter_step(std::uint8_t s) {
    Slot& slot = slots_[s];
    if (!slot.open) {
      lines_.comment("nothing to do: " + slot_name(s) + " is not open");
      return;
    }
    lines_.line(slot_name(s) + ".step(" + std::to_string(now_) + ");");
    if (replaying() && slot.it && *slot.it != maps_[slot.map]->end()) {
      ++*slot.it;
      observe_position(slot);
    }
  }

  // The interpreter's observe_position, minus the judging (the test judges).
  void observe_position(Slot& slot) {
    slot.positioned_at = mutations_;
    if (*slot.it == maps_[slot.map]->end()) slot.it.reset();
  }

  void close(Slot& slot) {
    slot.open = false;
    slot.it.reset();
  }

  void end_iterations_of(int map, int keep, std::string_view why) {
    for (std::size_t s = 0; s < kIteratorSlots; ++s) {
      Slot& slot = slots_[s];
      if (!slot.open || slot.map != map || static_cast<int>(s) == keep) continue;
      lines_.comment(slot_name(s) + " ends: " + std::string(why) + "; it is not used again.");
      print_iteration_check(s, now_);
      lines_.line(slot_name(s) + ".close();");
      close(slot);
    }
  }

  // ---- lifetimes of entries while an iteration is open ----
  static void start_row(Slot& slot, const models::Entry& e, std::size_t from) {
    slot.live[e.instance] = slot.rows.size();
    slot.rows.push_back({e.instance, e.key, e.value, from, std::nullopt});
  }
  void start_row(Slot& slot, const models::Entry& e) { start_row(slot, e, now_); }

  // After op now_: end the rows of instances that ended or changed, start rows for new versions.
  void track_lifetimes(Slot& slot) {
    std::set<std::uint64_t> seen;
    for (const models::Entry& e : models_[slot.map].entries()) {
      seen.insert(e.instance);
      const auto found = slot.live.find(e.instance);
      if (found != slot.live.end()) {
        auto& row = slot.rows[found->second];
        if (row.key == e.key && row.value == e.value) continue;
        row.until = now_;
      }
      start_row(slot, e);
    }
    for (auto it = slot.live.begin(); it != slot.live.end();) {
      if (seen.count(it->first) != 0) {
        ++it;
        continue;
      }
      slot.rows[it->second].until = now_;
      it = slot.live.erase(it);
    }
  }

  // The test judges what iteration `s` produced. It is judged at op `until` before that op produces
  // anything for it (closed, ended, reopened), or with `until` one past the last op: entries still
  // live are listed as live until then.
  void print_iteration_check(std::size_t s, std::size_t until) {
    Slot& slot = slots_[s];
    auto rows = slot.rows;
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::pair(a.instance, a.from) < std::pair(b.instance, b.from);  // unique per row
    });
    std::vector<std::string> items;
    for (const auto& r : rows) {
      items.push_back("{" + std::to_string(r.instance) + ", " + key(r.key) + ", " +
                      std::to_string(r.value) + ", " + std::to_string(r.from) + ", " +
                      std::to_string(r.until.value_or(until)) + "}");
    }
    lines_.comment("What " + slot_name(s) +
                   " produced must obey the iteration rules (G1 if it reached its end),");
    lines_.comment("given the entries of " + map_name(slot.map) + " since op #" +
                   std::to_string(slot.opened_at) + ": {instance, key, value, from op, until op}.");
    lines_.list("EXPECT_TRUE(" + slot_name(s) + ".obeys_guarantees({", items, "}));",
                /*one_per_line=*/true);
  }

  // ---- matching the map's output to the model (the interpreter's `match`) ----
  static bool same_entry(const Key& k, std::int64_t value, const models::Entry& e) {
    const auto index = Uni::index_of(k);
    const bool key_ok = index ? *index == e.key : !Uni::reflexive(e.key);
    return key_ok && value == e.value;
  }
  std::optional<models::Entry> match(int map, const Key& k, std::int64_t value) const {
    const auto index = Uni::index_of(k);
    if (index && Uni::reflexive(*index)) {
      const auto e = models_[map].find(*index);
      if (e && same_entry(k, value, *e)) return e;
      return std::nullopt;
    }
    for (const models::Entry& e : models_[map].entries()) {
      if (!Uni::reflexive(e.key) && e.value == value) return e;
    }
    return std::nullopt;
  }

  const Program& program_;
  std::size_t op_count_;
  Check failed_;
  std::size_t last_reserve_ = 0;         // the reservation whose capacity the test compares with
  std::array<std::uint64_t, 2> peak_{};  // each map's largest size or reservation (capacity bound)
  std::array<bool, 2> recorded_{};       // the test's ValueAddresses of this map is not empty
  std::array<models::SequentialModel, 2> models_;
  std::array<Slot, kIteratorSlots> slots_;
  CodeLines lines_;
  std::size_t now_ = 0;  // the op being printed
  bool stopped_ = false;
  // the replay (only up to the last erase_iterator; see the header comment)
  std::size_t replay_until_ = 0;
  std::array<std::optional<Map>, 2> maps_;
  std::uint64_t mutations_ = 0;
  std::uint64_t fresh_keys_ = 0;  // churn keys printed so far
};

// The header comment.
template <class Adapter>
std::string reproducer_header(const Program& program, std::string_view test_name,
                              std::string_view adapter_header,
                              const std::optional<Failure>& failure, std::size_t printed_ops) {
  const UniverseInfo& universe = kUniverses[static_cast<std::size_t>(program.universe)];
  const HashPolicyInfo& policy = kHashPolicies[static_cast<std::size_t>(program.hash_policy)];
  std::ostringstream out;
  out << "// mapcheck reproducer " << test_name << "\n";
  out << "//   map          " << Adapter::name << " (" << adapter_type_name<Adapter> << ")\n";
  out << "//   universe     " << universe.name << ": " << universe.help << "\n";
  out << "//   hash policy  " << policy.name << " (" << policy.help << "), seed "
      << hex(program.hash_seed) << "\n";
  out << "//   random seed  " << hex(program.random_seed)
      << " (the map's own randomness, via the adapter's seed)\n";
  if (failure) out << "//   failure      " << failure->to_string() << "\n";
  out << "//   program      " << program.ops.size() << " ops";
  if (printed_ops < program.ops.size())
    out << " (the test stops after the failing op #" << printed_ops - 1 << ")";
  out << "; its bytes, for `mapcheck replay`:\n";
  const std::vector<std::uint8_t> bytes = encode(program);
  for (std::size_t i = 0; i < bytes.size(); i += 24) {
    out << "//              ";
    for (std::size_t j = i; j < std::min(bytes.size(), i + 24); ++j)
      out << ' ' << hex_byte(bytes[j]);
    out << "\n";
  }
  out << "//\n";
  out << "// A GoogleTest test: paste it into a test file compiled with mapcheck's include "
         "directories\n";
  out << "// (harness/include, models/include, target/include) and your map's, linked with "
         "GTest::gtest_main,\n";
  out << "// after these includes:\n";
  out << "//   #include <gtest/gtest.h>\n";
  out << "//   #include <mapcheck/reproducer.hpp>\n";
  out << "//   #include <" << adapter_header << ">\n";
  out << "// Each op is a block opened by its `// op #i` comment that calls the map directly; the "
         "EXPECTs hold\n";
  out << "// what the sequential model says each call must return. Where the program erases at an "
         "iterator,\n";
  out << "// an ASSERT pins the entry the map's order chose in the recorded run, which the later "
         "ops assume\n";
  out << "// (an order that depends on per-process state, such as gomap::Hash's key, may differ: "
         "it says so).\n";
  out << "// When what failed is an element or table check (value lifetimes, stable references, "
         "reserve,\n";
  out << "// bounded capacity), the test repeats it: values are mapcheck::CountedValue, which "
         "count "
         "their\n";
  out << "// lives. The adapter's structural checks (if any) are not repeated: the failure line "
         "names "
         "them,\n";
  out << "// and `mapcheck replay` on the bytes above runs them again.\n";
  return out.str();
}

inline std::string identifier(std::string_view name) {
  std::string out;
  for (char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])) != 0) out.insert(0, "T");
  return out;
}

}  // namespace detail

// The program as a GoogleTest test named kReproducerSuite.test_name (made a C++ identifier), for
// the adapter whose header a user includes as `#include <adapter_header>`. With a failure, its text
// goes in the header comment and the test stops after the failing op (as the run did).
template <class Adapter>
std::string print_reproducer(const Program& program, std::string_view test_name,
                             std::string_view adapter_header,
                             const std::optional<Failure>& failure = std::nullopt) {
  static_assert(!adapter_type_name<Adapter>.empty(),
                "mapcheck::print_reproducer: add `static constexpr std::string_view cpp_name = "
                "\"ns::YourAdapter\";` to the adapter so that printed tests can name it");
  const std::string name = detail::identifier(test_name);
  std::size_t op_count = program.ops.size();
  if (failure && failure->op_index < op_count) op_count = failure->op_index + 1;
  std::string test;
  [&]<std::size_t... I>(std::index_sequence<I...>) {  // the writer for the program's universe
    ((program.universe == kUniverses[I].kind
          ? (void)(test = detail::ReproducerWriter<Adapter, kUniverses[I].kind>(
                              program, op_count, failure ? failure->check : Check::results)
                              .test(name))
          : void()),
     ...);
  }
  (std::make_index_sequence<kUniverses.size()>());
  return detail::reproducer_header<Adapter>(program, name, adapter_header, failure, op_count) +
         test;
}

}  // namespace mapcheck
