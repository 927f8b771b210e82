// Shared helpers of the gomap::SyncMap unit tests: the invariant assertion, a range() collector,
// and a value type that shows torn or freed copies.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <gomap/sync_map.hpp>

namespace sync_map_test {

namespace debug = gomap::debug;

// Succeeds when S1-S6 of sync_map.hpp hold; otherwise names the broken invariant.
template <class M>
testing::AssertionResult InvariantsHold(const M& m) {
  if (std::optional<std::string> violation = debug::check_sync_invariants(m))
    return testing::AssertionFailure() << *violation;
  return testing::AssertionSuccess();
}

// Everything one range() call produced, in visit order; `duplicates` counts keys seen twice.
template <class K, class V>
struct RangeResult {
  std::map<K, V> seen;
  int duplicates = 0;
  int calls = 0;
};

template <class M>
RangeResult<typename M::key_type, typename M::mapped_type> CollectRange(const M& m) {
  RangeResult<typename M::key_type, typename M::mapped_type> out;
  m.range([&](const auto& key, const auto& value) {
    ++out.calls;
    if (!out.seen.emplace(key, value).second) ++out.duplicates;
    return true;
  });
  return out;
}

// A value whose every word carries the same stamp and whose canary is set only while the object
// lives: a copy made from a half-written or destroyed object fails consistent(). 128 bytes, so a
// torn copy cannot hide in one machine word.
class StampedValue {
 public:
  explicit StampedValue(std::uint64_t stamp = 0) { words_.fill(stamp); }
  StampedValue(const StampedValue& other) : words_(other.words_), canary_(other.canary_) {}
  StampedValue& operator=(const StampedValue& other) {
    words_ = other.words_;
    canary_ = other.canary_;
    return *this;
  }
  // A volatile store: a plain one to an object that is about to die may be optimised away.
  ~StampedValue() { *static_cast<volatile std::uint64_t*>(&canary_) = kDead; }

  std::uint64_t stamp() const { return words_[0]; }
  // Reports whether all words agree and the source was alive when copied.
  bool consistent() const {
    if (canary_ != kAlive) return false;
    for (std::uint64_t w : words_)
      if (w != words_[0]) return false;
    return true;
  }
  friend bool operator==(const StampedValue& a, const StampedValue& b) {
    return a.words_ == b.words_;
  }

 private:
  static constexpr std::uint64_t kAlive = 0xA11FE'A11FEULL;
  static constexpr std::uint64_t kDead = 0xDEAD'DEADULL;
  std::array<std::uint64_t, 15> words_{};
  std::uint64_t canary_ = kAlive;
};

}  // namespace sync_map_test
