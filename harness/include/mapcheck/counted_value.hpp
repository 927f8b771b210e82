// The value type the interpreter stores in every map: an int64 that counts its own lives.
//
// A map owns the lifetime of its elements: it constructs one for each entry, moves or copies them
// when it rehashes, destroys them on erase, clear and its own destruction. Bugs there (an erase
// that unlinks without destroying, a rehash that moves and then destroys twice, a clear that resets
// control bytes and forgets the elements) corrupt nothing the model can see: the values still
// compare equal. CountedValue makes them visible:
//
//   * every constructor and the destructor update the thread's ValueCensus (constructed,
//     destroyed, copies, moves), so live() = constructed - destroyed;
//   * each object carries a state word, kAlive while it lives and kDead after its destructor. A
//     destructor, a read or an assignment that finds another word is a lifetime error (double
//     destruction, use after destruction, or use of memory that was never constructed), recorded in
//     the census rather than thrown, because it happens inside the map.
//
// What the interpreter checks with it (interpreter.hpp): no lifetime error after any op; after
// every op, live() == m.size() + side.size() where the map declares `exact_element_count`
// (a map that keeps constructed values in empty slots, like dense_hash_map, does not); and at the
// end of a program, once both maps are destroyed, constructed == destroyed (nothing leaked).
//
// Only values are counted: keys go through the same construct/move/destroy paths of the same
// slot, and the universes' key types (ints, doubles, 64-byte keys) must stay what they are, since
// they choose the hash paths under test.
#pragma once

#include <cstdint>
#include <string>

namespace mapcheck {

struct ValueCensus {
  std::int64_t constructed = 0;
  std::int64_t destroyed = 0;
  std::int64_t copies = 0;
  std::int64_t moves = 0;
  std::int64_t lifetime_errors = 0;
  std::string first_error;  // the first lifetime error, in words

  std::int64_t live() const { return constructed - destroyed; }
};

// One census per thread: each thread runs its own interpreter.
inline ValueCensus& value_census() {
  thread_local ValueCensus census;
  return census;
}

class CountedValue {
 public:
  CountedValue() noexcept : CountedValue(std::int64_t{0}) {}
  CountedValue(std::int64_t value) noexcept : value_(value) {  // NOLINT: an int64 stands in for it
    ++value_census().constructed;
  }
  CountedValue(const CountedValue& other) noexcept : value_(other.read("copied")) {
    ValueCensus& census = value_census();
    ++census.constructed;
    ++census.copies;
  }
  CountedValue(CountedValue&& other) noexcept : value_(other.read("moved")) {
    ValueCensus& census = value_census();
    ++census.constructed;
    ++census.moves;
  }
  CountedValue& operator=(const CountedValue& other) noexcept {
    check("assigned to");
    value_ = other.read("copied");
    ++value_census().copies;
    return *this;
  }
  CountedValue& operator=(CountedValue&& other) noexcept {
    check("assigned to");
    value_ = other.read("moved");
    ++value_census().moves;
    return *this;
  }
  ~CountedValue() {
    check("destroyed");
    state_ = kDead;
    ++value_census().destroyed;
  }

  operator std::int64_t() const { return read("read"); }  // NOLINT: reads as the int64 it holds

 private:
  static constexpr std::uint64_t kAlive = 0xa11e'c0de'a11e'c0deULL;
  static constexpr std::uint64_t kDead = 0xdead'dead'dead'deadULL;

  std::int64_t read(const char* what) const {
    check(what);
    return value_;
  }
  void check(const char* what) const {
    if (state_ != kAlive) [[unlikely]]
      record_error(what);
  }
  // Out of line: its string building would otherwise give every check() a stack frame that ASan
  // allocates on its fake stack, a cost paid on every read of every value.
  [[gnu::noinline, gnu::cold]] void record_error(const char* what) const {
    ValueCensus& census = value_census();
    if (census.lifetime_errors++ == 0) {
      census.first_error = std::string("a value was ") + what + " after " +
                           (state_ == kDead ? "its destructor ran (double destruction or use after "
                                              "destruction)"
                                            : "no constructor ran on its memory");
    }
  }

  std::int64_t value_;
  std::uint64_t state_ = kAlive;
};

}  // namespace mapcheck
