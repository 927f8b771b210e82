// LibcuckooStdMap: libcuckoo::cuckoohash_map behind the std-like API the mapcheck interpreter calls
// (see ../libcuckoo_cuckoohash_map.hpp for what the map promises and which capabilities follow).
//
// libcuckoo has two interfaces. The map's own is concurrent and hands out no positions:
// insert(k, v), insert_or_assign(k, v) and erase(k) return bools, contains(k), find(k, out) copies
// the value out, size() reads per-lock counters. lock_table() returns a locked_table, which owns
// every lock of the map and offers an unordered_map-like interface with iterators (begin/end,
// find, insert with try_emplace's meaning, erase(it), operator[], count). While a locked_table
// holds the locks, the map's own operations spin on them: from the same thread, forever.
//
// The wrapper uses the concurrent interface for insert, insert_or_assign, erase(key), contains,
// size, clear and reserve, and a locked_table wherever a position is needed: begin/end, find,
// try_emplace (locked_table::insert), erase(it), operator[], and the position insert and
// insert_or_assign return, looked up after the concurrent call. A position keeps the table locked
// as long as it lives (its iterator shares ownership of the locked_table), so the lock's lifetime
// is exactly the lifetime of the positions the caller holds; the next concurrent call finds the map
// unlocked because the interpreter ends every iteration of a map before it mutates it. Lookups that
// run while an iteration is open (contains) go through the live locked_table instead of spinning.
// Whole-map operations (copy, move, swap, destruction) first unlock any live locked_table: that
// ends every open iteration of both maps, which is why iterators_follow_swap is not declared.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <utility>

#include <libcuckoo/cuckoohash_map.hh>

namespace mapcheck::adapters::detail {

template <class K, class V, class H, class E, class A>
class LibcuckooStdMap {
  using Table = libcuckoo::cuckoohash_map<K, V, H, E, A>;
  using Locked = typename Table::locked_table;

 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = typename Table::value_type;
  using size_type = typename Table::size_type;
  using hasher = H;
  using key_equal = E;

  // A locked_table iterator plus a share of the locked_table it belongs to.
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = typename Table::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = value_type*;
    using reference = value_type&;

    iterator() = default;
    reference operator*() const { return *it_; }
    pointer operator->() const { return std::addressof(*it_); }
    iterator& operator++() {
      ++it_;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++it_;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) { return a.it_ == b.it_; }

   private:
    friend class LibcuckooStdMap;
    iterator(std::shared_ptr<Locked> lock, typename Locked::iterator it)
        : lock_(std::move(lock)), it_(it) {}

    std::shared_ptr<Locked> lock_;
    // locked_table's iterator dereferences only through non-const members.
    mutable typename Locked::iterator it_;
  };
  using const_iterator = iterator;

  // m[k] = v through the locked_table's operator[]; the table stays locked until the assignment.
  class MappedRef {
   public:
    MappedRef& operator=(const V& value) {
      value_ = value;
      return *this;
    }
    operator V&() const { return value_; }

   private:
    friend class LibcuckooStdMap;
    MappedRef(std::shared_ptr<Locked> lock, V& value) : lock_(std::move(lock)), value_(value) {}
    std::shared_ptr<Locked> lock_;
    V& value_;
  };

  explicit LibcuckooStdMap(size_type n = libcuckoo::DEFAULT_SIZE, const H& hash = H(),
                           const E& eq = E())
      : table_(n, hash, eq) {}
  LibcuckooStdMap(const LibcuckooStdMap& other) : table_(other.released()) {}
  LibcuckooStdMap(LibcuckooStdMap&& other) : table_(std::move(other.released())) {}
  LibcuckooStdMap& operator=(const LibcuckooStdMap& other) {
    release();
    table_ = other.released();
    return *this;
  }
  LibcuckooStdMap& operator=(LibcuckooStdMap&& other) {
    release();
    table_ = std::move(other.released());
    return *this;
  }
  ~LibcuckooStdMap() { release(); }

  friend void swap(LibcuckooStdMap& a, LibcuckooStdMap& b) {
    a.release();
    b.release();
    a.table_.swap(b.table_);
  }

  // ---- the concurrent interface ----
  size_type size() const { return table_.size(); }

  bool contains(const K& key) const {
    if (std::shared_ptr<Locked> lock = lock_.lock()) return lock->count(key) != 0;
    return table_.contains(key);
  }

  size_type erase(const K& key) { return unlocked().erase(key) ? 1 : 0; }

  void clear() { unlocked().clear(); }

  void reserve(size_type n) { unlocked().reserve(n); }

  // The concurrent insert and insert_or_assign report only whether they inserted; the position
  // is looked up afterwards, so for a key no lookup can find (NaN) it is end().
  std::pair<iterator, bool> insert(const value_type& entry) {
    const bool inserted = unlocked().insert(entry.first, entry.second);
    return {find(entry.first), inserted};
  }
  std::pair<iterator, bool> insert_or_assign(const K& key, const V& value) {
    const bool inserted = unlocked().insert_or_assign(key, value);
    return {find(key), inserted};
  }

  // ---- the locked_table interface ----
  iterator begin() const {
    std::shared_ptr<Locked> lock = acquire();
    const auto it = lock->begin();
    return iterator(std::move(lock), it);
  }
  iterator end() const {
    std::shared_ptr<Locked> lock = acquire();
    const auto it = lock->end();
    return iterator(std::move(lock), it);
  }
  iterator find(const K& key) const {
    std::shared_ptr<Locked> lock = acquire();
    const auto it = lock->find(key);
    return iterator(std::move(lock), it);
  }
  std::pair<iterator, bool> try_emplace(const K& key, const V& value) {
    std::shared_ptr<Locked> lock = acquire();
    const auto [it, inserted] = lock->insert(key, value);
    return {iterator(std::move(lock), it), inserted};
  }
  iterator erase(iterator pos) {
    const auto next = pos.lock_->erase(pos.it_);
    return iterator(pos.lock_, next);
  }
  MappedRef operator[](const K& key) {
    std::shared_ptr<Locked> lock = acquire();
    V& value = (*lock)[key];
    return MappedRef(std::move(lock), value);
  }

 private:
  // The live locked_table, or a new one.
  std::shared_ptr<Locked> acquire() const {
    if (std::shared_ptr<Locked> lock = lock_.lock()) return lock;
    auto lock = std::make_shared<Locked>(table_.lock_table());
    lock_ = lock;
    return lock;
  }

  // The map for a concurrent call, which would spin forever on locks this thread holds.
  Table& unlocked() {
    if (!lock_.expired())
      throw std::logic_error(
          "LibcuckooStdMap: a mutation while a position (iterator) still holds the table locked");
    return table_;
  }

  // Ends the live locked_table, if any: its outstanding positions become invalid.
  void release() const {
    if (std::shared_ptr<Locked> lock = lock_.lock()) lock->unlock();
    lock_.reset();
  }
  Table& released() const {
    release();
    return table_;
  }

  mutable Table table_;
  mutable std::weak_ptr<Locked> lock_;
};

}  // namespace mapcheck::adapters::detail
