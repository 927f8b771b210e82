// chain::NodeMap: separate chaining with singly linked nodes, in the manner of
// std::unordered_map (one allocation per entry, entries never move).
//
// Layout: a bucket array (a power of two of Node* heads, empty before the first insert); each
// node holds its next pointer, its key's full hash (cached so that rehashing never calls the
// hasher) and the std::pair<const K, V>. Nodes come from the map's allocator, rebound to Node.
//
// Invariants:
//   * a node is in the chain of bucket hash & (bucket_count - 1), and in no other;
//   * size_ is the number of nodes in all chains: every path that links a node increments it and
//     every path that unlinks one decrements it;
//   * size_ <= bucket_count once anything is inserted (load factor at most 1; insertion rehashes
//     into twice the buckets before it would go over).
//
// Iterators hold a node and the bucket array it was found in, not the map: swapping two maps
// swaps their bucket arrays without moving them, so open iterators follow their entries. Only a
// rehash (insertion or reserve) invalidates iterators; erase invalidates only the erased one.
//
// Zoo map: `Planted` picks one of two bugs, each marked PLANTED BUG below: an erase(iterator) that
// forgets the count, or a rehash that rebuilds every node instead of relinking it, so references
// to entries dangle after a rehash although node-based maps promise they stay.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "mapcheck/op.hpp"

namespace chain {

enum class Bug { none, erase_iterator_keeps_count, rehash_rebuilds_nodes };

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>,
          class Alloc = std::allocator<std::pair<const K, V>>,
          Bug Planted = Bug::erase_iterator_keeps_count>
class NodeMap {
 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;
  using allocator_type = Alloc;

 private:
  struct Node {
    template <class... Args>
    explicit Node(std::size_t h, Args&&... args) : hash(h), kv(std::forward<Args>(args)...) {}
    Node* next = nullptr;
    std::size_t hash;
    value_type kv;
  };
  using NodeAlloc = typename std::allocator_traits<Alloc>::template rebind_alloc<Node>;
  using NodeTraits = std::allocator_traits<NodeAlloc>;
  using Buckets =
      std::vector<Node*, typename std::allocator_traits<Alloc>::template rebind_alloc<Node*>>;

  template <bool Const>
  class Iter {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = NodeMap::value_type;
    using difference_type = std::ptrdiff_t;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;

    Iter() = default;
    template <bool C = Const>
    requires C Iter(const Iter<false>& other)
        : node_(other.node_),
          buckets_(other.buckets_),
          bucket_(other.bucket_),
          count_(other.count_) {}

    reference operator*() const { return node_->kv; }
    pointer operator->() const { return &node_->kv; }
    Iter& operator++() {
      node_ = node_->next;
      while (node_ == nullptr && ++bucket_ < count_) node_ = buckets_[bucket_];
      return *this;
    }
    Iter operator++(int) {
      Iter old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const Iter& a, const Iter& b) { return a.node_ == b.node_; }

   private:
    friend class NodeMap;
    template <bool>
    friend class Iter;
    Iter(Node* node, Node* const* buckets, std::size_t bucket, std::size_t count)
        : node_(node), buckets_(buckets), bucket_(bucket), count_(count) {}

    Node* node_ = nullptr;  // nullptr: the end
    Node* const* buckets_ = nullptr;
    std::size_t bucket_ = 0;
    std::size_t count_ = 0;
  };

 public:
  using iterator = Iter<false>;
  using const_iterator = Iter<true>;

  NodeMap() = default;
  explicit NodeMap(size_type bucket_count, const Hash& hash = Hash(), const Eq& eq = Eq(),
                   const Alloc& alloc = Alloc())
      : hash_(hash), eq_(eq), alloc_(alloc), buckets_(typename Buckets::allocator_type(alloc)) {
    if (bucket_count > 0) rehash_to(buckets_for(bucket_count));
  }
  NodeMap(const NodeMap& other)
      : hash_(other.hash_),
        eq_(other.eq_),
        alloc_(NodeTraits::select_on_container_copy_construction(other.alloc_)),
        buckets_(typename Buckets::allocator_type(alloc_)) {
    if (other.size_ > 0) rehash_to(buckets_for(other.size_));
    for (const Node* n = other.first(); n != nullptr; n = other.successor(n))
      link(make_node(n->hash, n->kv));
  }
  NodeMap(NodeMap&& other) noexcept
      : hash_(other.hash_),
        eq_(other.eq_),
        alloc_(std::move(other.alloc_)),
        buckets_(std::move(other.buckets_)),
        size_(std::exchange(other.size_, 0)) {
    other.buckets_.clear();
  }
  // Assignments go through a temporary and swap, so they assume allocators that propagate or
  // compare equal (std::allocator and friends), as many std-like maps do.
  NodeMap& operator=(const NodeMap& other) {
    NodeMap copy(other);
    swap(copy);
    return *this;
  }
  NodeMap& operator=(NodeMap&& other) noexcept {
    NodeMap taken(std::move(other));
    swap(taken);
    return *this;
  }
  ~NodeMap() { free_nodes(); }

  iterator begin() { return make_iterator(first()); }
  iterator end() { return make_iterator(nullptr); }
  const_iterator begin() const { return make_iterator(first()); }
  const_iterator end() const { return make_iterator(nullptr); }

  size_type size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_type bucket_count() const { return buckets_.size(); }

  std::pair<iterator, bool> insert(const value_type& kv) {
    return try_emplace(kv.first, kv.second);
  }
  std::pair<iterator, bool> insert(value_type&& kv) {
    return try_emplace(kv.first, std::move(kv.second));
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& key, Args&&... args) {
    const std::size_t h = hash_(key);
    if (Node* n = lookup(key, h)) return {make_iterator(n), false};
    if (size_ + 1 > buckets_.size()) rehash_to(buckets_for(size_ + 1));
    Node* n = make_node(h, std::piecewise_construct, std::forward_as_tuple(key),
                        std::forward_as_tuple(std::forward<Args>(args)...));
    link(n);
    return {make_iterator(n), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& mapped) {
    if (Node* n = lookup(key, hash_(key))) {
      n->kv.second = std::forward<M>(mapped);
      return {make_iterator(n), false};
    }
    return try_emplace(key, std::forward<M>(mapped));
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    const std::size_t h = hash_(key);
    if (buckets_.empty()) return 0;
    for (Node** prev = &buckets_[index(h)]; *prev != nullptr; prev = &(*prev)->next) {
      Node* n = *prev;
      if (n->hash != h || !eq_(n->kv.first, key)) continue;
      *prev = n->next;
      drop_node(n);
      --size_;
      return 1;
    }
    return 0;
  }
  iterator erase(const_iterator pos) {
    Node* const victim = pos.node_;
    iterator next = make_iterator(victim, index(victim->hash));
    ++next;
    Node** prev = &buckets_[index(victim->hash)];
    while (*prev != victim) prev = &(*prev)->next;
    *prev = victim->next;
    drop_node(victim);
    // PLANTED BUG: erase(iterator) unlinks and frees the node but forgets the count, so size()
    // stays one too high after every erase through an iterator (erase(key) above is right).
    // Correct code decrements size_ here, as every path that unlinks a node must.
    if constexpr (Planted != Bug::erase_iterator_keeps_count) --size_;
    return next;
  }
  iterator erase(iterator pos) { return erase(const_iterator(pos)); }

  iterator find(const K& key) { return make_iterator(lookup(key, hash_(key))); }
  const_iterator find(const K& key) const { return make_iterator(lookup(key, hash_(key))); }
  bool contains(const K& key) const { return lookup(key, hash_(key)) != nullptr; }

  void clear() {
    free_nodes();
    for (Node*& head : buckets_) head = nullptr;
    size_ = 0;
  }
  void reserve(size_type n) {
    if (n > buckets_.size()) rehash_to(buckets_for(n));
  }

  void swap(NodeMap& other) noexcept {
    using std::swap;
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
    swap(alloc_, other.alloc_);
    buckets_.swap(other.buckets_);
    swap(size_, other.size_);
  }
  friend void swap(NodeMap& a, NodeMap& b) noexcept { a.swap(b); }

 private:
  static size_type buckets_for(size_type n) {
    size_type count = 8;
    while (count < n) count *= 2;
    return count;
  }
  std::size_t index(std::size_t h) const { return h & (buckets_.size() - 1); }

  iterator make_iterator(Node* n, std::size_t bucket) {
    return {n, buckets_.data(), bucket, buckets_.size()};
  }
  iterator make_iterator(Node* n) {
    return make_iterator(n, n != nullptr ? index(n->hash) : buckets_.size());
  }
  const_iterator make_iterator(const Node* n) const {
    // Both iterator flavours hold a Node*; a const_iterator only hands out const references.
    return {const_cast<Node*>(n), buckets_.data(), n != nullptr ? index(n->hash) : buckets_.size(),
            buckets_.size()};
  }

  Node* first() const {
    for (Node* head : buckets_)
      if (head != nullptr) return head;
    return nullptr;
  }
  // The node after n in iteration order (bucket by bucket, each chain front to back).
  const Node* successor(const Node* n) const {
    if (n->next != nullptr) return n->next;
    for (std::size_t b = index(n->hash) + 1; b < buckets_.size(); ++b)
      if (buckets_[b] != nullptr) return buckets_[b];
    return nullptr;
  }

  Node* lookup(const K& key, std::size_t h) const {
    if (buckets_.empty()) return nullptr;
    for (Node* n = buckets_[index(h)]; n != nullptr; n = n->next)
      if (n->hash == h && eq_(n->kv.first, key)) return n;
    return nullptr;
  }

  template <class... Args>
  Node* make_node(std::size_t h, Args&&... args) {
    Node* n = NodeTraits::allocate(alloc_, 1);
    try {
      NodeTraits::construct(alloc_, n, h, std::forward<Args>(args)...);
    } catch (...) {
      NodeTraits::deallocate(alloc_, n, 1);
      throw;
    }
    return n;
  }
  void drop_node(Node* n) {
    NodeTraits::destroy(alloc_, n);
    NodeTraits::deallocate(alloc_, n, 1);
  }
  void link(Node* n) {
    Node*& head = buckets_[index(n->hash)];
    n->next = head;
    head = n;
    ++size_;
  }
  void free_nodes() {
    for (Node* head : buckets_) {
      while (head != nullptr) drop_node(std::exchange(head, head->next));
    }
  }

  // Relinks every node into a new bucket array; nodes stay where they are.
  void rehash_to(size_type count) {
    Buckets old(count, nullptr, buckets_.get_allocator());
    old.swap(buckets_);
    for (Node* head : old) {
      while (head != nullptr) {
        Node* n = std::exchange(head, head->next);
        // PLANTED BUG (rehash_rebuilds_nodes): each entry is copied into a fresh node and the old
        // node freed, so every reference and pointer to an entry dangles after a rehash. Correct
        // code relinks the node itself: nodes never move, which is the point of a node map.
        if constexpr (Planted == Bug::rehash_rebuilds_nodes) {
          Node* copy = make_node(n->hash, n->kv);
          drop_node(n);
          n = copy;
        }
        Node*& slot = buckets_[index(n->hash)];
        n->next = slot;
        slot = n;
      }
    }
  }

  [[no_unique_address]] Hash hash_;
  [[no_unique_address]] Eq eq_;
  [[no_unique_address]] NodeAlloc alloc_;
  Buckets buckets_;
  size_type size_ = 0;
};

}  // namespace chain

namespace mapcheck::bugzoo {

inline constexpr Capabilities kChainedCaps = {Capability::subscript,
                                              Capability::erase_iterator,
                                              Capability::reserve,
                                              Capability::copy,
                                              Capability::move,
                                              Capability::swap,
                                              Capability::iterators_follow_swap,
                                              Capability::exact_element_count,
                                              Capability::stable_references,
                                              Capability::reserve_keeps_buckets};

struct Chained {
  static constexpr std::string_view name = "tp_chained";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::Chained";
  template <class K, class V, class H, class E, class A>
  using map = chain::NodeMap<K, V, H, E, A, chain::Bug::erase_iterator_keeps_count>;
  static constexpr Capabilities capabilities = kChainedCaps;
};

struct ChainedFixed {
  static constexpr std::string_view name = "tp_chained_fixed";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::ChainedFixed";
  template <class K, class V, class H, class E, class A>
  using map = chain::NodeMap<K, V, H, E, A, chain::Bug::none>;
  static constexpr Capabilities capabilities = kChainedCaps;
};

struct ChainedRehash {
  static constexpr std::string_view name = "tp_chained_rehash";
  static constexpr std::string_view cpp_name = "mapcheck::bugzoo::ChainedRehash";
  template <class K, class V, class H, class E, class A>
  using map = chain::NodeMap<K, V, H, E, A, chain::Bug::rehash_rebuilds_nodes>;
  static constexpr Capabilities capabilities = kChainedCaps;
};

}  // namespace mapcheck::bugzoo
