// The ThreadSanitizer report hook and its counter (race_reports.hpp says why).
#include "mapcheck/stress/race_reports.hpp"

#include <atomic>
#include <cstdint>

namespace mapcheck::stress {
namespace {
std::atomic<std::uint64_t> reports{0};
}  // namespace

std::uint64_t race_reports_so_far() { return reports.load(std::memory_order_relaxed); }

}  // namespace mapcheck::stress

#ifdef MAPCHECK_TSAN
// Weak in the TSan runtime: this strong definition replaces it.
extern "C" void __tsan_on_report(const void* /*report*/) {
  mapcheck::stress::reports.fetch_add(1, std::memory_order_relaxed);
}
#endif
