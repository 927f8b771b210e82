// The linearizability checker for concurrent map histories (history.hpp). It knows no map: only
// the per-key specification (key_register.hpp), the generic search (linearizability.hpp) and the
// unique-writes fast path (register_zones.hpp).
//
// What is checked, per kind of call:
//
//   * Point ops (load, store, insert, erase, compare_and_swap, compare_and_delete) must be
//     linearizable. A map history is linearizable iff each key's sub-history is (locality, or
//     P-compositionality: Herlihy and Wing 1990; Lowe 2017), so each key is checked alone.
//   * clear() joins every key's sub-history as an erase of that key that reports nothing. This
//     checks that each key saw the clear at one instant inside the call, NOT that all keys saw it
//     at the same instant (an atomic clear); a map whose clear empties buckets one by one passes.
//   * range() (iteration) is weakly consistent, as Go's sync.Map.Range promises: no key is produced
//     twice (checked directly); a produced (k, v) is a read of k that saw v at some instant during
//     the range call, and a key not produced is a read that saw k absent at some instant during the
//     call, but only when no call that may write k (or clear) overlaps the range call (otherwise
//     the key is not required). Both reads join k's sub-history, so "could have held v during the
//     call" is judged against every other call on k, not only real time. A key is in the universe
//     if any point op names it or any range produced it.
//   * size() is checked only at quiescence: when no other call except size() overlaps it. Then
//     every other call is wholly before or wholly after it, and each key's linearization passes
//     through one state at that instant. For each key the checker computes the set of states the
//     key may hold there in some full linearization of its sub-history (a dynamic program over the
//     quiescent points: the search collects every end state of each segment between them, then
//     keeps the states from which the rest of the sub-history still linearizes). The size must lie
//     between the number of keys that are present in every such state and the number that are
//     present in some; every count in between is reached, since keys choose independently. Each
//     size() is checked on its own: two sizes are not required to agree on one choice per key. A
//     size() with a call in flight is counted as unchecked.
//
// Fast path: when the history has no quiescent size(), a key whose sub-history holds only loads
// that report the value (or absence) and stores that report nothing, with every stored value
// unique, is decided by Gibbons-Korach zones in O(n log n). Everything else goes through
// the search, with a node budget per key: a key that exhausts it is "undecided" (verdict unknown
// unless some other key or check is illegal) and reported with its op and node counts.
//
// A violation names the key, its sub-history (history indices), a longest linearizable prefix the
// search found with the state it leaves, and for each call that could come next why it cannot; when
// the key's point ops linearize but what a range saw of the key does not, it names that range.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "mapcheck/models/history.hpp"
#include "mapcheck/models/key_register.hpp"
#include "mapcheck/models/linearizability.hpp"
#include "mapcheck/models/register_zones.hpp"

namespace mapcheck::models {

struct CheckOptions {
  // Configurations the search may explore per key (about n/8 + 64 bytes each for n calls on the
  // key) before the key is reported undecided.
  std::uint64_t node_budget_per_key = 500'000;
  // Off: every key goes through the search (to cross-check the fast path).
  bool zone_fast_path = true;
};

enum class ViolationKind : std::uint8_t {
  key_not_linearizable,  // a key's sub-history (point ops, clears, what ranges saw of it)
  range_duplicate_key,   // a range produced one key twice
  size_not_allowed,      // a quiescent size() no per-key linearization allows
};

struct Violation {
  ViolationKind kind = ViolationKind::key_not_linearizable;
  std::optional<MapKey> key;
  std::vector<std::size_t> ops;  // history indices: the key's sub-history, or the range / size call
  // key_not_linearizable: a longest linearizable prefix found (history indices, in order).
  std::vector<std::size_t> longest_prefix;
  std::string explanation;
};

// A key whose search ran out of budget.
struct UndecidedKey {
  MapKey key = 0;
  std::size_t ops = 0;      // calls in its sub-history
  std::uint64_t nodes = 0;  // configurations explored
};

struct CheckStats {
  std::size_t keys = 0;
  std::size_t fast_path_keys = 0;   // decided by zones
  std::size_t searched_keys = 0;    // went through the search
  std::uint64_t nodes = 0;          // configurations explored, all keys (explanations included)
  std::size_t sizes_checked = 0;    // quiescent size() calls
  std::size_t sizes_unchecked = 0;  // size() calls with another call in flight
  std::size_t ranges = 0;
  std::size_t range_reads = 0;  // per-key reads derived from ranges
};

struct LinearizabilityReport {
  Verdict verdict = Verdict::ok;  // illegal if any violation, else unknown if any key undecided
  std::vector<Violation> violations;
  std::vector<UndecidedKey> undecided;
  CheckStats stats;
  bool linearizable() const { return verdict == Verdict::ok; }
};

namespace detail {

// How a call joined a key's sub-history.
enum class EntryRole : std::uint8_t {
  own,           // a point op on the key
  clear,         // clear(): an erase of the key
  range_seen,    // a range produced the key
  range_unseen,  // a range did not produce the key, and nothing wrote it during the range
};

struct KeyHistory {
  MapKey key = 0;
  std::vector<std::size_t> calls;  // history indices, parallel to roles and ops
  std::vector<EntryRole> roles;
  std::vector<TimedOp<KeyRegister>> ops;

  void add(const HistoryOp& op, std::size_t index, EntryRole role, KeyRegister::Input in,
           Observed out) {
    calls.push_back(index);
    roles.push_back(role);
    ops.push_back({in, out, op.invoke, op.response});
  }
};

// The key's sub-history restricted to the entries `keep` accepts (by position).
template <class Keep>
KeyHistory filtered(const KeyHistory& h, Keep keep) {
  KeyHistory out;
  out.key = h.key;
  for (std::size_t i = 0; i < h.ops.size(); ++i)
    if (keep(i)) {
      out.calls.push_back(h.calls[i]);
      out.roles.push_back(h.roles[i]);
      out.ops.push_back(h.ops[i]);
    }
  return out;
}

inline KeyRegister::Input load_input() { return {KeyOpKind::load, 0, 0}; }

inline void add_point_ops(const History& history, std::map<MapKey, KeyHistory>& keys) {
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryOp& op = history[i];
    if (!is_point_op(op.kind)) continue;
    keys[op.key].add(op, i, EntryRole::own, key_input(op), op.observed);
  }
  for (const HistoryOp& op : history)
    if (op.kind == HistoryOpKind::range)
      for (const KeyValue& kv : op.seen) keys[kv.key];
  for (auto& [key, h] : keys) h.key = key;
}

inline void add_clears(const History& history, std::map<MapKey, KeyHistory>& keys) {
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (history[i].kind != HistoryOpKind::clear) continue;
    for (auto& [key, h] : keys) h.add(history[i], i, EntryRole::clear, key_input(history[i]), {});
  }
}

// A set of call intervals that answers "does any of them overlap [invoke, response]?" in
// O(log n): sorted by invocation, with the latest response among each prefix. The calls that
// start no later than the query ends are a prefix; one of them overlaps iff that prefix's latest
// response is no earlier than the query's start (overlaps() in history.hpp).
class IntervalIndex {
 public:
  void add(Timestamp invoke, Timestamp response) { spans_.push_back({invoke, response}); }
  void seal() {
    std::sort(spans_.begin(), spans_.end());
    Timestamp latest = 0;
    for (auto& [invoke, response] : spans_) latest = response = std::max(latest, response);
  }
  bool overlaps(const HistoryOp& query) const {
    const auto end =
        std::upper_bound(spans_.begin(), spans_.end(), std::pair(query.response, ~Timestamp{0}));
    return end != spans_.begin() && std::prev(end)->second >= query.invoke;
  }

 private:
  std::vector<std::pair<Timestamp, Timestamp>> spans_;  // (invoke, latest response so far)
};

// The calls that may write `h`'s key (its own writes and every clear).
inline IntervalIndex writes_of(const History& history, const KeyHistory& h) {
  IntervalIndex writes;
  for (std::size_t i = 0; i < h.calls.size(); ++i) {
    const HistoryOp& op = history[h.calls[i]];
    if ((h.roles[i] == EntryRole::own || h.roles[i] == EntryRole::clear) && may_write(op.kind))
      writes.add(op.invoke, op.response);
  }
  writes.seal();
  return writes;
}

inline std::string key_text(MapKey k) { return "k" + std::to_string(k); }

// Adds what each range saw (and did not see) to the keys' sub-histories, and reports duplicates.
inline void add_ranges(const History& history, std::map<MapKey, KeyHistory>& keys,
                       std::vector<Violation>& violations, CheckStats& stats) {
  // Before any range read joins the sub-histories (the reads write nothing).
  std::map<MapKey, IntervalIndex> writes;
  for (const auto& [key, h] : keys) writes.emplace(key, writes_of(history, h));
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryOp& range = history[i];
    if (range.kind != HistoryOpKind::range) continue;
    ++stats.ranges;
    std::map<MapKey, MapValue> seen;
    for (const KeyValue& kv : range.seen) {
      if (seen.emplace(kv.key, kv.value).second) continue;
      violations.push_back(
          {ViolationKind::range_duplicate_key,
           kv.key,
           {i},
           {},
           "range #" + std::to_string(i) + " produced " + key_text(kv.key) + " more than once"});
    }
    std::vector<std::pair<MapKey, Observed>> reads;  // collected first: add() grows the histories
    for (auto& [key, h] : keys) {
      auto it = seen.find(key);
      if (it != seen.end()) {
        reads.push_back({key, Observed{true, it->second, std::nullopt}});
      } else if (!writes.at(key).overlaps(range)) {
        reads.push_back({key, Observed{false, std::nullopt, std::nullopt}});
      }
    }
    for (auto& [key, out] : reads) {
      keys[key].add(range, i, out.found == true ? EntryRole::range_seen : EntryRole::range_unseen,
                    load_input(), out);
      ++stats.range_reads;
    }
  }
}

// The unique-writes register view of a sub-history, or nothing when the fast path does not apply.
inline std::optional<std::vector<RegisterAccess>> as_unique_write_register(const KeyHistory& h) {
  std::vector<RegisterAccess> accesses;
  std::set<MapValue> written;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    const TimedOp<KeyRegister>& op = h.ops[i];
    const Observed& out = op.output;
    RegisterAccess a{false, std::nullopt, op.invoke, op.response, h.calls[i]};
    if (op.input.kind == KeyOpKind::load) {
      if (out.value) {
        a.value = out.value;
      } else if (out.found == true) {
        return std::nullopt;  // "present" names no write
      } else if (!out.found) {
        continue;  // reports nothing: constrains nothing
      }
    } else if (op.input.kind == KeyOpKind::store && !out.found && !out.value) {
      if (!written.insert(op.input.value).second) return std::nullopt;  // not unique
      a.is_write = true;
      a.value = op.input.value;
    } else {
      return std::nullopt;
    }
    accesses.push_back(a);
  }
  return accesses;
}

using KeyState = KeyRegister::State;

inline void add_state(std::vector<KeyState>& set, const KeyState& s) {
  if (std::find(set.begin(), set.end(), s) == set.end()) set.push_back(s);
}

// The verdict on one key, and what size() checks need from it.
struct KeyVerdict {
  Verdict verdict = Verdict::ok;
  std::uint64_t nodes = 0;
  bool fast_path = false;
  std::string zone_explanation;  // when the fast path found the violation
  // For each quiescent point (in time order): the states the key may hold there.
  std::vector<std::vector<KeyState>> allowed_at_cut;
};

// Splits a key's sub-history at the quiescent points `cuts` (their invocation times, ascending).
inline std::vector<std::vector<TimedOp<KeyRegister>>> segments_of(
    const KeyHistory& h, const std::vector<Timestamp>& cuts) {
  std::vector<std::vector<TimedOp<KeyRegister>>> segments(cuts.size() + 1);
  for (const TimedOp<KeyRegister>& op : h.ops) {
    const std::size_t before = std::upper_bound(cuts.begin(), cuts.end(), op.invoke) - cuts.begin();
    segments[before].push_back(op);
  }
  return segments;
}

// The dynamic program over quiescent points (see the top of the file).
class SegmentedSearch {
 public:
  SegmentedSearch(std::vector<std::vector<TimedOp<KeyRegister>>> segments, std::uint64_t budget)
      : segments_(std::move(segments)), budget_(budget) {}

  KeyVerdict run() {
    KeyVerdict v;
    const std::size_t m = segments_.size();
    reach_.assign(m, {});
    ends_.assign(m, {});
    reach_[0] = {KeyRegister::init()};
    for (std::size_t c = 0; c + 1 < m; ++c)
      if (!collect_ends(c)) return unknown();
    completes_.assign(m, {});
    for (const KeyState& s : reach_[m - 1]) {
      SearchResult<KeyRegister> r = search(m - 1, s, false);
      if (r.verdict == Verdict::unknown) return unknown();
      if (r.verdict == Verdict::ok) completes_[m - 1].push_back(s);
    }
    for (std::size_t c = m - 1; c-- > 0;) keep_completing_starts(c);
    v.nodes = nodes_;
    v.verdict = completes_[0].empty() ? Verdict::illegal : Verdict::ok;
    for (std::size_t c = 1; c < m; ++c) v.allowed_at_cut.push_back(completes_[c]);
    return v;
  }

 private:
  SearchResult<KeyRegister> search(std::size_t segment, const KeyState& start, bool all_ends) {
    SearchOptions options{budget_ > nodes_ ? budget_ - nodes_ : 0, all_ends};
    SearchResult<KeyRegister> r = search_linearization<KeyRegister>(
        std::span<const TimedOp<KeyRegister>>(segments_[segment]), start, options);
    nodes_ += r.nodes;
    return r;
  }

  // Fills ends_[c] and reach_[c + 1]. Reports false when the budget ran out.
  bool collect_ends(std::size_t c) {
    for (const KeyState& s : reach_[c]) {
      SearchResult<KeyRegister> r = search(c, s, true);
      if (r.verdict == Verdict::unknown) return false;
      for (const KeyState& e : r.end_states) add_state(reach_[c + 1], e);
      ends_[c].push_back({s, std::move(r.end_states)});
    }
    return true;
  }

  // completes_[c]: the starts of segment c from which the rest of the sub-history linearizes.
  void keep_completing_starts(std::size_t c) {
    for (const auto& [start, ends] : ends_[c]) {
      const bool completes = std::any_of(ends.begin(), ends.end(), [&](const KeyState& e) {
        return std::find(completes_[c + 1].begin(), completes_[c + 1].end(), e) !=
               completes_[c + 1].end();
      });
      if (completes) completes_[c].push_back(start);
    }
  }

  KeyVerdict unknown() const {
    KeyVerdict v;
    v.verdict = Verdict::unknown;
    v.nodes = nodes_;
    return v;
  }

  std::vector<std::vector<TimedOp<KeyRegister>>> segments_;
  std::uint64_t budget_;
  std::uint64_t nodes_ = 0;
  std::vector<std::vector<KeyState>> reach_;  // reach_[c]: states segment c may start from
  std::vector<std::vector<std::pair<KeyState, std::vector<KeyState>>>> ends_;  // per start
  std::vector<std::vector<KeyState>> completes_;
};

inline KeyVerdict check_key(const KeyHistory& h, const std::vector<Timestamp>& cuts,
                            const CheckOptions& options) {
  if (cuts.empty() && options.zone_fast_path) {
    if (auto accesses = as_unique_write_register(h)) {
      const ZoneVerdict z = check_unique_write_register(*accesses);
      KeyVerdict v;
      v.fast_path = true;
      v.verdict = z.linearizable ? Verdict::ok : Verdict::illegal;
      v.zone_explanation = z.explanation;
      return v;
    }
  }
  return SegmentedSearch(segments_of(h, cuts), options.node_budget_per_key).run();
}

// "#12 range() produced k3:7", "#4 store(k3, 5) -> was absent".
inline std::string entry_text(const History& history, const KeyHistory& h, std::size_t i) {
  const std::string call = "#" + std::to_string(h.calls[i]) + " ";
  switch (h.roles[i]) {
    case EntryRole::own:
      return call + describe(history[h.calls[i]]);
    case EntryRole::clear:
      return call + "clear()";
    case EntryRole::range_seen:
      return call + "range() produced " + key_text(h.key) + ":" +
             std::to_string(*h.ops[i].output.value);
    case EntryRole::range_unseen:
      return call + "range() did not produce " + key_text(h.key);
  }
  return call;
}

// Why each call that could follow `r`'s longest prefix cannot.
inline std::string stuck_text(const History& history, const KeyHistory& h,
                              const SearchResult<KeyRegister>& r) {
  std::ostringstream out;
  const std::span<const TimedOp<KeyRegister>> ops(h.ops);
  for (std::size_t i : next_candidates<KeyRegister>(ops, r.longest_prefix)) {
    out << "\n    " << entry_text(history, h, i);
    if (KeyRegister::step(r.state_after_prefix, ops[i].input, ops[i].output)) {
      out << ": allowed, but every linearization that continues with it gets stuck later";
    } else {
      out << ": not allowed when the key is " << KeyRegister::describe(r.state_after_prefix);
    }
  }
  return out.str();
}

// The searches that explain one violation share one budget (the per-key budget again), so that
// explaining a pathological key costs at most twice what deciding it did.
class ExplanationSearches {
 public:
  ExplanationSearches(std::uint64_t budget, CheckStats& stats) : left_(budget), stats_(stats) {}

  SearchResult<KeyRegister> run(const std::vector<TimedOp<KeyRegister>>& ops) {
    SearchResult<KeyRegister> r = check_operations<KeyRegister>(
        std::span<const TimedOp<KeyRegister>>(ops), {.node_budget = left_});
    left_ -= std::min(left_, r.nodes);
    stats_.nodes += r.nodes;
    return r;
  }

 private:
  std::uint64_t left_;
  CheckStats& stats_;
};

// The range whose view of the key breaks a sub-history whose other calls linearize, if any:
// ranges are added back one at a time, in history order.
inline std::optional<std::size_t> first_breaking_range(const KeyHistory& h,
                                                       ExplanationSearches& searches) {
  auto is_range = [&](std::size_t i) {
    return h.roles[i] == EntryRole::range_seen || h.roles[i] == EntryRole::range_unseen;
  };
  std::vector<std::size_t> ranges;
  for (std::size_t i = 0; i < h.ops.size(); ++i)
    if (is_range(i)) ranges.push_back(i);
  std::sort(ranges.begin(), ranges.end(),
            [&](std::size_t a, std::size_t b) { return h.calls[a] < h.calls[b]; });
  std::vector<bool> kept(h.ops.size(), true);
  for (std::size_t i : ranges) kept[i] = false;
  for (std::size_t n = 0; n <= ranges.size(); ++n) {
    if (n > 0) kept[ranges[n - 1]] = true;
    const SearchResult<KeyRegister> r =
        searches.run(filtered(h, [&](std::size_t i) { return kept[i]; }).ops);
    if (r.verdict == Verdict::unknown) return std::nullopt;
    if (r.verdict == Verdict::illegal) {
      if (n == 0) return std::nullopt;  // the calls without ranges do not linearize either
      return ranges[n - 1];
    }
  }
  return std::nullopt;
}

inline std::string range_blame(const History& history, const KeyHistory& h, std::size_t i) {
  const std::string what = entry_text(history, h, i);
  if (h.roles[i] == EntryRole::range_seen)
    return what +
           ", yet the key cannot have held that value at any instant of the range (a "
           "phantom)";
  return what +
         ", yet no call could write the key during the range and it cannot have been "
         "absent then (a missed key)";
}

inline std::string calls_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " call" : " calls");
}

inline Violation explain_key(const History& history, const KeyHistory& h, const KeyVerdict& v,
                             const CheckOptions& options, CheckStats& stats) {
  Violation out;
  out.key = h.key;
  out.ops = h.calls;
  ExplanationSearches searches(options.node_budget_per_key, stats);
  const SearchResult<KeyRegister> r = searches.run(h.ops);
  for (std::size_t i : r.longest_prefix) out.longest_prefix.push_back(h.calls[i]);
  std::ostringstream why;
  why << key_text(h.key) << ": no linearization of its " << calls_text(h.ops.size()) << " exists";
  if (!v.zone_explanation.empty()) why << " (unique-value zones: " << v.zone_explanation << ")";
  if (auto range = first_breaking_range(h, searches)) {
    why << ".\n  Its calls linearize without what range #" << h.calls[*range]
        << " saw of it: " << range_blame(history, h, *range);
  }
  why << ".\n  A longest linearizable prefix";
  if (r.verdict == Verdict::unknown) why << " found before the explanation's budget ran out";
  why << " (" << calls_text(r.longest_prefix.size()) << "):";
  for (std::size_t i : r.longest_prefix) why << "\n    " << entry_text(history, h, i);
  why << "\n  leaves the key " << KeyRegister::describe(r.state_after_prefix)
      << "; the calls that could come next:" << stuck_text(history, h, r);
  out.explanation = why.str();
  return out;
}

// Sorts a sub-history by invocation (then history index), for reports.
inline void sort_by_invoke(KeyHistory& h) {
  std::vector<std::size_t> order(h.ops.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(h.ops[a].invoke, h.calls[a]) < std::pair(h.ops[b].invoke, h.calls[b]);
  });
  KeyHistory sorted;
  sorted.key = h.key;
  for (std::size_t i : order) {
    sorted.calls.push_back(h.calls[i]);
    sorted.roles.push_back(h.roles[i]);
    sorted.ops.push_back(h.ops[i]);
  }
  h = std::move(sorted);
}

struct SizeBounds {
  std::uint64_t low = 0, high = 0;
  std::vector<MapKey> present, maybe;
};

inline SizeBounds size_bounds(const std::map<MapKey, KeyVerdict>& verdicts, std::size_t cut) {
  SizeBounds b;
  for (const auto& [key, v] : verdicts) {
    bool can_be_present = true, can_be_absent = true;
    if (v.verdict == Verdict::ok) {
      const std::vector<KeyState>& states = v.allowed_at_cut[cut];
      can_be_present =
          std::any_of(states.begin(), states.end(), [](const KeyState& s) { return s; });
      can_be_absent =
          std::any_of(states.begin(), states.end(), [](const KeyState& s) { return !s; });
    }
    if (can_be_present && !can_be_absent) b.present.push_back(key);
    if (can_be_present && can_be_absent) b.maybe.push_back(key);
  }
  b.low = b.present.size();
  b.high = b.present.size() + b.maybe.size();
  return b;
}

inline std::string keys_text(const std::vector<MapKey>& keys) {
  if (keys.empty()) return "none";
  std::string text;
  for (MapKey k : keys) text += (text.empty() ? "" : ", ") + key_text(k);
  return text;
}

inline void check_sizes(const History& history, const std::vector<std::size_t>& sizes,
                        const std::map<MapKey, KeyVerdict>& verdicts,
                        std::vector<Violation>& violations) {
  for (std::size_t cut = 0; cut < sizes.size(); ++cut) {
    const HistoryOp& s = history[sizes[cut]];
    const SizeBounds b = size_bounds(verdicts, cut);
    if (*s.size >= b.low && *s.size <= b.high) continue;
    std::ostringstream why;
    why << "size() #" << sizes[cut] << " returned " << *s.size
        << " with no call in flight, but the keys' linearizations allow " << b.low;
    if (b.high != b.low) why << " to " << b.high;
    why << " (present in every linearization: " << keys_text(b.present)
        << "; present in some: " << keys_text(b.maybe) << ")";
    violations.push_back(
        {ViolationKind::size_not_allowed, std::nullopt, {sizes[cut]}, {}, why.str()});
  }
}

// The quiescent size() calls, by invocation; counts the others as unchecked.
inline std::vector<std::size_t> quiescent_sizes(const History& history, CheckStats& stats) {
  // A size() is quiescent when no call other than a size() overlaps it.
  IntervalIndex others;
  for (const HistoryOp& op : history)
    if (op.kind != HistoryOpKind::size) others.add(op.invoke, op.response);
  others.seal();
  std::vector<std::size_t> sizes;
  for (std::size_t i = 0; i < history.size(); ++i) {
    if (history[i].kind != HistoryOpKind::size) continue;
    if (!others.overlaps(history[i])) {
      sizes.push_back(i);
    } else {
      ++stats.sizes_unchecked;
    }
  }
  std::sort(sizes.begin(), sizes.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(history[a].invoke, a) < std::pair(history[b].invoke, b);
  });
  stats.sizes_checked = sizes.size();
  return sizes;
}

inline Verdict overall(const LinearizabilityReport& report) {
  if (!report.violations.empty()) return Verdict::illegal;
  return report.undecided.empty() ? Verdict::ok : Verdict::unknown;
}

}  // namespace detail

// Checks a concurrent map history. Throws std::invalid_argument when the history is malformed
// (validate() in history.hpp).
inline LinearizabilityReport check_linearizable(const History& history,
                                                const CheckOptions& options = {}) {
  if (auto error = validate(history)) throw std::invalid_argument(*error);
  LinearizabilityReport report;
  std::map<MapKey, detail::KeyHistory> keys;
  detail::add_point_ops(history, keys);
  detail::add_clears(history, keys);
  detail::add_ranges(history, keys, report.violations, report.stats);
  const std::vector<std::size_t> sizes = detail::quiescent_sizes(history, report.stats);
  std::vector<Timestamp> cuts;
  for (std::size_t i : sizes) cuts.push_back(history[i].invoke);

  std::map<MapKey, detail::KeyVerdict> verdicts;
  for (auto& [key, h] : keys) {
    detail::sort_by_invoke(h);
    detail::KeyVerdict v = detail::check_key(h, cuts, options);
    ++(v.fast_path ? report.stats.fast_path_keys : report.stats.searched_keys);
    report.stats.nodes += v.nodes;
    if (v.verdict == Verdict::illegal)
      report.violations.push_back(detail::explain_key(history, h, v, options, report.stats));
    if (v.verdict == Verdict::unknown) report.undecided.push_back({key, h.ops.size(), v.nodes});
    verdicts.emplace(key, std::move(v));
  }
  report.stats.keys = keys.size();
  detail::check_sizes(history, sizes, verdicts, report.violations);
  report.verdict = detail::overall(report);
  return report;
}

}  // namespace mapcheck::models
