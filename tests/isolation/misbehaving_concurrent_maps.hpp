// Concurrent maps that break the stress suite's run in each way it must survive and report: a
// wrong answer (a finding minimised in the child), a crash and a deadlock (findings the parent
// writes, naming the program). Each is mapcheck::Locked<std::unordered_map> with one call broken.
#pragma once

#include <chrono>
#include <csignal>
#include <string_view>
#include <thread>

#include "mapcheck/adapters/concurrent/locked_map.hpp"

namespace mapcheck::isolation_test {

using LockedStd = adapters::LockedStdUnorderedMap;

// insert reports "inserted" for a key already present: not linearizable.
struct ConcurrentInsertLies : LockedStd {
  static constexpr std::string_view name = "concurrent_insert_lies";
  static stress::HistoryOp insert(map_type& m, stress::MapKey k, stress::MapValue v) {
    stress::HistoryOp op = LockedStd::insert(m, k, v);
    op.observed.found = false;
    op.observed.value = std::nullopt;
    return op;
  }
};

// clear dies of SIGSEGV.
struct ConcurrentCrashing : LockedStd {
  static constexpr std::string_view name = "concurrent_crashing";
  static void clear(map_type&) { std::raise(SIGSEGV); }
};

// clear never returns.
struct ConcurrentHanging : LockedStd {
  static constexpr std::string_view name = "concurrent_hanging";
  static void clear(map_type&) {
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
};

}  // namespace mapcheck::isolation_test
