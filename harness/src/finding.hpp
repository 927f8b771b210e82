// A finding: one broken contract, crash or hang of one map in one suite, with everything needed to
// see it again. Each finding is a folder, written as soon as the finding is known:
//
//   <out>/findings/<map>/<suite>/
//     finding.json    what broke, the seed and case index, the op, the files below
//     input.bin       the case as generated (bytes in the suite's dialect): `mapcheck replay` it
//     program.bin     the minimised program in the full program byte form (when minimised)
//     program.txt     the minimised (or raw) program as text
//     reproducer.cpp  a GoogleTest test that calls the map directly (when it could be printed)
//     log.txt         the start and end of the map's stderr (a sanitizer report, an abort message)
//     history.txt     stress suite: the minimal history, one column per thread, and the verdict
//
// finding.json is the record the report reads back, so a finding written by a child process that
// then died is still reported.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mapcheck/program.hpp"

namespace mapcheck::cli {

enum class FindingKind { contract, crash, hang };
const char* to_string(FindingKind kind);

struct Finding {
  std::string map;
  std::string suite;
  FindingKind kind = FindingKind::contract;
  std::string message;  // what broke, at which op
  std::uint64_t seed = 0;
  std::uint64_t case_index = 0;
  std::vector<std::uint8_t> input;  // the case's bytes, in the suite's dialect
  std::optional<Program> minimal;
  std::string reproducer;  // C++ text, or empty
  std::string log;         // the start and end of its stderr
  std::string details;     // stress suite: the minimal history and the checker's explanation
  std::filesystem::path dir;
  // Set by the report when the finding is listed in the expected-findings file.
  std::string known_as;
};

// The folder a finding of `map` in `suite` goes to, under `out`.
std::filesystem::path finding_dir(const std::filesystem::path& out, const std::string& map,
                                  const std::string& suite);

// Writes every file of the finding into finding.dir (created), replacing what was there.
void save(const Finding& finding);

// Reads finding.json (and input.bin) back; nothing if the folder has no finding.
std::optional<Finding> load_finding(const std::filesystem::path& dir);

}  // namespace mapcheck::cli
