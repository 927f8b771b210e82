// Maps that take the process down instead of returning a wrong answer: the cases the `mapcheck`
// command's isolation exists for (harness/src/isolation.hpp). Each is std::unordered_map with one
// operation replaced, so that everything else is correct and the finding can only come from it:
//
//   CrashingMap  erase(k) of a key that is present kills the process with SIGSEGV once the map
//                holds more than 20 entries (a map that corrupts itself);
//   HangingMap   find(k) for a key that is absent spins forever once the map holds more than
//                20 entries (a probe loop that never meets an empty slot);
//   AbortingMap  clear() of a map holding more than 20 entries fails an assertion (abort);
//   TwoBugsMap   reserve() aborts (listed as known in two_bugs_expected.json, which withholds
//                reserve), and erase(k) of a present key reports 0 once the map holds more than
//                20 entries: the finding the run must still report after the known one.
// And two that only a sanitizer sees (built with ASan, whose LeakSanitizer checks each child as it
// exits): every answer is right, no value is lost, but
//   LeakingMap       erase(k) of a present key, in a map of more than 20 entries, allocates a
//                    block it never frees (like an erase that unlinks a node and forgets it);
//   UseAfterFreeMap  find(k) of a present key, in a map of more than 20 entries, reads memory it
//                    has just freed.
// The threshold keeps the first ops of a case harmless, so the minimiser has work to do.
#pragma once

#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <unordered_map>

#include "mapcheck/std_like.hpp"

namespace mapcheck::isolation_test {

inline constexpr std::size_t kHarmlessSize = 20;

template <class K, class V, class H, class E, class A>
class CrashingMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  using Base::erase;
  std::size_t erase(const K& key) {
    if (this->size() > kHarmlessSize && this->contains(key)) std::raise(SIGSEGV);
    return Base::erase(key);
  }
};

template <class K, class V, class H, class E, class A>
class HangingMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  typename Base::iterator find(const K& key) {
    auto it = Base::find(key);
    if (this->size() > kHarmlessSize && it == this->end()) {
      for (volatile bool spin = true; spin;) {
      }
    }
    return it;
  }
  typename Base::const_iterator find(const K& key) const { return Base::find(key); }
};

template <class K, class V, class H, class E, class A>
class AbortingMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  void clear() {
    if (this->size() > kHarmlessSize) std::abort();
    Base::clear();
  }
};

template <class K, class V, class H, class E, class A>
class TwoBugsMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  using Base::erase;
  void reserve(std::size_t) { std::abort(); }
  std::size_t erase(const K& key) {
    const bool lie = this->size() > kHarmlessSize;
    const std::size_t erased = Base::erase(key);
    return lie ? 0 : erased;
  }
};

template <class K, class V, class H, class E, class A>
class LeakingMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  using Base::erase;
  std::size_t erase(const K& key) {
    if (this->size() > kHarmlessSize && this->contains(key)) {
      // volatile: the allocation must happen, and its only pointer dies with this frame
      char* volatile forgotten = new char[48];
      forgotten[0] = 1;
    }
    return Base::erase(key);
  }
};

template <class K, class V, class H, class E, class A>
class UseAfterFreeMap : public std::unordered_map<K, V, H, E, A> {
  using Base = std::unordered_map<K, V, H, E, A>;

 public:
  using Base::Base;
  typename Base::iterator find(const K& key) {
    auto it = Base::find(key);
    if (this->size() > kHarmlessSize && it != this->end()) read_freed_memory();
    return it;
  }
  typename Base::const_iterator find(const K& key) const {
    auto it = Base::find(key);
    if (this->size() > kHarmlessSize && it != this->end()) read_freed_memory();
    return it;
  }

 private:
  static void read_freed_memory() {
    auto* volatile stale = new std::int64_t(0);
    delete stale;
    [[maybe_unused]] const volatile std::int64_t read = *stale;  // volatile: the read happens
  }
};

// std-like: the operations are detected, the promises are std::unordered_map's (std_like.hpp).
struct Crashing : StdLike<CrashingMap, Profile::node_chaining> {
  static constexpr std::string_view name = "crashing_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::Crashing";
};

struct Hanging : StdLike<HangingMap, Profile::node_chaining> {
  static constexpr std::string_view name = "hanging_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::Hanging";
};

struct Aborting : StdLike<AbortingMap, Profile::node_chaining> {
  static constexpr std::string_view name = "aborting_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::Aborting";
};

struct TwoBugs : StdLike<TwoBugsMap, Profile::node_chaining> {
  static constexpr std::string_view name = "two_bugs_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::TwoBugs";
};

struct Leaking : StdLike<LeakingMap, Profile::node_chaining> {
  static constexpr std::string_view name = "leaking_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::Leaking";
};

struct UseAfterFree : StdLike<UseAfterFreeMap, Profile::node_chaining> {
  static constexpr std::string_view name = "use_after_free_map";
  static constexpr std::string_view cpp_name = "mapcheck::isolation_test::UseAfterFree";
};

}  // namespace mapcheck::isolation_test
