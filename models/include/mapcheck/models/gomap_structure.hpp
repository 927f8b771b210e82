// The gomap structural model: what must hold of the reference map's internals between ops, read
// through gomap::debug (never through its code). Two parts:
//
//   * invariants I1-I8 of spec §1.7 (gomap::debug::SlotTracker), after every op (after_op);
//   * the growth and flag state machine of spec §3.4-§3.6 and §2, after every step (after_step):
//       stable -> growing (doubling or same size) -> stable;
//       only a write that adds a key (or reserve) may start a grow or change B, and a write that
//       adds a key to a stable table at its load factor (or with too many overflow buckets) must;
//       every write while growing evacuates the chain it touches (the key is no longer in the old
//       array) and advances nevacuate by at least one, so a grow of n old buckets ends within n
//       writes; a grow started by a write takes the iterator bit into oldIterator and clears
//       iterator; an iteration opened on a non-empty map sets iterator and oldIterator.
#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>

#include "gomap/debug.hpp"
#include "mapcheck/models/step.hpp"

namespace mapcheck::models {

template <class M>
class GomapStructureModel {
 public:
  // After each step of an op (the op itself, or one key of insert_n, erase_n or churn): the growth
  // and flag state machine, which needs every write but reads only the header, O(1).
  template <class Key>
  std::optional<std::string> after_step(const M& m, StepKind kind, const Key* key) {
    if (kind == StepKind::replaced) restart(m);
    const State now = snapshot(m);
    std::optional<std::string> verdict = transition(m, kind, key, now);
    prev_ = now;
    return verdict;
  }

  // After the op: invariants I1-I8, one walk of the table. Between the steps of a bulk op the
  // table is not walked: that walk per key made a bulk op cost its length times the table, most
  // of a fuzz input's time. I8 still holds across the op, since a bulk op writes each key once.
  std::optional<std::string> after_op(const M& m) {
    if (auto v = tracker_.check(m)) return v->message;
    return std::nullopt;
  }

 private:
  struct State {
    unsigned B = 0;
    gomap::debug::Growth growth = gomap::debug::Growth::stable;
    std::size_t nevacuate = 0;
    std::size_t old_buckets = 0;
    std::uint8_t flags = 0;
    std::size_t count = 0;
    std::size_t noverflow = 0;
    std::uint64_t array = 0;  // gomap::debug::array_serial
  };

  // Spec §1.6, restated here rather than taken from gomap, so that a wrong gomap constant shows.
  static bool over_load_factor(std::uint64_t count, unsigned b) {
    return count > 8 && count > 13 * ((std::uint64_t{1} << b) / 2);
  }
  static bool too_many_overflow_buckets(std::uint64_t noverflow, unsigned b) {
    return noverflow >= (std::uint64_t{1} << (b < 15 ? b : 15));
  }

  // A new map (or new contents): its history starts here. Out of line, as it is rare and its
  // temporary tracker would otherwise widen the frame of every step.
  [[gnu::noinline]] void restart(const M& m) {
    tracker_ = gomap::debug::SlotTracker<M>();
    prev_ = snapshot(m);
    writes_in_grow_ = 0;
  }

  static State snapshot(const M& m) {
    namespace debug = gomap::debug;
    return {debug::B(m),     debug::growth(m), debug::nevacuate(m), debug::old_bucket_count(m),
            debug::flags(m), debug::count(m),  debug::noverflow(m), debug::array_serial(m)};
  }

  template <class Key>
  std::optional<std::string> transition(const M& m, StepKind kind, const Key* key,
                                        const State& now) {
    using gomap::debug::Growth;
    const bool was_growing = prev_.growth != Growth::stable;
    const bool grows = now.growth != Growth::stable;
    // A new array is a grow, even one that also finished in this op (two buckets of a same-size
    // grow are both evacuated by the write that starts it). The first insert allocates the first
    // array, and clear is judged by its own rule below.
    const bool new_array = prev_.array != 0 && now.array != prev_.array && kind != StepKind::clear;
    const bool started = (!was_growing && grows) || now.B != prev_.B || new_array;
    if (started && kind != StepKind::add_key && kind != StepKind::reserve &&
        kind != StepKind::replaced)
      return fail("a grow started (B ", prev_.B, " -> ", now.B, ") during an op that added no key");
    if (kind == StepKind::add_key && !was_growing && !started &&
        (over_load_factor(prev_.count + 1, prev_.B) ||
         too_many_overflow_buckets(prev_.noverflow, prev_.B)))
      return fail("adding a key (count ", prev_.count, " -> ", prev_.count + 1, ") to 2^", prev_.B,
                  " buckets (", prev_.noverflow, " overflow) must start a grow, and did not");
    if (kind == StepKind::clear && (grows || now.B != prev_.B || now.count != 0))
      return fail("clear left the map growing, resized or non-empty");
    if (started && kind == StepKind::add_key) {
      writes_in_grow_ = 0;
      const bool had_iterator = (prev_.flags & gomap::debug::kIterator) != 0;
      const bool old_iterator = (now.flags & gomap::debug::kOldIterator) != 0;
      if ((now.flags & gomap::debug::kIterator) != 0 || had_iterator != old_iterator)
        return fail("a grow must move the iterator bit into oldIterator and clear iterator (flags ",
                    int(prev_.flags), " -> ", int(now.flags), ")");
    }
    const bool grow_work = kind == StepKind::add_key || kind == StepKind::write;
    if (was_growing && grows && grow_work && !started) {
      if (now.nevacuate <= prev_.nevacuate)
        return fail("a write while growing did not advance nevacuate (", prev_.nevacuate, ")");
      if (key != nullptr && gomap::debug::in_old_array(m, *key))
        return fail("a write while growing left its key in an unevacuated old chain");
      if (++writes_in_grow_ > now.old_buckets)
        return fail("the grow has taken ", writes_in_grow_, " writes for ", now.old_buckets,
                    " old buckets");
    }
    if (kind == StepKind::open_iteration && now.count != 0 &&
        (now.flags & (gomap::debug::kIterator | gomap::debug::kOldIterator)) !=
            (gomap::debug::kIterator | gomap::debug::kOldIterator))
      return fail("an iteration opened without setting iterator and oldIterator (flags ",
                  int(now.flags), ")");
    return std::nullopt;
  }

  // Cold and out of line, like every report builder on a per-step path (gomap::debug's violation).
  template <class... Parts>
  [[gnu::noinline, gnu::cold]] static std::optional<std::string> fail(const Parts&... parts) {
    std::ostringstream out;
    out << "growth state machine: ";
    (out << ... << parts);
    return out.str();
  }

  gomap::debug::SlotTracker<M> tracker_;
  State prev_;
  std::size_t writes_in_grow_ = 0;
};

}  // namespace mapcheck::models
