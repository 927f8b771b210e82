// tbb::concurrent_unordered_map (oneTBB 2021.8, Debian 12), used from one thread. Profile:
// split-ordered list: every entry is a node in one lock-free singly linked list sorted by the
// bit-reversed hash, and buckets are lazily initialised dummy nodes pointing into that list, held
// in a segment table that only grows. Standard iteration rules here: no mutation during an
// iteration except it = erase(it), although TBB promises more (see below).
//
// What oneTBB promises (the oneTBB specification of concurrent_unordered_map):
//   * insert, emplace, find, contains, count and traversal are concurrency-safe and invalidate no
//     iterator. The harness has no capability for "insert during an iteration", so this headline
//     promise goes unchecked: declaring go_iteration would also allow erase and clear during an
//     iteration, which TBB does not promise.
//   * Erasure is not concurrency-safe and is called unsafe_erase: unsafe_erase(key) returns the
//     number removed, unsafe_erase(iterator) returns the iterator following the removed entry;
//     both invalidate only iterators and references to the removed entry. There is no erase().
//   * clear, swap, reserve, rehash, copy and move assignment are "concurrently unsafe" members;
//     nothing about iterators across swap or about reserve of absurd sizes. reserve(n) never
//     returns in 2021.8 when the buckets already suffice for n (reserve(0) included): a library
//     bug (oneTBB issue #1056, fixed upstream by PR #1057), so the reserve promise fails here.
//   * There is no try_emplace or insert_or_assign.
// TbbConcurrentUnorderedMapStd below presents the std names: erase forwards to unsafe_erase,
// try_emplace to emplace, and insert_or_assign is insert then an assignment through the returned
// iterator (the standard's definition); swap forwards to the map's swap.
//
// Capabilities: subscript, erase_iterator (unsafe_erase(iterator)), reserve, copy, move, swap
// (documented members); exact_element_count and stable_references (one node per element, never
// moved: a split-ordered list). Not declared: reserve_keeps_buckets (the known reserve hang
// withholds reserve anyway), iterators_follow_swap and absurd_reserve (undocumented),
// go_iteration (see above), random_order, assign_updates_key (overwrites keep the stored key).
#pragma once

#include <string_view>
#include <utility>

#include <oneapi/tbb/concurrent_unordered_map.h>

#include "mapcheck/adapters/detail/std_operations.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck::adapters {

template <class K, class V, class H, class E, class A>
class TbbConcurrentUnorderedMapStd : public tbb::concurrent_unordered_map<K, V, H, E, A> {
  using Base = tbb::concurrent_unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  using typename Base::iterator;
  using typename Base::size_type;
  using typename Base::value_type;

  size_type erase(const K& key) { return this->unsafe_erase(key); }
  iterator erase(iterator it) { return this->unsafe_erase(it); }

  std::pair<iterator, bool> try_emplace(const K& key, const V& value) {
    return this->emplace(key, value);
  }

  std::pair<iterator, bool> insert_or_assign(const K& key, const V& value) {
    std::pair<iterator, bool> result = this->insert(value_type(key, value));
    if (!result.second) result.first->second = value;
    return result;
  }

  // Without this, `using std::swap; swap(a, b)` would pick std::swap (an exact match) over TBB's
  // swap for the base class, and test three moves instead of the map's swap.
  friend void swap(TbbConcurrentUnorderedMapStd& a, TbbConcurrentUnorderedMapStd& b) { a.swap(b); }
};

struct TbbConcurrentUnorderedMap {
  static constexpr std::string_view name = "tbb_concurrent_unordered_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::TbbConcurrentUnorderedMap";
  template <class K, class V, class H, class E, class A>
  using map = TbbConcurrentUnorderedMapStd<K, V, H, E, A>;
  static constexpr Capabilities capabilities =
      detail::kStdOperations.with(Capability::exact_element_count)
          .with(Capability::stable_references);
};

}  // namespace mapcheck::adapters
