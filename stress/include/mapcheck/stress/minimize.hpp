// Shrinks a failing stress program to the fewest threads, bursts and calls that still fail.
//
// A concurrent failure does not repeat on every run, so each candidate gets several attempts and
// is kept if any of them shows a signal the original showed (verdict.hpp). Greedy passes, each
// repeated until nothing more goes: drop a whole thread, drop a whole burst, then drop chunks of
// one thread's calls in one burst, halving the chunk down to single calls (ddmin's order: big cuts
// first, because they are cheap when they work). A time budget bounds the whole search; what it
// returns always failed at least once, so the printed reproducer is real even when not minimal.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <utility>

#include "mapcheck/stress/stress_program.hpp"
#include "mapcheck/stress/verdict.hpp"

namespace mapcheck::stress {

struct MinimizeOptions {
  std::size_t tries_per_candidate = 24;
  double seconds = 20;
  std::function<void()> on_run;  // after each run (a supervisor's heartbeat)
};

struct Minimized {
  StressProgram program;
  Attempt failing;  // an attempt of `program` that failed
  std::size_t candidates = 0;
  std::size_t runs = 0;
};

namespace detail {

inline StressProgram without_thread(StressProgram p, std::size_t t) {
  for (Burst& b : p.bursts) b.threads.erase(b.threads.begin() + static_cast<std::ptrdiff_t>(t));
  --p.threads;
  return p;
}

inline StressProgram without_burst(StressProgram p, std::size_t b) {
  p.bursts.erase(p.bursts.begin() + static_cast<std::ptrdiff_t>(b));
  return p;
}

inline StressProgram without_calls(StressProgram p, std::size_t b, std::size_t t, std::size_t from,
                                   std::size_t n) {
  auto& list = p.bursts[b].threads[t];
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(from),
             list.begin() + static_cast<std::ptrdiff_t>(from + n));
  return p;
}

}  // namespace detail

template <class A>
Minimized minimize(StressProgram program, Attempt failing, const MinimizeOptions& options = {}) {
  const FindingClass original = failing.finding();
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(options.seconds));
  Minimized out{std::move(program), std::move(failing), 0, 0};
  auto out_of_time = [&] { return std::chrono::steady_clock::now() > deadline; };
  auto accept = [&](StressProgram candidate) {
    if (candidate.op_count() == 0 || out_of_time()) return false;
    ++out.candidates;
    for (std::size_t i = 0; i < options.tries_per_candidate && !out_of_time(); ++i) {
      ++out.runs;
      Attempt a = attempt<A>(candidate);
      if (options.on_run) options.on_run();
      if (!a.shows_signal_of(original)) continue;
      out.program = std::move(candidate);
      out.failing = std::move(a);
      return true;
    }
    return false;
  };

  // A burst in which no thread calls anything only adds a barrier: dropped without a run.
  auto drop_empty_bursts = [&] {
    std::erase_if(out.program.bursts, [](const Burst& b) {
      return std::all_of(b.threads.begin(), b.threads.end(),
                         [](const auto& calls) { return calls.empty(); });
    });
  };
  for (bool shrunk = true; shrunk && !out_of_time();) {
    shrunk = false;
    drop_empty_bursts();
    for (std::size_t t = out.program.threads; t-- > 0 && out.program.threads > 1;)
      shrunk |= accept(detail::without_thread(out.program, t));
    for (std::size_t b = out.program.bursts.size(); b-- > 0;)
      shrunk |= accept(detail::without_burst(out.program, b));
    for (std::size_t b = 0; b < out.program.bursts.size(); ++b) {
      for (std::size_t t = 0; t < out.program.threads; ++t) {
        for (std::size_t chunk = out.program.bursts[b].threads[t].size(); chunk > 0; chunk /= 2) {
          for (std::size_t from = 0; from + chunk <= out.program.bursts[b].threads[t].size();) {
            if (accept(detail::without_calls(out.program, b, t, from, chunk)))
              shrunk = true;
            else
              from += chunk;
          }
        }
      }
    }
  }
  drop_empty_bursts();
  return out;
}

}  // namespace mapcheck::stress
