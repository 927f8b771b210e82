// Histories for the linearizability checker's tests (tests/models/) and benchmark
// (bench/linearizability_bench.cpp), generated from a real sequential execution: a scheduler deals
// ops to threads, applies each one atomically to a std::map at its own instant (its linearization
// point) and records what the map returned, with an interval jittered around that instant. Such a
// history is linearizable by construction (the execution order is a witness).
//
// Size barriers: every `barrier_every` ops the scheduler waits until every thread is idle, then
// records a size() at a quiescent point. Ranges are atomic snapshots at their instant, which
// satisfies weak consistency.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "mapcheck/models/history.hpp"

namespace mapcheck::models::generated {

enum class Mix : std::uint8_t {
  registers,   // load and blind store with unique values only: the zones fast path's domain
  everything,  // every kind of call
};

struct GenerateOptions {
  std::size_t threads = 4;
  std::size_t ops_per_thread = 10;
  MapKey keys = 2;
  Mix mix = Mix::everything;
  std::size_t barrier_every = 0;  // 0: no size barriers
  Timestamp max_jitter = 6;       // how far an interval may reach around its instant
};

class HistoryGenerator {
 public:
  HistoryGenerator(std::uint64_t seed, GenerateOptions options)
      : rng_(seed),
        options_(options),
        busy_until_(options.threads, 0),
        left_(options.threads, options.ops_per_thread) {}

  History run() {
    std::size_t done = 0;
    while (true) {
      now_ += 1 + pick(3);
      std::vector<ThreadId> idle;
      for (ThreadId t = 0; t < options_.threads; ++t)
        if (left_[t] > 0 && busy_until_[t] < now_) idle.push_back(t);
      if (idle.empty()) {
        if (std::all_of(left_.begin(), left_.end(), [](std::size_t n) { return n == 0; })) break;
        continue;
      }
      const ThreadId t = idle[pick(idle.size())];
      --left_[t];
      history_.push_back(next_op(t));
      if (options_.barrier_every != 0 && ++done % options_.barrier_every == 0) barrier(t);
    }
    return std::move(history_);
  }

 private:
  std::uint64_t pick(std::uint64_t n) {
    return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng_);
  }
  bool chance(int percent) { return pick(100) < static_cast<std::uint64_t>(percent); }

  // An interval for thread `t` around the current instant.
  Call call_for(ThreadId t) {
    const Timestamp earliest = std::max(busy_until_[t], floor_) + 1;
    const Timestamp reach = std::min(options_.max_jitter, now_ - earliest);
    Call c{t, now_ - pick(reach + 1), now_ + 1 + pick(options_.max_jitter)};
    busy_until_[t] = c.response;
    return c;
  }

  // Waits for every thread to be idle, then records a size() that nothing overlaps.
  void barrier(ThreadId t) {
    for (Timestamp b : busy_until_) now_ = std::max(now_, b);
    now_ += 1;
    history_.push_back(record::size({t, now_, now_ + 1}, map_.size()));
    now_ += 2;
    floor_ = now_;
    busy_until_[t] = now_;
  }

  std::optional<MapValue> current(MapKey k) const {
    auto it = map_.find(k);
    if (it == map_.end()) return std::nullopt;
    return it->second;
  }

  MapValue fresh_value() { return ++last_value_; }

  // A value that is sometimes the current one (so that conditional ops succeed).
  MapValue likely_value(MapKey k) {
    if (auto v = current(k); v && chance(60)) return *v;
    return static_cast<MapValue>(pick(4));
  }

  HistoryOp next_op(ThreadId t) {
    const MapKey k = pick(options_.keys);
    const Call c = call_for(t);
    if (options_.mix == Mix::registers) {
      if (chance(50)) return record::load(c, k, current(k));
      const MapValue v = fresh_value();
      map_[k] = v;
      return record::store(c, k, v);
    }
    const auto before = current(k);
    const MapValue v = chance(50) ? fresh_value() : static_cast<MapValue>(pick(4));
    switch (pick(16)) {
      case 0:
        return record::load(c, k, before);
      case 1:
        return record::contains(c, k, before.has_value());
      case 2:
        map_[k] = v;
        return record::store(c, k, v);
      case 3:
        map_[k] = v;
        return record::insert_or_assign(c, k, v, !before);
      case 4:
        map_[k] = v;
        return record::swap(c, k, v, before);
      case 5:
        if (!before) map_[k] = v;
        return record::insert(c, k, v, !before, before.value_or(v));
      case 6:
        if (!before) map_[k] = v;
        return record::load_or_store(c, k, v, before.value_or(v), before.has_value());
      case 7:
        map_.erase(k);
        return record::erase(c, k, before.has_value());
      case 8:
        map_.erase(k);
        return record::erase(c, k, std::nullopt);
      case 9:
        map_.erase(k);
        return record::load_and_delete(c, k, before);
      case 10: {
        const MapValue expected = likely_value(k);
        const bool swapped = before == expected;
        if (swapped) map_[k] = v;
        return record::compare_and_swap(c, k, expected, v, swapped);
      }
      case 11: {
        const MapValue expected = likely_value(k);
        const bool deleted = before == expected;
        if (deleted) map_.erase(k);
        return record::compare_and_delete(c, k, expected, deleted);
      }
      case 12:
        if (chance(30)) {
          map_.clear();
          return record::clear(c);
        }
        return record::load(c, k, before);
      case 13:
        return snapshot(c);
      case 14:
        return record::size(c, map_.size());  // usually not quiescent: unchecked
      default:
        return record::load(c, k, before);
    }
  }

  HistoryOp snapshot(Call c) {
    std::vector<KeyValue> seen;
    for (const auto& [k, v] : map_) seen.push_back({k, v});
    std::shuffle(seen.begin(), seen.end(), rng_);
    return record::range(c, std::move(seen));
  }

  std::mt19937_64 rng_;
  GenerateOptions options_;
  std::vector<Timestamp> busy_until_;  // per thread: the response of its last call
  std::vector<std::size_t> left_;      // per thread: calls still to make
  Timestamp now_ = 10;
  Timestamp floor_ = 0;        // calls start after the last barrier
  MapValue last_value_ = 100;  // fresh values: unique and apart from the small ones
  std::map<MapKey, MapValue> map_;
  History history_;
};

inline History generate_history(std::uint64_t seed, GenerateOptions options) {
  return HistoryGenerator(seed, options).run();
}

}  // namespace mapcheck::models::generated
