#include "finding.hpp"

#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "mapcheck/interpreter.hpp"

namespace mapcheck::cli {

namespace {

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

namespace {
// The kinds' names, in FindingKind order: written to and read from finding.json.
constexpr const char* kKindNames[] = {"contract", "crash", "hang"};
}  // namespace

const char* to_string(FindingKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::filesystem::path finding_dir(const std::filesystem::path& out, const std::string& map,
                                  const std::string& suite) {
  return out / "findings" / map / suite;
}

void save(const Finding& f) {
  std::filesystem::create_directories(f.dir);
  write_bytes(f.dir / "input.bin", f.input);
  nlohmann::json files = {{"input", "input.bin"}};
  if (f.minimal) {
    write_bytes(f.dir / "program.bin", encode(*f.minimal));
    write_text(f.dir / "program.txt", describe(*f.minimal));
    files["program"] = "program.bin";
    files["program_text"] = "program.txt";
  }
  if (!f.reproducer.empty()) {
    write_text(f.dir / "reproducer.cpp", f.reproducer);
    files["reproducer"] = "reproducer.cpp";
  }
  if (!f.log.empty()) {
    write_text(f.dir / "log.txt", f.log);
    files["log"] = "log.txt";
  }
  if (!f.details.empty()) {
    write_text(f.dir / "history.txt", f.details);
    files["history"] = "history.txt";
  }
  const nlohmann::json record = {
      {"map", f.map},
      {"suite", f.suite},
      {"kind", to_string(f.kind)},
      {"message", f.message},
      {"seed", f.seed},
      {"case", f.case_index},
      {"minimal_ops", f.minimal ? f.minimal->ops.size() : 0},
      {"files", files},
  };
  write_text(f.dir / "finding.json", record.dump(2) + "\n");
}

std::optional<Finding> load_finding(const std::filesystem::path& dir) {
  std::ifstream in(dir / "finding.json");
  if (!in) return std::nullopt;
  const nlohmann::json record = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded()) return std::nullopt;
  Finding f;
  f.map = record.value("map", "");
  f.suite = record.value("suite", "");
  const std::string kind = record.value("kind", "contract");
  for (int k = 0; k < static_cast<int>(std::size(kKindNames)); ++k)
    if (kind == kKindNames[k]) f.kind = static_cast<FindingKind>(k);
  f.message = record.value("message", "");
  f.seed = record.value("seed", std::uint64_t{0});
  f.case_index = record.value("case", std::uint64_t{0});
  f.input = read_bytes(dir / "input.bin");
  if (std::filesystem::exists(dir / "program.bin"))
    f.minimal = decode(read_bytes(dir / "program.bin"));
  f.dir = dir;
  return f;
}

}  // namespace mapcheck::cli
