// One libFuzzer target: a mode (modes.hpp) over one map. Include this from exactly one source per
// mode (fuzz/targets/<mode>.cpp) and expand MAPCHECK_FUZZ_TARGET("<mode>") there; the build
// compiles that source once per map, with an include directory holding mapcheck_fuzzed_adapter.hpp,
// which names the adapter:
//
//   #include "mapcheck/adapters/gomap.hpp"
//   namespace mapcheck::fuzz { using FuzzedAdapter = mapcheck::adapters::Gomap; }
//
// The same source links either with libFuzzer (the fuzzer) or with replay_main.cpp (the replay
// driver ctest runs over the checked-in corpora), so every past finding stays a test.
//
// Per input: decode in the mode's dialect (every byte string is a program), run it through the
// interpreter against the models and the map's structural checks, and feed the map's state
// features to libFuzzer's extra counters. A failure is minimised and reported on stderr as the
// verdict, the program and the C++ reproducer, then the process aborts so that libFuzzer saves the
// input (its file name follows the report).
//
// Switches, for measuring what the guidance is worth (both on unless set to 0):
//   MAPCHECK_FUZZ_STATE_FEATURES   count the map's state features as coverage
//   MAPCHECK_FUZZ_OP_MUTATOR       mutate and cross over at op granularity as well as byte
//                                  granularity (off: libFuzzer's byte mutations, byte splices)
#pragma once

// clang-format off
// First: fixes gomap's process hash key before any gomap header can draw it.
#include "mapcheck/fuzz/fixed_hash_key.hpp"
// clang-format on

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>

#include "mapcheck/adapter.hpp"
#include "mapcheck/fuzz/op_mutator.hpp"
#include "mapcheck/interpreter.hpp"
#include "mapcheck/minimize.hpp"
#include "mapcheck/modes.hpp"
#include "mapcheck/printer.hpp"
#include "mapcheck_fuzzed_adapter.hpp"

// libFuzzer's byte mutator; weak, so that replay drivers (no libFuzzer) link without it.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size)
    __attribute__((weak));

namespace mapcheck::fuzz {

inline bool switched_on(const char* variable) {
  const char* value = std::getenv(variable);
  return value == nullptr || std::strcmp(value, "0") != 0;
}

// The map's state features as libFuzzer extra counters, and the set of features seen so far in
// this process (printed at exit, for measuring coverage of map states).
class StateCoverage {
 public:
  explicit StateCoverage(std::span<std::uint8_t> counters)
      : counters_(counters), enabled_(switched_on("MAPCHECK_FUZZ_STATE_FEATURES")) {}

  void hit(std::uint32_t feature) {
    feature %= kStateFeatureLimit;
    if (enabled_) counters_[feature] = static_cast<std::uint8_t>(counters_[feature] + 1);
    if (!seen_.test(feature)) {
      seen_.set(feature);
      if (seen_.count() == 1) std::atexit(&StateCoverage::report_at_exit);
    }
  }
  std::size_t distinct() const { return seen_.count(); }

  static StateCoverage* instance;

 private:
  static void report_at_exit() {
    if (instance != nullptr)
      std::fprintf(stderr, "mapcheck: %zu distinct map state features seen\n",
                   instance->distinct());
  }

  std::span<std::uint8_t> counters_;
  bool enabled_;
  std::bitset<kStateFeatureLimit> seen_;
};
inline StateCoverage* StateCoverage::instance = nullptr;

template <class Adapter>
class FuzzTarget {
 public:
  FuzzTarget(const Mode& mode, std::span<std::uint8_t> counters)
      : mode_(mode), coverage_(counters), op_mutator_(switched_on("MAPCHECK_FUZZ_OP_MUTATOR")) {
    StateCoverage::instance = &coverage_;
  }

  int run_one(std::span<const std::uint8_t> bytes) {
    Program program = decode(bytes, mode_.dialect);
    if (program.ops.size() > kMaxOps) program.ops.resize(kMaxOps);
    auto failure = run_program<Adapter>(program, [&](const auto& map, const Op&) {
      adapter_traits<Adapter>::state_features(map, [&](std::uint32_t f) { coverage_.hit(f); });
    });
    if (failure) report_and_abort(program);
    return 0;
  }

  std::size_t mutate(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned seed) {
    const bool bytes_only = !op_mutator_ || (seed & 1) != 0;
    if (bytes_only && LLVMFuzzerMutate != nullptr) return LLVMFuzzerMutate(data, size, max_size);
    Program program = decode({data, size}, mode_.dialect);
    OpMutator mutator(mode_.dialect, seed);
    mutator.mutate(program);
    return mutator.write(program, {data, max_size});
  }

  std::size_t cross_over(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                         std::span<std::uint8_t> out, unsigned seed) {
    if (!op_mutator_) return splice_bytes(a, b, out, seed);
    OpMutator mutator(mode_.dialect, seed);
    Program child = mutator.cross(decode(a, mode_.dialect), decode(b, mode_.dialect));
    return mutator.write(child, out);
  }

 private:
  // Byte-level crossover (with the op mutator switched off): a prefix of a, then a suffix of b.
  static std::size_t splice_bytes(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b,
                                  std::span<std::uint8_t> out, unsigned seed) {
    const std::size_t cut_a = a.empty() ? 0 : seed % (a.size() + 1);
    const std::size_t cut_b = b.empty() ? 0 : (seed / 7) % (b.size() + 1);
    std::size_t n = 0;
    for (std::size_t i = 0; i < cut_a && n < out.size(); ++i) out[n++] = a[i];
    for (std::size_t i = cut_b; i < b.size() && n < out.size(); ++i) out[n++] = b[i];
    return n;
  }

  [[noreturn]] void report_and_abort(const Program& program) {
    const Program minimal = minimize<Adapter>(program);
    const auto failure = run_program<Adapter>(minimal);
    const std::string header = "mapcheck/adapters/" + std::string(Adapter::name) + ".hpp";
    std::fprintf(stderr,
                 "==mapcheck== fuzz target %.*s on %.*s: %s\n"
                 "input program (%zu ops), minimised to %zu ops:\n%s\n%s\n",
                 static_cast<int>(mode_.name.size()), mode_.name.data(),
                 static_cast<int>(Adapter::name.size()), Adapter::name.data(),
                 failure ? failure->to_string().c_str() : "(the minimised program holds)",
                 program.ops.size(), minimal.ops.size(), describe(minimal).c_str(),
                 print_reproducer<Adapter>(minimal, std::string("Fuzz_") + std::string(mode_.name),
                                           header, failure)
                     .c_str());
    std::fflush(stderr);
    std::abort();
  }

  Mode mode_;
  StateCoverage coverage_;
  bool op_mutator_;
};

}  // namespace mapcheck::fuzz

namespace mapcheck::fuzz {
// The mode named by MAPCHECK_FUZZ_MODE (for builds that serve every mode from one binary).
inline Mode mode_from_environment() {
  const char* name = std::getenv("MAPCHECK_FUZZ_MODE");
  if (name == nullptr) name = "differential";
  if (auto mode = find_mode(name)) return *mode;
  std::fprintf(stderr, "mapcheck: MAPCHECK_FUZZ_MODE=%s names no fuzz mode\n", name);
  std::exit(2);
}
}  // namespace mapcheck::fuzz

// The libFuzzer entry points of one mode, for FuzzedAdapter. The counters live in the section that
// libFuzzer scans for extra coverage counters (elsewhere they are a plain array).
#define MAPCHECK_FUZZ_TARGET(mode_name)                                           \
  static_assert(mapcheck::find_mode(mode_name).has_value(), "no such fuzz mode"); \
  MAPCHECK_FUZZ_ENTRY_POINTS(*mapcheck::find_mode(mode_name))

// The same, with the mode chosen at run time by MAPCHECK_FUZZ_MODE (default differential): one
// binary per planted bug serves all modes when the bug zoo measures the fuzzers.
#define MAPCHECK_FUZZ_TARGET_FROM_ENVIRONMENT() \
  MAPCHECK_FUZZ_ENTRY_POINTS(mapcheck::fuzz::mode_from_environment())

#define MAPCHECK_FUZZ_ENTRY_POINTS(mode_expression)                                               \
  [[gnu::used, gnu::section("__libfuzzer_extra_counters")]] static std::uint8_t                   \
      mapcheck_state_counters[mapcheck::kStateFeatureLimit];                                      \
  static mapcheck::fuzz::FuzzTarget<mapcheck::fuzz::FuzzedAdapter>& mapcheck_fuzz_target() {      \
    static mapcheck::fuzz::FuzzTarget<mapcheck::fuzz::FuzzedAdapter> target(                      \
        mode_expression, mapcheck_state_counters);                                                \
    return target;                                                                                \
  }                                                                                               \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {             \
    return mapcheck_fuzz_target().run_one({data, size});                                          \
  }                                                                                               \
  extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,            \
                                                 std::size_t max_size, unsigned seed) {           \
    return mapcheck_fuzz_target().mutate(data, size, max_size, seed);                             \
  }                                                                                               \
  extern "C" std::size_t LLVMFuzzerCustomCrossOver(                                               \
      const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2, std::size_t size2, \
      std::uint8_t* out, std::size_t max_out_size, unsigned seed) {                               \
    return mapcheck_fuzz_target().cross_over({data1, size1}, {data2, size2}, {out, max_out_size}, \
                                             seed);                                               \
  }
