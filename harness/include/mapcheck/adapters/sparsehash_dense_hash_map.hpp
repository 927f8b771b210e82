// google::dense_hash_map (sparsehash 2.0.3, Debian 12). Profile: flat open addressing with
// tombstones and quadratic probing in a power-of-two table; empty and erased slots are marked by
// storing two reserved keys (the "empty key" and the "deleted key"), which the user must choose
// from outside the key space and set before using the map. Erase never shrinks or rehashes; insert
// purges tombstones when it resizes. Standard iteration rules: no mutation during an iteration
// except erasing at it.
//
// What sparsehash promises (doc/dense_hash_map.html):
//   * set_empty_key() before any other call, set_deleted_key() before any erase; inserting either
//     reserved key is an error.
//   * "erase() is guaranteed not to invalidate any iterators -- except for any iterators pointing
//     to the item being erased"; insert() and resize() invalidate all iterators.
//   * erase(iterator) returns void; resize(n) (and its tr1 name rehash(n)) "increases the bucket
//     count to hold at least n items", which is std's reserve(n).
//   * swap "swaps the contents"; nothing about iterators across swap, nothing about absurd sizes.
//   * The library predates C++11: no move operations (a move copies), no try_emplace,
//     insert_or_assign or contains.
//
// DenseHashMapStd below presents the std-like API the harness calls and adds nothing else: the
// constructor sets the reserved keys (DenseHashMapReservedKeys: keys no mapcheck universe uses);
// erase(it) takes the successor first and then erases, which the promise above makes valid;
// reserve forwards to resize; try_emplace is insert, insert_or_assign is insert then an assignment
// through the returned iterator, contains is find != end (the standard's definitions of each).
// The map uses sparsehash's own allocator whatever the harness passes: sparsehash reads
// Alloc::pointer, which std::allocator no longer has in C++20.
//
// Capabilities: subscript, erase_iterator, reserve, copy, swap (documented members); move
// (a move is a copy, which does transfer the entries); reserve_keeps_buckets (resize(n) "increases
// the bucket count to hold at least n items"). Not declared: exact_element_count (every empty
// slot holds a constructed copy of the empty value), stable_references (a flat table). Not
// declared: iterators_follow_swap and absurd_reserve (undocumented), go_iteration, random_order,
// assign_updates_key (overwrites keep the stored key).
#pragma once

#include <concepts>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include <sparsehash/dense_hash_map>

#include "mapcheck/adapters/detail/std_operations.hpp"
#include "mapcheck/op.hpp"
#include "mapcheck/universe.hpp"

namespace mapcheck::adapters {

// The empty and deleted keys for dense_hash_map: two keys that no mapcheck universe can produce
// (universes use indices 0..255, NaN, and ids 0..127). Specialise it for other key types.
template <class K>
struct DenseHashMapReservedKeys {
  static_assert(sizeof(K) == 0,
                "sparsehash_dense_hash_map: specialise DenseHashMapReservedKeys<K> with two keys "
                "the map will never hold (empty_key(), deleted_key())");
};

template <std::integral K>
struct DenseHashMapReservedKeys<K> {
  static K empty_key() { return std::numeric_limits<K>::min(); }
  static K deleted_key() { return std::numeric_limits<K>::min() + 1; }
};

template <>
struct DenseHashMapReservedKeys<double> {
  static double empty_key() { return -std::numeric_limits<double>::infinity(); }
  static double deleted_key() { return std::numeric_limits<double>::lowest(); }
};

template <>
struct DenseHashMapReservedKeys<LargeKey> {
  static LargeKey empty_key() { return filled(~std::uint64_t{0}); }
  static LargeKey deleted_key() { return filled(~std::uint64_t{0} - 1); }

 private:
  static LargeKey filled(std::uint64_t word) {
    LargeKey k;
    k.words.fill(word);
    return k;
  }
};

template <>
struct DenseHashMapReservedKeys<TaggedKey> {
  static TaggedKey empty_key() { return {std::numeric_limits<std::int32_t>::min(), 0}; }
  static TaggedKey deleted_key() { return {std::numeric_limits<std::int32_t>::min() + 1, 0}; }
};

template <class K, class V, class H, class E>
class DenseHashMapStd : public google::dense_hash_map<K, V, H, E> {
  using Base = google::dense_hash_map<K, V, H, E>;

 public:
  using typename Base::iterator;
  using typename Base::size_type;
  using typename Base::value_type;

  explicit DenseHashMapStd(size_type expected_items = 0, const H& hash = H(), const E& eq = E())
      : Base(expected_items, hash, eq) {
    this->set_empty_key(DenseHashMapReservedKeys<K>::empty_key());
    this->set_deleted_key(DenseHashMapReservedKeys<K>::deleted_key());
  }

  using Base::erase;
  iterator erase(iterator it) {
    iterator next = std::next(it);
    Base::erase(it);
    return next;
  }

  std::pair<iterator, bool> try_emplace(const K& key, const V& value) {
    return this->insert(value_type(key, value));
  }

  std::pair<iterator, bool> insert_or_assign(const K& key, const V& value) {
    std::pair<iterator, bool> result = this->insert(value_type(key, value));
    if (!result.second) result.first->second = value;
    return result;
  }

  bool contains(const K& key) const { return this->find(key) != this->end(); }

  void reserve(size_type n) { this->resize(n); }

  // Without this, `using std::swap; swap(a, b)` would pick std::swap (an exact match) over
  // google::swap for the base class, and test three copies instead of the map's swap.
  friend void swap(DenseHashMapStd& a, DenseHashMapStd& b) { a.swap(b); }
};

struct SparsehashDenseHashMap {
  static constexpr std::string_view name = "sparsehash_dense_hash_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::SparsehashDenseHashMap";
  template <class K, class V, class H, class E, class A>
  using map = DenseHashMapStd<K, V, H, E>;
  static constexpr Capabilities capabilities =
      detail::kStdOperations.with(Capability::reserve_keeps_buckets);
};

}  // namespace mapcheck::adapters
