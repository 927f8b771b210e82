// tiny::Map, the example's own map: the smallest std-like hash map worth checking, to show the
// path a user takes to plug a map into mapcheck (see CMakeLists.txt: one call, no adapter code).
//
// Layout: a vector of buckets, each a singly linked list of nodes; a node never moves, so
// references stay valid until their own entry is erased, and a rehash (doubling when size()
// reaches the bucket count) only relinks nodes, invalidating iterators (std's rule). Iteration
// goes bucket by bucket; an iterator holds the bucket array, so it survives swap.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace tiny {

template <class K, class V, class Hash = std::hash<K>, class Eq = std::equal_to<K>>
class Map {
  struct Node {
    std::pair<const K, V> entry;
    Node* next;
  };

 public:
  using key_type = K;
  using mapped_type = V;
  using value_type = std::pair<const K, V>;
  using size_type = std::size_t;
  using hasher = Hash;
  using key_equal = Eq;

  template <bool Const>
  class basic_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Map::value_type;
    using difference_type = std::ptrdiff_t;
    using pointer = std::conditional_t<Const, const value_type*, value_type*>;
    using reference = std::conditional_t<Const, const value_type&, value_type&>;
    basic_iterator() = default;
    // A template, so that it is never the copy constructor (which stays implicit).
    template <bool C = Const>
    requires C basic_iterator(const basic_iterator<false>& other)
        : buckets_(other.buckets_),
          count_(other.count_),
          bucket_(other.bucket_),
          node_(other.node_) {}
    reference operator*() const { return node_->entry; }
    pointer operator->() const { return &node_->entry; }
    basic_iterator& operator++() {
      node_ = node_->next;
      if (node_ == nullptr) settle(bucket_ + 1);
      return *this;
    }
    friend bool operator==(const basic_iterator& a, const basic_iterator& b) {
      return a.node_ == b.node_;
    }

   private:
    friend class Map;
    // The bucket array, not the map: swap exchanges arrays, and an iterator follows its array.
    basic_iterator(Node* const* buckets, std::size_t count, std::size_t bucket, Node* node)
        : buckets_(buckets), count_(count), bucket_(bucket), node_(node) {}
    void settle(std::size_t bucket) {  // the first node at or after `bucket`, or end
      for (bucket_ = bucket; bucket_ < count_; ++bucket_)
        if ((node_ = buckets_[bucket_]) != nullptr) return;
      node_ = nullptr;
    }
    Node* const* buckets_ = nullptr;
    std::size_t count_ = 0;
    std::size_t bucket_ = 0;
    Node* node_ = nullptr;
  };
  using iterator = basic_iterator<false>;
  using const_iterator = basic_iterator<true>;

  explicit Map(size_type buckets = 8, const Hash& hash = Hash(), const Eq& eq = Eq())
      : buckets_(buckets < 8 ? 8 : buckets), hash_(hash), eq_(eq) {}
  Map(const Map& other) : Map(other.buckets_.size(), other.hash_, other.eq_) {
    for (const auto& e : other) insert(e);
  }
  Map(Map&& other) noexcept
      : buckets_(std::move(other.buckets_)),
        size_(std::exchange(other.size_, 0)),
        hash_(other.hash_),
        eq_(other.eq_) {
    other.buckets_.assign(8, nullptr);
  }
  Map& operator=(Map other) noexcept {
    swap(other);
    return *this;
  }
  ~Map() { clear(); }

  void swap(Map& other) noexcept {
    using std::swap;
    swap(buckets_, other.buckets_);
    swap(size_, other.size_);
    swap(hash_, other.hash_);
    swap(eq_, other.eq_);
  }
  friend void swap(Map& a, Map& b) noexcept { a.swap(b); }

  iterator begin() { return first<iterator>(this); }
  iterator end() { return at<iterator>(this, buckets_.size(), nullptr); }
  const_iterator begin() const { return first<const_iterator>(this); }
  const_iterator end() const { return at<const_iterator>(this, buckets_.size(), nullptr); }

  size_type size() const { return size_; }
  bool empty() const { return size_ == 0; }

  iterator find(const K& key) { return locate<iterator>(this, key); }
  const_iterator find(const K& key) const { return locate<const_iterator>(this, key); }
  bool contains(const K& key) const { return find(key) != end(); }

  std::pair<iterator, bool> insert(const value_type& entry) {
    return try_emplace(entry.first, entry.second);
  }
  template <class... Args>
  std::pair<iterator, bool> try_emplace(const K& key, Args&&... args) {
    if (auto it = find(key); it != end()) return {it, false};
    if (size_ + 1 > buckets_.size()) rehash(buckets_.size() * 2);
    const std::size_t b = bucket_of(key);
    buckets_[b] = new Node{value_type(std::piecewise_construct, std::forward_as_tuple(key),
                                      std::forward_as_tuple(std::forward<Args>(args)...)),
                           buckets_[b]};
    ++size_;
    return {at<iterator>(this, b, buckets_[b]), true};
  }
  template <class M>
  std::pair<iterator, bool> insert_or_assign(const K& key, M&& value) {
    auto [it, inserted] = try_emplace(key, std::forward<M>(value));
    if (!inserted) it->second = std::forward<M>(value);
    return {it, inserted};
  }
  V& operator[](const K& key) { return try_emplace(key).first->second; }

  size_type erase(const K& key) {
    const auto it = find(key);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }
  iterator erase(iterator pos) {
    iterator next = pos;
    ++next;
    Node** link = &buckets_[pos.bucket_];
    while (*link != pos.node_) link = &(*link)->next;
    *link = pos.node_->next;
    delete pos.node_;
    --size_;
    return next;
  }
  void clear() {
    for (Node*& head : buckets_) {
      while (head != nullptr) delete std::exchange(head, head->next);
    }
    size_ = 0;
  }
  void reserve(size_type n) {
    if (n > buckets_.size()) rehash(n);
  }

 private:
  std::size_t bucket_of(const K& key) const { return hash_(key) % buckets_.size(); }

  template <class It, class Self>
  static It at(Self* self, std::size_t bucket, Node* node) {
    return It(self->buckets_.data(), self->buckets_.size(), bucket, node);
  }
  template <class It, class Self>
  static It first(Self* self) {
    It it = at<It>(self, 0, nullptr);
    it.settle(0);
    return it;
  }
  template <class It, class Self>
  static It locate(Self* self, const K& key) {
    const std::size_t b = self->bucket_of(key);
    for (Node* n = self->buckets_[b]; n != nullptr; n = n->next)
      if (self->eq_(n->entry.first, key)) return at<It>(self, b, n);
    return self->end();
  }

  void rehash(std::size_t count) {
    std::vector<Node*> old(count, nullptr);
    old.swap(buckets_);
    for (Node* head : old) {
      while (head != nullptr) {
        Node* n = std::exchange(head, head->next);
        Node*& slot = buckets_[bucket_of(n->entry.first)];
        n->next = slot;
        slot = n;
      }
    }
  }

  std::vector<Node*> buckets_;
  size_type size_ = 0;
  Hash hash_;
  Eq eq_;
};

}  // namespace tiny
