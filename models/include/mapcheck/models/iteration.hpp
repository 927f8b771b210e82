// The iteration model: which outputs an iteration interleaved with mutations may legally produce
// (spec §4.3, guarantees G1-G9). It follows entry *instances* (sequential.hpp): an iteration
// records the instances live when it opened, the ones that ended since, and the ones it produced.
//
//   G1  an instance live from open until the iteration finished was produced exactly once
//   G2  no instance is produced twice
//   G3  an instance that ended before it was reached is never produced
//   G4  an instance created after open is produced at most once (G2 covers it)
//   G5  a produced entry is live, with its current value and its current key bits
//   G6  one key may appear twice only as two instances (falls out of G2 + G5)
//   G7  irreflexive instances obey G1 like any other (they cannot end except by clear / erase(it))
//   G8  after clear, nothing from before is produced (clear ends every instance: G3 + G5)
//   G9  an iteration opened on an empty map produces nothing
//
// G10 (writes never invalidate) is what lets the interpreter interleave at all; G11 (random order)
// is statistical and checked by a property over many iterations.
//
// The model judges, it does not choose: a step reports what the map produced and gets back the
// violated guarantee, if any. Results are "guarantee G<n>: <what happened>".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "mapcheck/models/instance_set.hpp"
#include "mapcheck/models/sequential.hpp"

namespace mapcheck::models {

class IterationModel {
 public:
  // An iteration opens on a map whose model is `model`.
  void open(const SequentialModel& model) {
    // Cleared rather than replaced: the sets keep their storage from one iteration to the next.
    live_at_open_.clear();
    ended_.clear();
    produced_.clear();
    produced_entries_.clear();
    is_open_ = true;
    model.for_each_entry([&](const Entry& e) { live_at_open_.insert(e.instance); });
    empty_at_open_ = model.size() == 0;
  }
  bool is_open() const { return is_open_; }

  // Every step of the map (any op) reports its instance effects to every open iteration.
  void observe(const Effects& effects) {
    if (!is_open_) return;
    for (std::uint64_t id : effects.ended) ended_.insert(id);
  }

  // The iteration produced an entry. `produced` is the model's live entry the map's output matched,
  // or nothing if no live entry has that key, value and key bits; describe() says what the output
  // was (called only to report a violation: building text for every step would cost more than the
  // check).
  template <class Describe>
  std::optional<std::string> on_produced(const std::optional<Entry>& produced,
                                         Describe&& describe) {
    if (empty_at_open_)
      return "guarantee G9: produced " + describe() + " from an iteration opened on an empty map";
    if (!produced)
      return "guarantee G3/G5: produced " + describe() +
             ", which is not a live entry (deleted, cleared, or a stale value or key)";
    if (!produced_.insert(produced->instance))
      return "guarantee G2: produced " + describe() + " twice (the same entry instance)";
    produced_entries_.push_back(*produced);
    return std::nullopt;
  }

  // The iteration reached its end: every instance live throughout must have been produced.
  //
  // Irreflexive (NaN-like) instances with equal values cannot be told apart by what a map produces
  // (two iterations may match one output to different instances), so a missing one is excused by a
  // produced irreflexive instance of the same value that G1 did not require (created after open, or
  // ended since): G1 then holds by count for each value.
  std::optional<std::string> on_finished(const SequentialModel& model) {
    is_open_ = false;
    std::map<std::int64_t, int> surplus;  // irreflexive productions G1 did not ask for, per value
    for (const Entry& e : produced_entries_) {
      const bool required = live_at_open_.contains(e.instance) && !ended_.contains(e.instance);
      if (!model.facts().reflexive(e.key) && !required) ++surplus[e.value];
    }
    std::ostringstream missing;
    int n = 0;
    live_at_open_.for_each([&](std::uint64_t id) {
      if (ended_.contains(id) || produced_.contains(id)) return;
      const auto entry = model.instance(id);
      if (!entry) return;
      if (!model.facts().reflexive(entry->key) && surplus[entry->value] > 0) {
        --surplus[entry->value];
        return;
      }
      if (n++ < 8) missing << " key#" << int(entry->key) << "=" << entry->value;
    });
    if (n == 0) return std::nullopt;
    std::ostringstream out;
    out << "guarantee G1: the iteration finished without producing " << n
        << " entries live since it opened:" << missing.str();
    return out.str();
  }

  // The iteration was abandoned (closed before its end): nothing more to check.
  void close() { is_open_ = false; }

  bool has_produced(std::uint64_t instance) const { return produced_.contains(instance); }

 private:
  bool is_open_ = false;
  bool empty_at_open_ = false;
  InstanceSet live_at_open_;
  InstanceSet ended_;
  InstanceSet produced_;
  std::vector<Entry> produced_entries_;
};

}  // namespace mapcheck::models
