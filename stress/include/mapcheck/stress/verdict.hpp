// One attempt at a stress program and what it showed: a data race (TSan reported during the run),
// a history that is not linearizable (the checker), both, or an exception. The class is what a
// map author needs first: a race only is undefined behaviour that happened to give legal results;
// non-linearizable only is a logic error behind correct locking (or atomics); both is usually a
// missing lock; a crash is a memory error the race led to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mapcheck/models/history_table.hpp"
#include "mapcheck/models/map_linearizability.hpp"
#include "mapcheck/stress/race_reports.hpp"
#include "mapcheck/stress/runner.hpp"

namespace mapcheck::stress {

// `crashed` comes only from isolated runs (isolated_campaign.hpp): the process died.
enum class FindingClass : std::uint8_t { none, data_race, non_linearizable, both, threw, crashed };

constexpr std::string_view class_name(FindingClass c) {
  switch (c) {
    case FindingClass::none:
      return "clean";
    case FindingClass::data_race:
      return "data race only";
    case FindingClass::non_linearizable:
      return "non-linearizable only";
    case FindingClass::both:
      return "data race and non-linearizable";
    case FindingClass::threw:
      return "exception";
    case FindingClass::crashed:
      return "crash";
  }
  return "?";
}

constexpr bool has_race(FindingClass c) {
  return c == FindingClass::data_race || c == FindingClass::both;
}
constexpr bool has_nonlin(FindingClass c) {
  return c == FindingClass::non_linearizable || c == FindingClass::both;
}

struct Attempt {
  RunResult run;
  models::LinearizabilityReport report;
  std::uint64_t races = 0;  // TSan reports during the run (0 outside TSan builds)

  bool non_linearizable() const { return report.verdict == models::Verdict::illegal; }
  FindingClass finding() const {
    if (run.error) return FindingClass::threw;
    if (races > 0) return non_linearizable() ? FindingClass::both : FindingClass::data_race;
    return non_linearizable() ? FindingClass::non_linearizable : FindingClass::none;
  }
  // Reports whether this attempt shows a signal `original` showed (what minimisation keeps).
  bool shows_signal_of(FindingClass original) const {
    const FindingClass mine = finding();
    if (original == FindingClass::threw) return mine == FindingClass::threw;
    return (has_race(mine) && has_race(original)) || (has_nonlin(mine) && has_nonlin(original));
  }
  std::string describe() const {
    if (run.error) return *run.error + "\n";
    std::string out = models::describe_report(run.history, report);
    if (races > 0)
      out = std::to_string(races) + " ThreadSanitizer report(s) during the run\n" + out;
    return out;
  }
};

template <class A>
Attempt attempt(const StressProgram& program, const models::CheckOptions& options = {}) {
  const std::uint64_t races_before = race_reports_so_far();
  Attempt a;
  a.run = run_program<A>(program);
  a.races = race_reports_so_far() - races_before;
  if (!a.run.error) a.report = models::check_linearizable(a.run.history, options);
  return a;
}

}  // namespace mapcheck::stress
