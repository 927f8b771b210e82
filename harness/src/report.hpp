// The report of a run: a conformance matrix (maps x suites: pass, finding, known finding, not
// applicable) and every finding with its reproducer. One Run value, several renderings:
//   summary   the terminal table printed at the end of every run;
//   json      machine-readable, everything (--json);
//   junit     one <testsuite> per map, one <testcase> per suite (--junit), for CI dashboards;
//   markdown  the matrix and the findings (--report FILE.md);
//   html      the same, one self-contained file (--report FILE.html).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "campaign.hpp"
#include "expected_findings.hpp"

namespace mapcheck::cli {

struct Run {
  std::uint64_t seed = 0;
  double seconds_per_pair = 0;
  std::string shard;  // "i/n", or empty
  std::vector<std::string> maps;
  std::vector<std::string> suites;
  std::vector<PairResult> pairs;
  std::vector<ExpectedFinding> expected;

  const PairResult* pair(const std::string& map, const std::string& suite) const;
  std::size_t unexpected_findings() const;
  std::size_t known_findings() const;
};

std::string summary_table(const Run& run);
std::string to_json(const Run& run);
std::string to_junit(const Run& run);
// Links to finding files are relative to report_dir, where the Markdown file is written.
std::string to_markdown(const Run& run, const std::filesystem::path& report_dir = ".");
std::string to_html(const Run& run);

// Writes the report to `path`, in the format its extension names (.md, .html, .json, .xml).
void write_report(const Run& run, const std::filesystem::path& path);

}  // namespace mapcheck::cli
