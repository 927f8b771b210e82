// std's `iterator erase(iterator)` for a map whose erase(iterator) returns void (Abseil's maps).
// Such maps document erasing during an iteration by advancing first and then erasing, since an
// erase never rehashes and leaves every other iterator valid; this wrapper is exactly that idiom
// and adds no logic of its own, so every finding is the map's.
#pragma once

#include <iterator>
#include <utility>

namespace mapcheck::adapters::detail {

template <class Map>
class AdvanceThenErase : public Map {
 public:
  using Map::erase;
  using Map::Map;
  using typename Map::iterator;

  iterator erase(iterator it) {
    iterator next = std::next(it);
    Map::erase(it);
    return next;
  }

  // Without this, `using std::swap; swap(a, b)` would pick std::swap (an exact match) over the
  // map's swap for its base class, and test three moves instead of the map's swap.
  friend void swap(AdvanceThenErase& a, AdvanceThenErase& b) noexcept(noexcept(a.swap(b))) {
    a.swap(b);
  }
};

}  // namespace mapcheck::adapters::detail
