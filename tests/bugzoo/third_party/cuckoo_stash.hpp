// cuckoo::CuckooMap: two-table cuckoo hashing with a stash (Kirsch, Mitzenmacher and Wieder),
// keys and values in separate arrays, with proxy references in the manner of std::flat_map.
//
// Layout: `keys_`, `values_` and `used_` are parallel arrays of 2 * capacity_ entries; table 0 is
// [0, capacity_) and table 1 is [capacity_, 2 * capacity_), capacity_ a power of two (zero
// before the first insert). A key may live only at position h0 = hash & (capacity - 1) of table 0,
// at position h1 = mix(hash) & (capacity - 1) of table 1, or in the stash (two more parallel
// vectors). Keeping keys apart from values keeps a lookup's probes on key bytes only; the price is
// that an entry is two objects, which every move must keep together. Requires default-
// constructible, move-assignable K and V (free slots hold default-constructed ones).
//
// Invariants:
//   * keys_[i] and values_[i] are one entry: whatever moves a key moves its value with it;
//   * a used slot's key is at its h0 (table 0) or its h1 (table 1); every other key is in the
//     stash, so a lookup probes two slots and then scans the stash;
//   * insertion places the new entry at its h0 and re-places the entry it evicts at that one's
//     other position, and so on for at most kMaxKicks evictions; the entry still in hand then
//     goes to the stash (a stash absorbs the rare cycles, and the many under adversarial hashes);
//   * size_ <= capacity_ (a load of at most 1/2 over both tables), else the map doubles and
//     re-places every entry, stash included.
//
// Iteration goes through table 0, table 1, then the stash. Iterators hold the map (they do not
// follow swap); insertion may move entries and invalidates them; erase moves only the stash
// entries after an erased stash entry, one place toward the front.
//
// Zoo map: with Planted, eviction has the one bug marked PLANTED BUG below.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mapcheck/op.hpp"

namespace cuckoo {

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          bool Planted = true>
class CuckooMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

 private:
  static constexpr size_type npos = static_cast<size_type>(-1);

  template <bool Const>
  class Iter {
    using MapPtr = std::conditional_t<Const, const CuckooMap*, CuckooMap*>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = CuckooMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::pair<const K&, std::conditional_t<Const, const V&, V&>>;
    // What operator-> returns: the reference, held by value, since there is no pair to point at.
    struct pointer {
      reference ref;
      const reference* operator->() const { return &ref; }
    };

    Iter() = default;
    template <bool C = Const>
    requires C Iter(const Iter<false>& other) : map_(other.map_), pos_(other.pos_) {}

    reference operator*() const { return {map_->key_at(pos_), map_->value_at(pos_)}; }
    pointer operator->() const { return {**this}; }
    Iter& operator++() {
      pos_ = map_->next_used(pos_ + 1);
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.pos_ == b.pos_; }

   private:
    friend class CuckooMap;
    template <bool>
    friend class Iter;
    Iter(MapPtr map, size_type pos) : map_(map), pos_(pos) {}

    MapPtr map_ = nullptr;
    size_type pos_ = npos;  // 0 .. 2 * capacity: a table slot; then the stash; npos: the end
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  CuckooMap() = default;
  explicit CuckooMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    reserve(bucket_count);
  }
  CuckooMap(const CuckooMap&) = default;
  CuckooMap(CuckooMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        keys_(std::move(other.keys_)),
        values_(std::move(other.values_)),
        used_(std::move(other.used_)),
        stash_keys_(std::move(other.stash_keys_)),
        stash_values_(std::move(other.stash_values_)),
        capacity_(std::exchange(other.capacity_, 0)),
        size_(std::exchange(other.size_, 0)) {
    other.keys_.clear();
    other.values_.clear();
    other.used_.clear();
    other.stash_keys_.clear();
    other.stash_values_.clear();
  }
  CuckooMap& operator=(const CuckooMap& other) {
    CuckooMap copy(other);
    swap(copy);
    return *this;
  }
  CuckooMap& operator=(CuckooMap&& other) noexcept {
    CuckooMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~CuckooMap() = default;

  iterator begin() { return {this, next_used(0)}; }
  iterator end() { return {this, npos}; }
  const_iterator begin() const { return {this, next_used(0)}; }
  const_iterator end() const { return {this, npos}; }

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
    if (const size_type pos = lookup(key); pos != npos) return {{this, pos}, false};
    if (size_ + 1 > capacity_) rehash_to(capacity_for(size_ + 1));
    const size_type pos = place(K(key), V(std::forward<Args>(args)...));
    ++size_;
    return {{this, pos}, true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    if (const size_type pos = lookup(key); pos != npos) {
      value_at(pos) = std::forward<M>(mapped);
      return {{this, pos}, false};
    }
    return try_emplace(key, std::forward<M>(mapped));
  }
  V& operator[](const K& key) { return value_at(try_emplace(key).first.pos_); }

  size_type erase(const K& key) {
    const size_type pos = lookup(key);
    if (pos == npos) return 0;
    remove_at(pos);
    return 1;
  }
  iterator erase(const_iterator it) {
    remove_at(it.pos_);
    // A stash entry's successors moved up into its place; a table slot's stay put.
    const size_type table_end = 2 * capacity_;
    return {this, it.pos_ >= table_end ? next_used(it.pos_) : next_used(it.pos_ + 1)};
  }
  iterator erase(iterator it) { return erase(const_iterator(it)); }

  iterator find(const K& key) { return {this, lookup(key)}; }
  const_iterator find(const K& key) const { return {this, lookup(key)}; }
  bool contains(const K& key) const { return lookup(key) != npos; }

  void clear() {
    std::fill(keys_.begin(), keys_.end(), K());
    std::fill(values_.begin(), values_.end(), V());
    std::fill(used_.begin(), used_.end(), 0);
    stash_keys_.clear();
    stash_values_.clear();
    size_ = 0;
  }
  void reserve(size_type n) {
    if (n > capacity_) rehash_to(capacity_for(n));
  }

  void swap(CuckooMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    keys_.swap(other.keys_);
    values_.swap(other.values_);
    used_.swap(other.used_);
    stash_keys_.swap(other.stash_keys_);
    stash_values_.swap(other.stash_values_);
    swap(capacity_, other.capacity_);
    swap(size_, other.size_);
  }
  friend void swap(CuckooMap& a, CuckooMap& b) noexcept { a.swap(b); }

 private:
  static constexpr int kMaxKicks = 16;

  static size_type capacity_for(size_type n) {
    size_type capacity = 8;
    while (capacity < n) capacity *= 2;
    return capacity;
  }
  // Table 1's position must not follow from table 0's, or keys that share h0 would share h1 too.
  static std::uint64_t mix(std::uint64_t h) {
    h = (h ^ (h >> 31)) * 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
  }
  // The position of `key` in table t (an index into keys_).
  size_type slot_of(int t, const K& key) const {
    const std::uint64_t h = hash_(key);
    const size_type mask = capacity_ - 1;
    return t == 0 ? (h & mask) : capacity_ + (mix(h) & mask);
  }

  const K& key_at(size_type pos) const {
    const size_type table_end = 2 * capacity_;
    return pos < table_end ? keys_[pos] : stash_keys_[pos - table_end];
  }
  V& value_at(size_type pos) {
    const size_type table_end = 2 * capacity_;
    return pos < table_end ? values_[pos] : stash_values_[pos - table_end];
  }
  const V& value_at(size_type pos) const { return const_cast<CuckooMap*>(this)->value_at(pos); }

  // The first used position at or after `pos`, or npos.
  size_type next_used(size_type pos) const {
    const size_type table_end = 2 * capacity_;
    for (; pos < table_end; ++pos)
      if (used_[pos] != 0) return pos;
    return pos < table_end + stash_keys_.size() ? pos : npos;
  }

  size_type lookup(const K& key) const {
    if (capacity_ == 0) return npos;
    for (int t = 0; t < 2; ++t) {
      const size_type pos = slot_of(t, key);
      if (used_[pos] != 0 && eq_(keys_[pos], key)) return pos;
    }
    for (size_type i = 0; i < stash_keys_.size(); ++i)
      if (eq_(stash_keys_[i], key)) return 2 * capacity_ + i;
    return npos;
  }

  // Places an entry whose key is absent, evicting as described at the top; returns where that
  // entry ends up (later evictions in the same chain may move it on, even into the stash).
  size_type place(K key, V value) {
    size_type mine = npos;  // where the given entry is while another one is in hand
    bool holding_mine = true;
    int t = 0;
    for (int kick = 0; kick < kMaxKicks; ++kick, t ^= 1) {
      const size_type pos = slot_of(t, key);
      if (used_[pos] == 0) {
        keys_[pos] = std::move(key);
        values_[pos] = std::move(value);
        used_[pos] = 1;
        return holding_mine ? pos : mine;
      }
      const bool placing_mine = holding_mine;
      holding_mine = !placing_mine && pos == mine;
      if (placing_mine) mine = pos;
      // The occupant leaves for its slot in the other table, and the entry in hand takes its
      // place.
      std::swap(keys_[pos], key);
      // PLANTED BUG: the eviction swaps the key but not the value, so the entry placed here
      // gets the evicted entry's value and the evicted key travels on with the new value: the
      // two entries trade values (the key and value arrays fall out of step). Correct code swaps
      // values_[pos] with `value` too, keeping keys_[i] and values_[i] one entry.
      if constexpr (!Planted) std::swap(values_[pos], value);
    }
    stash_keys_.push_back(std::move(key));
    stash_values_.push_back(std::move(value));
    return holding_mine ? 2 * capacity_ + stash_keys_.size() - 1 : mine;
  }

  void remove_at(size_type pos) {
    const size_type table_end = 2 * capacity_;
    if (pos < table_end) {
      keys_[pos] = K();
      values_[pos] = V();
      used_[pos] = 0;
    } else {
      stash_keys_.erase(stash_keys_.begin() + static_cast<std::ptrdiff_t>(pos - table_end));
      stash_values_.erase(stash_values_.begin() + static_cast<std::ptrdiff_t>(pos - table_end));
    }
    --size_;
  }

  void rehash_to(size_type capacity) {
    std::vector<K> keys(2 * capacity);
    std::vector<V> values(2 * capacity);
    std::vector<unsigned char> used(2 * capacity, 0);
    std::vector<K> stash_keys;
    std::vector<V> stash_values;
    keys.swap(keys_);
    values.swap(values_);
    used.swap(used_);
    stash_keys.swap(stash_keys_);
    stash_values.swap(stash_values_);
    capacity_ = capacity;
    for (size_type i = 0; i < used.size(); ++i)
      if (used[i] != 0) place(std::move(keys[i]), std::move(values[i]));
    for (size_type i = 0; i < stash_keys.size(); ++i)
      place(std::move(stash_keys[i]), std::move(stash_values[i]));
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  std::vector<K> keys_;
  std::vector<V> values_;
  std::vector<unsigned char> used_;
  std::vector<K> stash_keys_;
  std::vector<V> stash_values_;
  size_type capacity_ = 0;  // slots per table
  size_type size_ = 0;
};

}  // namespace cuckoo

namespace mapcheck::bugzoo {

inline constexpr Capabilities kCuckooStashCaps = {Capability::subscript, Capability::erase_iterator,
                                                  Capability::reserve,   Capability::copy,
                                                  Capability::move,      Capability::swap};

struct CuckooStash {
  static constexpr std::string_view name = "tp_cuckoo_stash";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::CuckooStash";
  template <class K, class V, class H, class E, class A>
  using map = cuckoo::CuckooMap<K, V, H, E, /*Planted=*/true>;
  static constexpr Capabilities capabilities = kCuckooStashCaps;
};

struct CuckooStashFixed {
  static constexpr std::string_view name = "tp_cuckoo_stash_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::CuckooStashFixed";
  template <class K, class V, class H, class E, class A>
  using map = cuckoo::CuckooMap<K, V, H, E, /*Planted=*/false>;
  static constexpr Capabilities capabilities = kCuckooStashCaps;
};

}  // namespace mapcheck::bugzoo
