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
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace mapcheck::models {

struct KeyFacts {
  std::function<std::uint8_t(std::uint8_t)> canonical;
  std::function<bool(std::uint8_t)> reflexive;
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
  explicit SequentialModel(KeyFacts facts) : facts_(std::move(facts)) {}

  std::size_t size() const { return by_class_.size() + irreflexive_.size(); }

  // The live entry for `key`, if a lookup can find it.
  std::optional<Entry> find(std::uint8_t key) const {
    if (!facts_.reflexive(key)) return std::nullopt;
    auto it = by_class_.find(facts_.canonical(key));
    if (it == by_class_.end()) return std::nullopt;
    return it->second;
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
      auto it = by_class_.find(facts_.canonical(key));
      if (it != by_class_.end()) {
        it->second.value = value;
        if (update_key) it->second.key = key;
        return false;
      }
    }
    add(key, value, effects);
    return true;
  }

  // erase(k): 0 or 1.
  std::size_t erase(std::uint8_t key, Effects& effects) {
    if (!facts_.reflexive(key)) return 0;
    auto it = by_class_.find(facts_.canonical(key));
    if (it == by_class_.end()) return 0;
    effects.ended.push_back(it->second.instance);
    by_class_.erase(it);
    return 1;
  }

  // Ends one instance (erase at an iterator). Returns whether it was live.
  bool erase_instance(std::uint64_t instance, Effects& effects) {
    for (auto it = by_class_.begin(); it != by_class_.end(); ++it) {
      if (it->second.instance == instance) {
        effects.ended.push_back(instance);
        by_class_.erase(it);
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
    for (const Entry& e : entries()) effects.ended.push_back(e.instance);
    by_class_.clear();
    irreflexive_.clear();
  }

  // Every live entry (reflexive ones in key order, then irreflexive ones in insertion order).
  std::vector<Entry> entries() const {
    std::vector<Entry> all;
    for (const auto& [cls, e] : by_class_) all.push_back(e);
    all.insert(all.end(), irreflexive_.begin(), irreflexive_.end());
    return all;
  }

  // The live entry with this instance id.
  std::optional<Entry> instance(std::uint64_t id) const {
    for (const Entry& e : entries())
      if (e.instance == id) return e;
    return std::nullopt;
  }

  const KeyFacts& facts() const { return facts_; }

  friend bool operator==(const SequentialModel& a, const SequentialModel& b) {
    return a.by_class_ == b.by_class_ && a.irreflexive_ == b.irreflexive_;
  }

 private:
  void add(std::uint8_t key, std::int64_t value, Effects& effects) {
    const Entry e{key, value, next_instance_++};
    effects.created.push_back(e.instance);
    if (facts_.reflexive(key)) {
      by_class_.emplace(facts_.canonical(key), e);
    } else {
      irreflexive_.push_back(e);
    }
  }

  KeyFacts facts_;
  std::map<std::uint8_t, Entry> by_class_;  // canonical index -> entry
  std::vector<Entry> irreflexive_;
  std::uint64_t next_instance_ = 1;
};

}  // namespace mapcheck::models
