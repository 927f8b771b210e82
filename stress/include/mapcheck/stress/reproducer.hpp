// A stress program as a C++ program that replays it: the calls per thread and burst as data, then
// replay() (replay.hpp), which runs it until it fails and prints the history table. Data rather
// than raw map calls, because what reproduces a concurrent failure is the same threads, bursts and
// barriers the engine used, and the same checker judging the result.
#pragma once

#include <cstddef>
#include <sstream>
#include <string>
#include <string_view>

#include "mapcheck/stress/stress_program.hpp"

namespace mapcheck::stress {

inline std::string op_source(const StressOp& op) {
  std::ostringstream out;
  out << "{K::" << info(op.kind).name << ", " << op.key << ", " << op.value << ", " << op.expected
      << ", " << op.count;
  if (!op.bulk.empty()) {
    out << ", {";
    for (std::size_t i = 0; i < op.bulk.size(); ++i)
      out << (i ? ", " : "") << "{" << op.bulk[i].key << ", " << op.bulk[i].value << "}";
    out << "}";
  }
  out << "}";
  return out.str();
}

// The program as a StressProgram initializer.
inline std::string program_source(const StressProgram& program) {
  std::ostringstream out;
  out << "  const StressProgram program{" << program.threads << ", {\n";
  for (const Burst& burst : program.bursts) {
    out << "      Burst{{\n";
    for (std::size_t t = 0; t < burst.threads.size(); ++t) {
      out << "          /* thread " << t << " */ {";
      for (std::size_t i = 0; i < burst.threads[t].size(); ++i)
        out << (i ? ", " : "") << op_source(burst.threads[t][i]);
      out << "},\n";
    }
    out << "      }},\n";
  }
  out << "  }};\n";
  return out.str();
}

// A complete program: compile it against mapcheck's include directories (stress, models,
// harness, target) and the map's own, with -pthread (and -fsanitize=thread to see races).
inline std::string reproducer_source(const StressProgram& program, std::string_view adapter_type,
                                     std::string_view adapter_header, std::string_view headline) {
  std::ostringstream out;
  out << "// " << headline << "\n"
      << "// Replays the minimal stress program until it fails (a concurrent failure needs the\n"
      << "// right interleaving), then prints the history table.\n"
      << "#include \"" << adapter_header << "\"\n"
      << "#include \"mapcheck/stress/replay.hpp\"\n\n"
      << "int main() {\n"
      << "  using namespace mapcheck::stress;\n"
      << "  using K = StressOpKind;\n"
      << program_source(program) << "  return replay<" << adapter_type << ">(program, 100000);\n"
      << "}\n";
  return out.str();
}

}  // namespace mapcheck::stress
