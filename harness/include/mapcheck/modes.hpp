// The program modes, declared once. A mode is a dialect of the program byte form (program.hpp):
// which ops a kind byte can name, and whether the input chooses the key universe and hash policy.
// The modes are the fuzz targets (one source each, fuzz/targets/<mode>.cpp, compiled once per map)
// and the suites of the `mapcheck` command, which runs random byte strings of each mode; the
// replay tools, the seed writer and ci/fuzz find modes by name in this table.
//
//   differential  every op, ints, the map's own hash: the whole op language against the models.
//   iteration     programs dense in stepwise iteration (open/step/close, erase at iterator)
//                 interleaved with the writes that start and advance growth.
//   hash          the input chooses the universe and the hash policy, and the ops are the ones that
//                 build collisions: bulk inserts and erases (long overflow chains, tombstones and
//                 so same-size grows), lookups (tophash false positives) and iteration over them.
//
// Within an alphabet, an op listed twice is twice as likely to be decoded from a random byte.
// Alphabets are append-only, like ops.def: corpus files name ops by their position here.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "mapcheck/program.hpp"

namespace mapcheck {

inline constexpr std::array kIterationAlphabet = {
    OpKind::iter_open,      OpKind::iter_step,
    OpKind::iter_step,      OpKind::iter_step,
    OpKind::iter_step,      OpKind::iter_close,
    OpKind::erase_iterator, OpKind::erase_iterator,
    OpKind::insert,         OpKind::insert_or_assign,
    OpKind::insert_n,       OpKind::erase_key,
    OpKind::erase_n,        OpKind::clear,
    OpKind::reserve,        OpKind::iterate,
    OpKind::find,           OpKind::swap,
    OpKind::churn,
};

inline constexpr std::array kHashAlphabet = {
    OpKind::insert,    OpKind::insert_or_assign,
    OpKind::insert_n,  OpKind::insert_n,
    OpKind::erase_key, OpKind::erase_n,
    OpKind::erase_n,   OpKind::find,
    OpKind::find,      OpKind::contains,
    OpKind::iter_open, OpKind::iter_step,
    OpKind::iter_step, OpKind::iterate,
    OpKind::clear,     OpKind::reserve,
    OpKind::size,      OpKind::churn,
};

// Ops of an input beyond this are ignored: one input stays cheap however long it is.
inline constexpr std::size_t kMaxOps = 400;

struct Mode {
  std::string_view name;
  Dialect dialect;
  std::string_view help;
};

inline constexpr std::array kModes = {
    Mode{"differential", Dialect{{}, false}, "every op; ints and the map's own hash"},
    Mode{"iteration", Dialect{kIterationAlphabet, false},
         "stepwise iterations interleaved with growth"},
    Mode{"hash", Dialect{kHashAlphabet, true},
         "the input picks universe and hash policy; collision-building ops"},
};

constexpr std::optional<Mode> find_mode(std::string_view name) {
  for (const Mode& mode : kModes)
    if (mode.name == name) return mode;
  return std::nullopt;
}

}  // namespace mapcheck
