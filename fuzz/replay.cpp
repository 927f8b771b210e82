// `replay`: decodes fuzz inputs (corpus files, crash artifacts, reproducer bytes) and shows what
// they mean: the decoded program, the verdict of running it against the models, and for a failure
// the minimised program and its C++ reproducer. Until the `mapcheck` command exists this is
// `mapcheck replay`.
//
//   replay [--mode MODE] [--map MAP] [--no-run] FILE...
//
// MODE is a fuzz mode (differential, iteration, hash) or `program` (the full byte form, as the
// reproducers print it). Without --mode, a path component names it: fuzz/corpus/<mode>/... or
// .../fuzz_<mode>_<map>/... (ci/fuzz's output), which names the map too; otherwise `program`.
// The program is printed before it runs, so a crashing map still leaves its program on the screen.
// Exit status: 0 every input holds, 1 some input fails, 2 usage error.
// clang-format off
// First: fixes gomap's process hash key as the fuzz targets do, so their inputs replay alike.
#include "mapcheck/fuzz/fixed_hash_key.hpp"
// clang-format on

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "mapcheck/adapters/bundled.hpp"
#include "mapcheck/fuzz/modes.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/printer.hpp"

namespace {

using mapcheck::fuzz::FuzzMode;

const FuzzMode kProgramMode{"program", mapcheck::Dialect{}, "the full program byte form"};

std::optional<FuzzMode> mode_named(std::string_view name) {
  if (name == kProgramMode.name) return kProgramMode;
  return mapcheck::fuzz::find_mode(name);
}

// The mode and map a path names, if any of its components does.
void infer_from_path(const std::filesystem::path& path, std::string& mode, std::string& map) {
  for (const auto& part : path) {
    std::string s = part.string();
    if (mode.empty() && mapcheck::fuzz::find_mode(s)) mode = s;
    if (s.rfind("fuzz_", 0) == 0) {
      s = s.substr(5);
      const auto underscore = s.find('_');
      if (underscore == std::string::npos) continue;
      if (mode.empty() && mapcheck::fuzz::find_mode(s.substr(0, underscore)))
        mode = s.substr(0, underscore);
      if (map.empty()) map = s.substr(underscore + 1);
    }
  }
}

template <class Adapter>
bool replay_one(const std::filesystem::path& path, const FuzzMode& mode, bool run) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                        std::istreambuf_iterator<char>()};
  const mapcheck::Program program = mapcheck::decode(bytes, mode.dialect);
  std::cout << "== " << path.string() << " (" << bytes.size() << " bytes, mode " << mode.name
            << ", map " << Adapter::name << ")\n"
            << mapcheck::describe(program) << std::flush;
  if (!run) return true;
  const auto failure = mapcheck::run_program<Adapter>(program);
  if (!failure) {
    std::cout << "verdict: holds\n\n";
    return true;
  }
  std::cout << "verdict: " << failure->to_string() << "\n";
  const mapcheck::Program minimal = mapcheck::minimize<Adapter>(program);
  const auto minimal_failure = mapcheck::run_program<Adapter>(minimal);
  std::cout << "minimised to " << minimal.ops.size() << " ops:\n"
            << mapcheck::describe(minimal) << "\n"
            << mapcheck::print_reproducer<Adapter>(
                   minimal, "Replay_" + path.filename().string(),
                   "mapcheck/adapters/" + std::string(Adapter::name) + ".hpp", minimal_failure)
            << "\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"replay: decode fuzz inputs and reproducer bytes, run them, print reproducers"};
  std::string mode_option, map_option;
  bool no_run = false;
  std::vector<std::string> files;
  app.add_option("--mode", mode_option,
                 "fuzz mode (differential, iteration, hash) or `program`; default: from the path");
  app.add_option("--map", map_option, "bundled map to run on; default: from the path, or gomap");
  app.add_flag("--no-run", no_run, "only decode and print");
  app.add_option("files", files, "inputs")->required()->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);

  bool all_hold = true;
  for (const std::string& file : files) {
    std::string mode_name = mode_option, map_name = map_option;
    infer_from_path(file, mode_name, map_name);
    if (mode_name.empty()) mode_name = std::string(kProgramMode.name);
    if (map_name.empty()) map_name = "gomap";
    const auto mode = mode_named(mode_name);
    if (!mode) {
      std::cerr << "replay: no mode called " << mode_name << "\n";
      return 2;
    }
    const bool known = mapcheck::adapters::with_bundled(
        map_name, [&]<class Adapter>() { all_hold &= replay_one<Adapter>(file, *mode, !no_run); });
    if (!known) {
      std::cerr << "replay: no bundled map called " << map_name << " (maps:";
      mapcheck::adapters::for_each_bundled_name([](std::string_view n) { std::cerr << ' ' << n; });
      std::cerr << ")\n";
      return 2;
    }
  }
  return all_hold ? 0 : 1;
}
