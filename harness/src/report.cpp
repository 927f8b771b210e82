#include "report.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace mapcheck::cli {

namespace {

enum class Cell { pass, finding, known, not_applicable, not_run };

Cell cell_of(const PairResult* pair) {
  if (pair == nullptr) return Cell::not_run;
  switch (pair->status) {
    case PairStatus::pass:
      return Cell::pass;
    case PairStatus::not_applicable:
      return Cell::not_applicable;
    case PairStatus::finding:
      return pair->finding && !pair->finding->known_as.empty() ? Cell::known : Cell::finding;
  }
  return Cell::not_run;
}

const char* cell_word(Cell cell) {
  switch (cell) {
    case Cell::pass:
      return "pass";
    case Cell::finding:
      return "FINDING";
    case Cell::known:
      return "known finding";
    case Cell::not_applicable:
      return "n/a";
    case Cell::not_run:
      return "-";
  }
  return "?";
}

// The cell's words, with the case count for a pass and what ran after a known finding.
std::string cell_text(const PairResult* pair) {
  const Cell cell = cell_of(pair);
  std::string text = cell == Cell::pass ? fmt::format("pass ({} cases)", pair->cases)
                                        : std::string(cell_word(cell));
  if (pair != nullptr && !pair->note.empty()) text += "; " + pair->note;
  return text;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<const PairResult*> findings_of(const Run& run) {
  std::vector<const PairResult*> out;
  for (const PairResult& p : run.pairs)
    if (p.finding) out.push_back(&p);
  return out;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // XML 1.0 has no place for other control characters (a map's log may hold anything).
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r')
          out += '?';
        else
          out += c;
    }
  }
  return out;
}

// A finding's files, relative to where the report is written.
std::string link_to(const Finding& f, const char* file, const std::filesystem::path& report_dir) {
  return std::filesystem::relative(f.dir / file, report_dir).generic_string();
}

}  // namespace

const PairResult* Run::pair(const std::string& map, const std::string& suite) const {
  for (const PairResult& p : pairs)
    if (p.map == map && p.suite == suite) return &p;
  return nullptr;
}

std::size_t Run::unexpected_findings() const {
  std::size_t n = 0;
  for (const PairResult& p : pairs) n += cell_of(&p) == Cell::finding;
  return n;
}

std::size_t Run::known_findings() const {
  std::size_t n = 0;
  for (const PairResult& p : pairs) n += cell_of(&p) == Cell::known;
  return n;
}

std::string summary_table(const Run& run) {
  std::size_t map_width = 4;
  for (const auto& m : run.maps) map_width = std::max(map_width, m.size());
  std::string out = fmt::format("{:<{}}", "map", map_width);
  for (const auto& s : run.suites) out += fmt::format("  {:>22}", s);
  out += "\n";
  for (const auto& m : run.maps) {
    out += fmt::format("{:<{}}", m, map_width);
    for (const auto& s : run.suites) {
      out += fmt::format("  {:>22}", cell_text(run.pair(m, s)));
    }
    out += "\n";
  }
  for (const PairResult* p : findings_of(run)) {
    const Finding& f = *p->finding;
    out += fmt::format("\n{} {} / {}: {} {}\n  {}\n  files: {}\n", cell_word(cell_of(p)), f.map,
                       f.suite, to_string(f.kind),
                       f.known_as.empty() ? "" : "(known: " + f.known_as + ")", f.message,
                       f.dir.string());
  }
  return out;
}

std::string to_json(const Run& run) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairResult& p : run.pairs) {
    nlohmann::json j = {{"map", p.map},     {"suite", p.suite}, {"status", cell_word(cell_of(&p))},
                        {"cases", p.cases}, {"note", p.note},   {"seconds", p.seconds}};
    if (p.finding) {
      const Finding& f = *p.finding;
      j["finding"] = {{"kind", to_string(f.kind)},
                      {"message", f.message},
                      {"seed", f.seed},
                      {"case", f.case_index},
                      {"known", f.known_as},
                      {"dir", f.dir.string()},
                      {"minimal_ops", f.minimal ? f.minimal->ops.size() : 0}};
    }
    pairs.push_back(j);
  }
  nlohmann::json stale = nlohmann::json::array();
  for (const ExpectedFinding& e : run.expected)
    if (!e.matched) stale.push_back({{"map", e.map}, {"suite", e.suite}, {"contains", e.contains}});
  const nlohmann::json doc = {
      {"seed", run.seed},
      {"seconds_per_pair", run.seconds_per_pair},
      {"shard", run.shard},
      {"maps", run.maps},
      {"suites", run.suites},
      {"results", pairs},
      {"unexpected_findings", run.unexpected_findings()},
      {"known_findings", run.known_findings()},
      {"expected_findings_not_seen", stale},
  };
  return doc.dump(2) + "\n";
}

std::string to_junit(const Run& run) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"mapcheck\" tests=\"{}\" failures=\"{}\">\n",
                     run.pairs.size(), run.unexpected_findings());
  for (const std::string& map : run.maps) {
    std::string cases;
    std::size_t tests = 0, failures = 0, skipped = 0;
    for (const std::string& suite : run.suites) {
      const PairResult* p = run.pair(map, suite);
      if (p == nullptr) continue;
      ++tests;
      cases += fmt::format("    <testcase classname=\"mapcheck.{}\" name=\"{}\" time=\"{:.3f}\">",
                           xml_escape(map), xml_escape(suite), p->seconds);
      switch (cell_of(p)) {
        case Cell::finding:
          ++failures;
          cases += fmt::format("\n      <failure type=\"{}\" message=\"{}\">{}\n{}</failure>\n    ",
                               to_string(p->finding->kind), xml_escape(p->finding->message),
                               xml_escape(p->finding->dir.string()),
                               xml_escape(read_file(p->finding->dir / "program.txt")));
          break;
        case Cell::not_applicable:
          ++skipped;
          cases += "<skipped message=\"not applicable to this map\"/>";
          break;
        case Cell::known:
          cases += fmt::format("<system-out>known finding: {}</system-out>",
                               xml_escape(p->finding->known_as));
          break;
        default:
          break;
      }
      cases += "</testcase>\n";
    }
    out += fmt::format(
        "  <testsuite name=\"mapcheck.{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n{}"
        "  </testsuite>\n",
        xml_escape(map), tests, failures, skipped, cases);
  }
  out += "</testsuites>\n";
  return out;
}

namespace {

// The parts Markdown and HTML share: per finding, its heading line and its text blocks.
struct FindingSection {
  std::string title;
  std::string message;
  std::string known;
  std::string program;
  std::string reproducer;
  std::string log;
};

FindingSection section_of(const Finding& f) {
  return {fmt::format("{} / {}: {}", f.map, f.suite, to_string(f.kind)),
          f.message,
          f.known_as,
          read_file(f.dir / "program.txt"),
          read_file(f.dir / "reproducer.cpp"),
          read_file(f.dir / "log.txt")};
}

std::string matrix_markdown(const Run& run, const std::filesystem::path& report_dir) {
  std::string out = "| map |";
  for (const auto& s : run.suites) out += " " + s + " |";
  out += "\n|---|";
  for (std::size_t i = 0; i < run.suites.size(); ++i) out += "---|";
  out += "\n";
  for (const auto& m : run.maps) {
    out += "| " + m + " |";
    for (const auto& s : run.suites) {
      const PairResult* p = run.pair(m, s);
      if (p != nullptr && p->finding)
        out += fmt::format(" [{}]({}) |", cell_text(p),
                           link_to(*p->finding, "finding.json", report_dir));
      else
        out += fmt::format(" {} |", cell_text(p));
    }
    out += "\n";
  }
  return out;
}

std::string header_line(const Run& run) {
  return fmt::format("seed {}, {} s per map and suite{}; {} unexpected finding(s), {} known",
                     run.seed, run.seconds_per_pair,
                     run.shard.empty() ? "" : ", shard " + run.shard, run.unexpected_findings(),
                     run.known_findings());
}

std::string html_escape(std::string_view text) { return xml_escape(text); }

}  // namespace

std::string to_markdown(const Run& run, const std::filesystem::path& report_dir) {
  std::string out =
      "# mapcheck report\n\n" + header_line(run) + "\n\n" + matrix_markdown(run, report_dir) + "\n";
  for (const PairResult* p : findings_of(run)) {
    const FindingSection s = section_of(*p->finding);
    out += "## " + s.title + "\n\n" + s.message + "\n\n";
    if (!s.known.empty()) out += "Known finding: " + s.known + "\n\n";
    out += fmt::format("Files: `{}`\n\n", p->finding->dir.string());
    if (!s.program.empty()) out += "Program:\n\n```\n" + s.program + "```\n\n";
    if (!s.reproducer.empty())
      out += "<details><summary>Reproducer (GoogleTest)</summary>\n\n```cpp\n" + s.reproducer +
             "```\n</details>\n\n";
    if (!s.log.empty()) out += "Log (its start and end):\n\n```\n" + s.log + "\n```\n\n";
  }
  return out;
}

std::string to_html(const Run& run) {
  std::string out =
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>mapcheck report</title>\n"
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
      "td,th{border:1px solid #bbb;padding:4px 8px}.pass{background:#dfd}"
      ".FINDING{background:#fcc}.known{background:#ffd}pre{background:#f4f4f4;padding:8px;"
      "overflow-x:auto}</style></head><body>\n<h1>mapcheck report</h1>\n<p>" +
      html_escape(header_line(run)) + "</p>\n<table><tr><th>map</th>";
  for (const auto& s : run.suites) out += "<th>" + html_escape(s) + "</th>";
  out += "</tr>\n";
  for (const auto& m : run.maps) {
    out += "<tr><th>" + html_escape(m) + "</th>";
    for (const auto& s : run.suites) {
      const PairResult* p = run.pair(m, s);
      const Cell cell = cell_of(p);
      const std::string css = cell == Cell::pass      ? "pass"
                              : cell == Cell::finding ? "FINDING"
                              : cell == Cell::known   ? "known"
                                                      : "";
      std::string text = cell_text(p);
      if (p != nullptr && p->finding)
        text = fmt::format("<a href=\"#{}-{}\">{}</a>", html_escape(m), html_escape(s), text);
      out += "<td class=\"" + css + "\">" + text + "</td>";
    }
    out += "</tr>\n";
  }
  out += "</table>\n";
  for (const PairResult* p : findings_of(run)) {
    const FindingSection s = section_of(*p->finding);
    out += fmt::format("<h2 id=\"{}-{}\">{}</h2>\n<p>{}</p>\n", html_escape(p->map),
                       html_escape(p->suite), html_escape(s.title), html_escape(s.message));
    if (!s.known.empty()) out += "<p>Known finding: " + html_escape(s.known) + "</p>\n";
    out += "<p>Files: <code>" + html_escape(p->finding->dir.string()) + "</code></p>\n";
    if (!s.program.empty()) out += "<h3>Program</h3><pre>" + html_escape(s.program) + "</pre>\n";
    if (!s.reproducer.empty())
      out += "<details><summary>Reproducer (GoogleTest)</summary><pre>" +
             html_escape(s.reproducer) + "</pre></details>\n";
    if (!s.log.empty())
      out += "<h3>Log (its start and end)</h3><pre>" + html_escape(s.log) + "</pre>\n";
  }
  out += "</body></html>\n";
  return out;
}

void write_report(const Run& run, const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  std::string text;
  if (ext == ".md")
    text = to_markdown(run, path.parent_path().empty() ? "." : path.parent_path());
  else if (ext == ".html" || ext == ".htm")
    text = to_html(run);
  else if (ext == ".json")
    text = to_json(run);
  else if (ext == ".xml")
    text = to_junit(run);
  else
    throw std::invalid_argument(
        fmt::format("{}: the report format comes from the extension: .md, .html, .json or .xml",
                    path.string()));
  if (!path.parent_path().empty()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error(fmt::format("cannot write {}", path.string()));
  out << text;
}

}  // namespace mapcheck::cli
