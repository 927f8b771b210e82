// rh::RobinMap: Robin Hood hashing with linear probing and backward-shift deletion, no
// tombstones, and no wrap-around (the probe runs spill into a tail area past the last home).
//
// Layout: one array of capacity + max_load(capacity) slots; capacity is a power of two (zero
// before the first insert) and homes are hash & (capacity - 1), so only the first `capacity`
// slots are homes and the rest is overflow. A slot is `info` = 1 + its entry's distance from home
// (0 for an empty slot) and raw storage for a std::pair<const K, V>.
//
// Invariants:
//   * within a run of full slots, entries are in nondecreasing order of home, and every slot
//     between an entry's home and its slot is full. So a lookup from home h stops at an empty slot
//     or at an entry whose home is past h (info < 1 + probe distance), and insertion shifts the
//     richer tail of the run one slot right (robin_hood.h's "shift up") to make room;
//   * erase shifts the following displaced entries (info > 1) one slot left, back toward their
//     homes, until an empty slot or an entry already at home: no tombstones, no holes in runs;
//   * size_ <= max_load(capacity) = 7/8 capacity; a run holds at most size_ entries, so no run
//     reaches the last slot and the array never needs to wrap.
//
// Iterators are slot pointers and follow their entries across swap. Insertion moves entries and
// invalidates them; erase(it) returns `it` itself when a shifted entry took the slot (entries only
// move left, so the shifted one was not produced yet).
//
// Zoo map: `Planted` picks one of two bugs, each marked PLANTED BUG below: a backward shift that
// stops one slot early, or a reserve(n) that sizes the table for n slots rather than n entries,
// so the inserts it promised room for still rehash.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "mapcheck/op.hpp"

namespace rh {

enum class Bug { none, backward_shift_stops_early, reserve_ignores_load_factor };

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          Bug Planted = Bug::backward_shift_stops_early>
class RobinMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

 private:
  struct Slot {
    std::uint32_t info = 0;  // 0: empty; else 1 + distance from home
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
    using value_type = RobinMap::value_type;
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
    friend class RobinMap;
    template <bool>
    friend class Iter;
    Iter(SlotPtr slot, SlotPtr end) : slot_(slot), end_(end) {}

    SlotPtr slot_ = nullptr;
    SlotPtr end_ = nullptr;
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  RobinMap() = default;
  explicit RobinMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    reserve(bucket_count);
  }
  RobinMap(const RobinMap& other) : hash_(other.hash_), eq_(other.eq_) {
    reserve(other.size_);
    for (const value_type& kv : other) add(kv.first, kv.second);
  }
  RobinMap(RobinMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        slots_(std::move(other.slots_)),
        capacity_(std::exchange(other.capacity_, 0)),
        size_(std::exchange(other.size_, 0)) {}
  RobinMap& operator=(const RobinMap& other) {
    RobinMap copy(other);
    swap(copy);
    return *this;
  }
  RobinMap& operator=(RobinMap&& other) noexcept {
    RobinMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~RobinMap() { destroy_all(); }

  iterator begin() { return {next_full(slots_.get(), end_slot()), end_slot()}; }
  iterator end() { return {end_slot(), end_slot()}; }
  const_iterator begin() const {
    const Slot* first = slots_.get();
    return {next_full(first, end_slot()), end_slot()};
  }
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
    if (size_ + 1 > max_load(capacity_)) rehash_to(capacity_for(size_ + 1));
    return {at(add(key, std::forward<Args>(args)...)), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    if (const size_type i = lookup(key); i != npos) {
      slots_[i].value().second = std::forward<M>(mapped);
      return {at(i), false};
    }
    return try_emplace(key, std::forward<M>(mapped));
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    const size_type i = lookup(key);
    if (i == npos) return 0;
    remove_at(i);
    return 1;
  }
  iterator erase(const_iterator pos) {
    const size_type i = static_cast<size_type>(pos.slot_ - slots_.get());
    remove_at(i);
    return {next_full(slots_.get() + i, end_slot()), end_slot()};
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) {
    const size_type i = lookup(key);
    return i == npos ? end() : at(i);
  }
  const_iterator find(const K& key) const {
    const size_type i = lookup(key);
    return i == npos ? end() : const_iterator(slots_.get() + i, end_slot());
  }
  bool contains(const K& key) const { return lookup(key) != npos; }

  void clear() {
    destroy_all();
    for (size_type i = 0; i < slot_count(); ++i) slots_[i].info = 0;
    size_ = 0;
  }
  void reserve(size_type n) {
    if (n <= max_load(capacity_)) return;
    // PLANTED BUG (reserve_ignores_load_factor): n is taken as a number of slots, as rehash(n)
    // would take it, but only 7/8 of the slots may fill; the n-th insert after reserve(n) rehashes
    // anyway (and moves every entry) although reserve promised room for it. Correct code sizes
    // the table with capacity_for(n).
    if constexpr (Planted == Bug::reserve_ignores_load_factor)
      rehash_to(std::max(std::bit_ceil(n), capacity_for(size_)));
    else
      rehash_to(capacity_for(n));
  }

  void swap(RobinMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    swap(slots_, other.slots_);
    swap(capacity_, other.capacity_);
    swap(size_, other.size_);
  }
  friend void swap(RobinMap& a, RobinMap& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type npos = static_cast<size_type>(-1);

  static size_type max_load(size_type capacity) { return capacity / 8 * 7; }
  static size_type capacity_for(size_type n) {
    size_type capacity = 8;
    while (max_load(capacity) < n) capacity *= 2;
    return capacity;
  }
  template <class SlotPtr>
  static SlotPtr next_full(SlotPtr slot, SlotPtr end) {
    while (slot != end && slot->info == 0) ++slot;
    return slot;
  }

  size_type slot_count() const { return capacity_ + max_load(capacity_); }
  Slot* end_slot() { return slots_.get() + slot_count(); }
  const Slot* end_slot() const { return slots_.get() + slot_count(); }
  iterator at(size_type i) { return {slots_.get() + i, end_slot()}; }
  size_type home(const K& key) const { return hash_(key) & (capacity_ - 1); }

  size_type lookup(const K& key) const {
    if (capacity_ == 0) return npos;
    size_type i = home(key);
    // An entry with info < dist is at home further right than `key`'s: `key` would be before it.
    for (std::uint32_t dist = 1; slots_[i].info >= dist; ++i, ++dist) {
      if (slots_[i].info == dist && eq_(slots_[i].value().first, key)) return i;
    }
    return npos;
  }

  // Adds an entry for an absent key (room is made by the caller): its place is the first slot
  // whose entry has its home past the key's, or the first empty one; the rest of the run moves
  // one slot right.
  template <class... Args>
  size_type add(const K& key, Args&&... args) {
    size_type pos = home(key);
    std::uint32_t dist = 1;
    for (; slots_[pos].info >= dist; ++pos, ++dist) {
    }
    size_type last = pos;
    while (slots_[last].info != 0) ++last;
    for (size_type j = last; j > pos; --j) move_slot(j - 1, j, slots_[j - 1].info + 1);
    ::new (static_cast<void*>(slots_[pos].storage))
        value_type(std::piecewise_construct, std::forward_as_tuple(key),
                   std::forward_as_tuple(std::forward<Args>(args)...));
    slots_[pos].info = dist;
    ++size_;
    return pos;
  }

  // Moves the entry of slot `from` into the empty slot `to`, with the given info.
  void move_slot(size_type from, size_type to, std::uint32_t info) {
    ::new (static_cast<void*>(slots_[to].storage)) value_type(std::move(slots_[from].value()));
    slots_[to].info = info;
    slots_[from].value().~value_type();
    slots_[from].info = 0;
  }

  void remove_at(size_type i) {
    slots_[i].value().~value_type();
    slots_[i].info = 0;
    --size_;
    // PLANTED BUG: the backward shift stops at info > 2 instead of info > 1, as if info were
    // the distance rather than 1 + the distance; an entry one slot from its home is not shifted
    // back into the freed slot, which is its home, so a hole opens in front of it and every
    // lookup of it stops there (find misses it, insert adds it again). Correct code shifts every
    // displaced entry (info > 1) until an empty slot or an entry at its home.
    const std::uint32_t displaced = Planted == Bug::backward_shift_stops_early ? 2 : 1;
    for (size_type j = i + 1; slots_[j].info > displaced; ++j)
      move_slot(j, j - 1, slots_[j].info - 1);
  }

  void destroy_all() {
    for (size_type i = 0; i < slot_count(); ++i)
      if (slots_[i].info != 0) slots_[i].value().~value_type();
  }

  void rehash_to(size_type capacity) {
    std::unique_ptr<Slot[]> old =
        std::exchange(slots_, std::make_unique<Slot[]>(capacity + max_load(capacity)));
    const size_type old_count = slot_count();
    capacity_ = capacity;
    size_ = 0;
    for (size_type i = 0; i < old_count; ++i) {
      if (old[i].info == 0) continue;
      value_type& kv = old[i].value();
      add(kv.first, std::move(kv.second));
      kv.~value_type();
    }
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  std::unique_ptr<Slot[]> slots_;
  size_type capacity_ = 0;
  size_type size_ = 0;
};

}  // namespace rh

namespace mapcheck::bugzoo {

inline constexpr Capabilities kRobinHoodCaps = {Capability::subscript,
                                                Capability::erase_iterator,
                                                Capability::reserve,
                                                Capability::copy,
                                                Capability::move,
                                                Capability::swap,
                                                Capability::iterators_follow_swap,
                                                Capability::exact_element_count,
                                                Capability::reserve_keeps_buckets};

struct RobinHood {
  static constexpr std::string_view name = "tp_robin_hood";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::RobinHood";
  template <class K, class V, class H, class E, class A>
  using map = rh::RobinMap<K, V, H, E, rh::Bug::backward_shift_stops_early>;
  static constexpr Capabilities capabilities = kRobinHoodCaps;
};

struct RobinHoodFixed {
  static constexpr std::string_view name = "tp_robin_hood_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::RobinHoodFixed";
  template <class K, class V, class H, class E, class A>
  using map = rh::RobinMap<K, V, H, E, rh::Bug::none>;
  static constexpr Capabilities capabilities = kRobinHoodCaps;
};

struct RobinHoodReserve {
  static constexpr std::string_view name = "tp_robin_hood_reserve";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::RobinHoodReserve";
  template <class K, class V, class H, class E, class A>
  using map = rh::RobinMap<K, V, H, E, rh::Bug::reserve_ignores_load_factor>;
  static constexpr Capabilities capabilities = kRobinHoodCaps;
};

}  // namespace mapcheck::bugzoo
