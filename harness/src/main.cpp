// `mapcheck`: checks hash maps against mapcheck's models, each case in a child process.
//
//   mapcheck list                      the maps (sequential and concurrent) and suites compiled in
//   mapcheck run [options]             run suites on maps (run_options.def), write the report
//   mapcheck replay FILE...            re-run a saved finding or fuzz input, print the reproducer
//
// Exit status: 0 every contract held (known findings aside), 1 a contract broke (or a replayed
// input fails), 2 a usage error, with a message that says what was wrong.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "campaign.hpp"
#include "expected_findings.hpp"
#include "finding.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/modes.hpp"
#include "mapcheck/registry.hpp"
#include "mapcheck/replay_hash_key.hpp"
#include "report.hpp"
#include "stress_suite.hpp"

#ifndef MAPCHECK_EXPECTED_FINDINGS
#define MAPCHECK_EXPECTED_FINDINGS ""
#endif

namespace {

using namespace mapcheck;
using namespace mapcheck::cli;

constexpr int kExitHeld = 0;
constexpr int kExitBroken = 1;
constexpr int kExitUsage = 2;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunOptions {
#define MAPCHECK_RUN_OPTION(type, member, flag, init, help) type member = init;
#include "run_options.def"
#undef MAPCHECK_RUN_OPTION
};

// A map by name: its sequential entry, its concurrent entry, or both (registry.hpp,
// concurrent_registry.hpp).
struct MapChoice {
  std::string name;
  const MapEntry* sequential = nullptr;
  const ConcurrentMapEntry* concurrent = nullptr;
};

std::vector<MapChoice> sorted_maps() {
  std::vector<MapChoice> maps;
  auto slot = [&](std::string_view name) -> MapChoice& {
    for (MapChoice& m : maps)
      if (m.name == name) return m;
    return maps.emplace_back(MapChoice{std::string(name)});
  };
  for (const MapEntry& m : registered_maps()) slot(m.name).sequential = &m;
  for (const ConcurrentMapEntry& m : registered_concurrent_maps()) slot(m.name).concurrent = &m;
  std::sort(maps.begin(), maps.end(),
            [](const MapChoice& a, const MapChoice& b) { return a.name < b.name; });
  return maps;
}

std::string map_names() {
  std::string out;
  for (const MapChoice& m : sorted_maps()) out += (out.empty() ? "" : ", ") + m.name;
  return out;
}

// The suites: the program modes (modes.hpp), then the stress suite.
std::vector<std::string> all_suites() {
  std::vector<std::string> out;
  for (const Mode& m : kModes) out.emplace_back(m.name);
  out.emplace_back(kStressSuite);
  return out;
}

std::string suite_names() {
  std::string out;
  for (const std::string& s : all_suites()) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<MapChoice> select_maps(const std::string& spec) {
  const std::vector<MapChoice> all = sorted_maps();
  if (spec == "all") return all;
  std::vector<MapChoice> out;
  for (const std::string& name : split_list(spec)) {
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const MapChoice& m) { return m.name == name; });
    if (it == all.end())
      throw UsageError(fmt::format("--map: no map called '{}' (maps: {})", name, map_names()));
    out.push_back(*it);
  }
  return out;
}

std::vector<std::string> select_suites(const std::string& spec) {
  if (spec == "all") return all_suites();
  std::vector<std::string> out;
  for (const std::string& name : split_list(spec)) {
    if (name != kStressSuite && !find_mode(name))
      throw UsageError(
          fmt::format("--suite: no suite called '{}' (suites: {})", name, suite_names()));
    out.push_back(name);
  }
  return out;
}

struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;
};

Shard parse_shard(const std::string& text) {
  if (text.empty()) return {};
  unsigned long i = 0, n = 0;
  char slash = 0;
  std::istringstream in(text);
  if (!(in >> i >> slash >> n) || slash != '/' || !in.eof() || n == 0 || i >= n)
    throw UsageError(fmt::format("--shard: '{}' is not i/n with 0 <= i < n (e.g. 0/4)", text));
  return {i, n};
}

// ---- list ----
int list_command() {
  fmt::print("maps:\n");
  for (const MapChoice& choice : sorted_maps()) {
    if (const MapEntry* m = choice.sequential) {
      std::string caps;
      for (std::size_t c = 1; c < kCapabilities.size(); ++c)
        if (m->capabilities.has(static_cast<Capability>(c)))
          caps += (caps.empty() ? "" : " ") + std::string(kCapabilities[c].name);
      fmt::print("  {:<28} {}\n  {:<28} promises: {}\n", m->name, m->cpp_name, "", caps);
    }
    if (const ConcurrentMapEntry* m = choice.concurrent) {
      fmt::print("  {:<28} {} (concurrent)\n  {:<28} calls: {}\n", m->name, m->cpp_name, "",
                 stress::names_of(m->offered));
      if (!m->exclusive.empty())
        fmt::print("  {:<28} only alone: {}\n", "", stress::names_of(m->exclusive));
    }
  }
  fmt::print("suites:\n");
  for (const Mode& s : kModes) fmt::print("  {:<28} {}\n", s.name, s.help);
  fmt::print("  {:<28} {}\n", kStressSuite, kStressSuiteHelp);
  return kExitHeld;
}

// ---- run ----
class ProgressLine {
 public:
  ProgressLine() : live_(isatty(STDERR_FILENO) != 0) {}
  void show(const PairProgress& p, std::size_t findings) {
    if (!live_) return;
    std::fprintf(stderr, "\r%-28s %-13s cases %8llu  findings %zu  left %5.1f s\033[K",
                 p.pair->map.c_str(), p.pair->suite.c_str(),
                 static_cast<unsigned long long>(p.cases), findings, p.seconds_left);
  }
  void done(const PairResult& r) {
    std::string verdict = r.status == PairStatus::not_applicable ? "n/a" : "pass";
    if (r.finding) verdict = fmt::format("{}: {}", to_string(r.finding->kind), r.finding->message);
    if (live_) std::fputs("\r\033[K", stderr);
    std::fprintf(stderr, "%-28s %-13s cases %8llu  %5.1f s  %s\n", r.map.c_str(), r.suite.c_str(),
                 static_cast<unsigned long long>(r.cases), r.seconds, verdict.c_str());
  }

 private:
  bool live_;
};

// After a known finding whose entry withholds capabilities: the pair runs again without the ops
// that need them (its findings under <out>/after-known/), and again after each further known
// finding that withholds more. A new finding replaces the known one in the result, so that it
// fails the run; the last pass or known finding becomes the note.
void go_on_without(PairResult& result, const MapEntry& map, const Mode& suite,
                   const CampaignOptions& campaign, Capabilities withhold, Run& run,
                   const std::function<void(const PairProgress&)>& show) {
  CampaignOptions again = campaign;
  again.out = campaign.out / "after-known";
  for (int round = 0; round < 4; ++round) {
    again.withheld = again.withheld | withhold;
    PairResult next = run_pair(map, suite, again, show);
    const std::string without = capability_names(again.withheld);
    if (!next.finding) {
      result.note = fmt::format("then pass ({} cases without {})", next.cases, without);
      return;
    }
    const ExpectedFinding* known = mark_if_expected(*next.finding, run.expected);
    if (known == nullptr) {
      next.note = fmt::format("after a known finding, without {}", without);
      result = std::move(next);
      return;
    }
    result.note = fmt::format("then another known finding without {}", without);
    if (capability_names(again.withheld | known->withhold) == without) return;  // nothing new
    withhold = known->withhold;
  }
}

int run_command(const RunOptions& options) {
  const auto maps = select_maps(options.map);
  const auto suites = select_suites(options.suite);
  const Shard shard = parse_shard(options.shard);
  if (options.seconds <= 0) throw UsageError("--seconds: must be more than 0");
  if (options.op_timeout <= 0) throw UsageError("--op-timeout: must be more than 0");
  for (const std::string& path : options.report) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext != ".md" && ext != ".html")
      throw UsageError(fmt::format("--report: '{}' must end in .md or .html", path));
  }

  Run run;
  run.seed = options.seed;
  run.seconds_per_pair = options.seconds;
  run.shard = options.shard;
  if (!options.expected.empty()) {
    try {
      run.expected = load_expected_findings(options.expected);
    } catch (const std::runtime_error& e) {
      throw UsageError(fmt::format("--expected: {}", e.what()));
    }
  }
  for (const MapChoice& m : maps) run.maps.emplace_back(m.name);
  run.suites = suites;

  CampaignOptions campaign;
  campaign.seed = options.seed;
  campaign.budget = std::chrono::milliseconds(static_cast<std::int64_t>(options.seconds * 1000));
  campaign.op_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(options.op_timeout * 1000));
  campaign.out = options.out;

  ProgressLine line;
  std::size_t pair_index = 0;
  const auto show = [&](const PairProgress& p) {
    line.show(p, run.unexpected_findings() + run.known_findings());
  };
  for (const MapChoice& map : maps) {
    for (const std::string& suite : suites) {
      if (pair_index++ % shard.count != shard.index) continue;
      PairResult result;
      result.map = map.name;
      result.suite = suite;
      result.status = PairStatus::not_applicable;
      if (suite == kStressSuite && map.concurrent != nullptr)
        result = run_stress_pair(*map.concurrent, campaign, show);
      if (suite != kStressSuite && map.sequential != nullptr)
        result = run_pair(*map.sequential, *find_mode(suite), campaign, show);
      const ExpectedFinding* known =
          result.finding ? mark_if_expected(*result.finding, run.expected) : nullptr;
      if (known != nullptr && map.sequential != nullptr && suite != kStressSuite &&
          !capability_names(known->withhold).empty())
        go_on_without(result, *map.sequential, *find_mode(suite), campaign, known->withhold, run,
                      show);
      line.done(result);
      run.pairs.push_back(std::move(result));
    }
  }
  fmt::print("\n{}", summary_table(run));
  if (!options.junit.empty()) {
    std::ofstream out(options.junit);
    out << to_junit(run);
  }
  if (!options.json.empty()) {
    std::ofstream out(options.json);
    out << to_json(run);
  }
  for (const std::string& path : options.report) write_report(run, path);
  return run.unexpected_findings() == 0 ? kExitHeld : kExitBroken;
}

// ---- replay ----
struct ReplayInput {
  std::vector<std::uint8_t> bytes;
  Dialect dialect;
  std::string suite;  // or "program"
  std::string map;
};

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// What a file is: a finding's input.bin or program.bin (finding.json beside it names the map and
// suite), a fuzz corpus file (the path names the mode), or a program in the full byte form.
ReplayInput classify(const std::filesystem::path& path, const std::string& map_option,
                     const std::string& suite_option) {
  ReplayInput input;
  std::filesystem::path file = path;
  if (std::filesystem::is_directory(path)) file = path / "program.bin";
  if (!std::filesystem::exists(file) && std::filesystem::is_directory(path))
    file = path / "input.bin";
  input.bytes = read_bytes(file);
  input.suite = "program";
  if (auto finding = load_finding(file.parent_path())) {
    if (finding->suite == kStressSuite)
      throw UsageError(
          fmt::format("{}: a stress finding replays with its reproducer.cpp (a C++ "
                      "program that re-runs the minimal program until it fails)",
                      path.string()));
    input.map = finding->map;
    if (file.filename() == "input.bin") input.suite = finding->suite;
  } else {
    // A fuzzer's files: fuzz/corpus/<mode>/..., or ci/fuzz's .../fuzz_<mode>_<map>/...
    for (const auto& part : file) {
      std::string name = part.string();
      if (find_mode(name)) input.suite = name;
      if (!name.starts_with("fuzz_")) continue;
      name = name.substr(5);
      const auto underscore = name.find('_');
      if (underscore == std::string::npos || !find_mode(name.substr(0, underscore))) continue;
      input.suite = name.substr(0, underscore);
      input.map = name.substr(underscore + 1);
    }
  }
  if (!suite_option.empty()) input.suite = suite_option;
  if (!map_option.empty()) input.map = map_option;
  if (input.map.empty()) input.map = "gomap";
  if (input.suite != "program") {
    const auto mode = find_mode(input.suite);
    if (!mode)
      throw UsageError(fmt::format("--suite: no suite called '{}' (suites: {}, or program)",
                                   input.suite, suite_names()));
    input.dialect = mode->dialect;
  }
  return input;
}

int replay_command(const std::vector<std::string>& files, const std::string& map_option,
                   const std::string& suite_option) {
  bool all_hold = true;
  for (const std::string& file : files) {
    const ReplayInput input = classify(file, map_option, suite_option);
    const MapEntry* map = find_map(input.map);
    if (map == nullptr)
      throw UsageError(fmt::format("--map: no map called '{}' (maps: {})", input.map, map_names()));
    Program program = decode(input.bytes, input.dialect);
    fit_to(program, map->capabilities);
    // Printed before it runs: a map that crashes still leaves its program on the screen.
    fmt::print("== {} ({} bytes, suite {}, map {})\n{}", file, input.bytes.size(), input.suite,
               map->name, describe(program));
    std::fflush(stdout);
    const auto failure = map->run(program, nullptr, nullptr);
    if (!failure) {
      fmt::print("verdict: holds\n\n");
      continue;
    }
    all_hold = false;
    fmt::print("verdict: {}\n", failure->to_string());
    const Program minimal = minimize(program, interpreter_probe(*map));
    const auto minimal_failure = map->run(minimal, nullptr, nullptr);
    fmt::print("minimised to {} ops:\n{}\n{}\n", minimal.ops.size(), describe(minimal),
               map->reproducer(minimal, "Replay", minimal_failure, map->header));
  }
  return all_hold ? kExitHeld : kExitBroken;
}

// gomap's process hash key must be the same in every mapcheck process, so that a saved input
// replays with the same bucket layout. It is read during static initialisation, before main can
// set it: the first start sets it and runs the program again.
void fix_process_hash_key(char** argv) {
  if (std::getenv("GOMAP_HASH_KEY") != nullptr) return;
  ::setenv("GOMAP_HASH_KEY", kReplayHashKey, 1);
  ::execv("/proc/self/exe", argv);
  std::perror("mapcheck: re-executing with GOMAP_HASH_KEY set failed; go on with a random key");
}

}  // namespace

int main(int argc, char** argv) {
  fix_process_hash_key(argv);
  CLI::App app{
      "mapcheck: checks hash maps against executable models; findings come with a "
      "minimal reproducer"};
  app.require_subcommand(1);
  CLI::App* list = app.add_subcommand("list", "the maps and suites compiled in");
  CLI::App* run =
      app.add_subcommand("run", "run suites on maps and report what held and what broke");
  RunOptions options;
#define MAPCHECK_RUN_OPTION(type, member, flag, init, help) \
  run->add_option(flag, options.member, help)->capture_default_str();
#include "run_options.def"
#undef MAPCHECK_RUN_OPTION
  CLI::App* replay = app.add_subcommand("replay", "re-run saved findings or fuzz inputs");
  std::vector<std::string> files;
  std::string replay_map, replay_suite;
  replay->add_option("files", files, "finding folders, input.bin/program.bin files, fuzz inputs")
      ->required()
      ->check(CLI::ExistingPath);
  replay->add_option("--map", replay_map, "map to run on (default: the finding's, or gomap)");
  replay->add_option("--suite", replay_suite,
                     "how to read the bytes: a suite, or `program` (default: from the path)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? kExitHeld : kExitUsage;
  }
  try {
    if (*list) return list_command();
    if (*run) return run_command(options);
    if (*replay) return replay_command(files, replay_map, replay_suite);
  } catch (const UsageError& e) {
    std::cerr << "mapcheck: " << e.what() << "\n";
    return kExitUsage;
  }
  return kExitUsage;
}
