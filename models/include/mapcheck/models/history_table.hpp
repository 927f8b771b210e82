// Printing concurrent map histories for people: one row per call in invocation order, one column
// per thread, so that what overlapped what can be read down the page. Plain text (iostreams), no
// dependency beyond the standard library, because reports land in CI logs and finding directories.
//
//      # | invoke..response | note  | thread 0              | thread 1
//   -----+------------------+-------+-----------------------+----------------------
//      0 |           10..20 | lin 1 | store(k1, 5)          |
//      1 |           12..30 |       |                       | load(k1) -> absent
//
// The `note` column carries what the caller wants to show per row; describe_violation() puts each
// call's position in the longest linearizable prefix there ("lin 3"), so the calls left without a
// number are the ones no linearization could place.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mapcheck/models/history.hpp"
#include "mapcheck/models/map_linearizability.hpp"

namespace mapcheck::models {

struct TableOptions {
  std::vector<std::size_t> only;             // history indices to print; empty: every call
  std::map<std::size_t, std::string> notes;  // history index -> the row's note
  std::size_t max_cell_width = 60;           // longer cells end in "..."
};

namespace detail {

inline std::string clipped(std::string text, std::size_t width) {
  if (text.size() <= width || width < 4) return text;
  text.resize(width - 3);
  return text + "...";
}

inline std::vector<std::size_t> rows_of(const History& history, const TableOptions& options) {
  std::vector<std::size_t> rows = options.only;
  if (rows.empty())
    for (std::size_t i = 0; i < history.size(); ++i) rows.push_back(i);
  std::sort(rows.begin(), rows.end(), [&](std::size_t a, std::size_t b) {
    return std::pair(history[a].invoke, a) < std::pair(history[b].invoke, b);
  });
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows;
}

// Cells padded to their column's width, joined by " | " (numbers right-aligned).
inline void print_row(std::ostringstream& out, const std::vector<std::string>& cells,
                      const std::vector<std::size_t>& widths) {
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::string pad(widths[c] - cells[c].size(), ' ');
    out << (c == 0 ? "" : " | ") << (c < 2 ? pad + cells[c] : cells[c] + pad);
  }
  out << "\n";
}

}  // namespace detail

inline std::string history_table(const History& history, const TableOptions& options = {}) {
  std::vector<ThreadId> threads;
  const std::vector<std::size_t> rows = detail::rows_of(history, options);
  for (std::size_t i : rows) threads.push_back(history[i].thread);
  std::sort(threads.begin(), threads.end());
  threads.erase(std::unique(threads.begin(), threads.end()), threads.end());

  std::vector<std::vector<std::string>> table;
  table.push_back({"#", "invoke..response", "note"});
  for (ThreadId t : threads) table[0].push_back("thread " + std::to_string(t));
  for (std::size_t i : rows) {
    const HistoryOp& op = history[i];
    std::vector<std::string> row(3 + threads.size());
    row[0] = std::to_string(i);
    row[1] = std::to_string(op.invoke) + ".." + std::to_string(op.response);
    if (auto it = options.notes.find(i); it != options.notes.end()) row[2] = it->second;
    const std::size_t column =
        std::lower_bound(threads.begin(), threads.end(), op.thread) - threads.begin();
    row[3 + column] = detail::clipped(describe(op), options.max_cell_width);
    table.push_back(std::move(row));
  }

  std::vector<std::size_t> widths(table[0].size(), 0);
  for (const auto& row : table)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  std::ostringstream out;
  detail::print_row(out, table[0], widths);
  for (std::size_t c = 0; c < widths.size(); ++c)
    out << (c == 0 ? "" : "-+-") << std::string(widths[c], '-');
  out << "\n";
  for (std::size_t r = 1; r < table.size(); ++r) detail::print_row(out, table[r], widths);
  return out.str();
}

inline std::string_view violation_kind_name(ViolationKind kind) {
  switch (kind) {
    case ViolationKind::key_not_linearizable:
      return "key not linearizable";
    case ViolationKind::range_duplicate_key:
      return "range produced a key twice";
    case ViolationKind::size_not_allowed:
      return "size not allowed";
  }
  return "?";
}

// The violation's explanation and the table of the calls it involves.
inline std::string describe_violation(const History& history, const Violation& v) {
  TableOptions options;
  options.only = v.ops;
  for (std::size_t n = 0; n < v.longest_prefix.size(); ++n)
    options.notes[v.longest_prefix[n]] = "lin " + std::to_string(n + 1);
  std::ostringstream out;
  out << violation_kind_name(v.kind) << ": " << v.explanation << "\n"
      << history_table(history, options);
  return out.str();
}

inline std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::ok:
      return "linearizable";
    case Verdict::illegal:
      return "NOT linearizable";
    case Verdict::unknown:
      return "undecided (search budget exhausted)";
  }
  return "?";
}

// The verdict, the counts, every violation with its table, and the undecided keys.
inline std::string describe_report(const History& history, const LinearizabilityReport& report) {
  const CheckStats& s = report.stats;
  std::ostringstream out;
  out << verdict_name(report.verdict) << ": " << history.size() << " calls, " << s.keys << " keys ("
      << s.fast_path_keys << " by zones, " << s.searched_keys << " searched, " << s.nodes
      << " nodes), " << s.sizes_checked << " sizes checked at quiescence (" << s.sizes_unchecked
      << " not quiescent), " << s.ranges << " ranges\n";
  for (const Violation& v : report.violations) out << "\n" << describe_violation(history, v);
  for (const UndecidedKey& u : report.undecided)
    out << "\nundecided: k" << u.key << " (" << u.ops << " calls) after " << u.nodes << " nodes\n";
  return out.str();
}

}  // namespace mapcheck::models
