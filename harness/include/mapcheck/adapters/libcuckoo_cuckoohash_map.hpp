// libcuckoo::cuckoohash_map (libcuckoo 0.3.1, Debian 12), used from one thread. Profile: bucketized
// cuckoo hashing: 4 slots per bucket, two candidate buckets per key (the second derived from the
// first and a partial key), inserts that find both full move entries along a BFS-found cuckoo path;
// when no path exists the table doubles. Spinlocks, one per stripe of buckets (at most 2^16); a
// table of at least 2^16 buckets migrates lazily after doubling, stripe by stripe as locks are
// taken, which mapcheck's universes (at most 256 keys) never reach. Standard iteration rules: no
// mutation during an iteration except it = erase(it), and iterations only through lock_table().
//
// What libcuckoo promises (cuckoohash_map.hh):
//   * The map's own interface is concurrent and positionless: insert, insert_or_assign, erase,
//     contains, find(key, out), update, upsert; insert and insert_or_assign may throw
//     load_factor_too_low when the table would have to grow below minimum_load_factor() (5%), which
//     happens when too many keys share their two buckets (few-valued hashes, or NaN keys, which
//     all hash alike).
//   * reserve(n) resizes to hold n elements and may shrink; rehash(n) sets the hashpower; clear().
//   * Copy and move construction and assignment, and swap, are documented (not concurrency-safe);
//     nothing is said about the state of a moved-from map, about iterators across swap (there are
//     none outside a locked_table, which owns the map's locks), or about reserve of absurd sizes.
//     In 0.3.1 a moved-from map has no locks left (clear() asserts, or crashes under NDEBUG), and
//     self copy-assignment frees the buckets it then copies from: library bugs, so the copy and
//     move promises fail here.
//   * locked_table: "very similar to the STL unordered_map interface ... the behavior should be
//     mostly the same" for methods with std signatures: begin/end, find, erase(iterator) (returns
//     the next position), erase(key), count, operator[], insert (documented as try_emplace, and as
//     invalidating all iterators). Unlocking it invalidates its iterators.
// detail::LibcuckooStdMap presents both as one std-like map (how: see there).
//
// Capabilities: erase_iterator, subscript (locked_table's), reserve, copy, move, swap (documented);
// exact_element_count (slots construct a value only when occupied). Not declared:
// stable_references (cuckoo displacement moves values), reserve_keeps_buckets (a failed cuckoo
// path search expands the table at any load; reserve(n) may even shrink it), iterators_follow_swap
// (a swap must unlock the tables, which ends their iterations), absurd_reserve (undocumented),
// go_iteration, random_order, assign_updates_key (insert_or_assign keeps the stored key).
#pragma once

#include <string_view>

#include "mapcheck/adapters/detail/libcuckoo_std_map.hpp"
#include "mapcheck/adapters/detail/std_operations.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck::adapters {

struct LibcuckooCuckoohashMap {
  static constexpr std::string_view name = "libcuckoo_cuckoohash_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::LibcuckooCuckoohashMap";
  template <class K, class V, class H, class E, class A>
  using map = detail::LibcuckooStdMap<K, V, H, E, A>;
  static constexpr Capabilities capabilities =
      detail::kStdOperations.with(Capability::exact_element_count);
};

}  // namespace mapcheck::adapters
