// boost::unordered_map (Boost 1.74, Debian 12). Profile: node-based chaining (the pre-1.80
// implementation: one singly linked list of nodes threaded through the buckets, like libstdc++'s
// std::unordered_map), an implementation of the C++11 unordered containers. Standard iteration
// rules: no mutation during an iteration except it = erase(it).
//
// What Boost promises (its reference documents each member as the standard's unordered_map):
//   * erase(iterator) returns the iterator following the erased entry; erase invalidates only
//     iterators to the erased entry; insert invalidates iterators only when it rehashes.
//   * swap exchanges the contents without copying or moving elements; under the standard's
//     container requirements, which Boost implements, swap invalidates no iterator: they refer to
//     their entries, now in the other container.
//   * Nothing about reserve of absurd sizes.
// Boost 1.74 has no contains() (later versions do); BoostUnorderedMapStd below adds it as
// find(k) != end(), the standard's definition, so that the interpreter can call it.
//
// Capabilities: subscript, erase_iterator, reserve, copy, move, swap (documented members);
// iterators_follow_swap (the standard's rule for swap, which Boost implements). Not declared:
// absurd_reserve (undocumented), go_iteration, random_order, assign_updates_key (insert_or_assign
// and operator[] keep the stored key).
#pragma once

#include <string_view>

#include <boost/unordered_map.hpp>

#include "mapcheck/std_like.hpp"

namespace mapcheck::adapters {

// boost::unordered_map plus contains(); everything else is the map's own.
template <class K, class V, class H, class E, class A>
class BoostUnorderedMapStd : public boost::unordered_map<K, V, H, E, A> {
  using Base = boost::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;

  bool contains(const K& key) const { return this->find(key) != this->end(); }

  // Without this, `using std::swap; swap(a, b)` would pick std::swap (an exact match) over
  // Boost's swap for the base class, and test three moves instead of the map's swap.
  friend void swap(BoostUnorderedMapStd& a, BoostUnorderedMapStd& b) { a.swap(b); }
};

// The operations are detected (std_like.hpp).
struct BoostUnorderedMap : StdLike<BoostUnorderedMapStd, Profile::node_chaining> {
  static constexpr std::string_view name = "boost_unordered_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::BoostUnorderedMap";
};

}  // namespace mapcheck::adapters
