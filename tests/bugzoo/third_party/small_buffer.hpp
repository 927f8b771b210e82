// small::InlineMap: an open-addressing map with its first table inside the map object (a
// small-buffer optimisation in the manner of LLVM's SmallDenseMap): up to 7 entries live in 8
// inline slots and cost no allocation; past that the table moves to the heap and stays there.
//
// Layout: `slots_` points at the current table of `capacity_` slots, a power of two >= 8. While
// capacity_ == kInline it is `inline_`, the buffer inside this very object; otherwise it is a heap
// array this map owns. A slot is a state byte (empty, full, deleted) and raw storage for a
// std::pair<const K, V>. A key probes home, home+1, home+3, home+6, ... (triangular steps over a
// power of two visit every slot), home = hash & (capacity - 1).
//
// Invariants:
//   * capacity_ == kInline  <=>  slots_ == inline_ (the pointer is self-referential while small,
//     so copying or moving the object must re-point it, never copy it);
//   * every slot before a key's slot in its probe sequence is non-empty: erase leaves a deleted
//     marker, and lookups stop only at an empty slot;
//   * size_ counts full slots, used_ full and deleted ones, used_ <= 7/8 capacity.
//
// Hash and Eq must be default-constructible: swap and in-place rehashing park entries in a third,
// empty map.
//
// Iterators are slot pointers. They do not follow their entries across swap (inline entries are
// moved between the two objects), and insertion may rehash; erase moves nothing.
//
// Zoo map: with Planted, the move constructor has the one bug marked PLANTED BUG below.
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

namespace small {

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          bool Planted = true>
class InlineMap {
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
    using value_type = InlineMap::value_type;
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
    friend class InlineMap;
    template <bool>
    friend class Iter;
    Iter(SlotPtr slot, SlotPtr end) : slot_(slot), end_(end) {}

    SlotPtr slot_ = nullptr;
    SlotPtr end_ = nullptr;
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  InlineMap() = default;
  explicit InlineMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    reserve(bucket_count);
  }
  InlineMap(const InlineMap& other) : hash_(other.hash_), eq_(other.eq_) {
    reserve(other.size_);
    for (const value_type& kv : other) place_new(kv.first, kv.second);
  }
  InlineMap(InlineMap&& other) noexcept : hash_(other.hash_), eq_(other.eq_) {
    if (other.on_heap()) {
      slots_ = std::exchange(other.slots_, other.inline_);
      capacity_ = std::exchange(other.capacity_, kInline);
      size_ = std::exchange(other.size_, 0);
      used_ = std::exchange(other.used_, 0);
    } else if constexpr (Planted) {
      // PLANTED BUG: a small map's slots_ is copied as if it were a heap pointer, so this map
      // goes on using the other map's inline buffer: the two share storage, and the reset below
      // (or anything the other map does later) empties or rewrites this map's entries. Correct
      // code moves the entries into this map's own inline buffer (take_inline), keeping the
      // invariant slots_ == inline_ for a small map.
      slots_ = other.slots_;
      size_ = other.size_;
      used_ = other.used_;
      other.reset_inline();
    } else {
      take_inline(other);
    }
  }
  InlineMap& operator=(const InlineMap& other) {
    InlineMap copy(other);
    swap(copy);
    return *this;
  }
  InlineMap& operator=(InlineMap&& other) noexcept {
    InlineMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~InlineMap() {
    destroy_all();
    if (on_heap()) delete[] slots_;
  }

  iterator begin() { return {next_full(slots_, slots_ + capacity_), slots_ + capacity_}; }
  iterator end() { return {slots_ + capacity_, slots_ + capacity_}; }
  const_iterator begin() const {
    const Slot* first = slots_;
    return {next_full(first, first + capacity_), first + capacity_};
  }
  const_iterator end() const { return {slots_ + capacity_, slots_ + capacity_}; }

  size_type size() const { return size_; }
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
    // Never shrinks: a map full of tombstones is rehashed at its own capacity.
    if (used_ + 1 > max_load(capacity_)) rehash_to(std::max(capacity_, capacity_for(size_ + 1)));
    return {at(place_new(key, std::forward<Args>(args)...)), true};
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
    kill(i);
    return 1;
  }
  iterator erase(const_iterator pos) {
    const size_type i = static_cast<size_type>(pos.slot_ - slots_);
    kill(i);
    return {next_full(slots_ + i + 1, slots_ + capacity_), slots_ + capacity_};
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) {
    const size_type i = lookup(key);
    return i == npos ? end() : at(i);
  }
  const_iterator find(const K& key) const {
    const size_type i = lookup(key);
    return i == npos ? end() : const_iterator(slots_ + i, slots_ + capacity_);
  }
  bool contains(const K& key) const { return lookup(key) != npos; }

  // Keeps the current table (heap or inline): a map that grew once tends to grow again.
  void clear() {
    destroy_all();
    for (size_type i = 0; i < capacity_; ++i) slots_[i].state = State::empty;
    size_ = used_ = 0;
  }
  void reserve(size_type n) {
    if (n > max_load(capacity_)) rehash_to(capacity_for(n));
  }

  // Never goes through the move constructor: heap tables trade pointers, inline entries are moved
  // between the two buffers through a third, small map.
  void swap(InlineMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    if (on_heap() && other.on_heap()) {
      swap(slots_, other.slots_);
      swap(capacity_, other.capacity_);
      swap(size_, other.size_);
      swap(used_, other.used_);
      return;
    }
    InlineMap& small = on_heap() ? other : *this;
    InlineMap& big = on_heap() ? *this : other;
    InlineMap parked;
    parked.take_inline(small);
    if (big.on_heap()) {
      small.slots_ = std::exchange(big.slots_, big.inline_);
      small.capacity_ = std::exchange(big.capacity_, kInline);
      small.size_ = std::exchange(big.size_, 0);
      small.used_ = std::exchange(big.used_, 0);
    } else {
      small.take_inline(big);
    }
    big.take_inline(parked);
  }
  friend void swap(InlineMap& a, InlineMap& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type kInline = 8;
  static constexpr size_type npos = static_cast<size_type>(-1);

  static size_type max_load(size_type capacity) { return capacity / 8 * 7; }
  static size_type capacity_for(size_type n) {
    size_type capacity = kInline;
    while (max_load(capacity) < n) capacity *= 2;
    return capacity;
  }
  template <class SlotPtr>
  static SlotPtr next_full(SlotPtr slot, SlotPtr end) {
    while (slot != end && slot->state != State::full) ++slot;
    return slot;
  }

  bool on_heap() const { return capacity_ > kInline; }
  iterator at(size_type i) { return {slots_ + i, slots_ + capacity_}; }

  // Moves a small map's entries into this map's inline buffer, slot for slot (same capacity, so
  // same probe sequences), and leaves `from` empty. This map must be small and empty.
  void take_inline(InlineMap& from) {
    slots_ = inline_;
    for (size_type i = 0; i < kInline; ++i) {
      Slot& source = from.slots_[i];
      if (source.state == State::full)
        ::new (static_cast<void*>(inline_[i].storage)) value_type(std::move(source.value()));
      inline_[i].state = source.state;
    }
    size_ = from.size_;
    used_ = from.used_;
    from.reset_inline();
  }
  // Destroys a small map's entries and makes it empty, with its own buffer.
  void reset_inline() {
    destroy_all();
    slots_ = inline_;
    for (Slot& slot : inline_) slot.state = State::empty;
    size_ = used_ = 0;
  }

  size_type lookup(const K& key) const {
    const size_type mask = capacity_ - 1;
    size_type i = hash_(key) & mask;
    for (size_type step = 1;; i = (i + step++) & mask) {
      const Slot& slot = slots_[i];
      if (slot.state == State::empty) return npos;
      if (slot.state == State::full && eq_(slot.value().first, key)) return i;
    }
  }

  // Constructs the entry for an absent key in the first free slot of its probe sequence.
  template <class... Args>
  size_type place_new(const K& key, Args&&... args) {
    const size_type mask = capacity_ - 1;
    size_type i = hash_(key) & mask;
    for (size_type step = 1; slots_[i].state == State::full; i = (i + step++) & mask) {
    }
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

  // Moves every entry into a fresh table of `capacity` >= capacity_ slots, dropping tombstones.
  // A table of kInline slots is always the inline buffer, so a small map is cleaned in place
  // (through a parked map); a bigger one gets a new heap table. A map goes back to its inline
  // buffer only by being moved from or swapped.
  void rehash_to(size_type capacity) {
    if (capacity == kInline) {
      InlineMap parked;
      parked.take_inline(*this);
      for (Slot& slot : parked.inline_)
        if (slot.state == State::full)
          place_new(slot.value().first, std::move(slot.value().second));
      return;  // parked destroys the moved-from entries
    }
    Slot* old = std::exchange(slots_, new Slot[capacity]);
    const size_type old_capacity = std::exchange(capacity_, capacity);
    size_ = used_ = 0;
    for (size_type i = 0; i < old_capacity; ++i) {
      if (old[i].state == State::full) {
        value_type& kv = old[i].value();
        place_new(kv.first, std::move(kv.second));
        kv.~value_type();
      }
      // The inline buffer must be all empty whenever it is not the table: a moved-from or
      // swapped map falls back to it with used_ == 0.
      old[i].state = State::empty;
    }
    if (old_capacity > kInline) delete[] old;
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  Slot inline_[kInline];
  Slot* slots_ = inline_;
  size_type capacity_ = kInline;
  size_type size_ = 0;  // full slots
  size_type used_ = 0;  // full and deleted slots
};

}  // namespace small

namespace mapcheck::bugzoo {

inline constexpr Capabilities kSmallBufferCaps = {Capability::subscript, Capability::erase_iterator,
                                                  Capability::reserve,   Capability::copy,
                                                  Capability::move,      Capability::swap};

struct SmallBuffer {
  static constexpr std::string_view name = "tp_small_buffer";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::SmallBuffer";
  template <class K, class V, class H, class E, class A>
  using map = small::InlineMap<K, V, H, E, /*Planted=*/true>;
  static constexpr Capabilities capabilities = kSmallBufferCaps;
};

struct SmallBufferFixed {
  static constexpr std::string_view name = "tp_small_buffer_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::SmallBufferFixed";
  template <class K, class V, class H, class E, class A>
  using map = small::InlineMap<K, V, H, E, /*Planted=*/false>;
  static constexpr Capabilities capabilities = kSmallBufferCaps;
};

}  // namespace mapcheck::bugzoo
