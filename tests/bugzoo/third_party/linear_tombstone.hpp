// tomb::LinearMap: open addressing with linear probing and tombstones (the textbook scheme of
// Knuth 6.4, Algorithm L with deletion by marking).
//
// Layout: one array of `capacity_` slots, a power of two (zero before the first insert). A slot is
// a state byte (empty, full, deleted) and raw storage for a std::pair<const K, V>, constructed
// only while the slot is full.
//
// Invariants:
//   * a key lives in the first slot of its probe sequence home, home+1, ... (mod capacity) that
//     was free when it was inserted, so every slot between its home and its slot is non-empty
//     (full or deleted): a lookup may stop at an empty slot and nowhere else;
//   * erase turns a full slot into a tombstone (deleted), never back into empty, because emptying
//     it would cut the run that leads to keys placed after it;
//   * size_ counts full slots, used_ counts full and deleted ones, and used_ <= 7/8 capacity, so
//     every probe sequence reaches an empty slot and lookups end;
//   * growth, reserve and copies rehash into a fresh array: tombstones do not survive them; when
//     tombstones fill the table, insertion rehashes at the same capacity (never smaller, which
//     would undo a reserve) unless the entries alone need more.
//
// Iterators are slot pointers; they follow their entries across swap (the array changes owner,
// not place). Any insertion may rehash and invalidates them; erase does not move entries.
//
// Zoo map: `Planted` picks one of two bugs, each marked PLANTED BUG below: a lookup that stops at
// the first tombstone, or growth sized by the used slots (entries and tombstones) instead of the
// entries, so the table doubles whenever tombstones fill it and grows without end under churn.
#pragma once

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "mapcheck/op.hpp"

namespace tomb {

enum class Bug { none, lookup_stops_at_tombstone, growth_counts_tombstones };

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          Bug Planted = Bug::lookup_stops_at_tombstone>
class LinearMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

 private:
  enum class State : unsigned char { empty, full, deleted };

  struct Slot {
    State state = State::empty;
    alignas(value_type) unsigned char storage[sizeof(value_type)];

    value_type& value() { return *std::launder(reinterpret_cast<value_type*>(storage)); }
    const value_type& value() const {
      return *std::launder(reinterpret_cast<const value_type*>(storage));
    }
  };

  template <bool Const>
  class Iter {
    using SlotPtr = std::conditional_t<Const, const Slot*, Slot*>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = LinearMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;

    Iter() = default;
    template <bool C = Const>
    requires C Iter(const Iter<false>& other) : slot_(other.slot_), end_(other.end_) {}

    reference operator*() const { return slot_->value(); }
    pointer operator->() const { return &slot_->value(); }
    Iter& operator++() {
      slot_ = next_full(slot_ + 1, end_);
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.slot_ == b.slot_; }

   private:
    friend class LinearMap;
    template <bool>
    friend class Iter;
    Iter(SlotPtr slot, SlotPtr end) : slot_(slot), end_(end) {}

    SlotPtr slot_ = nullptr;
    SlotPtr end_ = nullptr;
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  LinearMap() = default;
  explicit LinearMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    if (bucket_count > 0) rehash_to(capacity_for(bucket_count));
  }
  LinearMap(const LinearMap& other) : hash_(other.hash_), eq_(other.eq_) {
    if (other.size_ > 0) rehash_to(capacity_for(other.size_));
    for (const value_type& kv : other) place_new(kv.first, kv.second);
  }
  LinearMap(LinearMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        slots_(std::move(other.slots_)),
        capacity_(std::exchange(other.capacity_, 0)),
        size_(std::exchange(other.size_, 0)),
        used_(std::exchange(other.used_, 0)) {}
  LinearMap& operator=(const LinearMap& other) {
    LinearMap copy(other);  // copy first: survives self-assignment and a throwing copy
    swap(copy);
    return *this;
  }
  LinearMap& operator=(LinearMap&& other) noexcept {
    LinearMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~LinearMap() { destroy_all(); }

  iterator begin() { return {next_full(slots_.get(), end_slot()), end_slot()}; }
  iterator end() { return {end_slot(), end_slot()}; }
  const_iterator begin() const { return {next_full(first_slot(), end_slot()), end_slot()}; }
  const_iterator end() const { return {end_slot(), end_slot()}; }

  size_type size() const { return size_; }
  size_type bucket_count() const { return capacity_; }
  bool empty() const { return size_ == 0; }

  std::pair<iterator, bool> insert(const value_type& kv) {
    return try_emplace(kv.first, kv.second);
  }
  std::pair<iterator, bool> insert(value_type&& kv) {
    return try_emplace(kv.first, std::move(kv.second));
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& key, Args&&... args) {
    if (const size_type i = lookup(key); i != npos) return {at(i), false};
    return {at(add(key, std::forward<Args>(args)...)), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    if (const size_type i = lookup(key); i != npos) {
      slots_[i].value().second = std::forward<M>(mapped);
      return {at(i), false};
    }
    return {at(add(key, std::forward<M>(mapped))), true};
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    const size_type i = lookup(key);
    if (i == npos) return 0;
    kill(i);
    return 1;
  }
  iterator erase(const_iterator pos) {
    Slot* slot = slots_.get() + (pos.slot_ - slots_.get());
    kill(static_cast<size_type>(slot - slots_.get()));
    return {next_full(slot + 1, end_slot()), end_slot()};
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) {
    const size_type i = lookup(key);
    return i == npos ? end() : at(i);
  }
  const_iterator find(const K& key) const {
    const size_type i = lookup(key);
    return i == npos ? end() : const_iterator(first_slot() + i, end_slot());
  }
  bool contains(const K& key) const { return lookup(key) != npos; }

  void clear() {
    destroy_all();
    for (size_type i = 0; i < capacity_; ++i) slots_[i].state = State::empty;
    size_ = used_ = 0;
  }
  void reserve(size_type n) {
    if (n > max_load(capacity_)) rehash_to(capacity_for(n));
  }

  void swap(LinearMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    swap(slots_, other.slots_);
    swap(capacity_, other.capacity_);
    swap(size_, other.size_);
    swap(used_, other.used_);
  }
  friend void swap(LinearMap& a, LinearMap& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type npos = static_cast<size_type>(-1);
  static constexpr size_type kMinCapacity = 8;

  static size_type max_load(size_type capacity) { return capacity / 8 * 7; }
  static size_type capacity_for(size_type n) {
    size_type capacity = kMinCapacity;
    while (max_load(capacity) < n) capacity *= 2;
    return capacity;
  }

  template <class SlotPtr>
  static SlotPtr next_full(SlotPtr slot, SlotPtr end) {
    while (slot != end && slot->state != State::full) ++slot;
    return slot;
  }

  const Slot* first_slot() const { return slots_.get(); }
  Slot* end_slot() { return slots_.get() + capacity_; }
  const Slot* end_slot() const { return slots_.get() + capacity_; }
  iterator at(size_type i) { return {slots_.get() + i, end_slot()}; }
  size_type home(const K& key) const { return hash_(key) & (capacity_ - 1); }

  // The slot holding a key equal to `key`, or npos.
  size_type lookup(const K& key) const {
    if (capacity_ == 0) return npos;
    for (size_type i = home(key);; i = (i + 1) & (capacity_ - 1)) {
      const Slot& slot = slots_[i];
      if (slot.state == State::empty) return npos;
      if (slot.state == State::deleted) {
        // PLANTED BUG: the lookup treats a tombstone like an empty slot and gives up, so a key
        // that was placed past a slot erased later becomes unreachable (find, contains and erase
        // miss it, and insert adds it a second time). Correct code steps over tombstones: only an
        // empty slot proves the key absent, which is the whole reason erase leaves tombstones.
        if constexpr (Planted == Bug::lookup_stops_at_tombstone) return npos;
        continue;
      }
      if (eq_(slot.value().first, key)) return i;
    }
  }

  // Adds an entry for a key known to be absent; returns its slot.
  template <class... Args>
  size_type add(const K& key, Args&&... args) {
    // PLANTED BUG (growth_counts_tombstones): sizing the new table by used_ counts the tombstones
    // the rehash is about to drop, so a table full of tombstones doubles instead of being cleaned
    // at its size: under churn at a constant size the capacity doubles again and again. Correct
    // code sizes it by the entries (size_ + 1), as Go's same-size grow does.
    // (Cleaning never shrinks the table either: that would undo a reserve.)
    if (used_ + 1 > max_load(capacity_)) {
      if constexpr (Planted == Bug::growth_counts_tombstones)
        rehash_to(capacity_for(used_ + 1));
      else
        rehash_to(std::max(capacity_for(size_ + 1), capacity_));
    }
    return place_new(key, std::forward<Args>(args)...);
  }

  // Constructs the entry in the first empty or deleted slot of the key's probe sequence: the key
  // is absent, so reusing the first tombstone keeps every other key's run intact.
  template <class... Args>
  size_type place_new(const K& key, Args&&... args) {
    size_type i = home(key);
    while (slots_[i].state == State::full) i = (i + 1) & (capacity_ - 1);
    Slot& slot = slots_[i];
    ::new (static_cast<void*>(slot.storage))
        value_type(std::piecewise_construct, std::forward_as_tuple(key),
                   std::forward_as_tuple(std::forward<Args>(args)...));
    if (slot.state == State::empty) ++used_;
    slot.state = State::full;
    ++size_;
    return i;
  }

  void kill(size_type i) {
    slots_[i].value().~value_type();
    slots_[i].state = State::deleted;
    --size_;
  }

  void destroy_all() {
    for (size_type i = 0; i < capacity_; ++i)
      if (slots_[i].state == State::full) slots_[i].value().~value_type();
  }

  void rehash_to(size_type capacity) {
    std::unique_ptr<Slot[]> old = std::exchange(slots_, std::make_unique<Slot[]>(capacity));
    const size_type old_capacity = std::exchange(capacity_, capacity);
    size_ = used_ = 0;
    for (size_type i = 0; i < old_capacity; ++i) {
      if (old[i].state != State::full) continue;
      value_type& kv = old[i].value();
      place_new(kv.first, std::move(kv.second));
      kv.~value_type();
    }
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  std::unique_ptr<Slot[]> slots_;
  size_type capacity_ = 0;
  size_type size_ = 0;  // full slots
  size_type used_ = 0;  // full and deleted slots
};

}  // namespace tomb

// ---- the mapcheck adapters: the planted-bug map, and the same map with the bug off ----
namespace mapcheck::bugzoo {

inline constexpr Capabilities kLinearTombstoneCaps = {Capability::subscript,
                                                      Capability::erase_iterator,
                                                      Capability::reserve,
                                                      Capability::copy,
                                                      Capability::move,
                                                      Capability::swap,
                                                      Capability::iterators_follow_swap,
                                                      Capability::exact_element_count,
                                                      Capability::reserve_keeps_buckets};

struct LinearTombstone {
  static constexpr std::string_view name = "tp_linear_tombstone";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::LinearTombstone";
  template <class K, class V, class H, class E, class A>
  using map = tomb::LinearMap<K, V, H, E, tomb::Bug::lookup_stops_at_tombstone>;
  static constexpr Capabilities capabilities = kLinearTombstoneCaps;
};

struct LinearTombstoneFixed {
  static constexpr std::string_view name = "tp_linear_tombstone_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::LinearTombstoneFixed";
  template <class K, class V, class H, class E, class A>
  using map = tomb::LinearMap<K, V, H, E, tomb::Bug::none>;
  static constexpr Capabilities capabilities = kLinearTombstoneCaps;
};

struct LinearTombstoneChurn {
  static constexpr std::string_view name = "tp_linear_tombstone_churn";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::LinearTombstoneChurn";
  template <class K, class V, class H, class E, class A>
  using map = tomb::LinearMap<K, V, H, E, tomb::Bug::growth_counts_tombstones>;
  static constexpr Capabilities capabilities = kLinearTombstoneCaps;
};

}  // namespace mapcheck::bugzoo
