// Expected findings: real bugs in third-party maps, examined and kept on record. A finding that
// matches an entry is still reported, in full, marked as known; it does not fail the run. Nothing
// is silenced: an entry that no longer matches anything is reported as stale.
//
// The file is a JSON array of entries:
//   { "map": "some_map", "suite": "differential" (or "*"),
//     "contains": ["text", ...]  (each must appear in the message or the minimised program),
//     "version": "the library version it was seen in", "why": "what the bug is" }
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "finding.hpp"

namespace mapcheck::cli {

struct ExpectedFinding {
  std::string map;
  std::string suite;
  std::vector<std::string> contains;
  std::string version;
  std::string why;
  bool matched = false;
};

// Reads the file; throws std::runtime_error with the reason if it is not a valid list.
std::vector<ExpectedFinding> load_expected_findings(const std::filesystem::path& path);

// Marks `finding` known (Finding::known_as) if an entry matches it.
void mark_if_expected(Finding& finding, std::vector<ExpectedFinding>& expected);

}  // namespace mapcheck::cli
