// How many reports ThreadSanitizer has printed in this process, so that a stress finding can be
// classed as a data race, a non-linearizable history, or both.
//
// TSan calls the weak hook __tsan_on_report once per report it prints; defining it here counts
// them (stress/src/race_reports.cpp). It only counts when the process goes on after a report
// (TSAN_OPTIONS=halt_on_error=0), which is how the classifying runs are started; with
// halt_on_error=1 (the preset's default) the first race ends the process, which is the right answer
// for a map that must be race-free. Outside a TSan build there is no hook and the count stays 0:
// races are "not looked for".
#pragma once

#include <atomic>
#include <cstdint>

#if defined(__SANITIZE_THREAD__)
#define MAPCHECK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define MAPCHECK_TSAN 1
#endif
#endif

namespace mapcheck::stress {

#ifdef MAPCHECK_TSAN
inline constexpr bool kRacesDetected = true;
#else
inline constexpr bool kRacesDetected = false;
#endif

// Reports printed so far. Defined next to the hook (stress/src/race_reports.cpp), so that any
// program that asks links the hook in.
std::uint64_t race_reports_so_far();

}  // namespace mapcheck::stress
