// Ops and capabilities: the expansions of ops.def and guarantees.def.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace mapcheck {

// ---- capabilities (guarantees.def) ----
enum class Capability : std::uint8_t {
  none,  // the `Needs` of ops every map supports
#define MAPCHECK_GUARANTEE(name, help) name,
#include "mapcheck/guarantees.def"
#undef MAPCHECK_GUARANTEE
};

struct CapabilityInfo {
  std::string_view name;
  std::string_view help;
};

inline constexpr std::array kCapabilities = {
    CapabilityInfo{"none", "every map"},
#define MAPCHECK_GUARANTEE(name, help) CapabilityInfo{#name, help},
#include "mapcheck/guarantees.def"
#undef MAPCHECK_GUARANTEE
};

// A set of capabilities, one bit per row of guarantees.def (bit 0, `none`, is always set).
class Capabilities {
 public:
  constexpr Capabilities() = default;
  constexpr Capabilities(std::initializer_list<Capability> list) {
    for (Capability c : list) bits_ |= bit(c);
  }
  constexpr bool has(Capability c) const { return (bits_ & bit(c)) != 0; }
  constexpr Capabilities with(Capability c) const {
    Capabilities copy = *this;
    copy.bits_ |= bit(c);
    return copy;
  }
  friend constexpr Capabilities operator|(Capabilities a, Capabilities b) {
    a.bits_ |= b.bits_;
    return a;
  }
  constexpr Capabilities without(Capability c) const {
    Capabilities copy = *this;
    copy.bits_ &= ~bit(c) | 1;
    return copy;
  }

 private:
  static constexpr std::uint64_t bit(Capability c) {
    return std::uint64_t{1} << static_cast<unsigned>(c);
  }
  std::uint64_t bits_ = 1;
};

// ---- ops (ops.def) ----
enum class Operands : std::uint8_t { none, key, key_value, key_count, iter, count, target };

enum class OpKind : std::uint8_t {
#define MAPCHECK_OP(name, operands, mutates, needs, help) name,
#include "mapcheck/ops.def"
#undef MAPCHECK_OP
};

struct OpInfo {
  std::string_view name;
  Operands operands;
  bool mutates;
  Capability needs;
  std::string_view help;
};

inline constexpr std::array kOps = {
#define MAPCHECK_OP(name, operands, mutates, needs, help) \
  OpInfo{#name, Operands::operands, mutates, Capability::needs, help},
#include "mapcheck/ops.def"
#undef MAPCHECK_OP
};

inline constexpr std::size_t kOpCount = kOps.size();
constexpr const OpInfo& info(OpKind kind) { return kOps[static_cast<std::size_t>(kind)]; }

// Open iterations a program can hold at once.
inline constexpr std::uint8_t kIteratorSlots = 4;

// One operation with its operands; which fields matter is info(kind).operands.
struct Op {
  OpKind kind = OpKind::size;
  std::uint8_t key = 0;     // index into the key universe
  std::uint8_t value = 0;   // the value written (values are small integers)
  std::uint8_t iter = 0;    // iteration slot, < kIteratorSlots
  std::uint32_t count = 0;  // reserve argument code (see count_value) or number of keys for *_n
  bool self = false;        // copy_assign: m = m instead of side = m

  friend bool operator==(const Op&, const Op&) = default;
};

// reserve(n) argument for a count code: small codes are ordinary sizes; the top codes are the
// absurd sizes every map must survive (Go's TestIgnoreBogusMapHint).
constexpr std::uint64_t reserve_argument(std::uint32_t code) {
  switch (code) {
    case 255:
      return ~std::uint64_t{0};
    case 254:
      return std::uint64_t{1} << 62;
    case 253:
      return std::uint64_t{1} << 40;
    default:
      return std::uint64_t{code} * 4;
  }
}

// The number of fresh keys churn(n) inserts and erases for a count code: up to 1008, never absurd.
constexpr std::uint64_t churn_length(std::uint32_t code) { return reserve_argument(code % 253); }

}  // namespace mapcheck
