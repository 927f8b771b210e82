// absl::flat_hash_map (Abseil LTS 20220623, Debian 12). Profile: flat open addressing (SwissTable):
// entries live in one slot array with a control byte per slot; erase leaves a tombstone (kDeleted)
// unless the probe group still has an empty slot, and tombstones are dropped by rehashing in place
// or growing. Standard iteration rules: no mutation during an iteration except erasing at it.
//
// What Abseil promises (flat_hash_map.h and raw_hash_set.h):
//   * erase(iterator) returns void, not the next iterator; the documented way to erase while
//     iterating is to advance first (`m.erase(it++)`), because erase never rehashes and so leaves
//     every other iterator valid. The adapter's map is detail::AdvanceThenErase, which supplies the
//     std-like `it = m.erase(it)` by exactly that idiom: it adds no logic of its own.
//   * swap keeps every iterator and reference valid (they follow their entries), except end().
//   * insert may rehash and then invalidates every iterator; rehash and clear invalidate them too.
//   * Nothing about reserve of absurd sizes: reserve(n > max_size()) is a fatal error
//     ("Hash table size overflow", abort) in this version, not an exception.
//
// Capabilities: subscript, reserve, copy, move, swap (all documented members); erase_iterator (the
// erase(it++) idiom above); iterators_follow_swap (documented on swap). Not declared:
// absurd_reserve (undocumented, aborts), go_iteration, random_order, assign_updates_key
// (insert_or_assign and operator[] keep the stored key, as std does).
#pragma once

#include <string_view>

#include <absl/container/flat_hash_map.h>

#include "mapcheck/adapters/detail/advance_then_erase.hpp"
#include "mapcheck/std_like.hpp"

namespace mapcheck::adapters {

template <class K, class V, class H, class E, class A>
using AbslFlatHashMapStd = detail::AdvanceThenErase<absl::flat_hash_map<K, V, H, E, A>>;

// The operations are detected (std_like.hpp); swap's promise is Abseil's own, beyond the profile.
struct AbslFlatHashMap : StdLike<AbslFlatHashMapStd, Profile::flat_tombstones> {
  static constexpr std::string_view name = "absl_flat_hash_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::AbslFlatHashMap";
  static constexpr Capabilities capabilities =
      StdLike::capabilities.with(Capability::iterators_follow_swap);
};

}  // namespace mapcheck::adapters
