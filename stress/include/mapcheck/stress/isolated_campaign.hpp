// A stress campaign in a forked child process, so that a map that crashes (a planted or real
// memory error: a promotion without the lock frees what another thread still reads) is a finding
// rather than the end of the run. The child runs run_campaign() and sends its outcome back; the
// parent learns which program the child was on from a shared page, so a crash still names its
// program, which generate() rebuilds from (seed, index) for the reproducer. A crash is not
// minimised (each candidate would need a child of its own). A child that outlives its time budget
// by 15 s is taken for deadlocked and ended with SIGALRM.
//
// Fork before any thread exists in the calling process: the child then starts its threads fresh
// (which is also what ThreadSanitizer supports after fork).
#pragma once

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include <sys/mman.h>
#include <sys/wait.h>

#include "mapcheck/stress/campaign.hpp"
#include "mapcheck/stress/reproducer.hpp"

namespace mapcheck::stress {

struct IsolatedOutcome {
  FindingClass finding = FindingClass::none;
  int signal = 0;  // crashed: the signal that ended the child (0: it exited with a failure status)
  std::size_t programs = 0;
  std::size_t program_index = 0;
  double seconds_to_detect = 0;
  std::string report;  // the finding's description and its replayable program
};

namespace detail {

// What the child shares with the parent while it runs; the report text goes through a pipe.
struct CampaignPage {
  std::atomic<std::size_t> programs{0};
  std::atomic<int> finding{0};
  std::atomic<bool> completed{false};  // the child got to the end (whatever its exit status)
  double seconds_to_detect = 0;
  std::size_t program_index = 0;
  double start_seconds = 0;
};

inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

}  // namespace detail

// Runs run_campaign<A>(options) in a child; `adapter_type` and `adapter_header` name the adapter
// in the printed reproducer.
template <class A>
IsolatedOutcome run_isolated_campaign(CampaignOptions options, std::string_view adapter_type,
                                      std::string_view adapter_header) {
  void* shared = ::mmap(nullptr, sizeof(detail::CampaignPage), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) throw std::bad_alloc();
  auto* page = new (shared) detail::CampaignPage;
  page->start_seconds = detail::now_seconds();
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw std::bad_alloc();
  std::fflush(nullptr);
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_fds[0]);
    // A deadlocked map never returns: the alarm ends the child, reported like a crash (SIGALRM).
    ::alarm(static_cast<unsigned>(options.seconds + options.minimize.seconds) + 15);
    options.on_program = [page](std::size_t n) { page->programs.store(n); };
    const CampaignResult result = run_campaign<A>(options);
    if (result.finding) {
      const StressFinding& f = *result.finding;
      page->finding.store(static_cast<int>(f.finding));
      page->seconds_to_detect = f.seconds_to_detect;
      page->program_index = f.program_index;
      detail::write_all(
          pipe_fds[1],
          describe(f) + "\n" +
              reproducer_source(f.minimal.program, adapter_type, adapter_header,
                                std::string(A::name) + ": " + std::string(class_name(f.finding))));
    }
    ::close(pipe_fds[1]);
    page->completed.store(true);
    std::_Exit(0);  // TSan turns this into its exitcode (66) when it reported races
  }
  ::close(pipe_fds[1]);
  IsolatedOutcome out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    out.report.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  out.programs = page->programs.load();
  // Died: the child never got to the end. Its exit status alone cannot tell: a sanitizer (ASan,
  // UBSan with halt_on_error) ends a process with exit status 1, TSan a finished one that reported
  // races with 66, and TSan's handler for a crash with that same 66.
  const bool died = !page->completed.load();
  // TSan with halt_on_error=1 (the tsan preset's setting) ends a process at its first race with
  // its exitcode, 66: a data race, not classified further and not minimised.
  const bool tsan_halted = kRacesDetected && WIFEXITED(status) && WEXITSTATUS(status) == 66;
  if (died && tsan_halted) {
    out.finding = FindingClass::data_race;
    out.program_index = out.programs;
    out.seconds_to_detect = detail::now_seconds() - page->start_seconds;
    out.report = "ThreadSanitizer halted on a data race in program " +
                 std::to_string(out.program_index) +
                 " (not minimised: TSAN_OPTIONS=halt_on_error=0 lets the run classify and "
                 "minimise it)\n" +
                 reproducer_source(program_of<A>(options, out.program_index), adapter_type,
                                   adapter_header, std::string(A::name) + ": data race");
  } else if (died) {
    out.finding = FindingClass::crashed;
    out.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    out.program_index = out.programs;  // the program after the last one finished
    out.seconds_to_detect = detail::now_seconds() - page->start_seconds;
    std::string how = "exited with status " + std::to_string(WEXITSTATUS(status)) +
                      " before the end (a sanitizer's report; see its output above)";
    if (out.signal == SIGALRM) how = "hung (the time limit's SIGALRM ended it)";
    if (out.signal != 0 && out.signal != SIGALRM)
      how =
          "crashed with signal " + std::to_string(out.signal) + " (" + strsignal(out.signal) + ")";
    out.report = how + " in program " + std::to_string(out.program_index) + " (not minimised)\n" +
                 reproducer_source(program_of<A>(options, out.program_index), adapter_type,
                                   adapter_header, std::string(A::name) + ": crash");
  } else {
    out.finding = static_cast<FindingClass>(page->finding.load());
    out.seconds_to_detect = page->seconds_to_detect;
    out.program_index = page->program_index;
  }
  page->~CampaignPage();
  ::munmap(shared, sizeof(detail::CampaignPage));
  return out;
}

}  // namespace mapcheck::stress
