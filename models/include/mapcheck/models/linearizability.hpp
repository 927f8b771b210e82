// The linearizability search, generic over a sequential specification (never a concrete model).
//
// A history of timed operations is linearizable iff some total order of them (a) respects real
// time: if a responds strictly before b is invoked, a comes first; and (b) is a run of the
// specification: starting from its initial state, every op's output is allowed by `step`.
//
// The search is Wing and Gong's, with Lowe's memoisation ("Testing for linearizability", 2017;
// Porcupine follows the same scheme). The calls and returns sit in one list in time order (at equal
// timestamps calls first, so touching intervals count as concurrent). The search walks the list:
// at a call it tries to linearize that op next (step the model; on success unlink the op's call and
// return and restart from the head); at a return it has met an op that must already have been
// linearized, so it undoes the last choice and tries the next call after it. A configuration is the
// set of linearized ops (a bitset) plus the model state; two paths that reach the same
// configuration have the same futures, so each configuration is explored once (the memo).
//
// Cost: a linearized set is closed under real-time predecessors, so the configurations are at most
// (such sets) x (states): with T threads of sequential calls, n calls in all, at most
// (n/T + 1)^T sets, and far fewer when calls overlap little; it grows exponentially with overlap.
// `node_budget` bounds the configurations explored: past it the verdict is `unknown` and the count
// says how far the search got. Memory is one bitset per configuration (n/8 bytes for n ops).
//
// A model M provides (STYLE.md pattern 8; model_traits fills in the optional parts):
//   State, Input, Output            value types
//   static State init()
//   static std::optional<State> step(const State&, const Input&, const Output&)  pure
//   static std::size_t hash(const State&)        optional: std::hash<State> otherwise
//   static bool equal(const State&, const State&) optional: operator== otherwise
//   static std::string describe(const State&)    optional, for reports
#pragma once

#include <algorithm>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

namespace mapcheck::models {

// Ok: linearizable. Illegal: not linearizable. Unknown: the search ran out of budget.
enum class Verdict : std::uint8_t { ok, illegal, unknown };

template <class M>
concept SequentialSpec = requires(const typename M::State& s, const typename M::Input& in,
                                  const typename M::Output& out) {
  { M::init() } -> std::convertible_to<typename M::State>;
  { M::step(s, in, out) } -> std::same_as<std::optional<typename M::State>>;
};

template <SequentialSpec M>
struct model_traits {
  using State = typename M::State;

  static std::size_t hash(const State& s) {
    if constexpr (requires { M::hash(s); }) {
      return M::hash(s);
    } else {
      return std::hash<State>{}(s);
    }
  }
  static bool equal(const State& a, const State& b) {
    if constexpr (requires { M::equal(a, b); }) {
      return M::equal(a, b);
    } else {
      return a == b;
    }
  }
  static std::string describe(const State& s) {
    if constexpr (requires { M::describe(s); }) {
      return M::describe(s);
    } else {
      return "(state)";
    }
  }
};

// One operation of a history to search: what it was asked, what it answered, and when.
template <SequentialSpec M>
struct TimedOp {
  typename M::Input input;
  typename M::Output output;
  std::uint64_t invoke = 0;  // REQUIRES: invoke <= response
  std::uint64_t response = 0;
};

struct SearchOptions {
  // Configurations (linearized set, state) the search may explore before it answers `unknown`.
  std::uint64_t node_budget = 500'000;
  // Explore every linearization and collect the distinct states they end in, instead of stopping
  // at the first (used to carry a key's state across a quiescent point).
  bool all_end_states = false;
};

template <SequentialSpec M>
struct SearchResult {
  Verdict verdict = Verdict::unknown;
  std::uint64_t nodes = 0;  // configurations explored
  // The longest prefix of a linearization the search found (op indices, in order) and the state
  // after it: for an illegal history, where every attempt got stuck.
  std::vector<std::size_t> longest_prefix;
  typename M::State state_after_prefix{};
  // all_end_states: every distinct state a full linearization ends in (complete unless unknown).
  std::vector<typename M::State> end_states;
};

namespace detail {

// A set of op indices, hashable: the linearized part of a configuration.
class OpBitset {
 public:
  explicit OpBitset(std::size_t n) : words_((n + 63) / 64, 0) {}
  void set(std::size_t i) { words_[i / 64] |= bit(i); }
  void reset(std::size_t i) { words_[i / 64] &= ~bit(i); }
  std::size_t hash() const {
    std::size_t h = 0;
    for (std::uint64_t w : words_) h = (h ^ w) * 0x100000001b3ULL + (h >> 29);
    return h;
  }
  friend bool operator==(const OpBitset&, const OpBitset&) = default;

 private:
  static std::uint64_t bit(std::size_t i) { return std::uint64_t{1} << (i % 64); }
  std::vector<std::uint64_t> words_;
};

// Calls and returns in time order, doubly linked so that an op's two events can be unlinked
// (lifted) and relinked in O(1). Node 0 is the head sentinel.
class EventList {
 public:
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

  template <class Interval>
  explicit EventList(std::span<const Interval> ops) {
    struct Stamp {
      std::uint64_t time;
      bool is_return;  // calls sort first at equal times: touching intervals are concurrent
      std::size_t op;
    };
    std::vector<Stamp> stamps;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      stamps.push_back({ops[i].invoke, false, i});
      stamps.push_back({ops[i].response, true, i});
    }
    std::sort(stamps.begin(), stamps.end(), [](const Stamp& a, const Stamp& b) {
      return std::tie(a.time, a.is_return, a.op) < std::tie(b.time, b.is_return, b.op);
    });
    nodes_.resize(stamps.size() + 1);
    std::vector<std::size_t> call_of(ops.size());
    for (std::size_t i = 0; i < stamps.size(); ++i) link_at_end(i + 1, stamps[i], call_of);
  }

  std::size_t first() const { return nodes_[0].next; }
  bool empty() const { return first() == none; }
  std::size_t op(std::size_t e) const { return nodes_[e].op; }
  bool is_call(std::size_t e) const { return !nodes_[e].is_return; }
  std::size_t next(std::size_t e) const { return nodes_[e].next; }

  // Unlinks the call `e` and its return.
  void lift(std::size_t e) {
    unlink(e);
    unlink(nodes_[e].match);
  }
  // Undoes lift(e); lifts must be undone in reverse order.
  void unlift(std::size_t e) {
    relink(nodes_[e].match);
    relink(e);
  }

 private:
  struct Node {
    std::size_t op = 0;
    bool is_return = false;
    std::size_t match = 0;  // a call's return and a return's call
    std::size_t prev = 0;
    std::size_t next = none;
  };

  template <class Stamp>
  void link_at_end(std::size_t e, const Stamp& s, std::vector<std::size_t>& call_of) {
    nodes_[e].op = s.op;
    nodes_[e].is_return = s.is_return;
    nodes_[e].prev = e - 1;
    nodes_[e - 1].next = e;
    if (!s.is_return) {
      call_of[s.op] = e;
    } else {
      nodes_[e].match = call_of[s.op];
      nodes_[call_of[s.op]].match = e;
    }
  }
  void unlink(std::size_t e) {
    nodes_[nodes_[e].prev].next = nodes_[e].next;
    if (nodes_[e].next != none) nodes_[nodes_[e].next].prev = nodes_[e].prev;
  }
  void relink(std::size_t e) {
    nodes_[nodes_[e].prev].next = e;
    if (nodes_[e].next != none) nodes_[nodes_[e].next].prev = e;
  }

  std::vector<Node> nodes_;
};

template <SequentialSpec M>
class LinearizationSearch {
  using State = typename M::State;
  using Traits = model_traits<M>;

 public:
  LinearizationSearch(std::span<const TimedOp<M>> ops, State start, SearchOptions options)
      : ops_(ops),
        events_(ops),
        linearized_(ops.size()),
        state_(std::move(start)),
        options_(options) {
    result_.state_after_prefix = state_;
  }

  SearchResult<M> run() {
    std::size_t cursor = events_.first();
    while (true) {
      if (events_.empty()) {
        if (!options_.all_end_states) return finish(Verdict::ok);
        result_.end_states.push_back(state_);
        if (!backtrack(cursor)) break;
      } else if (result_.nodes >= options_.node_budget) {
        return finish(Verdict::unknown);
      } else if (cursor != EventList::none && events_.is_call(cursor)) {
        cursor = try_linearize(cursor) ? events_.first() : events_.next(cursor);
      } else if (!backtrack(cursor)) {
        break;
      }
    }
    return finish(result_.end_states.empty() ? Verdict::illegal : Verdict::ok);
  }

 private:
  struct Configuration {
    OpBitset linearized;
    State state;
  };
  struct ConfigurationHash {
    std::size_t operator()(const Configuration& c) const {
      return c.linearized.hash() ^ (Traits::hash(c.state) * 0x9e3779b97f4a7c15ULL);
    }
  };
  struct ConfigurationEqual {
    bool operator()(const Configuration& a, const Configuration& b) const {
      return a.linearized == b.linearized && Traits::equal(a.state, b.state);
    }
  };
  struct Choice {
    std::size_t call;  // the call event lifted
    State before;      // the state before its op
  };

  // Linearizes the op of `call` next if the model allows it and the configuration it leads to is
  // new. Reports whether it did.
  bool try_linearize(std::size_t call) {
    const TimedOp<M>& op = ops_[events_.op(call)];
    std::optional<State> next = M::step(state_, op.input, op.output);
    if (!next) return false;
    linearized_.set(events_.op(call));
    if (!seen_.insert(Configuration{linearized_, *next}).second) {
      linearized_.reset(events_.op(call));
      return false;
    }
    ++result_.nodes;
    chosen_.push_back({call, std::move(state_)});
    state_ = std::move(*next);
    events_.lift(call);
    remember_if_longest();
    return true;
  }

  // Undoes the last choice and points `cursor` at the event after its call. Reports whether there
  // was a choice to undo.
  bool backtrack(std::size_t& cursor) {
    if (chosen_.empty()) return false;
    Choice last = std::move(chosen_.back());
    chosen_.pop_back();
    linearized_.reset(events_.op(last.call));
    state_ = std::move(last.before);
    events_.unlift(last.call);
    cursor = events_.next(last.call);
    return true;
  }

  void remember_if_longest() {
    if (chosen_.size() <= result_.longest_prefix.size()) return;
    result_.longest_prefix.clear();
    for (const Choice& c : chosen_) result_.longest_prefix.push_back(events_.op(c.call));
    result_.state_after_prefix = state_;
  }

  SearchResult<M> finish(Verdict verdict) {
    result_.verdict = verdict;
    return std::move(result_);
  }

  std::span<const TimedOp<M>> ops_;
  EventList events_;
  OpBitset linearized_;
  State state_;
  SearchOptions options_;
  std::vector<Choice> chosen_;
  std::unordered_set<Configuration, ConfigurationHash, ConfigurationEqual> seen_;
  SearchResult<M> result_;
};

}  // namespace detail

// Searches for a linearization of `ops` that starts from `start`.
template <SequentialSpec M>
SearchResult<M> search_linearization(std::span<const TimedOp<M>> ops, typename M::State start,
                                     SearchOptions options = {}) {
  return detail::LinearizationSearch<M>(ops, std::move(start), options).run();
}

// Searches for a linearization of `ops` from the model's initial state.
template <SequentialSpec M>
SearchResult<M> check_operations(std::span<const TimedOp<M>> ops, SearchOptions options = {}) {
  return search_linearization<M>(ops, M::init(), options);
}

// The ops that could come right after `prefix` in a linearization: the ones not in it that were
// invoked no later than the earliest response among the ones not in it.
template <SequentialSpec M>
std::vector<std::size_t> next_candidates(std::span<const TimedOp<M>> ops,
                                         const std::vector<std::size_t>& prefix) {
  std::vector<bool> done(ops.size(), false);
  for (std::size_t i : prefix) done[i] = true;
  std::uint64_t earliest_response = std::numeric_limits<std::uint64_t>::max();
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (!done[i] && ops[i].response < earliest_response) earliest_response = ops[i].response;
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (!done[i] && ops[i].invoke <= earliest_response) candidates.push_back(i);
  return candidates;
}

}  // namespace mapcheck::models
