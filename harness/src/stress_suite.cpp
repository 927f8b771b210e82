// The stress suite's pair runner (stress_suite.hpp says what it does).
#include "stress_suite.hpp"

#include <chrono>
#include <string>

#include <fmt/format.h>

#include "finding.hpp"
#include "isolation.hpp"

namespace mapcheck::cli {

namespace {

std::string minimal_text(const StressReport& r) {
  return fmt::format("{}; minimal program: {} thread{}, {} call{} (program {})",
                     stress::class_name(r.finding), r.minimal_threads,
                     r.minimal_threads == 1 ? "" : "s", r.minimal_calls,
                     r.minimal_calls == 1 ? "" : "s", r.program_index);
}

// The child: programs until the budget is spent or one fails; a failure is saved here.
int run_programs(const ConcurrentMapEntry& map, const CampaignOptions& options,
                 const stress::CampaignOptions& campaign, Progress& progress) {
  const StressReport report = map.run_campaign(campaign);
  if (report.finding == stress::FindingClass::none) return kChildHeld;
  Finding finding;
  finding.map = map.name;
  finding.suite = kStressSuite;
  finding.kind = FindingKind::contract;
  finding.message = minimal_text(report);
  finding.seed = options.seed;
  finding.case_index = report.program_index;
  finding.reproducer = report.reproducer;
  finding.details = report.details;
  finding.dir = finding_dir(options.out, finding.map, finding.suite);
  save(finding);
  progress.cases_done.store(report.programs);
  return kChildBroken;
}

}  // namespace

PairResult run_stress_pair(const ConcurrentMapEntry& map, const CampaignOptions& options,
                           const std::function<void(const PairProgress&)>& on_progress) {
  PairResult result;
  result.map = map.name;
  result.suite = kStressSuite;
  stress::CampaignOptions campaign;
  campaign.seed = options.seed;
  campaign.seconds = std::chrono::duration<double>(options.budget).count();
  PairChild child;
  child.body = [&](Progress& progress, std::chrono::steady_clock::time_point) {
    campaign.on_program = [&](std::size_t programs) {
      progress.cases_done.store(programs);
      progress.current_case.store(programs);  // the next program, should this one never end
      progress.beats.fetch_add(1);
    };
    campaign.minimize.on_run = [&] { progress.beats.fetch_add(1); };
    return run_programs(map, options, campaign, progress);
  };
  child.describe_death = [&](Finding& finding, const ChildOutcome& outcome, const Progress&) {
    finding.message =
        fmt::format("{} during program {} (not minimised)", outcome.describe(), finding.case_index);
    finding.reproducer = map.reproducer_of(campaign, finding.case_index,
                                           fmt::format("{}: {}", map.name, outcome.describe()));
  };
  return run_pair_in_child(std::move(result), options, child, on_progress);
}

}  // namespace mapcheck::cli
