// Runs one stress program on a fresh map and records its history.
//
// One std::thread per program thread (std::thread, not a task pool: a pool's scheduler in an
// uninstrumented library gives TSan false races). Threads meet at a barrier before every burst.
// Each call is stamped by the HistoryClock just before and just after it; building the record
// happens inside the interval, which only widens it (a wider interval allows more orders, so it
// can hide a violation but never invent one).
#pragma once

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "mapcheck/models/history.hpp"
#include "mapcheck/stress/concurrent_adapter.hpp"
#include "mapcheck/stress/history_clock.hpp"
#include "mapcheck/stress/stress_program.hpp"

namespace mapcheck::stress {

struct RunResult {
  models::History history;
  std::optional<std::string> error;  // what a call threw (the run stops at the first throw)
};

namespace detail {

// Calls `op` on `m`, appending its records (none for reserve, one per entry for insert_range).
template <class A>
void call(typename A::map_type& m, const StressOp& op, std::vector<HistoryOp>& out) {
  namespace record = models::record;
  constexpr StressOpSet offered = offered_ops<A>();
  using K = StressOpKind;
  switch (op.kind) {
    case K::load:
      if constexpr (offered.has(K::load)) out.push_back(A::load(m, op.key));
      return;
    case K::store:
      if constexpr (offered.has(K::store)) out.push_back(A::store(m, op.key, op.value));
      return;
    case K::insert:
      if constexpr (offered.has(K::insert)) out.push_back(A::insert(m, op.key, op.value));
      return;
    case K::erase:
      if constexpr (offered.has(K::erase)) out.push_back(A::erase(m, op.key));
      return;
    case K::compare_and_swap:
      if constexpr (offered.has(K::compare_and_swap))
        out.push_back(A::compare_and_swap(m, op.key, op.expected, op.value));
      return;
    case K::compare_and_delete:
      if constexpr (offered.has(K::compare_and_delete))
        out.push_back(A::compare_and_delete(m, op.key, op.expected));
      return;
    case K::range:
      if constexpr (offered.has(K::range)) out.push_back(record::range({}, A::range(m)));
      return;
    case K::size:
      if constexpr (offered.has(K::size))
        out.push_back(record::size({}, static_cast<std::uint64_t>(A::size(m))));
      return;
    case K::clear:
      if constexpr (offered.has(K::clear)) {
        A::clear(m);
        out.push_back(record::clear({}));
      }
      return;
    case K::reserve:
      if constexpr (offered.has(K::reserve)) A::reserve(m, op.count);
      return;
    case K::insert_range:
      if constexpr (offered.has(K::insert_range)) {
        A::insert_range(m, std::span<const KeyValue>(op.bulk));
        for (const KeyValue& kv : op.bulk) {
          HistoryOp r = record::point({}, models::HistoryOpKind::insert, "insert_range", kv.key);
          r.value = kv.value;
          out.push_back(r);
        }
      }
      return;
  }
}

}  // namespace detail

template <class A>
RunResult run_program(const StressProgram& program) {
  static_assert(check_concurrent_adapter<A>());
  const std::unique_ptr<typename A::map_type> map = A::make();
  HistoryClock clock;
  std::vector<models::History> logs(program.threads);
  std::barrier sync(static_cast<std::ptrdiff_t>(program.threads));
  std::atomic<bool> failed{false};
  std::mutex error_lock;
  RunResult result;

  auto fail = [&](const StressOp& op, const std::string& what) {
    const std::lock_guard lock(error_lock);
    if (!result.error) result.error = std::string(info(op.kind).name) + " threw " + what;
    failed = true;
  };
  auto body = [&](std::size_t t) {
    models::History& log = logs[t];
    for (const Burst& burst : program.bursts) {
      sync.arrive_and_wait();
      if (failed.load(std::memory_order_relaxed)) continue;
      for (const StressOp& op : burst.threads[t]) {
        const std::size_t first = log.size();
        const models::Timestamp invoke = clock.tick();
        try {
          detail::call<A>(*map, op, log);
        } catch (const std::exception& e) {
          fail(op, std::string("std::exception: ") + e.what());
          break;
        } catch (...) {
          fail(op, "an exception not derived from std::exception");
          break;
        }
        const models::Timestamp response = clock.tick();
        for (std::size_t i = first; i < log.size(); ++i) {
          log[i].thread = static_cast<models::ThreadId>(t);
          log[i].invoke = invoke;
          log[i].response = response;
        }
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < program.threads; ++t) pool.emplace_back(body, t);
  body(0);
  for (std::thread& thread : pool) thread.join();
  for (models::History& log : logs)
    result.history.insert(result.history.end(), log.begin(), log.end());
  return result;
}

}  // namespace mapcheck::stress
