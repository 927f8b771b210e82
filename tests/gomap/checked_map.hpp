// Checked<M>: runs gomap's structural checker after every step of every test.
//
// Every test in tests/gomap/ drives its maps through this wrapper, so that
// gomap::debug::SlotTracker<M>::check() (which also runs check_invariants, I1-I8 of
// spec/gomap.md §1.7) runs after each operation, plus a few cross-step rules the tracker cannot
// see on its own:
//   * hashWriting is never set between operations (spec §2.3),
//   * sameSizeGrow is set exactly while a same-size grow is in progress (I6, §2.4),
//   * debug::count(m) == m.size(),
//   * hash0 never changes while entries exist (§1.4): an op that starts and ends non-empty
//     keeps it.
//
// Usage:
//   Checked<gomap::Map<int, int>> c;
//   c->insert_or_assign(1, 2);          // `c->op(...)`: runs op, then the checks (execute-around)
//   auto it = c.begin();                // checked begin()
//   c.next(it);                         // ++it, then the checks
//   c.get().size();                     // read-only access, no check (nothing changed)
//   c.unchecked().erase(k); c.check();  // for statements that need the raw map (EXPECT_THROW, ...)
// A violation fails the current test (ADD_FAILURE) with the violated invariant, its message and
// the dump of the current (and old) table; `c.ok()` lets long loops stop early.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <source_location>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <gomap/debug.hpp>
#include <gomap/map.hpp>

namespace gomap_test {

namespace debug = gomap::debug;

// Renders a table dump compactly: chains that are a single all-emptyRest bucket are left out, and
// at most 48 chains are shown.
inline std::string compact_dump(const debug::TableDump& dump) {
  std::string out = "B=" + std::to_string(dump.B);
  int shown = 0;
  std::size_t skipped = 0;
  for (const auto& chain : dump.chains) {
    bool blank = chain.tophash.size() <= 1;
    for (const auto& bucket : chain.tophash)
      for (std::uint8_t top : bucket) blank = blank && top == debug::kEmptyRest;
    if (blank || shown == 48) {
      ++skipped;
      continue;
    }
    ++shown;
    out += "\n  [" + std::to_string(chain.index) + "]";
    for (const auto& bucket : chain.tophash) {
      out += " |";
      for (std::uint8_t top : bucket) out += " " + std::to_string(top);
    }
  }
  if (skipped > 0) out += "\n  (" + std::to_string(skipped) + " empty or further chains not shown)";
  return out;
}

// Renders the header fields, the current table and, while growing, the old one.
template <class M>
std::string describe_tables(const M& m) {
  std::string out = "B=" + std::to_string(debug::B(m)) +
                    " count=" + std::to_string(debug::count(m)) +
                    " flags=" + std::to_string(static_cast<int>(debug::flags(m))) +
                    " nevacuate=" + std::to_string(debug::nevacuate(m)) +
                    " noverflow=" + std::to_string(debug::noverflow(m)) +
                    "\ncurrent table: " + compact_dump(debug::dump_current(m));
  if (auto old = debug::dump_old(m)) out += "\nold table: " + compact_dump(*old);
  return out;
}

// The checks of this header that need no history (everything except I8 and the hash0 rule).
template <class M>
std::optional<std::string> stateless_problem(const M& m) {
  const std::uint8_t flags = debug::flags(m);
  if (flags & debug::kHashWriting) return "hashWriting is set between operations";
  if (debug::count(m) != m.size()) {
    return "debug::count " + std::to_string(debug::count(m)) + " != size() " +
           std::to_string(m.size());
  }
  const bool same_size_flag = (flags & debug::kSameSizeGrow) != 0;
  const bool same_size_grow = debug::growing(m) && debug::growth(m) == debug::Growth::same_size;
  if (same_size_flag != same_size_grow) {
    return "sameSizeGrow flag " + std::to_string(same_size_flag) +
           " disagrees with growing()/growth()";
  }
  if (debug::growing(m) != (debug::growth(m) != debug::Growth::stable)) {
    return "growing() disagrees with growth()";
  }
  if (debug::growing(m) != debug::dump_old(m).has_value()) {
    return "growing() disagrees with dump_old()";
  }
  return std::nullopt;
}

// One-shot check of a map that has no Checked wrapper (a fresh tracker: I1-I7 plus an empty I8
// history). Returns an AssertionResult so it reads as EXPECT_TRUE(map_is_sound(m)).
template <class M>
::testing::AssertionResult map_is_sound(const M& m) {
  debug::SlotTracker<M> tracker;
  if (auto v = tracker.check(m)) {
    return ::testing::AssertionFailure()
           << "invariant I" << v->invariant << " violated: " << v->message << "\n"
           << describe_tables(m);
  }
  if (auto problem = stateless_problem(m)) {
    return ::testing::AssertionFailure() << *problem << "\n" << describe_tables(m);
  }
  return ::testing::AssertionSuccess();
}

template <class M>
class Checked {
 public:
  using map_type = M;
  using key_type = typename M::key_type;
  using mapped_type = typename M::mapped_type;

  Checked() { check_here(); }
  // Constructs the map in place from `args` (e.g. a hint, another map to copy or move from).
  template <class... A>
  explicit Checked(std::in_place_t, A&&... args) : map_(std::forward<A>(args)...) {
    check_here();
  }
  Checked(const Checked&) = delete;
  Checked& operator=(const Checked&) = delete;

  // Execute-around proxy: `c->op(args)` runs the op, then (when the full expression ends) the
  // checks.
  class Step {
   public:
    explicit Step(Checked* owner)
        : owner_(owner),
          size_before_(owner->map_.size()),
          seed_before_(debug::hash0(owner->map_)) {}
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;
    ~Step() { owner_->after_step(size_before_, seed_before_); }
    M* operator->() const { return &owner_->map_; }

   private:
    Checked* owner_;
    std::size_t size_before_;
    std::uint64_t seed_before_;
  };
  Step operator->() { return Step(this); }

  // Read-only access (no check: nothing changes).
  const M& get() const { return map_; }
  // Raw access for statements that cannot go through `->`; call check() afterwards.
  M& unchecked() { return map_; }

  // Checked iteration primitives. begin() sets iterator flags, so it is a step too.
  typename M::iterator begin() {
    Step step(this);
    return map_.begin();
  }
  typename M::iterator end() { return map_.end(); }
  template <class It>
  void next(It& it) {
    Step step(this);
    ++it;
  }

  // Full iteration with a check after begin() and after every ++it; `body(key, value)` gets
  // copies (taken before the body runs, like Go's range) and may mutate the map through `*this`.
  template <class F>
  void iterate(F&& body) {
    for (auto it = begin(); it != end(); next(it)) {
      key_type k = it->first;
      mapped_type v = it->second;
      body(k, v);
      if (!ok()) return;
    }
  }
  // Copies of every produced entry, in iteration order.
  std::vector<std::pair<key_type, mapped_type>> collect() {
    std::vector<std::pair<key_type, mapped_type>> out;
    iterate([&](const key_type& k, const mapped_type& v) { out.emplace_back(k, v); });
    return out;
  }

  // Swaps the maps (gomap's swap) and their trackers, then checks both.
  void swap(Checked& other) {
    map_.swap(other.map_);
    tracker_.swap(other.tracker_);
    check_here();
    other.check_here();
  }
  // Replaces the slot history after whole-map replacement (copy/move assignment): the slots of
  // the new contents have no history in this object.
  void reset_tracker() { tracker_ = std::make_unique<debug::SlotTracker<M>>(); }

  // Explicit check, reported at the caller's line.
  bool check(std::source_location loc = std::source_location::current()) {
    return check_at(loc.file_name(), static_cast<int>(loc.line()));
  }
  // False once any check of this wrapper has failed: long loops can stop early.
  bool ok() const { return failures_ == 0; }
  std::size_t steps() const { return steps_; }

 private:
  void check_here() { check_at(__FILE__, __LINE__); }

  void after_step(std::size_t size_before, std::uint64_t seed_before) {
    if (!check_at(__FILE__, __LINE__)) return;
    if (size_before > 0 && map_.size() > 0 && debug::hash0(map_) != seed_before) {
      report(__FILE__, __LINE__,
             "hash0 changed while the map had entries (spec §1.4): " + std::to_string(seed_before) +
                 " -> " + std::to_string(debug::hash0(map_)));
    }
  }

  bool check_at(const char* file, int line) {
    ++steps_;
    if (auto v = tracker_->check(map_)) {
      report(file, line, "invariant I" + std::to_string(v->invariant) + " violated: " + v->message);
      return false;
    }
    if (auto problem = stateless_problem(map_)) {
      report(file, line, *problem);
      return false;
    }
    return true;
  }

  void report(const char* file, int line, const std::string& what) {
    ++failures_;
    if (failures_ > 3) return;  // the first reports say everything; do not flood the log
    ADD_FAILURE_AT(file, line) << what << "\n(after checked step #" << steps_ << ")\n"
                               << describe_tables(map_);
  }

  M map_;
  std::unique_ptr<debug::SlotTracker<M>> tracker_ = std::make_unique<debug::SlotTracker<M>>();
  std::size_t steps_ = 0;
  int failures_ = 0;
};

}  // namespace gomap_test
