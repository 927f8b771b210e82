// Prints reproducers for a fixed set of programs into GoogleTest source files, each as its own
// TEST:
//   SAMPLES.cpp  (printed_samples_test) programs that cover every op kind, every universe and
//                every hash policy, on gomap and on std::unordered_map, plus seeded random
//                programs, and programs printed as if an element or table check had failed (so
//                the test repeats it). They run on the correct maps, so every printed EXPECT must
//                hold: printed reproducers compile and agree with the maps.
//   ZOO.cpp      (printed_zoo_test) the minimal programs of the third-party zoo's planted bugs
//                that only an element or table check sees (tests/bugzoo/third_party), printed
//                with the check that failed. Each printed test must fail on its planted bug: a
//                reproducer of such a finding fails on its own, without mapcheck.
// (The interpreter is not run here: a sample the correct maps failed would show as a failing
// printed test, and instantiating the interpreter too would double this generator's compile time.)
#include <cstdint>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <mapcheck/adapters/gomap.hpp>
#include <mapcheck/adapters/std_unordered_map.hpp>
#include <mapcheck/printer.hpp>
#include <mapcheck/program.hpp>

#include "third_party/chained.hpp"
#include "third_party/control_bytes.hpp"
#include "third_party/linear_tombstone.hpp"
#include "third_party/robin_hood.hpp"

namespace {

using mapcheck::Check;
using mapcheck::HashPolicy;
using mapcheck::Op;
using mapcheck::OpKind;
using mapcheck::Program;
using mapcheck::UniverseKind;

struct NamedProgram {
  std::string name;
  Program program;
};

// ---- writing ops briefly ----
Op keyed(OpKind kind, int key, int value = 0) {
  Op op;
  op.kind = kind;
  op.key = static_cast<std::uint8_t>(key);
  op.value = static_cast<std::uint8_t>(value);
  return op;
}
Op plain(OpKind kind) { return keyed(kind, 0); }
Op on_slot(OpKind kind, int slot) {
  Op op = plain(kind);
  op.iter = static_cast<std::uint8_t>(slot);
  return op;
}
Op run(OpKind kind, int key, std::uint32_t n, int value = 0) {
  Op op = keyed(kind, key, value);
  op.count = n;
  return op;
}
Op reserve(std::uint32_t code) {
  Op op = plain(OpKind::reserve);
  op.count = code;
  return op;
}
Op churn(std::uint32_t code) {
  Op op = plain(OpKind::churn);
  op.count = code;
  return op;
}
Op copy_assign(bool self) {
  Op op = plain(OpKind::copy_assign);
  op.self = self;
  return op;
}

Program program(UniverseKind universe, HashPolicy policy, std::vector<Op> ops) {
  Program p;
  p.universe = universe;
  p.hash_policy = policy;
  p.hash_seed = 0x5eed;
  p.random_seed = 0xC0FFEE;
  p.ops = std::move(ops);
  return p;
}

// Every op kind, written so that each takes its interesting branch at least once.
std::vector<Op> writes_and_reads() {
  return {keyed(OpKind::insert, 1, 10),
          keyed(OpKind::insert, 1, 11),
          keyed(OpKind::try_emplace, 2, 20),
          keyed(OpKind::try_emplace, 2, 21),
          keyed(OpKind::insert_or_assign, 3, 30),
          keyed(OpKind::insert_or_assign, 3, 31),
          keyed(OpKind::subscript_assign, 4, 40),
          keyed(OpKind::subscript_assign, 1, 12),
          keyed(OpKind::find, 1),
          keyed(OpKind::find, 9),
          keyed(OpKind::contains, 2),
          keyed(OpKind::contains, 9),
          keyed(OpKind::erase_key, 2),
          keyed(OpKind::erase_key, 2),
          plain(OpKind::size),
          plain(OpKind::iterate),
          plain(OpKind::clear),
          plain(OpKind::size),
          plain(OpKind::iterate)};
}

std::vector<Op> reserves() {
  return {keyed(OpKind::insert, 5, 1),
          reserve(3),
          reserve(250),
          reserve(253),
          reserve(254),
          reserve(255),
          keyed(OpKind::find, 5),
          plain(OpKind::iterate)};
}

std::vector<Op> copies_moves_swaps() {
  return {run(OpKind::insert_n, 0, 5, 7),
          plain(OpKind::copy_construct),
          keyed(OpKind::insert, 9, 9),
          copy_assign(false),
          copy_assign(true),
          keyed(OpKind::erase_key, 0),
          plain(OpKind::swap),
          keyed(OpKind::find, 0),
          plain(OpKind::move_construct),
          keyed(OpKind::insert, 3, 3),
          plain(OpKind::swap),
          plain(OpKind::move_assign),
          plain(OpKind::iterate),
          plain(OpKind::swap),
          plain(OpKind::iterate)};
}

// Stepwise iterations interleaved with writes: under Go's rules they go on; under the standard
// rules the writes end them (except erase(it)).
std::vector<Op> iterations() {
  return {run(OpKind::insert_n, 10, 6, 1),
          on_slot(OpKind::iter_open, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::erase_iterator, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_open, 1),
          keyed(OpKind::insert_or_assign, 11, 5),
          on_slot(OpKind::iter_step, 1),
          keyed(OpKind::erase_key, 12),
          keyed(OpKind::insert, 40, 4),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 1),
          on_slot(OpKind::iter_close, 1),
          on_slot(OpKind::erase_iterator, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::iter_step, 0),
          on_slot(OpKind::erase_iterator, 0),
          on_slot(OpKind::iter_open, 2),
          on_slot(OpKind::erase_iterator, 2),
          on_slot(OpKind::erase_iterator, 2),
          plain(OpKind::swap),
          on_slot(OpKind::iter_step, 2),
          on_slot(OpKind::erase_iterator, 2),
          plain(OpKind::swap),
          on_slot(OpKind::iter_step, 2),
          on_slot(OpKind::iter_open, 3),
          plain(OpKind::clear),
          on_slot(OpKind::iter_step, 3),
          on_slot(OpKind::iter_step, 2),
          plain(OpKind::iterate)};
}

// Erase everything at the iterator, then iterate an empty map.
std::vector<Op> drain_by_iterator() {
  std::vector<Op> ops = {run(OpKind::insert_n, 100, 4, 2), on_slot(OpKind::iter_open, 0)};
  for (int i = 0; i < 5; ++i) ops.push_back(on_slot(OpKind::erase_iterator, 0));
  ops.push_back(on_slot(OpKind::iter_open, 1));
  ops.push_back(on_slot(OpKind::iter_step, 1));
  ops.push_back(plain(OpKind::iterate));
  return ops;
}

// Enough keys to grow several times, with an iteration open across the growth.
std::vector<Op> growth() {
  return {run(OpKind::insert_n, 0, 20, 3),
          on_slot(OpKind::iter_open, 0),
          on_slot(OpKind::iter_step, 0),
          run(OpKind::insert_n, 20, 64, 4),
          on_slot(OpKind::iter_step, 0),
          run(OpKind::erase_n, 10, 30),
          on_slot(OpKind::iter_step, 0),
          run(OpKind::insert_n, 200, 64, 5),
          plain(OpKind::iterate),
          on_slot(OpKind::iter_step, 0),
          plain(OpKind::size)};
}

// Keys that differ in bits but not under Eq (tagged) or never equal themselves (nan).
std::vector<Op> odd_keys() {
  return {keyed(OpKind::insert, 2, 1),
          keyed(OpKind::insert, 3, 2),
          keyed(OpKind::insert_or_assign, 3, 3),
          keyed(OpKind::find, 2),
          keyed(OpKind::subscript_assign, 2, 4),
          keyed(OpKind::find, 3),
          keyed(OpKind::insert, 15, 5),
          keyed(OpKind::insert, 15, 5),
          keyed(OpKind::insert_or_assign, 31, 6),
          keyed(OpKind::find, 15),
          keyed(OpKind::erase_key, 15),
          keyed(OpKind::contains, 31),
          plain(OpKind::iterate),
          on_slot(OpKind::iter_open, 0),
          on_slot(OpKind::erase_iterator, 0),
          on_slot(OpKind::erase_iterator, 0),
          plain(OpKind::copy_construct),
          plain(OpKind::swap),
          plain(OpKind::iterate),
          plain(OpKind::clear)};
}

// Seeded random programs through the byte decoder, as the fuzzer makes them, kept small (few keys,
// short runs) so that ops meet each other's keys and the generated file compiles quickly.
//
// A printed erase(it) pins the entry the map's order chose when printing, so these programs avoid
// orders that differ between processes: gomap::Hash is keyed per process (Go's aeskeysched), and
// gomap keeps its hasher in its table, so both the map_default policy and a moved-from `m` (whose
// next table gets a default PolicyHash, which is map_default) hash differently in the test than
// in the generator. So: no map_default policy, and no erase(it) after a move (it becomes a step).
Program random_program(std::mt19937_64& rng, UniverseKind universe, std::size_t ops) {
  std::vector<std::uint8_t> bytes(18 + 3 * ops);
  for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
  bytes[0] = static_cast<std::uint8_t>(universe);
  bytes[1] = static_cast<std::uint8_t>(1 + bytes[1] % (mapcheck::kHashPolicies.size() - 1));
  Program p = mapcheck::decode(bytes);
  bool moved = false;
  for (Op& op : p.ops) {
    moved = moved || op.kind == OpKind::move_construct || op.kind == OpKind::move_assign;
    if (moved && op.kind == OpKind::erase_iterator) op.kind = OpKind::iter_step;
    op.key %= 20;
    if (op.kind == OpKind::insert_n || op.kind == OpKind::erase_n) op.count = 1 + op.count % 12;
  }
  return p;
}

const std::vector<NamedProgram>& sample_programs() {
  static const std::vector<NamedProgram> samples = [] {
    std::vector<NamedProgram> out;
    for (const mapcheck::UniverseInfo& u : mapcheck::kUniverses) {
      const std::string suffix = "_" + std::string(u.name);
      out.push_back({"WritesAndReads" + suffix,
                     program(u.kind, HashPolicy::map_default, writes_and_reads())});
      out.push_back({"Reserves" + suffix, program(u.kind, HashPolicy::two_valued, reserves())});
      out.push_back({"CopiesMovesSwaps" + suffix,
                     program(u.kind, HashPolicy::low_equal, copies_moves_swaps())});
      out.push_back({"Iterations" + suffix, program(u.kind, HashPolicy::constant, iterations())});
      out.push_back({"DrainByIterator" + suffix,
                     program(u.kind, HashPolicy::map_default, drain_by_iterator())});
      out.push_back({"Growth" + suffix, program(u.kind, HashPolicy::top_equal, growth())});
      out.push_back({"OddKeys" + suffix, program(u.kind, HashPolicy::adversarial, odd_keys())});
    }
    std::mt19937_64 rng(20240611);
    for (int i = 0; i < 4; ++i) {
      for (const mapcheck::UniverseInfo& u : mapcheck::kUniverses) {
        out.push_back({"Random" + std::to_string(i) + "_" + std::string(u.name),
                       random_program(rng, u.kind, 24)});
      }
    }
    return out;
  }();
  return samples;
}

// A program printed as if its last op had failed `check`.
struct CheckedProgram {
  std::string name;
  Check check;
  Program program;
};

mapcheck::Failure failed_at_last_op(const Program& p, Check check, std::string broke) {
  mapcheck::Failure failure;
  failure.op_index = p.ops.size() - 1;
  failure.op = mapcheck::describe(p.ops.back());
  failure.broke = std::move(broke);
  failure.check = check;
  return failure;
}

// Programs that give each repeated check something to see: copies, moves and swaps (new values,
// records that follow their maps), iterations left open at the end (closed before the maps are
// destroyed), churn, and inserts up to a reservation.
std::vector<CheckedProgram> checked_samples() {
  const std::vector<Op> reserved = {run(OpKind::insert_n, 0, 5, 1), reserve(10),
                                    run(OpKind::insert_n, 10, 30, 2)};
  const std::vector<Op> churned = {run(OpKind::insert_n, 0, 40, 1), churn(100),
                                   run(OpKind::erase_n, 0, 30), churn(200)};
  std::vector<CheckedProgram> out;
  for (const UniverseKind u : {UniverseKind::ints, UniverseKind::large}) {
    const std::string suffix = "_" + std::string(mapcheck::kUniverses[int(u)].name);
    out.push_back({"ElementsCopiesMovesSwaps" + suffix, Check::elements,
                   program(u, HashPolicy::low_equal, copies_moves_swaps())});
    out.push_back({"ElementsIterations" + suffix, Check::elements,
                   program(u, HashPolicy::constant, iterations())});
    out.push_back({"ReferencesCopiesMovesSwaps" + suffix, Check::references,
                   program(u, HashPolicy::low_equal, copies_moves_swaps())});
    out.push_back({"ReferencesGrowth" + suffix, Check::references,
                   program(u, HashPolicy::top_equal, growth())});
    out.push_back(
        {"CapacityChurn" + suffix, Check::capacity, program(u, HashPolicy::two_valued, churned)});
    out.push_back(
        {"Reservation" + suffix, Check::reservation, program(u, HashPolicy::two_valued, reserved)});
  }
  return out;
}

template <class Adapter>
void print_all(std::ostream& out, std::string_view header) {
  for (const NamedProgram& sample : sample_programs()) {
    const std::string name = std::string(Adapter::name) + "_" + sample.name;
    out << "\n" << mapcheck::print_reproducer<Adapter>(sample.program, name, header);
  }
  for (const CheckedProgram& sample : checked_samples()) {
    const std::string name = std::string(Adapter::name) + "_" + sample.name;
    out << "\n"
        << mapcheck::print_reproducer<Adapter>(
               sample.program, name, header,
               failed_at_last_op(sample.program, sample.check, "(a sample: the check repeated)"));
  }
}

// One planted bug's minimal program (as `mapcheck run` finds it, tests/bugzoo/CMakeLists.txt),
// printed with the check that reports it.
template <class Adapter>
void print_planted(std::ostream& out, std::string_view header, Check check, std::string broke,
                   std::vector<Op> ops) {
  const Program p = program(UniverseKind::ints, HashPolicy::map_default, std::move(ops));
  out << "\n"
      << mapcheck::print_reproducer<Adapter>(p, Adapter::name, header,
                                             failed_at_last_op(p, check, std::move(broke)));
}

void print_zoo(std::ostream& out) {
  namespace zoo = mapcheck::bugzoo;
  print_planted<zoo::ControlBytesLeak>(out, "third_party/control_bytes.hpp", Check::elements,
                                       "exact_element_count",
                                       {keyed(OpKind::insert, 0, 0), plain(OpKind::clear)});
  print_planted<zoo::ChainedRehash>(out, "third_party/chained.hpp", Check::references,
                                    "stable_references", {keyed(OpKind::insert, 0, 0), reserve(3)});
  print_planted<zoo::RobinHoodReserve>(out, "third_party/robin_hood.hpp", Check::reservation,
                                       "reserve_keeps_buckets",
                                       {reserve(15), run(OpKind::insert_n, 0, 57, 0)});
  print_planted<zoo::LinearTombstoneChurn>(out, "third_party/linear_tombstone.hpp", Check::capacity,
                                           "bounded capacity", {churn(111)});
}

bool write(const char* path, const std::string& includes, void (*body)(std::ostream&)) {
  std::ofstream out(path);
  out << "// Generated by tests/harness/print_samples.cpp: printed reproducers.\n";
  out << "#include <gtest/gtest.h>\n\n" << includes << "#include <mapcheck/reproducer.hpp>\n";
  body(out);
  out.close();
  if (!out) std::cerr << "print_samples: cannot write " << path << "\n";
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: print_samples SAMPLES.cpp ZOO.cpp\n";
    return 2;
  }
  const bool samples =
      write(argv[1],
            "#include <mapcheck/adapters/gomap.hpp>\n"
            "#include <mapcheck/adapters/std_unordered_map.hpp>\n",
            [](std::ostream& out) {
              print_all<mapcheck::adapters::Gomap>(out, "mapcheck/adapters/gomap.hpp");
              print_all<mapcheck::adapters::StdUnorderedMap>(
                  out, "mapcheck/adapters/std_unordered_map.hpp");
            });
  const bool zoo = write(argv[2],
                         "#include \"third_party/chained.hpp\"\n"
                         "#include \"third_party/control_bytes.hpp\"\n"
                         "#include \"third_party/linear_tombstone.hpp\"\n"
                         "#include \"third_party/robin_hood.hpp\"\n",
                         print_zoo);
  return samples && zoo ? 0 : 1;
}
