// tsl::hopscotch_map (Tessil's hopscotch-map 2.3.0, Debian 12). Profile: hopscotch open addressing:
// each bucket holds an entry and a bitmap of which of the next 62 buckets (its neighbourhood) hold
// entries that hash to it; an insert that finds no free slot in the neighbourhood displaces entries
// towards it, and when that fails either grows the table or, if growing would not help, puts the
// entry into an overflow std::list. Erase empties the slot: no tombstones. Standard iteration
// rules: no mutation during an iteration except it = erase(it).
//
// What tsl promises (hopscotch_map.h and README):
//   * erase(iterator) returns the iterator following the erased entry; erase invalidates only the
//     iterator to the erased entry.
//   * insert, emplace, try_emplace, operator[] invalidate every iterator when they insert (a
//     displacement or a rehash); clear, operator=, reserve and rehash always invalidate them.
//   * Nothing about iterators across swap, and nothing about reserve of absurd sizes.
// The map stores std::pair<Key, T> (not std::pair<const Key, T>), so its allocator is rebound to
// that type: libstdc++'s std::list (the overflow list) rejects an allocator of another type.
//
// Capabilities: subscript, erase_iterator, reserve, copy, move, swap (documented members);
// exact_element_count (buckets construct a value only when they hold one). Not declared:
// stable_references (hopscotch displacement and rehash move values), reserve_keeps_buckets (a full
// neighbourhood rehashes at any load factor), iterators_follow_swap and absurd_reserve
// (undocumented), go_iteration, random_order, assign_updates_key (insert_or_assign and operator[]
// keep the stored key).
#pragma once

#include <memory>
#include <string_view>
#include <utility>

#include <tsl/hopscotch_map.h>

#include "mapcheck/adapters/detail/std_operations.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck::adapters {

struct TslHopscotchMap {
  static constexpr std::string_view name = "tsl_hopscotch_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::TslHopscotchMap";
  template <class K, class V, class H, class E, class A>
  using map =
      tsl::hopscotch_map<K, V, H, E,
                         typename std::allocator_traits<A>::template rebind_alloc<std::pair<K, V>>>;
  static constexpr Capabilities capabilities =
      detail::kStdOperations.with(Capability::exact_element_count);
};

}  // namespace mapcheck::adapters
