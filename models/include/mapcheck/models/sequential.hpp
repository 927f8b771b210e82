// The sequential model: what every single-threaded op on a map must return, as an obviously correct
// associative container over key indices (Porcupine's shape: state plus pure steps, spec Appendix A
// "dictionary model"). It knows nothing about any map implementation.
//
// Keys are indices of a universe (harness/universe.hpp); the model is told two facts per index:
// which indices are equal under the map's equality (canonical) and whether a key is reflexive.
// Irreflexive (NaN-like) keys are never found: each insert adds an entry, only clear() or erase at
// an iterator removes one.
//
// Every entry is an *instance* with an id: inserting an absent key creates one, updates keep it,
// erase and clear end it (spec §4.3). The iteration model follows instances, so each step reports
// the instances it created and ended.
//
// Storage: one slot per canonical key index (there are at most 256) plus a list of irreflexive
// entries. A flat array is as obviously correct as a std::map here and allocates nothing per
// insert; the model steps with every key of every op, so under ASan its allocations dominated.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <vector>

namespace mapcheck::models {

struct KeyFacts {
  std::uint8_t (*canonical)(std::uint8_t);
  bool (*reflexive)(std::uint8_t);
};

struct Entry {
  std::uint8_t key;  // stored key index (its bits, for keys equal under Eq but different)
  std::int64_t value;
  std::uint64_t instance;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// What one step did to the set of instances.
struct Effects {
  std::vector<std::uint64_t> created;
  std::vector<std::uint64_t> ended;
};

class SequentialModel {
 public:
  explicit SequentialModel(KeyFacts facts) : facts_(facts) {}

  std::size_t size() const { return live_.count() + irreflexive_.size(); }

  // The live entry for `key`, if a lookup can find it.
  std::optional<Entry> find(std::uint8_t key) const {
    if (!facts_.reflexive(key)) return std::nullopt;
    const std::uint8_t cls = facts_.canonical(key);
    if (!live_.test(cls)) return std::nullopt;
    return by_class_[cls];
  }

  // insert / try_emplace: adds key -> value if absent. Returns whether it was added.
  bool insert(std::uint8_t key, std::int64_t value, Effects& effects) {
    if (find(key)) return false;
    add(key, value, effects);
    return true;
  }

  // insert_or_assign / m[k] = v: adds, or overwrites the value (and the stored key bits when the
  // map promises Go's NeedKeyUpdate). Returns whether it was added.
  bool assign(std::uint8_t key, std::int64_t value, bool update_key, Effects& effects) {
    if (facts_.reflexive(key)) {
      const std::uint8_t cls = facts_.canonical(key);
      if (live_.test(cls)) {
        by_class_[cls].value = value;
        if (update_key) by_class_[cls].key = key;
        return false;
      }
    }
    add(key, value, effects);
    return true;
  }

  // erase(k): 0 or 1.
  std::size_t erase(std::uint8_t key, Effects& effects) {
    if (!facts_.reflexive(key)) return 0;
    const std::uint8_t cls = facts_.canonical(key);
    if (!live_.test(cls)) return 0;
    effects.ended.push_back(by_class_[cls].instance);
    live_.reset(cls);
    return 1;
  }

  // Ends one instance (erase at an iterator). Returns whether it was live.
  bool erase_instance(std::uint64_t instance, Effects& effects) {
    for (std::size_t cls = 0; cls < kClasses; ++cls) {
      if (live_.test(cls) && by_class_[cls].instance == instance) {
        effects.ended.push_back(instance);
        live_.reset(cls);
        return true;
      }
    }
    for (auto it = irreflexive_.begin(); it != irreflexive_.end(); ++it) {
      if (it->instance == instance) {
        effects.ended.push_back(instance);
        irreflexive_.erase(it);
        return true;
      }
    }
    return false;
  }

  void clear(Effects& effects) {
    for_each_entry([&](const Entry& e) { effects.ended.push_back(e.instance); });
    live_.reset();
    irreflexive_.clear();
  }

  // Calls f(entry) for every live entry: reflexive ones in key order, then irreflexive ones in
  // insertion order.
  template <class F>
  void for_each_entry(F&& f) const {
    for (std::size_t cls = 0; cls < kClasses; ++cls)
      if (live_.test(cls)) f(by_class_[cls]);
    for (const Entry& e : irreflexive_) f(e);
  }

  // Every live entry, in for_each_entry's order.
  std::vector<Entry> entries() const {
    std::vector<Entry> all;
    all.reserve(size());
    for_each_entry([&](const Entry& e) { all.push_back(e); });
    return all;
  }

  // The live entry with this instance id.
  std::optional<Entry> instance(std::uint64_t id) const {
    std::optional<Entry> found;
    for_each_entry([&](const Entry& e) {
      if (e.instance == id) found = e;
    });
    return found;
  }

  const KeyFacts& facts() const { return facts_; }

  friend bool operator==(const SequentialModel& a, const SequentialModel& b) {
    if (a.live_ != b.live_ || a.irreflexive_ != b.irreflexive_) return false;
    for (std::size_t cls = 0; cls < kClasses; ++cls)
      if (a.live_.test(cls) && !(a.by_class_[cls] == b.by_class_[cls])) return false;
    return true;
  }

 private:
  static constexpr std::size_t kClasses = 256;  // key indices are bytes

  void add(std::uint8_t key, std::int64_t value, Effects& effects) {
    const Entry e{key, value, next_instance_++};
    effects.created.push_back(e.instance);
    if (facts_.reflexive(key)) {
      const std::uint8_t cls = facts_.canonical(key);
      by_class_[cls] = e;
      live_.set(cls);
    } else {
      irreflexive_.push_back(e);
    }
  }

  KeyFacts facts_;
  std::array<Entry, kClasses> by_class_{};  // canonical index -> entry, where live_ is set
  std::bitset<kClasses> live_;
  std::vector<Entry> irreflexive_;
  std::uint64_t next_instance_ = 1;
};

}  // namespace mapcheck::models
