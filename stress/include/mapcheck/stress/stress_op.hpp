// One call of a stress program and the set of calls a map offers: the expansion of stress_ops.def.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapcheck/models/history.hpp"

namespace mapcheck::stress {

using models::MapKey;
using models::MapValue;

enum class StressOpKind : std::uint8_t {
#define MAPCHECK_STRESS_OP(name, structural, help) name,
#include "mapcheck/stress/stress_ops.def"
#undef MAPCHECK_STRESS_OP
};

struct StressOpInfo {
  StressOpKind kind;
  std::string_view name;
  bool structural;
  std::string_view help;
};

inline constexpr StressOpInfo kStressOps[] = {
#define MAPCHECK_STRESS_OP(name, structural, help) {StressOpKind::name, #name, structural, help},
#include "mapcheck/stress/stress_ops.def"
#undef MAPCHECK_STRESS_OP
};
inline constexpr std::size_t kStressOpCount = std::size(kStressOps);

constexpr const StressOpInfo& info(StressOpKind kind) {
  return kStressOps[static_cast<std::size_t>(kind)];
}

inline std::optional<StressOpKind> find_stress_op(std::string_view name) {
  for (const StressOpInfo& op : kStressOps)
    if (op.name == name) return op.kind;
  return std::nullopt;
}

// A set of StressOpKinds (bit i = row i of stress_ops.def).
class StressOpSet {
 public:
  constexpr StressOpSet() = default;
  constexpr StressOpSet(std::initializer_list<StressOpKind> kinds) {
    for (StressOpKind k : kinds) bits_ |= bit(k);
  }
  constexpr bool has(StressOpKind k) const { return (bits_ & bit(k)) != 0; }
  constexpr StressOpSet with(StressOpKind k) const { return from_bits(bits_ | bit(k)); }
  constexpr StressOpSet without(StressOpSet other) const { return from_bits(bits_ & ~other.bits_); }
  constexpr bool empty() const { return bits_ == 0; }
  friend constexpr bool operator==(StressOpSet, StressOpSet) = default;

 private:
  static constexpr std::uint32_t bit(StressOpKind k) { return 1u << static_cast<unsigned>(k); }
  static constexpr StressOpSet from_bits(std::uint32_t bits) {
    StressOpSet s;
    s.bits_ = bits;
    return s;
  }
  std::uint32_t bits_ = 0;
};

inline std::string names_of(StressOpSet set) {
  std::string out;
  for (const StressOpInfo& op : kStressOps) {
    if (!set.has(op.kind)) continue;
    if (!out.empty()) out += ", ";
    out += op.name;
  }
  return out;
}

// One call. `value` is the value written (store, insert, the new value of compare_and_swap) and
// is unique within a program, so that every read names the write it saw; `expected` is what
// compare_and_* compare against; `count` is reserve's argument; `bulk` is insert_range's entries.
struct StressOp {
  StressOpKind kind = StressOpKind::load;
  MapKey key = 0;
  MapValue value = 0;
  MapValue expected = 0;
  std::uint64_t count = 0;
  std::vector<models::KeyValue> bulk;
  friend bool operator==(const StressOp&, const StressOp&) = default;
};

}  // namespace mapcheck::stress
