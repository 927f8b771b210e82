// absl::node_hash_map (Abseil LTS 20220623, Debian 12). Profile: open addressing with tombstones
// (SwissTable's control bytes and probing, as absl::flat_hash_map) over slots that hold pointers to
// separately allocated nodes, so entries keep their address across rehashes. Standard iteration
// rules: no mutation during an iteration except erasing at it.
//
// What Abseil promises (node_hash_map.h and raw_hash_set.h):
//   * erase(iterator) returns void, not the next iterator. Erasing never rehashes, so every other
//     iterator stays valid, and raw_hash_set.h documents erasing during an iteration by advancing
//     first (`auto copy_it = it++; m.erase(copy_it);`). The adapter's map is
//     detail::AdvanceThenErase, which supplies std's `it = m.erase(it)` by exactly that idiom and
//     nothing else.
//   * swap keeps every iterator and reference valid (they follow their entries), except end().
//   * insert may rehash and then invalidates every iterator (not references: nodes do not move).
//   * Nothing about reserve of absurd sizes: reserve(n > max_size()) is a fatal error
//     ("Hash table size overflow", abort) in this version, not an exception.
//
// Capabilities: subscript, reserve, copy, move, swap (documented members); erase_iterator (the
// advance-then-erase idiom above); iterators_follow_swap (documented on swap). Not declared:
// absurd_reserve (undocumented, aborts), go_iteration, random_order, assign_updates_key
// (insert_or_assign and operator[] keep the stored key, as std does).
#pragma once

#include <string_view>

#include <absl/container/node_hash_map.h>

#include "mapcheck/adapters/detail/advance_then_erase.hpp"
#include "mapcheck/std_like.hpp"

namespace mapcheck::adapters {

template <class K, class V, class H, class E, class A>
using AbslNodeHashMapStd = detail::AdvanceThenErase<absl::node_hash_map<K, V, H, E, A>>;

// The operations are detected (std_like.hpp); swap's promise is Abseil's own, beyond the profile.
struct AbslNodeHashMap : StdLike<AbslNodeHashMapStd, Profile::node_open_addressing> {
  static constexpr std::string_view name = "absl_node_hash_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::AbslNodeHashMap";
  static constexpr Capabilities capabilities =
      StdLike::capabilities.with(Capability::iterators_follow_swap);
};

}  // namespace mapcheck::adapters
