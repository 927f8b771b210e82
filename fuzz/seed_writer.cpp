// Writes the seed corpora and dictionaries: fuzz/corpus/<mode>/seed-<name> and fuzz/<mode>.dict.
//
//   fuzz_seed_writer <fuzz dir>
//
// The seeds are short programs that reach the states a fuzzer would otherwise need many
// generations to find (a grow half done with an iteration open, a clear during iteration, long
// collision chains, absurd reserves), written in each mode's dialect. The dictionary holds every op
// the dialect can name with typical operands, so libFuzzer splices whole ops. Both are checked in;
// re-run this after changing the op language or a mode.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "mapcheck/modes.hpp"

namespace {

using mapcheck::HashPolicy;
using mapcheck::Op;
using mapcheck::OpKind;
using mapcheck::Program;
using mapcheck::UniverseKind;

Op op(OpKind kind, int key = 0, int value = 0, std::uint32_t count = 0, int iter = 0) {
  Op o{kind, static_cast<std::uint8_t>(key), static_cast<std::uint8_t>(value)};
  o.count = count;
  o.iter = static_cast<std::uint8_t>(iter);
  return o;
}

void repeat(std::vector<Op>& ops, const Op& o, int times) { ops.insert(ops.end(), times, o); }

struct Seed {
  std::string name;
  Program program;
};

std::vector<Seed> seeds() {
  std::vector<Seed> out;
  auto add = [&](std::string name, std::vector<Op> ops, UniverseKind u = UniverseKind::ints,
                 HashPolicy h = HashPolicy::map_default) {
    out.push_back({std::move(name), Program{u, h, 1, 7, std::move(ops)}});
  };
  add("full-iteration", {op(OpKind::insert_n, 0, 0, 64), op(OpKind::iterate)});
  {
    std::vector<Op> ops{op(OpKind::insert_n, 0, 0, 27), op(OpKind::iter_open)};
    repeat(ops, op(OpKind::iter_step), 5);
    ops.push_back(op(OpKind::insert_n, 100, 0, 30));
    repeat(ops, op(OpKind::iter_step), 60);
    add("iteration-across-growth", ops);
  }
  {
    std::vector<Op> ops{op(OpKind::insert_n, 0, 0, 20), op(OpKind::iter_open, 0, 0, 0, 1)};
    repeat(ops, op(OpKind::iter_step, 0, 0, 0, 1), 3);
    ops.push_back(op(OpKind::clear));
    ops.push_back(op(OpKind::insert_n, 0, 0, 5));
    repeat(ops, op(OpKind::iter_step, 0, 0, 0, 1), 12);
    add("clear-during-iteration", ops);
  }
  {
    std::vector<Op> ops{op(OpKind::insert_n, 0, 0, 30), op(OpKind::iter_open, 0, 0, 0, 2)};
    repeat(ops, op(OpKind::erase_iterator, 0, 0, 0, 2), 32);
    add("erase-while-iterating", ops);
  }
  add("churn", {op(OpKind::insert_n, 0, 0, 64), op(OpKind::erase_n, 0, 0, 60),
                op(OpKind::insert_n, 64, 0, 64), op(OpKind::erase_n, 64, 0, 60),
                op(OpKind::insert_n, 128, 0, 64), op(OpKind::find, 130), op(OpKind::iterate)});
  add("copy-move-swap",
      {op(OpKind::insert_n, 0, 0, 10), op(OpKind::copy_construct), op(OpKind::swap),
       op(OpKind::insert, 3, 9), op(OpKind::move_assign), op(OpKind::copy_assign),
       op(OpKind::insert_or_assign, 4, 2), op(OpKind::subscript_assign, 5, 1), op(OpKind::size)});
  add("fresh-key-churn",  // tombstones from keys never seen again: the capacity must stay bounded
      {op(OpKind::insert_n, 0, 0, 20), op(OpKind::churn, 0, 0, 250), op(OpKind::iter_open),
       op(OpKind::churn, 0, 0, 250), op(OpKind::iter_step), op(OpKind::churn, 0, 0, 100),
       op(OpKind::iterate)});
  add("absurd-reserve",
      {op(OpKind::reserve, 0, 0, 255), op(OpKind::reserve, 0, 0, 254),
       op(OpKind::insert_n, 0, 0, 9), op(OpKind::reserve, 0, 0, 12), op(OpKind::iterate)});
  {
    // Two hash values, one chain each at B = 1: the even keys leave an overflow bucket on one chain
    // and the odd keys a second on the other, so the tenth key starts a same-size grow of two
    // buckets, which that same write also finishes.
    std::vector<Op> ops;
    for (int k = 0; k < 18; k += 2) ops.push_back(op(OpKind::insert, k));
    for (int k = 0; k < 18; k += 2) ops.push_back(op(OpKind::erase_key, k));
    for (int k = 1; k < 20; k += 2) ops.push_back(op(OpKind::insert, k));
    add("same-size-grow-in-one-write", ops, UniverseKind::ints, HashPolicy::two_valued);
  }
  const HashPolicy policies[] = {HashPolicy::constant, HashPolicy::two_valued,
                                 HashPolicy::low_equal, HashPolicy::top_equal,
                                 HashPolicy::adversarial};
  const UniverseKind universes[] = {UniverseKind::ints, UniverseKind::large, UniverseKind::nan,
                                    UniverseKind::tagged};
  for (HashPolicy h : policies)
    for (UniverseKind u : universes)
      add("collisions-" + std::string(mapcheck::kHashPolicies[int(h)].name) + "-" +
              std::string(mapcheck::kUniverses[int(u)].name),
          {op(OpKind::insert_n, 0, 0, 40), op(OpKind::erase_n, 0, 0, 30),
           op(OpKind::insert_n, 40, 0, 30), op(OpKind::find, 45), op(OpKind::find, 200),
           op(OpKind::iter_open), op(OpKind::iter_step), op(OpKind::insert, 90, 1),
           op(OpKind::iterate)},
          u, h);
  return out;
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

// One dictionary entry per op the dialect names, with typical operands: a whole op as one token.
void write_dict(const std::filesystem::path& path, const mapcheck::Mode& mode) {
  std::ofstream out(path);
  out << "# fuzz/" << mode.name << ".dict: whole ops of the " << mode.name
      << " dialect (written by fuzz_seed_writer)\n";
  for (std::size_t i = 0; i < mode.dialect.size(); ++i) {
    const OpKind kind = mode.dialect.kind(i);
    if (mode.dialect.byte_of(kind) != i) continue;  // listed twice: one entry is enough
    std::vector<std::uint8_t> bytes;
    mapcheck::encode_operands(op(kind, 1, 2, kind == OpKind::reserve ? 255 : 64, 1), bytes);
    bytes.insert(bytes.begin(), static_cast<std::uint8_t>(i));
    out << mapcheck::info(kind).name << "=\"";
    for (std::uint8_t b : bytes) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", b);
      out << hex;
    }
    out << "\"\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <fuzz dir>\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root(argv[1]);
  for (const auto& mode : mapcheck::kModes) {
    const auto dir = root / "corpus" / std::string(mode.name);
    std::filesystem::create_directories(dir);
    for (const Seed& seed : seeds()) {
      const bool default_choices = seed.program.universe == UniverseKind::ints &&
                                   seed.program.hash_policy == HashPolicy::map_default;
      if (!mode.dialect.choose_universe_and_hash && !default_choices) continue;  // same as ints
      write_bytes(dir / ("seed-" + seed.name), mapcheck::encode(seed.program, mode.dialect));
    }
    write_dict(root / (std::string(mode.name) + ".dict"), mode);
  }
  return 0;
}
