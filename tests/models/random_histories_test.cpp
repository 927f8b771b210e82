// Randomized tests of the checker against things it must agree with:
//   * histories generated from a real sequential execution are linearizable, every time;
//   * on register histories (the fast path's domain), zones and the search give the same verdict,
//     on generated histories and on mutated ones;
//   * on tiny mutated histories, the checker agrees with a brute force over every order of the
//     calls on an atomic map (exactly where the two define the same property, one way elsewhere).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include <mapcheck/models/generated_history.hpp>
#include <mapcheck/models/history.hpp>
#include <mapcheck/models/history_table.hpp>
#include <mapcheck/models/key_register.hpp>
#include <mapcheck/models/map_linearizability.hpp>

namespace mapcheck::models {
namespace {

using generated::generate_history;
using generated::GenerateOptions;
using generated::Mix;

// Changes one thing in `h`: an output, or when a call happened. The result may or may not still
// be linearizable; it is always well formed.
class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  void mutate(History& h) {
    if (h.empty()) return;
    HistoryOp& op = h[pick(h.size())];
    if (pick(4) == 0) return shift(op);
    switch (op.kind) {
      case HistoryOpKind::load:
      case HistoryOpKind::store:
      case HistoryOpKind::erase:
        return change_reported_state(op);
      case HistoryOpKind::insert:
        return change_insert(op);
      case HistoryOpKind::compare_and_swap:
      case HistoryOpKind::compare_and_delete:
        op.observed.succeeded = !op.observed.succeeded.value_or(false);
        return;
      case HistoryOpKind::clear:
        return shift(op);
      case HistoryOpKind::size:
        *op.size = pick(2) == 0 ? *op.size + 1 : (*op.size + 3) % 4;
        return;
      case HistoryOpKind::range:
        return change_range(op);
    }
  }

  // For register histories (loads and unique blind stores), staying in that domain: a load reads
  // another value (one written to its key, absence, or one never written), or a call moves.
  void mutate_register(History& h) {
    if (h.empty()) return;
    HistoryOp& op = h[pick(h.size())];
    if (op.kind != HistoryOpKind::load || pick(4) == 0) return shift(op);
    std::vector<MapValue> written;
    for (const HistoryOp& w : h)
      if (w.kind == HistoryOpKind::store && w.key == op.key) written.push_back(w.value);
    const std::uint64_t what = pick(3);
    if (what == 0 && !written.empty()) {
      op = record::load(call_of(op), op.key, written[pick(written.size())]);
    } else if (what == 1) {
      op = record::load(call_of(op), op.key, std::nullopt);
    } else {
      op = record::load(call_of(op), op.key, 99);
    }
  }

 private:
  static Call call_of(const HistoryOp& op) { return {op.thread, op.invoke, op.response}; }

  std::uint64_t pick(std::uint64_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }

  // Moves the call's interval (keeping it well formed).
  void shift(HistoryOp& op) {
    const Timestamp length = op.response - op.invoke;
    op.invoke = pick(2) == 0 ? op.invoke / 2 : op.invoke + pick(40);
    op.response = op.invoke + (pick(2) == 0 ? length : pick(30));
  }

  // Another value, absence, or (when only presence was reported) the other presence.
  void change_reported_state(HistoryOp& op) {
    Observed& o = op.observed;
    if (o.value && pick(2) == 0) {
      o.value = *o.value + 1 + static_cast<MapValue>(pick(2));
    } else if (o.found) {
      o.found = !*o.found;
      o.value = *o.found ? std::optional<MapValue>(static_cast<MapValue>(pick(3))) : std::nullopt;
    } else {
      o.found = pick(2) == 0;
    }
  }

  void change_insert(HistoryOp& op) {
    Observed& o = op.observed;
    if (pick(2) == 0) {
      o.found = !o.found.value_or(false);
    } else {
      o.value = o.value.value_or(0) + 1;
    }
  }

  void change_range(HistoryOp& op) {
    const std::uint64_t what = pick(3);
    if (what == 0 && !op.seen.empty()) {
      op.seen.erase(op.seen.begin() + static_cast<std::ptrdiff_t>(pick(op.seen.size())));
    } else if (what == 1 && !op.seen.empty()) {
      op.seen[pick(op.seen.size())].value += 1;
    } else {
      op.seen.push_back({pick(3), static_cast<MapValue>(pick(3))});
    }
  }

  std::mt19937_64 rng_;
};

// Every order of the calls that real time allows, applied to an atomic map: clear() empties the
// map at one instant and range() is a snapshot, so this is at least as strict as the checker.
class BruteForce {
 public:
  explicit BruteForce(const History& h) : h_(h), used_(h.size(), false) {}

  bool linearizable() { return place(0); }

 private:
  bool place(std::size_t placed) {
    if (placed == h_.size()) return true;
    for (std::size_t i = 0; i < h_.size(); ++i) {
      if (used_[i] || !minimal(i)) continue;
      const std::map<MapKey, MapValue> before = map_;
      if (apply(h_[i])) {
        used_[i] = true;
        if (place(placed + 1)) return true;
        used_[i] = false;
      }
      map_ = before;
    }
    return false;
  }

  // Reports whether no pending call finished before call `i` started.
  bool minimal(std::size_t i) const {
    for (std::size_t j = 0; j < h_.size(); ++j)
      if (!used_[j] && precedes(h_[j], h_[i])) return false;
    return true;
  }

  bool apply(const HistoryOp& op) {
    switch (op.kind) {
      case HistoryOpKind::clear:
        map_.clear();
        return true;
      case HistoryOpKind::size:
        return *op.size == map_.size();
      case HistoryOpKind::range: {
        std::map<MapKey, MapValue> seen;
        for (const KeyValue& kv : op.seen)
          if (!seen.emplace(kv.key, kv.value).second) return false;
        return seen == map_;
      }
      default:
        break;
    }
    KeyRegister::State s;
    if (auto it = map_.find(op.key); it != map_.end()) s = it->second;
    const auto next = KeyRegister::step(s, key_input(op), op.observed);
    if (!next) return false;
    if (*next) {
      map_[op.key] = **next;
    } else {
      map_.erase(op.key);
    }
    return true;
  }

  const History& h_;
  std::vector<bool> used_;
  std::map<MapKey, MapValue> map_;
};

// Reports whether the checker and the brute force define the same property on `h`: no clear
// (checked per key), no range (weakly consistent), and at most one size, at quiescence.
bool same_property(const History& h, const LinearizabilityReport& r) {
  std::size_t sizes = 0;
  for (const HistoryOp& op : h) {
    if (op.kind == HistoryOpKind::clear || op.kind == HistoryOpKind::range) return false;
    sizes += op.kind == HistoryOpKind::size;
  }
  return sizes == r.stats.sizes_checked && sizes <= 1;
}

// 300 histories of 4 threads x 12 calls on 3 keys, every kind, with size barriers: all
// linearizable, with the fast path on and off.
TEST(RandomHistories, GeneratedFromASequentialExecutionAreLinearizable) {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    const History h = generate_history(
        seed,
        {.threads = 4, .ops_per_thread = 12, .keys = 3, .barrier_every = seed % 3 == 0 ? 0u : 9u});
    const LinearizabilityReport r = check_linearizable(h);
    ASSERT_EQ(r.verdict, Verdict::ok) << "seed " << seed << "\n" << describe_report(h, r);
    if (seed % 3 != 0) {
      ASSERT_GT(r.stats.sizes_checked, 0u) << "seed " << seed;
    }
  }
}

// Register histories: the zones verdict equals the search's, on generated histories (legal) and
// on mutated ones (often illegal). Both outcomes must occur, or the test proves nothing.
TEST(RandomHistories, ZonesAgreeWithTheSearch) {
  Mutator mutator(7);
  std::size_t illegal = 0, legal = 0;
  for (std::uint64_t seed = 1; seed <= 1500; ++seed) {
    History h = generate_history(seed, {.threads = 1 + seed % 4,
                                        .ops_per_thread = 2 + seed % 5,
                                        .keys = 1 + seed % 2,
                                        .mix = Mix::registers});
    if (seed % 5 != 0) mutator.mutate_register(h);
    const LinearizabilityReport zones = check_linearizable(h);
    const LinearizabilityReport searched = check_linearizable(h, {.zone_fast_path = false});
    ASSERT_EQ(zones.stats.searched_keys, 0u) << "seed " << seed << ": the fast path must apply";
    ASSERT_EQ(zones.verdict, searched.verdict)
        << "seed " << seed << "\nzones: " << describe_report(h, zones)
        << "\nsearch: " << describe_report(h, searched);
    ++(zones.verdict == Verdict::ok ? legal : illegal);
  }
  EXPECT_GT(illegal, 300u);
  EXPECT_GT(legal, 300u);
}

// Larger register histories with more overlap (4 threads, 25 calls each, wide jitter).
TEST(RandomHistories, ZonesAgreeWithTheSearchOnLargerHistories) {
  Mutator mutator(11);
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    History h = generate_history(
        seed,
        {.threads = 4, .ops_per_thread = 25, .keys = 2, .mix = Mix::registers, .max_jitter = 15});
    for (std::uint64_t n = 0; n < seed % 3; ++n) mutator.mutate_register(h);
    const LinearizabilityReport zones = check_linearizable(h);
    const LinearizabilityReport searched = check_linearizable(h, {.zone_fast_path = false});
    ASSERT_EQ(zones.verdict, searched.verdict)
        << "seed " << seed << "\nzones: " << describe_report(h, zones)
        << "\nsearch: " << describe_report(h, searched);
  }
}

// Tiny histories of every kind, mutated: where the checker and the brute force define the same
// property they agree; elsewhere the checker (per-key clear, weakly consistent range, sizes
// checked one by one) never rejects what the brute force accepts.
TEST(RandomHistories, AgreesWithABruteForceOnTinyHistories) {
  Mutator mutator(3);
  std::size_t compared = 0, illegal = 0;
  for (std::uint64_t seed = 1; seed <= 2500; ++seed) {
    History h = generate_history(seed, {.threads = 2 + seed % 2,
                                        .ops_per_thread = 2 + seed % 2,
                                        .keys = 1 + seed % 2,
                                        .barrier_every = seed % 4 == 0 ? 3u : 0u});
    if (seed % 6 != 0) mutator.mutate(h);
    const LinearizabilityReport r = check_linearizable(h);
    ASSERT_NE(r.verdict, Verdict::unknown);
    const bool brute = BruteForce(h).linearizable();
    if (brute) {
      ASSERT_EQ(r.verdict, Verdict::ok) << "seed " << seed << "\n" << describe_report(h, r);
    }
    if (same_property(h, r)) {
      ++compared;
      illegal += !brute;
      ASSERT_EQ(r.verdict == Verdict::ok, brute) << "seed " << seed << "\n"
                                                 << describe_report(h, r);
    }
  }
  EXPECT_GT(compared, 500u);
  EXPECT_GT(illegal, 100u);
}

}  // namespace
}  // namespace mapcheck::models
