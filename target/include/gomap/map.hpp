// gomap::Map — the classic Go runtime map (hmap/bmap, Go 1.12 to 1.23), re-created in C++20 as the
// reference map of mapcheck. Specification: shared/spec/gomap.md (section numbers below refer to
// it).
//
//   gomap::Map<std::string, int> m;
//   m["a"] = 1;                                  // Go's m[k] = v
//   for (auto it = m.begin(); it != m.end(); ++it) {
//     if (it->second == 1) m.erase(it->first);   // legal: Go's rules, see below
//     m["b" + it->first] += 1;                   // also legal: the iteration goes on
//   }
//
// How it differs from std::unordered_map:
//  * Iterators are never invalidated by insert, erase, clear or growth in the same thread: ++it
//    keeps working and yields each entry present throughout exactly once (guarantees G1-G11).
//    *it and it-> are valid until the next mutation (Go's range copies the entry before the body).
//  * Iteration order is randomised on purpose, per iteration (G11). find() returns a single-entry
//    view; advancing it yields end().
//  * No pointer stability across growth; erase(it) deletes by position (works for NaN keys).
//  * Keys that compare equal but differ in bits (+0.0/-0.0) are overwritten by insert_or_assign and
//    operator[] (Go's NeedKeyUpdate); insert/try_emplace leave an existing entry alone (std's
//    rule).
//  * NaN keys behave as in Go: every insert of NaN adds an entry; only clear() or erase(it) remove
//  it.
//  * Concurrent writes, or reads during a write, are detected on a best-effort basis and reported
//    with Go's fatal messages (fatal.hpp). Concurrent const reads and iterations are fine.
//
// Design (spec §1, §3, §4):
//  * A table of 2^B buckets; each bucket has 8 tophash bytes, 8 keys, 8 values and an overflow
//    pointer. An entry's bucket is the low B bits of its hash, its tophash the top 8 bits (>= 5,
//    values 0..4 mark empty and evacuated slots).
//  * Above an average of 6.5 entries per bucket, or with about as many overflow buckets as buckets,
//    a grow starts: a new array (double, or same size to re-pack tombstone-ridden chains). Entries
//    move ("evacuate") a chain at a time: every insert or delete while growing evacuates the chain
//    it is about to touch plus the next unevacuated one, so a grow of n buckets ends within n
//    writes and no single insert pays for a whole rehash.
//  * Deletion leaves tombstones: emptyOne, or emptyRest when every later slot of the chain is empty
//    too (lookups stop there). Insert reuses the first empty slot of the chain.
//  * An iterator walks the array it started on; evacuated slots point it to the live entry, old
//    arrays stay alive while an iterator needs them (shared ownership, spec §7.1), and a clear()
//    ends every live iteration through an epoch counter (spec §6.1: Go's NaN-after-clear bug).
//
// Decisions where the spec leaves a choice (§7):
//  * Value semantics (copy = deep copy), not Go's reference semantics; no nil map. A default or
//    moved-from map allocates lazily, like makemap_small.
//  * Storage: inline up to 128 bytes; keys also boxed when not nothrow-movable or not copyable
//    (evacuation keeps key copies for iterators), values also boxed when not nothrow-movable or the
//    key type is irreflexive (the box tells an iterator where a NaN-keyed entry lives now).
//  * Flags are Go's sticky ones (set by begin(), cleared only by a grow), not per-iterator counts:
//    fidelity first; the cost is copying keys in evacuations that follow an iteration.
//  * New bucket arrays are initialised lazily, a chain when its source is evacuated (invariant I5
//    guarantees nobody reads it before): starting a grow is O(1).
//  * clear() keeps the array (B), draws a new seed and bumps the epoch. Tables never shrink
//  (#20135).
//  * Absurd reserve()/hint sizes are ignored as Go ignores bogus hints (TestIgnoreBogusMapHint).
//  * Exceptions from hash, equality, copies or allocation leave the contents unchanged (§7.4).
//
// Why these numbers: 8 slots and 6.5 per bucket are Go's (load 81%, 1 cache-line of tophash per
// probe); bench/ (`find_hit`, `insert`, `insert_max_latency` against absl and std) shows what they
// cost. Invariants checked by gomap::debug::check_invariants after every operation (spec §1.7):
//  I1 count == number of live slots (current array + unevacuated old chains)
//  I2 a live slot's tophash is >= 5 and, for reflexive keys, equals tophash(hash(key))
//  I3 in every chain, emptyRest slots come last and the last other slot is occupied
//  I4 a reflexive key sits in chain hash & (2^B-1), or in its unevacuated old chain
//  I5 an old chain is stamped all-or-none; destinations of unevacuated chains are untouched
//  I6 old chains below nevacuate are evacuated; sameSizeGrow only while growing
//  I7 no object lives in an empty slot (C++'s form of "an empty slot holds the zero value")
//  I8 no entry changes slot within its chain (debug::SlotTracker)
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

#include "gomap/fatal.hpp"
#include "gomap/hash.hpp"
#include "gomap/internal/iteration.hpp"
#include "gomap/internal/table.hpp"
#include "gomap/random.hpp"

namespace gomap {

namespace debug {
struct Access;
}

template <class K, class V, class Hash = gomap::Hash<K>, class Eq = std::equal_to<K>,
          class Alloc = std::allocator<std::pair<const K, V>>>
class Map {
  using Table = internal::Table<K, V, Hash, Eq, Alloc>;
  using Position = typename Table::Position;
  using TableAlloc = internal::rebind_alloc<Table, Alloc>;
  using TableTraits = std::allocator_traits<TableAlloc>;

 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;

  template <bool Const>
  class basic_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<const K, V>;
    using difference_type = std::ptrdiff_t;
    using reference = std::pair<const K&, std::conditional_t<Const, const V&, V&>>;
    // operator-> needs an address; the proxy reference lives inside this object.
    struct pointer {
      reference ref;
      const reference* operator->() const { return &ref; }
    };

    basic_iterator() = default;
    template <bool C = Const, class = std::enable_if_t<C>>
    basic_iterator(const basic_iterator<false>& other) : iteration_(other.iteration_) {}  // NOLINT

    reference operator*() const {
      const Position& p = iteration_.current();
      return {p.key(), p.value()};
    }
    pointer operator->() const { return {**this}; }
    basic_iterator& operator++() {
      iteration_.advance();
      return *this;
    }
    basic_iterator operator++(int) {
      basic_iterator copy = *this;
      ++*this;
      return copy;
    }
    friend bool operator==(const basic_iterator& a, const basic_iterator& b) {
      const Position& x = a.iteration_.current();
      const Position& y = b.iteration_.current();
      return x.bucket == y.bucket && x.slot == y.slot;
    }

   private:
    friend class Map;
    template <bool>
    friend class basic_iterator;
    internal::Iteration<Table> iteration_;
  };
  using iterator = basic_iterator<false>;
  using const_iterator = basic_iterator<true>;

  // ---- construction ----
  Map() noexcept = default;
  // Go's make(map[K]V, hint): room for `hint` entries; absurd hints are ignored.
  explicit Map(size_type hint, const Hash& hash = Hash(), const Eq& eq = Eq(),
               const Alloc& alloc = Alloc())
      : table_(create(hash, eq, alloc)) {
    if (hint > internal::kBucketCnt) reserve_or_destroy(hint);
  }
  Map(std::initializer_list<value_type> entries) { insert(entries); }
  template <class InputIt>
  Map(InputIt first, InputIt last) {
    insert(first, last);
  }
  Map(const Map& other) {
    if (other.table_ == nullptr) return;
    const Table& source = *other.table_;
    table_ =
        create(source.hasher, source.equal,
               std::allocator_traits<Alloc>::select_on_container_copy_construction(source.alloc));
    try {
      table_->reserve(source.count);
      source.for_each_live([this](const K& key, const V& value) { insert_copy(key, value); });
    } catch (...) {
      destroy();
      throw;
    }
  }
  Map(Map&& other) noexcept : table_(std::exchange(other.table_, nullptr)) {}
  Map& operator=(const Map& other) {
    if (this != &other) {
      Map copy(other);
      swap(copy);
    }
    return *this;
  }
  Map& operator=(Map&& other) noexcept {
    if (this != &other) {
      destroy();
      table_ = std::exchange(other.table_, nullptr);
    }
    return *this;
  }
  Map& operator=(std::initializer_list<value_type> entries) {
    Map copy(entries);
    swap(copy);
    return *this;
  }
  ~Map() { destroy(); }

  // Iterators follow their elements into `other` (std's rule).
  void swap(Map& other) noexcept { std::swap(table_, other.table_); }
  friend void swap(Map& a, Map& b) noexcept { a.swap(b); }

  // ---- iteration ----
  iterator begin() { return start<false>(); }
  const_iterator begin() const { return start<true>(); }
  const_iterator cbegin() const { return start<true>(); }
  iterator end() { return {}; }
  const_iterator end() const { return {}; }
  const_iterator cend() const { return {}; }

  // ---- size ----
  bool empty() const { return size() == 0; }
  size_type size() const { return table_ == nullptr ? 0 : table_->count; }
  size_type max_size() const {
    return std::numeric_limits<difference_type>::max() / sizeof(typename Table::Bucket);
  }

  // ---- insertion ----
  std::pair<iterator, bool> insert(const value_type& entry) {
    return try_emplace(entry.first, entry.second);
  }
  std::pair<iterator, bool> insert(value_type&& entry) {
    return try_emplace(entry.first, std::move(entry.second));
  }
  template <class P>
  requires std::is_constructible_v<value_type, P&&> std::pair<iterator, bool> insert(P&& entry) {
    return emplace(std::forward<P>(entry));
  }
  template <class InputIt>
  void insert(InputIt first, InputIt last) {
    for (; first != last; ++first) insert(*first);
  }
  void insert(std::initializer_list<value_type> entries) { insert(entries.begin(), entries.end()); }

  // Go's m[k] = v: creates or overwrites, and copies the caller's key bits when they may differ.
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& value) {
    return assign_value(key, std::forward<M>(value));
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(K&& key, M&& value) {
    return assign_value(std::move(key), std::forward<M>(value));
  }

  // Creates the entry from `args` only if `key` is absent; an existing entry is left alone.
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& key, Args&&... args) {
    return emplace_key(key, std::forward<Args>(args)...);
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(K&& key, Args&&... args) {
    return emplace_key(std::move(key), std::forward<Args>(args)...);
  }
  template <class... Args>
  std::pair<iterator, bool> emplace(Args&&... args) {
    value_type entry(std::forward<Args>(args)...);
    return try_emplace(entry.first, std::move(entry.second));
  }

  // Go's m[k] op= v: a new entry starts value-initialised (issue #25936).
  V& operator[](const K& key) { return subscript(key); }
  V& operator[](K&& key) { return subscript(std::move(key)); }

  // ---- lookup ----
  V& at(const K& key) { return at_position(key).value(); }
  const V& at(const K& key) const { return at_position(key).value(); }
  iterator find(const K& key) { return view<false>(locate(key)); }
  const_iterator find(const K& key) const { return view<true>(locate(key)); }
  bool contains(const K& key) const { return static_cast<bool>(locate(key)); }
  size_type count(const K& key) const { return contains(key) ? 1 : 0; }

  // ---- removal ----
  size_type erase(const K& key) { return table_ != nullptr && table_->erase(key) ? 1 : 0; }
  // Deletes the entry `pos` is on and returns `pos` advanced. REQUIRES: no write since `pos` moved.
  iterator erase(iterator pos) { return erase_at(std::move(pos)); }
  iterator erase(const_iterator pos) {
    iterator it;
    it.iteration_ = std::move(pos.iteration_);
    return erase_at(std::move(it));
  }
  void clear() {
    if (table_ != nullptr) table_->clear();
  }

  // Grows so that `n` entries fit without another grow; ignores absurd n.
  void reserve(size_type n) { table().reserve(n); }

  hasher hash_function() const { return table_ != nullptr ? table_->hasher : Hash(); }
  key_equal key_eq() const { return table_ != nullptr ? table_->equal : Eq(); }
  allocator_type get_allocator() const { return table_ != nullptr ? table_->alloc : Alloc(); }

  // Same entries (by key equality) with equal values.
  friend bool operator==(const Map& a, const Map& b) requires requires(const V& v) { v == v; }
  {
    if (a.size() != b.size()) return false;
    bool same = true;
    if (a.table_ != nullptr) {
      a.table_->for_each_live([&](const K& key, const V& value) {
        const Position p = b.locate(key);
        same = same && p && p.value() == value;
      });
    }
    return same;
  }

 private:
  friend struct debug::Access;

  static Table* create(const Hash& hash, const Eq& eq, const Alloc& alloc) {
    TableAlloc table_alloc(alloc);
    Table* table = TableTraits::allocate(table_alloc, 1);
    try {
      TableTraits::construct(table_alloc, table, hash, eq, alloc);
    } catch (...) {
      TableTraits::deallocate(table_alloc, table, 1);
      throw;
    }
    return table;
  }
  void destroy() noexcept {
    if (table_ == nullptr) return;
    TableAlloc table_alloc(table_->alloc);
    TableTraits::destroy(table_alloc, table_);
    TableTraits::deallocate(table_alloc, table_, 1);
    table_ = nullptr;
  }
  void reserve_or_destroy(size_type n) {
    try {
      table_->reserve(n);
    } catch (...) {
      destroy();
      throw;
    }
  }
  // The table, created on first write for a default-constructed or moved-from map.
  Table& table() {
    if (table_ == nullptr) {
      if constexpr (std::is_default_constructible_v<Hash> && std::is_default_constructible_v<Eq> &&
                    std::is_default_constructible_v<Alloc>) {
        table_ = create(Hash(), Eq(), Alloc());
      } else {
        throw std::logic_error(
            "gomap::Map: write to a moved-from map whose hasher, equality or "
            "allocator cannot be default-constructed");
      }
    }
    return *table_;
  }

  Position locate(const K& key) const { return table_ == nullptr ? Position{} : table_->find(key); }
  Position at_position(const K& key) const {
    const Position p = locate(key);
    if (!p) throw std::out_of_range("gomap::Map::at: key not found");
    return p;
  }

  template <bool Const>
  basic_iterator<Const> start() const {
    basic_iterator<Const> it;
    if (table_ != nullptr) it.iteration_.start(*table_);
    return it;
  }
  template <bool Const>
  basic_iterator<Const> view(const Position& position) const {
    basic_iterator<Const> it;
    if (position) it.iteration_.point_at(*table_, position);
    return it;
  }
  iterator erase_at(iterator pos) {
    table_->erase_position(pos.iteration_.current());
    pos.iteration_.advance();
    return pos;
  }

  template <class KeyArg, class... Args>
  std::pair<iterator, bool> emplace_key(KeyArg&& key, Args&&... args) {
    auto [position, inserted] = table().assign(
        std::forward<KeyArg>(key), [](const Position&) {},
        [&](Alloc& alloc, auto* slot) {
          Table::Values::construct(alloc, slot, std::forward<Args>(args)...);
        });
    return {view<false>(position), inserted};
  }
  template <class KeyArg, class M>
  std::pair<iterator, bool> assign_value(KeyArg&& key, M&& value) {
    auto [position, inserted] = table().assign(
        std::forward<KeyArg>(key),
        [&](const Position& found) {
          update_key(found, key);
          found.value() = std::forward<M>(value);
        },
        [&](Alloc& alloc, auto* slot) {
          Table::Values::construct(alloc, slot, std::forward<M>(value));
        });
    return {view<false>(position), inserted};
  }
  template <class KeyArg>
  V& subscript(KeyArg&& key) {
    auto [position, inserted] = table().assign(
        std::forward<KeyArg>(key), [&](const Position& found) { update_key(found, key); },
        [](Alloc& alloc, auto* slot) { Table::Values::construct(alloc, slot); });
    return position.value();
  }
  void insert_copy(const K& key, const V& value) {
    table_->assign(
        key, [](const Position&) {},
        [&](Alloc& alloc, auto* slot) { Table::Values::construct(alloc, slot, value); });
  }
  // NeedKeyUpdate (spec §3.2 step 8): the stored key takes the caller's bits.
  static void update_key(const Position& found, const K& key) {
    if constexpr (needs_key_update<K>::value) {
      if (&found.key() != &key) found.key() = key;
    }
  }

  Table* table_ = nullptr;  // null until first needed; owned
};

}  // namespace gomap
