// A stress program: what each thread calls, in bursts. Within a burst the threads start together
// (a barrier) and each runs its own list; the next burst starts when every thread has finished.
// Bursts keep many threads inside the map at once (one long list per thread would let the fast
// ones finish early) and give exclusive calls a moment when nothing else runs.
//
// The generator follows the shape of the bugs it hunts:
//   * few keys: a few hot keys every thread uses, so that calls on one key overlap, and a few keys
//     owned by each thread, so that growth and structural calls race with writes the checker can
//     follow exactly;
//   * the map starts at its smallest capacity, and inserts outnumber erases early, so that growth
//     races with every kind of call;
//   * every written value is unique in the program, so a read names the one write it saw (and the
//     checker's fast path applies to keys with only loads and stores);
//   * compare_and_* expect one of the key's recently written values, so that some succeed;
//   * structural calls (clear, reserve with any count, bulk inserts) are dealt rarely; calls the
//     map allows only alone run in bursts of their own.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "mapcheck/stress/stress_op.hpp"

namespace mapcheck::stress {

struct Burst {
  std::vector<std::vector<StressOp>> threads;  // one list per thread (possibly empty)
  friend bool operator==(const Burst&, const Burst&) = default;
};

struct StressProgram {
  std::size_t threads = 0;
  std::vector<Burst> bursts;

  std::size_t op_count() const {
    std::size_t n = 0;
    for (const Burst& b : bursts)
      for (const auto& list : b.threads) n += list.size();
    return n;
  }
  friend bool operator==(const StressProgram&, const StressProgram&) = default;
};

struct StressShape {
  std::size_t threads = 4;
  std::size_t bursts = 16;
  std::size_t ops_per_burst = 12;  // per thread
  MapKey hot_keys = 4;             // shared by every thread
  MapKey owned_keys = 3;           // per thread, used by that thread only
};

namespace detail {

// Deals calls: offered rows by weight; what is written stays unique, what is expected is recent.
class Dealer {
 public:
  Dealer(const StressShape& shape, StressOpSet concurrent, StressOpSet exclusive,
         std::uint64_t seed)
      : shape_(shape), concurrent_(concurrent), exclusive_(exclusive), rng_(seed) {}

  StressOp concurrent_op(std::size_t thread) { return deal(thread, concurrent_); }
  StressOp exclusive_op() { return deal(0, exclusive_); }
  bool has_exclusive() const { return !exclusive_.empty(); }
  bool chance(unsigned one_in) { return rng_() % one_in == 0; }

 private:
  static constexpr unsigned weight(StressOpKind kind) {
    switch (kind) {
      case StressOpKind::load:
      case StressOpKind::store:
      case StressOpKind::insert:
        return 12;
      case StressOpKind::erase:
      case StressOpKind::compare_and_swap:
      case StressOpKind::compare_and_delete:
        return 6;
      case StressOpKind::range:
      case StressOpKind::size:
        return 2;
      case StressOpKind::clear:
      case StressOpKind::reserve:
      case StressOpKind::insert_range:
        return 1;
    }
    return 1;
  }

  StressOpKind pick(StressOpSet set) {
    unsigned total = 0;
    for (const StressOpInfo& op : kStressOps)
      if (set.has(op.kind)) total += weight(op.kind);
    unsigned r = static_cast<unsigned>(rng_() % total);
    for (const StressOpInfo& op : kStressOps) {
      if (!set.has(op.kind)) continue;
      if (r < weight(op.kind)) return op.kind;
      r -= weight(op.kind);
    }
    return StressOpKind::load;
  }

  MapKey key(std::size_t thread) {
    if (shape_.owned_keys == 0 || rng_() % 4 != 0) return rng_() % shape_.hot_keys;
    return shape_.hot_keys + thread * shape_.owned_keys + rng_() % shape_.owned_keys;
  }

  MapValue fresh(MapKey k) {
    const MapValue v = ++last_value_;
    auto& recent = written_[k];
    recent.push_back(v);
    if (recent.size() > 3) recent.erase(recent.begin());
    return v;
  }

  MapValue expected(MapKey k) {
    const auto& recent = written_[k];
    if (recent.empty() || rng_() % 5 == 0) return -1;  // a value never written: fails
    return recent[rng_() % recent.size()];
  }

  std::uint64_t reserve_count() {
    static constexpr std::uint64_t kCounts[] = {0, 1, 2, 7, 8, 9, 64, 1000, 4096};
    return kCounts[rng_() % std::size(kCounts)];
  }

  StressOp deal(std::size_t thread, StressOpSet set) {
    StressOp op;
    op.kind = pick(set);
    op.key = key(thread);
    switch (op.kind) {
      case StressOpKind::store:
      case StressOpKind::insert:
        op.value = fresh(op.key);
        break;
      case StressOpKind::compare_and_swap:
        op.expected = expected(op.key);
        op.value = fresh(op.key);
        break;
      case StressOpKind::compare_and_delete:
        op.expected = expected(op.key);
        break;
      case StressOpKind::reserve:
        op.count = reserve_count();
        break;
      case StressOpKind::insert_range: {
        const std::size_t n = 1 + rng_() % 6;
        for (std::size_t i = 0; i < n; ++i) {
          const MapKey k = key(thread);
          bool repeated = false;
          for (const auto& kv : op.bulk) repeated = repeated || kv.key == k;
          if (!repeated) op.bulk.push_back({k, fresh(k)});
        }
        break;
      }
      default:
        break;
    }
    if (!is_keyed(op.kind)) op.key = 0;
    return op;
  }

  static constexpr bool is_keyed(StressOpKind k) {
    return k != StressOpKind::range && k != StressOpKind::size && k != StressOpKind::clear &&
           k != StressOpKind::reserve && k != StressOpKind::insert_range;
  }

  StressShape shape_;
  StressOpSet concurrent_;
  StressOpSet exclusive_;
  std::mt19937_64 rng_;
  MapValue last_value_ = 0;
  std::map<MapKey, std::vector<MapValue>> written_;
};

}  // namespace detail

// The program numbered `seed` for a map offering `offered`, of which `exclusive` may only run
// alone. Deterministic in its arguments.
inline StressProgram generate(const StressShape& shape, StressOpSet offered, StressOpSet exclusive,
                              std::uint64_t seed) {
  detail::Dealer dealer(shape, offered.without(exclusive), exclusive, seed);
  StressProgram program;
  program.threads = std::max<std::size_t>(shape.threads, 1);
  for (std::size_t b = 0; b < shape.bursts; ++b) {
    Burst burst;
    burst.threads.resize(program.threads);
    for (std::size_t t = 0; t < program.threads; ++t)
      for (std::size_t i = 0; i < shape.ops_per_burst; ++i)
        burst.threads[t].push_back(dealer.concurrent_op(t));
    program.bursts.push_back(std::move(burst));
    if (dealer.has_exclusive() && dealer.chance(3)) {
      Burst alone;
      alone.threads.resize(program.threads);
      alone.threads[0].push_back(dealer.exclusive_op());
      program.bursts.push_back(std::move(alone));
    }
  }
  return program;
}

}  // namespace mapcheck::stress
