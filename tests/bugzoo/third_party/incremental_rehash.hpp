// incr::DictMap: separate chaining with incremental rehashing, in the manner of Redis's dict: a
// growing map does not stop to rehash everything at once but migrates a bucket or so per write.
//
// Layout: two bucket arrays of singly linked nodes (each node caches its key's full hash):
//   tables_[0]  the table, or while migrating, the old table;
//   tables_[1]  empty, or while migrating, the new table (twice as big) that all new entries go
//               to.
// migrate_ is npos when no migration is under way; otherwise every bucket of tables_[0] below it
// has been moved (and is empty), and the buckets from it on have not.
//
// Invariants:
//   * a node is in bucket hash & (n - 1) of a table of n buckets (n a power of two);
//   * while migrating, each key is in exactly one of the two tables, and lookups look in both;
//   * a migration ends when its cursor has passed the last bucket of the old table: then the old
//     table is empty, is dropped, and the new one becomes tables_[0];
//   * each insert or erase(key) first migrates one non-empty bucket (looking at no more than
//     kEmptyVisits empty ones), so a migration ends before the new table fills up; erase(iterator)
//     and lookups never migrate, so an iteration survives erase(it) (Redis's "safe iterator").
//   * size_ counts the nodes of both tables.
//
// Iterators hold the map, so they do not follow swap; insertion may migrate and invalidates them.
//
// Zoo map: with Planted, the migration's end test has the one bug marked PLANTED BUG below.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <iterator>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mapcheck/op.hpp"

namespace incr {

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          bool Planted = true>
class DictMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

 private:
  struct Node {
    template <class... Args>
    explicit Node(std::size_t h, Args&&... args) : hash(h), kv(std::forward<Args>(args)...) {}
    Node* next = nullptr;
    std::size_t hash;
    value_type kv;
  };
  using Table = std::vector<Node*>;

  template <bool Const>
  class Iter {
    using MapPtr = std::conditional_t<Const, const DictMap*, DictMap*>;

   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = DictMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;

    Iter() = default;
    template <bool C = Const>
    requires C Iter(const Iter<false>& other)
        : map_(other.map_), table_(other.table_), bucket_(other.bucket_), node_(other.node_) {}

    reference operator*() const { return node_->kv; }
    pointer operator->() const { return &node_->kv; }
    Iter& operator++() {
      node_ = node_->next;
      if (node_ == nullptr) seek(bucket_ + 1);
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.node_ == b.node_; }

   private:
    friend class DictMap;
    template <bool>
    friend class Iter;
    Iter(MapPtr map, int table, std::size_t bucket, Node* node)
        : map_(map), table_(table), bucket_(bucket), node_(node) {}

    // Moves to the first node of the first non-empty bucket at or after `bucket` of the current
    // table, then of the new table; to the end if there is none.
    void seek(std::size_t bucket) {
      for (; table_ < 2; ++table_, bucket = 0) {
        const Table& t = map_->tables_[table_];
        for (bucket_ = bucket; bucket_ < t.size(); ++bucket_) {
          if (t[bucket_] != nullptr) {
            node_ = t[bucket_];
            return;
          }
        }
      }
      node_ = nullptr;
    }

    MapPtr map_ = nullptr;
    int table_ = 0;
    std::size_t bucket_ = 0;
    Node* node_ = nullptr;  // nullptr: the end
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  DictMap() = default;
  explicit DictMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq())
      : hash_(hash), eq_(eq) {
    if (bucket_count > 0) tables_[0].assign(buckets_for(bucket_count), nullptr);
  }
  DictMap(const DictMap& other) : hash_(other.hash_), eq_(other.eq_) {
    if (other.size_ > 0) tables_[0].assign(buckets_for(other.size_), nullptr);
    for (const Table& t : other.tables_)
      for (const Node* n : t)
        for (; n != nullptr; n = n->next) link(tables_[0], new Node(n->hash, n->kv));
    size_ = other.size_;
  }
  DictMap(DictMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        tables_(std::move(other.tables_)),
        migrate_(std::exchange(other.migrate_, npos)),
        size_(std::exchange(other.size_, 0)) {
    for (Table& t : other.tables_) t.clear();
  }
  DictMap& operator=(const DictMap& other) {
    DictMap copy(other);
    swap(copy);
    return *this;
  }
  DictMap& operator=(DictMap&& other) noexcept {
    DictMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~DictMap() {
    for (Table& t : tables_) free_chains(t);
  }

  iterator begin() {
    iterator it(this, 0, 0, nullptr);
    it.seek(0);
    return it;
  }
  iterator end() { return iterator(this, 2, 0, nullptr); }
  const_iterator begin() const {
    const_iterator it(this, 0, 0, nullptr);
    it.seek(0);
    return it;
  }
  const_iterator end() const { return const_iterator(this, 2, 0, nullptr); }

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
    if (migrating()) migrate_step();
    const std::size_t h = hash_(key);
    if (iterator it = locate(key, h); it != end()) return {it, false};
    if (!migrating() && size_ + 1 > tables_[0].size()) start_migration(buckets_for(size_ + 1));
    const int t = migrating() ? 1 : 0;
    Node* n = new Node(h, std::piecewise_construct, std::forward_as_tuple(key),
                       std::forward_as_tuple(std::forward<Args>(args)...));
    link(tables_[t], n);
    ++size_;
    return {iterator(this, t, index(tables_[t], h), n), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    // try_emplace leaves `mapped` alone when the key is present, so it can still be assigned.
    auto [it, inserted] = try_emplace(key, std::forward<M>(mapped));
    if (!inserted) it->second = std::forward<M>(mapped);
    return {it, inserted};
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    if (migrating()) migrate_step();
    iterator it = locate(key, hash_(key));
    if (it == end()) return 0;
    erase(it);
    return 1;
  }
  iterator erase(const_iterator pos) {
    iterator next(this, pos.table_, pos.bucket_, pos.node_);
    ++next;
    Node** prev = &tables_[pos.table_][pos.bucket_];
    while (*prev != pos.node_) prev = &(*prev)->next;
    *prev = pos.node_->next;
    delete pos.node_;
    --size_;
    return next;
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) { return locate(key, hash_(key)); }
  const_iterator find(const K& key) const {
    return const_cast<DictMap*>(this)->locate(key, hash_(key));  // locate does not write
  }
  bool contains(const K& key) const { return find(key) != end(); }

  void clear() {
    for (Table& t : tables_) free_chains(t);
    tables_[1].clear();
    migrate_ = npos;
    size_ = 0;
  }
  // Finishes any migration, then grows in one go if asked for more buckets.
  void reserve(size_type n) {
    while (migrating()) migrate_step();
    if (n <= tables_[0].size()) return;
    start_migration(buckets_for(n));
    while (migrating()) migrate_step();
  }

  void swap(DictMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    swap(tables_, other.tables_);
    swap(migrate_, other.migrate_);
    swap(size_, other.size_);
  }
  friend void swap(DictMap& a, DictMap& b) noexcept { a.swap(b); }

 private:
  static constexpr size_type npos = static_cast<size_type>(-1);
  static constexpr int kEmptyVisits = 10;

  static size_type buckets_for(size_type n) {
    size_type count = 8;
    while (count < n) count *= 2;
    return count;
  }
  static std::size_t index(const Table& t, std::size_t h) { return h & (t.size() - 1); }
  static void link(Table& t, Node* n) {
    Node*& head = t[index(t, n->hash)];
    n->next = head;
    head = n;
  }
  static void free_chains(Table& t) {
    for (Node*& head : t) {
      while (head != nullptr) delete std::exchange(head, head->next);
    }
  }

  bool migrating() const { return migrate_ != npos; }

  iterator locate(const K& key, std::size_t h) {
    for (int t = 0; t < 2; ++t) {
      Table& table = tables_[t];
      if (table.empty()) continue;
      const std::size_t b = index(table, h);
      for (Node* n = table[b]; n != nullptr; n = n->next)
        if (n->hash == h && eq_(n->kv.first, key)) return iterator(this, t, b, n);
    }
    return end();
  }

  void start_migration(size_type buckets) {
    if (tables_[0].empty()) {  // nothing to move: the new table is the table
      tables_[0].assign(buckets, nullptr);
      return;
    }
    tables_[1].assign(buckets, nullptr);
    migrate_ = 0;
    if (size_ == 0) finish_migration();
  }

  // True once every bucket of the old table has been moved.
  bool migration_done() const {
    // PLANTED BUG: the cursor is compared with the index of the last bucket instead of the
    // bucket count, so the migration ends one bucket early: the old table is dropped with its
    // last bucket still unmoved, and the entries in that bucket are lost (size() still counts
    // them; find, erase and iteration do not see them). Correct code ends only when the cursor
    // has passed the last bucket, migrate_ == tables_[0].size().
    if constexpr (Planted) return migrate_ >= tables_[0].size() - 1;
    return migrate_ >= tables_[0].size();
  }

  // Moves the next non-empty bucket of the old table into the new one, looking at no more than
  // kEmptyVisits empty buckets, so that one write does bounded work.
  void migrate_step() {
    Table& from = tables_[0];
    for (int visits = 0; from[migrate_] == nullptr;) {
      ++migrate_;
      if (migration_done()) return finish_migration();
      if (++visits == kEmptyVisits) return;
    }
    for (Node* n = std::exchange(from[migrate_], nullptr); n != nullptr;)
      link(tables_[1], std::exchange(n, n->next));
    ++migrate_;
    if (migration_done()) finish_migration();
  }

  // Drops the old table (freeing whatever it still holds, which is nothing after a complete
  // migration) and makes the new one the table.
  void finish_migration() {
    free_chains(tables_[0]);
    tables_[0] = std::move(tables_[1]);
    tables_[1].clear();
    migrate_ = npos;
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  std::array<Table, 2> tables_;
  size_type migrate_ = npos;  // next bucket of tables_[0] to move, or npos
  size_type size_ = 0;
};

}  // namespace incr

namespace mapcheck::bugzoo {

inline constexpr Capabilities kIncrementalRehashCaps = {
    Capability::subscript, Capability::erase_iterator, Capability::reserve,
    Capability::copy,      Capability::move,           Capability::swap};

struct IncrementalRehash {
  static constexpr std::string_view name = "tp_incremental_rehash";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::IncrementalRehash";
  template <class K, class V, class H, class E, class A>
  using map = incr::DictMap<K, V, H, E, /*Planted=*/true>;
  static constexpr Capabilities capabilities = kIncrementalRehashCaps;
};

struct IncrementalRehashFixed {
  static constexpr std::string_view name = "tp_incremental_rehash_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::IncrementalRehashFixed";
  template <class K, class V, class H, class E, class A>
  using map = incr::DictMap<K, V, H, E, /*Planted=*/false>;
  static constexpr Capabilities capabilities = kIncrementalRehashCaps;
};

}  // namespace mapcheck::bugzoo
