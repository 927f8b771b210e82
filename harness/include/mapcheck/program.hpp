// A Program: the ops of one check plus the run's choices (key universe, hash policy, seeds), and
// its byte form. Every engine produces Programs: RapidCheck generates and shrinks them, libFuzzer
// decodes them from bytes, the model checker enumerates them.
//
// Byte form (decode is total: every byte string is a valid program, so fuzz input is never wasted
// and never rejected; missing bytes read as zero):
//   byte 0         universe      (mod the number of universes)
//   byte 1         hash policy   (mod the number of policies)
//   bytes 2..9     hash seed     (little endian)
//   bytes 10..17   random seed   (seeds the map's own randomness, e.g. gomap's iteration start)
//   then per op:   kind byte (mod the number of ops), then its operands, one byte each:
//                  key, value, iter (mod kIteratorSlots), count code, target (bit 0 = self)
//                  key_count ops read a key byte and n-1 (mod kMaxRun).
// encode() writes the same form, so decode(encode(p)) == p for every program decode can produce.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "mapcheck/hashers.hpp"
#include "mapcheck/op.hpp"
#include "mapcheck/universe.hpp"

namespace mapcheck {

// Most keys one insert_n / erase_n touches.
inline constexpr std::uint32_t kMaxRun = 64;

struct Program {
  UniverseKind universe = UniverseKind::ints;
  HashPolicy hash_policy = HashPolicy::map_default;
  std::uint64_t hash_seed = 0;
  std::uint64_t random_seed = 0;
  std::vector<Op> ops;

  friend bool operator==(const Program&, const Program&) = default;
};

namespace detail {

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  bool empty() const { return pos_ >= bytes_.size(); }
  std::uint8_t byte() { return empty() ? 0 : bytes_[pos_++]; }
  std::uint64_t word() {
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= std::uint64_t{byte()} << (8 * i);
    return w;
  }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

inline void put_word(std::vector<std::uint8_t>& out, std::uint64_t w) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(w >> (8 * i)));
}

}  // namespace detail

// Reads one op's operands (after its kind) as Operands says.
inline Op decode_operands(OpKind kind, detail::ByteReader& in) {
  Op op;
  op.kind = kind;
  switch (info(kind).operands) {
    case Operands::none:
      break;
    case Operands::key:
      op.key = in.byte();
      break;
    case Operands::key_value:
      op.key = in.byte();
      op.value = in.byte();
      break;
    case Operands::key_count:
      op.key = in.byte();
      op.count = in.byte() % kMaxRun + 1;
      break;
    case Operands::iter:
      op.iter = in.byte() % kIteratorSlots;
      break;
    case Operands::count:
      op.count = in.byte();
      break;
    case Operands::target:
      op.self = (in.byte() & 1) != 0;
      break;
  }
  return op;
}

inline void encode_operands(const Op& op, std::vector<std::uint8_t>& out) {
  switch (info(op.kind).operands) {
    case Operands::none:
      break;
    case Operands::key:
      out.push_back(op.key);
      break;
    case Operands::key_value:
      out.push_back(op.key);
      out.push_back(op.value);
      break;
    case Operands::key_count:
      out.push_back(op.key);
      out.push_back(static_cast<std::uint8_t>(op.count - 1));
      break;
    case Operands::iter:
      out.push_back(op.iter);
      break;
    case Operands::count:
      out.push_back(static_cast<std::uint8_t>(op.count));
      break;
    case Operands::target:
      out.push_back(op.self ? 1 : 0);
      break;
  }
}

// How a byte string is read as a program. Engines that aim at one part of the op language (the
// fuzzers' iteration and hash modes) read the same byte form through a narrower dialect:
//   alphabet  the ops a kind byte can name (kind byte mod alphabet size); empty means every op,
//             in ops.def order;
//   choose_universe_and_hash  whether bytes 0 and 1 choose the universe and hash policy; if not,
//             they are read and ignored (ints, the map's own hash), so the byte layout is the same.
struct Dialect {
  std::span<const OpKind> alphabet;
  bool choose_universe_and_hash = true;

  std::size_t size() const { return alphabet.empty() ? kOpCount : alphabet.size(); }
  OpKind kind(std::size_t index) const {
    return alphabet.empty() ? static_cast<OpKind>(index) : alphabet[index];
  }
  // The kind byte that names `kind`, if this dialect has it.
  std::optional<std::uint8_t> byte_of(OpKind kind) const {
    for (std::size_t i = 0; i < size(); ++i)
      if (this->kind(i) == kind) return static_cast<std::uint8_t>(i);
    return std::nullopt;
  }
};

inline Program decode(std::span<const std::uint8_t> bytes, const Dialect& dialect = {}) {
  detail::ByteReader in(bytes);
  Program program;
  const std::uint8_t universe = in.byte();
  const std::uint8_t policy = in.byte();
  if (dialect.choose_universe_and_hash) {
    program.universe = static_cast<UniverseKind>(universe % kUniverses.size());
    program.hash_policy = static_cast<HashPolicy>(policy % kHashPolicies.size());
  }
  program.hash_seed = in.word();
  program.random_seed = in.word();
  while (!in.empty()) {
    const OpKind kind = dialect.kind(in.byte() % dialect.size());
    program.ops.push_back(decode_operands(kind, in));
  }
  return program;
}

// Reads `program` as one the map can be asked: a map that does not declare irreflexive_keys (every
// std-like map: an equivalence relation is their requirement, not a promise) gets ints instead of
// the NaN universe. The engines that run arbitrary maps (the mapcheck command) apply this before
// running, printing or saving a program, so what they report is what ran.
inline void fit_to(Program& program, Capabilities capabilities) {
  if (program.universe == UniverseKind::nan && !capabilities.has(Capability::irreflexive_keys))
    program.universe = UniverseKind::ints;
}

// The byte form of `program` in `dialect`; ops the dialect cannot name are left out.
inline std::vector<std::uint8_t> encode(const Program& program, const Dialect& dialect = {}) {
  std::vector<std::uint8_t> out;
  out.push_back(static_cast<std::uint8_t>(program.universe));
  out.push_back(static_cast<std::uint8_t>(program.hash_policy));
  detail::put_word(out, program.hash_seed);
  detail::put_word(out, program.random_seed);
  for (const Op& op : program.ops) {
    const auto kind_byte = dialect.byte_of(op.kind);
    if (!kind_byte) continue;
    out.push_back(*kind_byte);
    encode_operands(op, out);
  }
  return out;
}

}  // namespace mapcheck
