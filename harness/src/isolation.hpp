// Running the map under test in a child process, so that whatever it does (crash, abort, a
// sanitizer report, a leak, an endless loop) becomes a finding and the run goes on.
//
// The parent and its child share one page of memory (Progress, mapped before fork): the child
// writes which case it runs, that case's bytes, and a heartbeat after every op; the parent reads
// them when the child dies or stops beating. So the input that killed the map is never lost, even
// when nothing could be written to a file, and a hang is detected per op rather than per run.
// The child's stderr goes to a log file; its start and end become part of a crash finding (the
// sanitizer's report is there).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace mapcheck::cli {

inline constexpr std::size_t kMaxCaseBytes = 2048;

// What the child tells its parent. Lives in shared memory: atomics and plain arrays only.
struct Progress {
  std::atomic<std::uint64_t> beats{0};          // bumped after every op: the heartbeat
  std::atomic<std::uint64_t> cases_done{0};     // cases finished by this child
  std::atomic<std::uint64_t> current_case{0};   // index of the case being run
  std::atomic<std::uint32_t> next_op{0};        // ops of the current case that held so far
  std::atomic<std::uint32_t> case_size{0};      // bytes of the current case, below
  std::uint8_t case_bytes[kMaxCaseBytes] = {};  // the current case, written before it runs
  char exception[512] = {};                     // what() of an exception the map threw
};

// Child exit statuses; any other status, or a signal, is a crash.
inline constexpr int kChildHeld = 0;
inline constexpr int kChildBroken = 3;  // a contract broke: the child saved the finding
inline constexpr int kChildThrew = 4;   // an exception left the map: Progress::exception

// Called by the child after each op that held (OpProgress in registry.hpp).
void on_op(std::size_t next_op, void* progress);

struct ChildOutcome {
  enum class Kind { exited, signalled, timed_out } kind = Kind::exited;
  int code = 0;           // exit status, or signal number
  std::string log;        // the start and end of the child's stderr
  std::string exception;  // what() of the exception, for kChildThrew
  // "exit status 3", "signal 11 (SIGSEGV)", "no progress in 10 s"; with a sanitizer's report in
  // the log, its first line: "AddressSanitizer: heap-use-after-free (exit status 1)".
  std::string describe() const;
};

// Shared Progress that outlives fork; unmapped by the destructor.
class SharedProgress {
 public:
  SharedProgress();
  ~SharedProgress();
  SharedProgress(const SharedProgress&) = delete;
  SharedProgress& operator=(const SharedProgress&) = delete;
  Progress& operator*() const { return *progress_; }
  Progress* operator->() const { return progress_; }

 private:
  Progress* progress_;
};

struct ChildLimits {
  std::chrono::milliseconds op_timeout{10'000};  // no heartbeat for this long: a hang
  std::string log_path;                          // the child's stderr; empty: inherit
};

// Runs body() in a child process (its return value is the exit status; an exception out of body()
// is kChildThrew, with its what() in Progress::exception). While it runs, tick() is
// called about every 50 ms in the parent (for a progress line). A child that stops beating for
// op_timeout is killed with SIGKILL.
ChildOutcome run_in_child(const std::function<int()>& body, SharedProgress& progress,
                          const ChildLimits& limits, const std::function<void()>& tick = {});

}  // namespace mapcheck::cli
