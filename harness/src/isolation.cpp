#include "isolation.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <new>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/wait.h>

namespace mapcheck::cli {

void on_op(std::size_t next_op, void* progress) {
  auto* p = static_cast<Progress*>(progress);
  p->next_op.store(static_cast<std::uint32_t>(next_op), std::memory_order_relaxed);
  p->beats.fetch_add(1, std::memory_order_relaxed);
}

namespace {

// The first report of a sanitizer in a child's log, without its addresses:
// "==12==ERROR: AddressSanitizer: heap-use-after-free on address 0x... at pc ..." gives
// "AddressSanitizer: heap-use-after-free"; UBSan's "file:line: runtime error: <what>" gives
// "UndefinedBehaviorSanitizer: <what>". Empty if the log holds none.
std::string sanitizer_report(std::string_view log) {
  const auto line_from = [&](std::size_t at) {
    const std::size_t end = log.find('\n', at);
    return log.substr(at, end == std::string_view::npos ? log.size() - at : end - at);
  };
  if (const std::size_t at = log.find("ERROR: "); at != std::string_view::npos) {
    std::string_view report = line_from(at + 7);
    for (const std::string_view cut :
         {" on address", " on unknown address", " at pc", " in thread"})
      report = report.substr(0, report.find(cut));
    if (report.find("Sanitizer") != std::string_view::npos) return std::string(report);
  }
  if (const std::size_t at = log.find("runtime error: "); at != std::string_view::npos)
    return "UndefinedBehaviorSanitizer: " + std::string(line_from(at + 15));
  // A report too long for the first line to be kept still ends with its summary.
  if (const std::size_t at = log.rfind("SUMMARY: "); at != std::string_view::npos)
    return std::string(line_from(at + 9));
  return {};
}

}  // namespace

std::string ChildOutcome::describe() const {
  const std::string sanitizer = sanitizer_report(log);
  switch (kind) {
    case Kind::exited:
      if (code == kChildThrew) return "the map threw: " + exception;
      if (!sanitizer.empty()) return fmt::format("{} (exit status {})", sanitizer, code);
      return fmt::format("exit status {}", code);
    case Kind::signalled: {
      const char* name = sigabbrev_np(code);
      if (!sanitizer.empty())
        return fmt::format("{} (signal {}, SIG{})", sanitizer, code, name != nullptr ? name : "?");
      return fmt::format("signal {} (SIG{})", code, name != nullptr ? name : "?");
    }
    case Kind::timed_out:
      return "no progress within the op timeout (a hang), killed";
  }
  return "?";
}

SharedProgress::SharedProgress() {
  void* memory =
      mmap(nullptr, sizeof(Progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::runtime_error("mapcheck: mmap of the progress page failed");
  progress_ = new (memory) Progress();
}

SharedProgress::~SharedProgress() {
  progress_->~Progress();
  munmap(progress_, sizeof(Progress));
}

namespace {

// The file at `path`, its first `head` and last `tail` bytes if it is longer: a sanitizer names
// what went wrong in its report's first line and sums up in its last.
std::string ends_of(const std::string& path, std::size_t head, std::size_t tail) {
  if (path.empty()) return {};
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (text.size() > head + tail)
    text = text.substr(0, head) + "\n[...]\n" + text.substr(text.size() - tail);
  return text;
}

[[noreturn]] void be_the_child(const std::function<int()>& body, Progress& progress,
                               const ChildLimits& limits) {
  if (!limits.log_path.empty()) {
    const int fd = open(limits.log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDERR_FILENO);
      close(fd);
    }
  }
  int status = kChildThrew;
  try {
    status = body();
  } catch (const std::exception& e) {
    std::snprintf(progress.exception, sizeof progress.exception, "%s", e.what());
  } catch (...) {
    std::snprintf(progress.exception, sizeof progress.exception, "an exception of unknown type");
  }
  std::fflush(nullptr);
  // exit, not _exit: LeakSanitizer runs its leak check at exit (in the asan build).
  std::exit(status);
}

}  // namespace

ChildOutcome run_in_child(const std::function<int()>& body, SharedProgress& progress,
                          const ChildLimits& limits, const std::function<void()>& tick) {
  std::fflush(nullptr);  // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("mapcheck: fork failed");
  progress->exception[0] = '\0';
  if (pid == 0) be_the_child(body, *progress, limits);

  using Clock = std::chrono::steady_clock;
  std::uint64_t last_beats = progress->beats.load();
  auto last_change = Clock::now();
  ChildOutcome outcome;
  auto poll = std::chrono::microseconds(200);  // short children (minimisation probes) end fast
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFSIGNALED(status)) {
        outcome.kind = ChildOutcome::Kind::signalled;
        outcome.code = WTERMSIG(status);
      } else {
        outcome.code = WEXITSTATUS(status);
      }
      break;
    }
    const std::uint64_t beats = progress->beats.load();
    if (beats != last_beats) {
      last_beats = beats;
      last_change = Clock::now();
    } else if (Clock::now() - last_change > limits.op_timeout) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      outcome.kind = ChildOutcome::Kind::timed_out;
      break;
    }
    if (tick) tick();
    std::this_thread::sleep_for(poll);
    poll = std::min<std::chrono::microseconds>(poll * 2, std::chrono::milliseconds(20));
  }
  outcome.log = ends_of(limits.log_path, 2000, 4000);
  outcome.exception = progress->exception;
  return outcome;
}

}  // namespace mapcheck::cli
