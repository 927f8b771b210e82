// Expected findings: real bugs in third-party maps, examined and kept on record. A finding that
// matches an entry is still reported, in full, marked as known; it does not fail the run. Nothing
// is silenced: an entry that no longer matches anything is reported as stale.
//
// The file is a JSON array of entries:
//   { "map": "some_map", "suite": "differential" (or "*"),
//     "contains": ["text", ...]  (each must appear in the message or the minimised program),
//     "version": "the library version it was seen in", "why": "what the bug is",
//     "withhold": ["reserve", ...]  (optional: guarantees.def rows whose ops trigger the bug) }
//
// With "withhold", the pair does not stop at the known finding: it runs again with the ops that
// need those capabilities left out, so that one known bug does not hide everything else the map
// does (TBB's reserve hang would otherwise end every suite at its first reserve).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "finding.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck::cli {

struct ExpectedFinding {
  std::string map;
  std::string suite;
  std::vector<std::string> contains;
  std::string version;
  std::string why;
  Capabilities withhold;  // `none` only: nothing withheld
  bool matched = false;
};

// Reads the file; throws std::runtime_error with the reason if it is not a valid list.
std::vector<ExpectedFinding> load_expected_findings(const std::filesystem::path& path);

// Marks `finding` known (Finding::known_as) if an entry matches it, and returns that entry.
const ExpectedFinding* mark_if_expected(Finding& finding, std::vector<ExpectedFinding>& expected);

// The names of the capabilities in `set` other than `none` ("reserve, move").
std::string capability_names(Capabilities set);

}  // namespace mapcheck::cli
