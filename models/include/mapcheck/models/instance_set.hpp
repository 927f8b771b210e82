// A set of entry instance ids (sequential.hpp) as a bitset indexed by id. Ids are small and dense:
// a model numbers its instances 1, 2, 3, ... and a program creates at most a few thousand, so one
// bit each costs less than a tree node each, and inserting allocates only when the set first
// reaches a higher id. The iteration model keeps three of these per open iteration and updates
// them on every step, where a std::set's allocation per insert was most of a fuzz input's cost
// under ASan.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mapcheck::models {

class InstanceSet {
 public:
  // Adds `id`; reports whether it was absent.
  bool insert(std::uint64_t id) {
    const std::size_t word = id / 64;
    if (word >= words_.size()) words_.resize(word + 1, 0);
    const std::uint64_t bit = std::uint64_t{1} << (id % 64);
    const bool absent = (words_[word] & bit) == 0;
    words_[word] |= bit;
    return absent;
  }
  bool contains(std::uint64_t id) const {
    const std::size_t word = id / 64;
    return word < words_.size() && (words_[word] & (std::uint64_t{1} << (id % 64))) != 0;
  }
  void clear() { words_.assign(words_.size(), 0); }

  // Calls f(id) for each id in the set, in increasing order.
  template <class F>
  void for_each(F&& f) const {
    for (std::size_t word = 0; word < words_.size(); ++word) {
      for (std::uint64_t bits = words_[word]; bits != 0; bits &= bits - 1)
        f(word * 64 + static_cast<std::uint64_t>(std::countr_zero(bits)));
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace mapcheck::models
