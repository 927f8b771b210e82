// What a printed reproducer needs (harness/include/mapcheck/printer.hpp writes them): one include
// that brings the vocabulary the test names (key universes, PolicyHash, adapter_traits) and a few
// GoogleTest helpers that keep each op's check on one line.
//
// A reproducer calls the map directly and compares with values the sequential model computed when
// the reproducer was printed; these helpers only observe the map and format what they saw. They
// never contain a model of their own, with one exception kept small on purpose: an iteration's
// output can only be judged against the entries that were live *while it ran*, and when it ends
// depends on the map's order, so the printer hands Iteration a table of entry lifetimes and
// Iteration applies the iteration rules to what it recorded (see Iteration::obeys_guarantees).
//
// Keys are compared by their bits, not by the map's equality: keys are shown and compared as
// key_text(k), the universe's C++ spelling of the key (Universe<U>::cpp), "NaN" for NaN keys. Two
// keys equal under the map's Eq but with different bits (the `tagged` universe) are told apart, so
// a map that stores the wrong bits on overwrite fails.
//
// Values are mapcheck::CountedValue, as in the run that found the failure: an int64 that counts its
// constructions and destructions. When what failed is an element or table check (value lifetimes,
// stable references, reserve, bounded capacity), the printed test repeats that check with the
// helpers of the last section below.
//
// Dependencies: the standard library, GoogleTest and mapcheck's vocabulary headers (universe.hpp,
// hashers.hpp, adapter.hpp, counted_value.hpp), never the models or the interpreter: a reproducer
// must not need the oracle that judged it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "mapcheck/adapter.hpp"
#include "mapcheck/counted_value.hpp"
#include "mapcheck/hashers.hpp"
#include "mapcheck/universe.hpp"

namespace mapcheck::reproducer {

// ---- keys as text ----

// The universe whose key type is `Key` (kUniverses lists them; each key type belongs to one).
template <class Key>
constexpr std::size_t universes_with_key() {
  return []<std::size_t... I>(std::index_sequence<I...>) {
    return (std::size_t{std::is_same_v<typename Universe<kUniverses[I].kind>::Key, Key>} + ...);
  }
  (std::make_index_sequence<kUniverses.size()>());
}
template <class Key>
constexpr UniverseKind universe_of() {
  static_assert(
      universes_with_key<Key>() == 1,
      "mapcheck::reproducer: the key type must be the key of exactly one universe (universe.hpp)");
  UniverseKind found = kUniverses[0].kind;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((std::is_same_v<typename Universe<kUniverses[I].kind>::Key, Key>
          ? (void)(found = kUniverses[I].kind)
          : void()),
     ...);
  }
  (std::make_index_sequence<kUniverses.size()>());
  return found;
}

// The key as the reproducer spells it (its bits, not its equivalence class); "NaN" for NaN keys.
template <class Key>
std::string key_text(const Key& key) {
  using Uni = Universe<universe_of<Key>()>;
  const auto index = Uni::index_of(key);
  return index ? Uni::cpp(*index) : std::string("NaN");
}

// ---- whole contents ----

// Entries as (key text, value), sorted: the form contents are compared in, so that a failure
// prints both sides readably and in the same order.
using Entries = std::vector<std::pair<std::string, std::int64_t>>;

// The expected entries, written as {key, value} pairs in the test.
template <class Map>
Entries entries(const std::vector<std::pair<typename Map::key_type, std::int64_t>>& expected) {
  Entries out;
  for (const auto& [key, value] : expected) out.emplace_back(key_text(key), value);
  std::sort(out.begin(), out.end());
  return out;
}

// One full iteration of `m` (begin() to end()), as the `iterate` op does it. Stops after
// size() + 1 entries so that a map whose iteration never ends still fails instead of hanging.
template <class Map>
Entries iterate(Map& m) {
  Entries out;
  const std::size_t limit = m.size() + 1;
  for (auto it = m.begin(); it != m.end() && out.size() < limit; ++it) {
    out.emplace_back(key_text(it->first), it->second);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The map holds exactly `expected`: the same size, and each entry found by lookup with its value
// and key bits. Lookups only, no iteration: iterating changes some maps' state (gomap's sticky
// iterator flags change later evacuations), and the run being reproduced checked contents this way
// too. NaN keys cannot be looked up; they count in the size only.
template <class Map>
::testing::AssertionResult holds(
    const Map& m, const std::vector<std::pair<typename Map::key_type, std::int64_t>>& expected) {
  std::ostringstream wrong;
  if (m.size() != expected.size())
    wrong << "\n  size() is " << m.size() << ", expected " << expected.size();
  for (const auto& [key, value] : expected) {
    if (!(key == key)) continue;  // irreflexive: no lookup can find it
    const auto it = m.find(key);
    if (it == m.end()) {
      wrong << "\n  find(" << key_text(key) << ") is end(), expected {" << key_text(key) << ", "
            << value << "}";
    } else if (key_text(it->first) != key_text(key) || it->second != value) {
      wrong << "\n  find(" << key_text(key) << ") is {" << key_text(it->first) << ", " << it->second
            << "}, expected {" << key_text(key) << ", " << value << "}";
    }
  }
  if (wrong.str().empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "the map does not hold the expected entries:" << wrong.str();
}

// ---- single results ----

// The key type an iterator's entries have (written this way, a key argument is converted to it, not
// deduced from a literal).
template <class Iterator>
using key_of = std::remove_cvref_t<decltype(std::declval<const Iterator&>()->first)>;

// `it` is on the entry {key, value} (key bits included).
template <class Iterator>
::testing::AssertionResult is_entry(const Iterator& it, const key_of<Iterator>& key,
                                    std::int64_t value) {
  const std::string got_key = key_text(it->first);
  const std::int64_t got_value = it->second;
  if (got_key == key_text(key) && got_value == value) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "the iterator is on {" << got_key << ", " << got_value
                                       << "}, expected {" << key_text(key) << ", " << value << "}";
}

// An insert-like call's result says "inserted" and points at the new entry {key, value}.
template <class Result>
::testing::AssertionResult inserted(const Result& result,
                                    const key_of<typename Result::first_type>& key,
                                    std::int64_t value) {
  if (!result.second)
    return ::testing::AssertionFailure() << "the result says the key was already present";
  return is_entry(result.first, key, value);
}

// An insert-like call's result says "not inserted" and points at the entry already there.
template <class Result>
::testing::AssertionResult not_inserted(const Result& result,
                                        const key_of<typename Result::first_type>& key,
                                        std::int64_t value) {
  if (result.second) return ::testing::AssertionFailure() << "the result says the key was inserted";
  return is_entry(result.first, key, value);
}

// m.find(lookup) is on {key, value}: `key` is the stored entry's key bits, which in the tagged
// universe may differ from the bits of the key looked up.
template <class Map>
::testing::AssertionResult find_returns(Map& m, const typename Map::key_type& lookup,
                                        const typename Map::key_type& key, std::int64_t value) {
  const auto it = m.find(lookup);
  if (it == m.end())
    return ::testing::AssertionFailure() << "find(" << key_text(lookup) << ") is end()";
  return is_entry(it, key, value);
}
// m.find(key) is on {key, value}.
template <class Map>
::testing::AssertionResult find_returns(Map& m, const typename Map::key_type& key,
                                        std::int64_t value) {
  return find_returns(m, key, key, value);
}

// m.find(key) is end().
template <class Map>
::testing::AssertionResult find_returns_end(Map& m, const typename Map::key_type& key) {
  const auto it = m.find(key);
  if (it == m.end()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "find(" << key_text(key) << ") is on {" << key_text(it->first) << ", " << it->second
         << "}, expected end()";
}

// reserve(n) where the map may refuse absurd n by throwing length_error or bad_alloc (both are
// allowed; the entries must survive either way, which the caller checks with holds()).
template <class Map>
void reserve(Map& m, std::uint64_t n) {
  try {
    m.reserve(static_cast<typename Map::size_type>(n));
  } catch (const std::length_error&) {
  } catch (const std::bad_alloc&) {
  }
}

// churn(n): inserts and at once erases `count` fresh keys (outside the program's universe),
// numbered from `first`, as the interpreter's churn op does.
template <class Map>
::testing::AssertionResult churn(Map& m, std::uint64_t first, std::uint64_t count) {
  using Uni = Universe<universe_of<typename Map::key_type>()>;
  for (std::uint64_t j = first; j < first + count; ++j) {
    const auto k = Uni::fresh_key(j);
    if (!m.insert({k, typename Map::mapped_type{}}).second)
      return ::testing::AssertionFailure() << "insert of fresh key #" << j << " returned false";
    if (m.erase(k) != 1)
      return ::testing::AssertionFailure() << "erase of fresh key #" << j << " did not erase it";
  }
  return ::testing::AssertionSuccess();
}

// ---- stepwise iteration ----

// Records one iteration that a reproducer drives op by op (iter_open / iter_step / erase_iterator /
// iter_close) while the map is mutated in between, and judges what it produced against the
// iteration rules (models/iteration.hpp, G1-G9).
//
// Each call takes the op number it belongs to, so that the judge knows when each entry was
// produced. Like the interpreter, a step on an iteration that reached its end (or was closed) does
// nothing; when that happens depends on the map's order, so it is found out here, at run time.
template <class Map>
class Iteration {
 public:
  using Key = typename Map::key_type;

  // One version of one entry instance: `instance` (a number the printer gave each entry it saw
  // inserted; an update keeps it, an erase or clear ends it) had key bits `key` and value `value`
  // from op `from` up to op `until` (exclusive). An entry still live when the iteration is judged
  // is listed as live until the op that judges it (or one past the last op).
  struct Lifetime {
    std::uint64_t instance;
    Key key;
    std::int64_t value;
    std::size_t from;
    std::size_t until;
  };

  // it = m.begin() at op `op`.
  void open(Map& m, std::size_t op) {
    *this = Iteration();
    map_ = &m;
    opened_at_ = op;
    it_ = m.begin();
    observe(op);
  }
  // ++it at op `op`; nothing if the iteration has ended or is closed.
  void step(std::size_t op) {
    if (!it_) return;
    ++*it_;
    observe(op);
  }
  // it = map.erase(it) at op `op`; nothing if the iteration has ended or is closed.
  void erase(std::size_t op) {
    if (!it_) return;
    it_ = map_->erase(*it_);
    observe(op);
  }
  // The map object the iteration's entries now live in (after swap, iterators follow their
  // entries).
  void now_in(Map& m) { map_ = &m; }
  // Abandon the iteration: the iterator is not used again.
  void close() { it_.reset(); }

  // Reports whether the iteration reached end().
  bool finished() const { return finished_at_.has_value(); }

  // The iterator is on {key, value} now. Reproducers assert it before erase(it): which entry that
  // is is the map's choice (its order), and the ops after it assume the choice of the recorded run.
  ::testing::AssertionResult is_on(const Key& key, std::int64_t value) const {
    if (!it_) {
      return ::testing::AssertionFailure()
             << "the iteration has ended; in the recorded run it was on {" << key_text(key) << ", "
             << value
             << "} (the map chose another order: the rest of this reproducer does not apply)";
    }
    const std::string got = key_text((*it_)->first);
    const std::int64_t got_value = (*it_)->second;
    if (got == key_text(key) && got_value == value) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "the iteration is on {" << got << ", " << got_value
                                         << "}; in the recorded run it was on {" << key_text(key)
                                         << ", " << value << "} (another order, or a wrong entry)";
  }

  // What the iteration produced obeys the iteration rules, given the lifetimes of every entry
  // instance of its map from the op that opened it on. Each produced entry is matched, at the op
  // that produced it, to a live instance with the same key bits and value (an instance not yet
  // produced if there are several, as with NaN keys). Proves:
  //   G9     nothing is produced if no entry was live at open;
  //   G3/G5  each produced entry was live when produced, with that value and those key bits (not
  //          erased, cleared or overwritten before the iteration reached it);
  //   G2     no instance is produced twice (a key erased and re-inserted is a new instance: G6);
  //   G1     if the iteration reached its end: every instance live from open until then was
  //   produced.
  ::testing::AssertionResult obeys_guarantees(const std::vector<Lifetime>& lifetimes) const {
    const auto live_at = [](const Lifetime& l, std::size_t op) {
      return l.from <= op && op < l.until;
    };
    const bool empty_at_open =
        std::none_of(lifetimes.begin(), lifetimes.end(),
                     [&](const Lifetime& l) { return live_at(l, opened_at_); });
    std::set<std::uint64_t> produced;
    for (const Produced& p : produced_) {
      const std::string what =
          "{" + p.key + ", " + std::to_string(p.value) + "} at op #" + std::to_string(p.op);
      if (empty_at_open)
        return ::testing::AssertionFailure()
               << "G9: produced " << what << " from an iteration opened on an empty map";
      const Lifetime* match = nullptr;  // first unproduced candidate, else the last candidate
      for (const Lifetime& l : lifetimes) {
        if (!live_at(l, p.op) || key_text(l.key) != p.key || l.value != p.value) continue;
        match = &l;
        if (produced.count(l.instance) == 0) break;
      }
      if (match == nullptr)
        return ::testing::AssertionFailure()
               << "G3/G5: produced " << what
               << ", which was not a live entry then (erased, cleared, or a stale "
               << "value or key)" << listing();
      if (!produced.insert(match->instance).second)
        return ::testing::AssertionFailure()
               << "G2: produced " << what << " twice (the same entry)" << listing();
    }
    if (!finished_at_) return ::testing::AssertionSuccess();
    std::ostringstream missing;
    for (const Lifetime& l : lifetimes) {
      if (!live_at(l, *finished_at_) || produced.count(l.instance) != 0) continue;
      const bool live_at_open = std::any_of(
          lifetimes.begin(), lifetimes.end(),
          [&](const Lifetime& o) { return o.instance == l.instance && live_at(o, opened_at_); });
      if (live_at_open) missing << " {" << key_text(l.key) << ", " << l.value << "}";
    }
    if (missing.str().empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "G1: the iteration reached its end at op #" << *finished_at_
           << " without producing entries live since it opened at op #" << opened_at_ << ":"
           << missing.str() << listing();
  }

 private:
  struct Produced {
    std::string key;
    std::int64_t value;
    std::size_t op;
  };

  // After the iterator moved at op `op`: record its entry, or that it reached the end.
  void observe(std::size_t op) {
    if (*it_ == map_->end()) {
      finished_at_ = op;
      it_.reset();
      return;
    }
    produced_.push_back({key_text((*it_)->first), (*it_)->second, op});
  }

  std::string listing() const {
    std::ostringstream out;
    out << "\n  opened at op #" << opened_at_ << ", produced:";
    for (const Produced& p : produced_) out << " {" << p.key << ", " << p.value << "}@" << p.op;
    if (finished_at_) out << ", reached its end at op #" << *finished_at_;
    return out.str();
  }

  Map* map_ = nullptr;
  std::optional<typename Map::iterator> it_;
  std::size_t opened_at_ = 0;
  std::optional<std::size_t> finished_at_;
  std::vector<Produced> produced_;
};

// ---- element and table checks ----
// Printed only when one of them is what failed; the interpreter's checks (interpreter.hpp) in
// test form.

// No value was destroyed twice or used after its destruction (since value_census() was reset at
// the start of the test).
inline ::testing::AssertionResult values_sound() {
  const ValueCensus& census = value_census();
  if (census.lifetime_errors == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << census.first_error << " (" << census.lifetime_errors << " such errors so far)";
}

// The maps keep exactly their entries' values alive: m.size() + side.size() (exact_element_count).
template <class Map>
::testing::AssertionResult values_match(const Map& m, const Map& side) {
  if (auto sound = values_sound(); !sound) return sound;
  const std::int64_t live = value_census().live();
  const auto sizes = static_cast<std::int64_t>(m.size() + side.size());
  if (live == sizes) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << live << " values are alive, but the maps hold " << sizes
                                       << " entries (m.size() + side.size())";
}

// Once both maps are destroyed, none of the values they constructed is alive.
inline ::testing::AssertionResult no_values_left() {
  if (auto sound = values_sound(); !sound) return sound;
  const std::int64_t live = value_census().live();
  if (live == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << live << " values constructed by the maps are still alive after both were destroyed";
}

// Where one map keeps the value of each entry, from one write to the next (stable_references: a
// reference stays valid until its entry is erased).
template <class Map>
class ValueAddresses {
 public:
  using Key = typename Map::key_type;

  // After a write: the values of `keys` (the entries the map must hold) are where they were at the
  // last check, if they were there then; the record becomes the map as it is now.
  ::testing::AssertionResult unchanged(const Map& m, const std::vector<Key>& keys) {
    std::map<std::string, const void*> now;
    std::ostringstream moved;
    for (const Key& key : keys) {
      const auto it = m.find(key);
      if (it == m.end()) continue;  // a missing entry is the lookups' failure, not this one's
      const void* address = &it->second;
      now[key_text(key)] = address;
      const auto before = addresses_.find(key_text(key));
      if (before != addresses_.end() && before->second != address)
        moved << "\n  the value of " << key_text(key) << " moved from " << before->second << " to "
              << address;
    }
    addresses_ = std::move(now);
    if (moved.str().empty()) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "values moved, though references must stay valid until their entry is erased:"
           << moved.str();
  }

  // The map was replaced (copied or moved into): its entries are new objects.
  void forget() { addresses_.clear(); }

 private:
  std::map<std::string, const void*> addresses_;
};

// The capacity the adapter reports (adapter_traits<Adapter>::capacity: bucket_count() or the
// adapter's own).
template <class Adapter, class Map>
std::size_t capacity(const Map& m) {
  return adapter_traits<Adapter>::capacity(m).value_or(0);
}

}  // namespace mapcheck::reproducer
