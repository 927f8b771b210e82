// ctrl::FlatMap: open addressing with a control-byte array and triangular probing, a
// one-slot-at-a-time cousin of SwissTable (no SIMD groups).
//
// Layout: two arrays of `capacity_` entries (a power of two, or zero before the first insert):
//   ctrl_   one signed byte per slot: kEmpty (-128), kDeleted (-2), or, for a full slot, H2 =
//           the low 7 bits of the key's hash (0..127), so most mismatches are rejected without
//           touching the slot or calling Eq;
//   slots_  raw storage for a std::pair<const K, V>, constructed only while the slot is full.
// A key's probe sequence starts at H1 = hash >> 7 (mod capacity) and visits p, p+1, p+3, p+6,
// ... (triangular numbers), which covers every slot of a power-of-two table.
//
// Invariants:
//   * every slot before a key's slot in its probe sequence is non-empty (full or deleted), so a
//     lookup stops at the first kEmpty; erase writes kDeleted to keep the sequence intact;
//   * size_ counts full slots, used_ full and deleted ones, used_ <= 7/8 capacity;
//   * iteration visits slots 0 .. capacity-1 in index order and yields the full ones: the array
//     has no sentinel byte, so capacity_ itself is the end position.
//
// Iterators are (control pointer, slot pointer, index) into the arrays, which swap exchanges
// without moving, so open iterators follow their entries across swap. Insertion may rehash and
// invalidate them; erase does not move entries.
//
// Zoo map: `Planted` picks one of two bugs, each marked PLANTED BUG below: an iteration scan that
// never reaches the last slot, or a clear() that resets the control bytes without destroying the
// entries (their values leak).
#pragma once

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

namespace ctrl {

enum class Bug { none, iteration_skips_last_slot, clear_leaks_entries };

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          Bug Planted = Bug::iteration_skips_last_slot>
class FlatMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

 private:
  using ctrl_t = signed char;
  static constexpr ctrl_t kEmpty = -128;
  static constexpr ctrl_t kDeleted = -2;
  static bool is_full(ctrl_t c) { return c >= 0; }

  struct Slot {
    alignas(value_type) unsigned char storage[sizeof(value_type)];
    value_type& value() { return *std::launder(reinterpret_cast<value_type*>(storage)); }
  };

  // The first full slot at index >= i, or `capacity` if there is none.
  static size_type first_full(const ctrl_t* ctrl, size_type i, size_type capacity) {
    // PLANTED BUG: the scan is bounded by capacity - 1, a bound written for a SwissTable-style
    // control array whose last byte is a sentinel; this array has no sentinel, so the last slot
    // is a real slot and an entry stored there is never produced by an iteration (though find
    // still returns it). Correct code scans up to capacity itself.
    const size_type limit =
        Planted == Bug::iteration_skips_last_slot && capacity > 0 ? capacity - 1 : capacity;
    while (i < limit && !is_full(ctrl[i])) ++i;
    return i < limit ? i : capacity;
  }

  template <bool Const>
  class Iter {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = FlatMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;

    Iter() = default;
    template <bool C = Const>
    requires C Iter(const Iter<false>& other)
        : ctrl_(other.ctrl_), slots_(other.slots_), i_(other.i_), capacity_(other.capacity_) {}

    reference operator*() const { return slots_[i_].value(); }
    pointer operator->() const { return &slots_[i_].value(); }
    Iter& operator++() {
      i_ = first_full(ctrl_, i_ + 1, capacity_);
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    // Iterators of one array compare by index; every end() (and every iterator of an empty
    // table) is the end.
    friend bool operator==(const Iter& a, const Iter& b) {
      const bool a_end = a.i_ == a.capacity_;
      const bool b_end = b.i_ == b.capacity_;
      if (a_end || b_end) return a_end == b_end;
      return a.slots_ == b.slots_ && a.i_ == b.i_;
    }

   private:
    friend class FlatMap;
    template <bool>
    friend class Iter;
    Iter(const ctrl_t* ctrl, Slot* slots, size_type i, size_type capacity)
        : ctrl_(ctrl), slots_(slots), i_(i), capacity_(capacity) {}

    const ctrl_t* ctrl_ = nullptr;
    Slot* slots_ = nullptr;  // a const_iterator only hands out const references
    size_type i_ = 0;
    size_type capacity_ = 0;
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  FlatMap() = default;
  explicit FlatMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    if (bucket_count > 0) rehash_to(capacity_for(bucket_count));
  }
  FlatMap(const FlatMap& other) : hash_(other.hash_), eq_(other.eq_) {
    if (other.size_ > 0) rehash_to(capacity_for(other.size_));
    // Copies by scanning the control bytes rather than iterating, so a copy is exact whatever
    // the iterator does.
    for (size_type i = 0; i < other.capacity_; ++i) {
      if (!is_full(other.ctrl_[i])) continue;
      const value_type& kv = other.slots_[i].value();
      place_new(hash_(kv.first), kv.first, kv.second);
    }
  }
  FlatMap(FlatMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        ctrl_(std::move(other.ctrl_)),
        slots_(std::move(other.slots_)),
        capacity_(std::exchange(other.capacity_, 0)),
        size_(std::exchange(other.size_, 0)),
        used_(std::exchange(other.used_, 0)) {}
  FlatMap& operator=(const FlatMap& other) {
    FlatMap copy(other);
    swap(copy);
    return *this;
  }
  FlatMap& operator=(FlatMap&& other) noexcept {
    FlatMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~FlatMap() { destroy_all(); }

  iterator begin() { return at(first_full(ctrl_.get(), 0, capacity_)); }
  iterator end() { return at(capacity_); }
  const_iterator begin() const { return at(first_full(ctrl_.get(), 0, capacity_)); }
  const_iterator end() const { return at(capacity_); }

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
    const std::size_t h = hash_(key);
    if (const size_type i = lookup(key, h); i != npos) return {at(i), false};
    if (used_ + 1 > max_load(capacity_)) rehash_to(capacity_for(size_ + 1));
    return {at(place_new(h, key, std::forward<Args>(args)...)), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    if (const size_type i = lookup(key, hash_(key)); i != npos) {
      slots_[i].value().second = std::forward<M>(mapped);
      return {at(i), false};
    }
    return try_emplace(key, std::forward<M>(mapped));
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    const size_type i = lookup(key, hash_(key));
    if (i == npos) return 0;
    kill(i);
    return 1;
  }
  iterator erase(const_iterator pos) {
    kill(pos.i_);
    return at(first_full(ctrl_.get(), pos.i_ + 1, capacity_));
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) {
    const size_type i = lookup(key, hash_(key));
    return i == npos ? end() : at(i);
  }
  const_iterator find(const K& key) const {
    const size_type i = lookup(key, hash_(key));
    return i == npos ? end() : at(i);
  }
  bool contains(const K& key) const { return lookup(key, hash_(key)) != npos; }

  void clear() {
    // PLANTED BUG (clear_leaks_entries): only the control bytes are reset; the entries' destructors
    // never run, so whatever they own leaks. It looks harmless for trivially destructible values,
    // which is how such a bug survives a test suite of ints. Correct code destroys every full slot.
    if constexpr (Planted != Bug::clear_leaks_entries) destroy_all();
    for (size_type i = 0; i < capacity_; ++i) ctrl_[i] = kEmpty;
    size_ = used_ = 0;
  }
  void reserve(size_type n) {
    if (n > max_load(capacity_)) rehash_to(capacity_for(n));
  }

  void swap(FlatMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    swap(ctrl_, other.ctrl_);
    swap(slots_, other.slots_);
    swap(capacity_, other.capacity_);
    swap(size_, other.size_);
    swap(used_, other.used_);
  }
  friend void swap(FlatMap& a, FlatMap& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type npos = static_cast<size_type>(-1);

  static size_type max_load(size_type capacity) { return capacity / 8 * 7; }
  static size_type capacity_for(size_type n) {
    size_type capacity = 8;
    while (max_load(capacity) < n) capacity *= 2;
    return capacity;
  }
  static ctrl_t h2(std::size_t h) { return static_cast<ctrl_t>(h & 0x7F); }

  iterator at(size_type i) { return {ctrl_.get(), slots_.get(), i, capacity_}; }
  const_iterator at(size_type i) const { return {ctrl_.get(), slots_.get(), i, capacity_}; }

  // The slot holding a key equal to `key` (whose hash is h), or npos.
  size_type lookup(const K& key, std::size_t h) const {
    if (capacity_ == 0) return npos;
    const size_type mask = capacity_ - 1;
    size_type i = (h >> 7) & mask;
    for (size_type step = 1;; i = (i + step++) & mask) {
      const ctrl_t c = ctrl_[i];
      if (c == kEmpty) return npos;
      if (c == h2(h) && eq_(slots_[i].value().first, key)) return i;
    }
  }

  // Constructs the entry for an absent key in the first free (empty or deleted) slot of its probe
  // sequence; the caller has made room.
  template <class... Args>
  size_type place_new(std::size_t h, const K& key, Args&&... args) {
    const size_type mask = capacity_ - 1;
    size_type i = (h >> 7) & mask;
    for (size_type step = 1; is_full(ctrl_[i]); i = (i + step++) & mask) {
    }
    ::new (static_cast<void*>(slots_[i].storage))
        value_type(std::piecewise_construct, std::forward_as_tuple(key),
                   std::forward_as_tuple(std::forward<Args>(args)...));
    if (ctrl_[i] == kEmpty) ++used_;
    ctrl_[i] = h2(h);
    ++size_;
    return i;
  }

  void kill(size_type i) {
    slots_[i].value().~value_type();
    ctrl_[i] = kDeleted;
    --size_;
  }

  void destroy_all() {
    for (size_type i = 0; i < capacity_; ++i)
      if (is_full(ctrl_[i])) slots_[i].value().~value_type();
  }

  void rehash_to(size_type capacity) {
    std::unique_ptr<ctrl_t[]> old_ctrl = std::exchange(ctrl_, std::make_unique<ctrl_t[]>(capacity));
    std::unique_ptr<Slot[]> old_slots = std::exchange(slots_, std::make_unique<Slot[]>(capacity));
    const size_type old_capacity = std::exchange(capacity_, capacity);
    for (size_type i = 0; i < capacity; ++i) ctrl_[i] = kEmpty;
    size_ = used_ = 0;
    for (size_type i = 0; i < old_capacity; ++i) {
      if (!is_full(old_ctrl[i])) continue;
      value_type& kv = old_slots[i].value();
      place_new(hash_(kv.first), kv.first, std::move(kv.second));
      kv.~value_type();
    }
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  std::unique_ptr<ctrl_t[]> ctrl_;
  std::unique_ptr<Slot[]> slots_;
  size_type capacity_ = 0;
  size_type size_ = 0;  // full slots
  size_type used_ = 0;  // full and deleted slots
};

}  // namespace ctrl

namespace mapcheck::bugzoo {

inline constexpr Capabilities kControlBytesCaps = {Capability::subscript,
                                                   Capability::erase_iterator,
                                                   Capability::reserve,
                                                   Capability::copy,
                                                   Capability::move,
                                                   Capability::swap,
                                                   Capability::iterators_follow_swap,
                                                   Capability::exact_element_count};

struct ControlBytes {
  static constexpr std::string_view name = "tp_control_bytes";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::ControlBytes";
  template <class K, class V, class H, class E, class A>
  using map = ctrl::FlatMap<K, V, H, E, ctrl::Bug::iteration_skips_last_slot>;
  static constexpr Capabilities capabilities = kControlBytesCaps;
};

struct ControlBytesFixed {
  static constexpr std::string_view name = "tp_control_bytes_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::ControlBytesFixed";
  template <class K, class V, class H, class E, class A>
  using map = ctrl::FlatMap<K, V, H, E, ctrl::Bug::none>;
  static constexpr Capabilities capabilities = kControlBytesCaps;
};

struct ControlBytesLeak {
  static constexpr std::string_view name = "tp_control_bytes_leak";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::ControlBytesLeak";
  template <class K, class V, class H, class E, class A>
  using map = ctrl::FlatMap<K, V, H, E, ctrl::Bug::clear_leaks_entries>;
  static constexpr Capabilities capabilities = kControlBytesCaps;
};

}  // namespace mapcheck::bugzoo
