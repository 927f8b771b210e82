#include "expected_findings.hpp"

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "mapcheck/interpreter.hpp"

namespace mapcheck::cli {

std::vector<ExpectedFinding> load_expected_findings(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}", path.string()));
  nlohmann::json list;
  try {
    list = nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", path.string(), e.what()));
  }
  if (!list.is_array())
    throw std::runtime_error(fmt::format("{}: expected a JSON array of entries", path.string()));
  std::vector<ExpectedFinding> out;
  for (const auto& entry : list) {
    if (!entry.is_object() || !entry.contains("map") || !entry.contains("contains"))
      throw std::runtime_error(fmt::format("{}: every entry needs \"map\" and \"contains\": {}",
                                           path.string(), entry.dump()));
    const auto& contains = entry["contains"];
    if (!contains.is_array() || contains.empty() ||
        !std::all_of(contains.begin(), contains.end(), [](const auto& c) { return c.is_string(); }))
      throw std::runtime_error(fmt::format("{}: \"contains\" must be a list of strings: {}",
                                           path.string(), entry.dump()));
    Capabilities withhold;
    for (const auto& name : entry.value("withhold", nlohmann::json::array())) {
      const auto row = std::find_if(kCapabilities.begin() + 1, kCapabilities.end(),
                                    [&](const CapabilityInfo& c) { return name == c.name; });
      if (row == kCapabilities.end())
        throw std::runtime_error(fmt::format("{}: \"withhold\": no capability {} in {}",
                                             path.string(), name.dump(), entry.dump()));
      withhold = withhold.with(static_cast<Capability>(row - kCapabilities.begin()));
    }
    out.push_back({entry.value("map", ""), entry.value("suite", "*"),
                   contains.get<std::vector<std::string>>(), entry.value("version", ""),
                   entry.value("why", ""), withhold});
  }
  return out;
}

const ExpectedFinding* mark_if_expected(Finding& finding, std::vector<ExpectedFinding>& expected) {
  for (ExpectedFinding& e : expected) {
    if (e.map != finding.map) continue;
    if (e.suite != "*" && e.suite != finding.suite) continue;
    const std::string text =
        finding.message + "\n" + (finding.minimal ? describe(*finding.minimal) : std::string());
    if (!std::all_of(e.contains.begin(), e.contains.end(),
                     [&](const std::string& c) { return text.find(c) != std::string::npos; }))
      continue;
    e.matched = true;
    finding.known_as = e.version.empty() ? e.why : fmt::format("{} ({})", e.why, e.version);
    return &e;
  }
  return nullptr;
}

std::string capability_names(Capabilities set) {
  std::string out;
  for (std::size_t c = 1; c < kCapabilities.size(); ++c)
    if (set.has(static_cast<Capability>(c)))
      out += (out.empty() ? "" : ", ") + std::string(kCapabilities[c].name);
  return out;
}

}  // namespace mapcheck::cli
