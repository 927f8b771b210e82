#include "campaign.hpp"

#include <algorithm>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "isolation.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/minimize.hpp"

namespace mapcheck::cli {

namespace {

using Clock = std::chrono::steady_clock;

// A case is at least a program header (universe, hash policy, two seeds: 18 bytes), at most
// kMaxCaseBytes, and cut to kMaxOps ops as the fuzzers' inputs are (modes.hpp).
constexpr std::size_t kMinCaseBytes = 18;

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t name_hash(std::string_view name) {
  std::uint64_t h = 0xCBF29CE484222325ULL;  // FNV-1a
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ULL;
  return h;
}

Program program_of(const std::vector<std::uint8_t>& bytes, const Mode& suite, const MapEntry& map,
                   Capabilities withheld) {
  Program program = decode(bytes, suite.dialect);
  std::erase_if(program.ops, [&](const Op& op) {
    const Capability needs = info(op.kind).needs;
    return needs != Capability::none && withheld.has(needs);
  });
  if (program.ops.size() > kMaxOps) program.ops.resize(kMaxOps);
  fit_to(program, map.capabilities);
  return program;
}

std::string test_name(const MapEntry& map, const Mode& suite) {
  return fmt::format("{}_{}", map.name, suite.name);
}

// In the child: runs cases from 0 until the deadline. A broken contract is minimised and saved
// here, where the map's code already runs.
int run_cases(const MapEntry& map, const Mode& suite, const CampaignOptions& options,
              Progress& progress, Clock::time_point deadline) {
  for (std::uint64_t index = 0; Clock::now() < deadline; ++index) {
    const std::vector<std::uint8_t> bytes = case_bytes(options.seed, suite.name, index);
    progress.current_case.store(index);
    progress.next_op.store(0);
    std::memcpy(progress.case_bytes, bytes.data(), bytes.size());
    progress.case_size.store(static_cast<std::uint32_t>(bytes.size()));
    const Program program = program_of(bytes, suite, map, options.withheld);
    if (auto failure = map.run(program, on_op, &progress)) {
      progress.next_op.store(static_cast<std::uint32_t>(failure->op_index));
      Finding finding;
      finding.map = map.name;
      finding.suite = suite.name;
      finding.message = failure->to_string();
      finding.seed = options.seed;
      finding.case_index = index;
      finding.input = bytes;
      finding.dir = finding_dir(options.out, finding.map, finding.suite);
      save(finding);  // first the raw case: minimising may take long, or crash
      // The probes beat the heartbeat too: a long minimisation is not a hang.
      finding.minimal = minimize(program, interpreter_probe(map, on_op, &progress));
      const auto minimal_failure = map.run(*finding.minimal, nullptr, nullptr);
      if (minimal_failure) finding.message = minimal_failure->to_string();
      finding.reproducer =
          map.reproducer(*finding.minimal, test_name(map, suite), minimal_failure, map.header);
      save(finding);
      return kChildBroken;
    }
    progress.cases_done.fetch_add(1);
  }
  return kChildHeld;
}

// The same failure class as the original: a crash stays a crash, a hang a hang.
bool same_kind(const ChildOutcome& outcome, FindingKind kind) {
  if (kind == FindingKind::hang) return outcome.kind == ChildOutcome::Kind::timed_out;
  return outcome.kind == ChildOutcome::Kind::signalled ||
         (outcome.kind == ChildOutcome::Kind::exited && outcome.code != kChildHeld &&
          outcome.code != kChildBroken);  // kChildThrew included
}

// In the parent, after a crash or hang: minimise with one child per candidate (bounded in time),
// then print the reproducer in a child too (printing replays the map).
void minimise_in_children(Finding& finding, const std::string& outcome_text, const MapEntry& map,
                          const Mode& suite, const CampaignOptions& options,
                          SharedProgress& progress) {
  const Program original = program_of(finding.input, suite, map, options.withheld);
  const auto stop = Clock::now() + options.minimise_budget;
  // A hanging candidate costs a whole timeout: probes wait at most a second (a slower op than that
  // is taken for the hang, which is what the finding is about anyway).
  const auto probe_timeout = finding.kind == FindingKind::hang
                                 ? std::min(options.op_timeout, std::chrono::milliseconds(1000))
                                 : options.op_timeout;
  ChildLimits limits{probe_timeout, (finding.dir / "minimise.log").string()};
  const FailingOp probe = [&](const Program& p) -> std::optional<std::size_t> {
    if (Clock::now() > stop) return std::nullopt;
    progress->next_op.store(0);
    const ChildOutcome outcome = run_in_child(
        [&] {
          auto f = map.run(p, on_op, &*progress);
          return f ? kChildBroken : kChildHeld;
        },
        progress, limits);
    if (!same_kind(outcome, finding.kind)) return std::nullopt;
    return std::min<std::size_t>(progress->next_op.load(), p.ops.size() - 1);
  };
  finding.minimal = minimize(original, probe);
  std::filesystem::remove(finding.dir / "minimise.log");
  const std::size_t last = finding.minimal->ops.size() - 1;
  finding.message =
      fmt::format("{} during op #{} {}", outcome_text, last, describe(finding.minimal->ops[last]));
  save(finding);
  const auto reproducer_path = finding.dir / "reproducer.cpp";
  const ChildOutcome printed = run_in_child(
      [&] {
        std::ofstream out(reproducer_path);
        out << map.reproducer(*finding.minimal, test_name(map, suite), std::nullopt, map.header);
        return 0;
      },
      progress, ChildLimits{options.op_timeout, {}});
  if (printed.kind != ChildOutcome::Kind::exited || printed.code != 0)
    std::filesystem::remove(reproducer_path);  // the printer replays the map, which crashed again
}

}  // namespace

FailingOp interpreter_probe(const MapEntry& map, OpProgress progress, void* context) {
  return [&map, progress, context](const Program& p) -> std::optional<std::size_t> {
    if (auto f = map.run(p, progress, context)) return f->op_index;
    return std::nullopt;
  };
}

std::vector<std::uint8_t> case_bytes(std::uint64_t seed, std::string_view suite,
                                     std::uint64_t index) {
  std::uint64_t state = seed ^ name_hash(suite) ^ (index * 0xD1B54A32D192ED03ULL);
  const std::uint64_t shape = splitmix64(state);
  // Half the cases short (up to 128 bytes), half long (up to the maximum).
  const std::size_t limit = (shape & 1) != 0 ? 128 : kMaxCaseBytes;
  const std::size_t size = kMinCaseBytes + (shape >> 1) % (limit - kMinCaseBytes + 1);
  std::vector<std::uint8_t> bytes(size);
  for (std::size_t i = 0; i < size; i += 8) {
    const std::uint64_t word = splitmix64(state);
    for (std::size_t j = 0; j < 8 && i + j < size; ++j)
      bytes[i + j] = static_cast<std::uint8_t>(word >> (8 * j));
  }
  return bytes;
}

PairResult run_pair_in_child(PairResult result, const CampaignOptions& options,
                             const PairChild& child,
                             const std::function<void(const PairProgress&)>& on_progress) {
  const auto dir = finding_dir(options.out, result.map, result.suite);
  std::filesystem::remove_all(dir);  // a finding from an earlier run is not this run's
  std::filesystem::create_directories(dir);
  SharedProgress progress;
  const auto start = Clock::now();
  const auto deadline = start + options.budget;
  const auto tick = [&] {
    if (!on_progress) return;
    const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
    on_progress({&result, progress->cases_done.load(), std::max(0.0, left)});
  };
  const ChildOutcome outcome =
      run_in_child([&] { return child.body(*progress, deadline); }, progress,
                   ChildLimits{options.op_timeout, (dir / "log.txt").string()}, tick);
  result.cases = progress->cases_done.load();
  const bool exited = outcome.kind == ChildOutcome::Kind::exited;
  if (exited && outcome.code == kChildBroken) {
    result.status = PairStatus::finding;
    result.finding = load_finding(dir);
  } else if (!exited || outcome.code != kChildHeld) {
    result.status = PairStatus::finding;
    Finding finding;
    finding.map = result.map;
    finding.suite = result.suite;
    finding.kind =
        outcome.kind == ChildOutcome::Kind::timed_out ? FindingKind::hang : FindingKind::crash;
    finding.seed = options.seed;
    finding.case_index = progress->current_case.load();
    finding.log = outcome.log;
    finding.dir = dir;
    child.describe_death(finding, outcome, *progress);
    save(finding);  // before anything else can go wrong
    if (finding.log.empty()) std::filesystem::remove(dir / "log.txt");
    if (child.after_death) child.after_death(finding, outcome, progress);
    result.finding = finding;
  }
  if (result.status == PairStatus::pass) std::filesystem::remove_all(dir);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

PairResult run_pair(const MapEntry& map, const Mode& suite, const CampaignOptions& options,
                    const std::function<void(const PairProgress&)>& on_progress) {
  PairResult result;
  result.map = map.name;
  result.suite = suite.name;
  PairChild child;
  child.body = [&](Progress& progress, Clock::time_point deadline) {
    return run_cases(map, suite, options, progress, deadline);
  };
  child.describe_death = [&](Finding& finding, const ChildOutcome& outcome,
                             const Progress& progress) {
    const std::uint32_t size = std::min<std::uint32_t>(progress.case_size.load(), kMaxCaseBytes);
    finding.input.assign(progress.case_bytes, progress.case_bytes + size);
    const Program program = program_of(finding.input, suite, map, options.withheld);
    const std::size_t op = progress.next_op.load();
    finding.message =
        fmt::format("{} during op #{} {}", outcome.describe(), op,
                    op < program.ops.size() ? describe(program.ops[op]) : std::string("(end)"));
  };
  child.after_death = [&](Finding& finding, const ChildOutcome& outcome, SharedProgress& progress) {
    minimise_in_children(finding, outcome.describe(), map, suite, options, progress);
  };
  return run_pair_in_child(std::move(result), options, child, on_progress);
}

}  // namespace mapcheck::cli
