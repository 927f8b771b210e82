// Iteration guarantees G1-G9 (spec §4.3) under random interleavings of writes and iterator steps,
// checked against a small reference model that gives every entry instance an id (Appendix A,
// "iteration model"). Seeded (gomap::seed_thread_random + std::mt19937_64) and reproducible.
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// Reproducible layouts: a failing seed replays exactly, in any process.
using FloatMap = gomap::Map<double, int, ReproducibleDoubleHash>;

// One live entry instance of the model. Keys are the integers 0..kKeySpace-1 as doubles (key 0 may
// be stored as -0.0) and NaNs; every value ever written is unique, so a NaN instance is identified
// by its value.
struct Instance {
  int value;
  std::uint64_t id;
  bool negative_zero;
};

struct Model {
  std::map<int, Instance> keyed;      // reflexive keys
  std::map<int, std::uint64_t> nans;  // NaN instances: value -> id
  std::uint64_t next_id = 1;
  int next_value = 1;

  std::size_t size() const { return keyed.size() + nans.size(); }
  std::set<std::uint64_t> live_ids() const {
    std::set<std::uint64_t> ids;
    for (const auto& [k, inst] : keyed) ids.insert(inst.id);
    for (const auto& [v, id] : nans) ids.insert(id);
    return ids;
  }
};

// Operation mix of one seed: relative weights.
struct Profile {
  int insert, update, erase, erase_missing, erase_current, nan, clear, lookup;
};

class IterationStress {
 public:
  explicit IterationStress(std::uint64_t seed) : seed_(seed), rng_(seed) {
    gomap::seed_thread_random(seed * 0x9E3779B97F4A7C15ULL + 1);
    profile_ = Profile{pick(1, 8),
                       pick(0, 4),
                       pick(1, 8),
                       pick(0, 3),
                       pick(0, 2),
                       pick(0, 1),
                       rng_() % 4 == 0 ? 1 : 0,
                       pick(0, 2)};
  }

  void run() {
    const int initial = static_cast<int>(rng_() % 120);
    for (int i = 0; i < initial; ++i) insert_absent();
    const int nans = static_cast<int>(rng_() % 7);
    for (int i = 0; i < nans; ++i) insert_nan();
    for (int iteration = 0; iteration < 3 && !failed(); ++iteration) {
      iterate_once(iteration);
      compare_contents();
    }
  }
  std::string trace() const { return where(); }

 private:
  static constexpr int kKeySpace = 300;

  int pick(int lo, int hi) {
    return lo + static_cast<int>(rng_() % static_cast<unsigned>(hi - lo + 1));
  }
  bool failed() const { return ::testing::Test::HasFailure() || !c_.ok(); }
  std::string where() const {
    std::string out =
        "seed " + std::to_string(seed_) + " step " + std::to_string(step_) + "\nlast ops:";
    for (const std::string& op : log_) out += "\n  " + op;
    return out;
  }
  // Keeps the last operations for failure messages (the reproducer of a failing seed).
  void log(std::string op) {
    if (log_.size() == 40) log_.erase(log_.begin());
    log_.push_back(std::to_string(c_.steps()) + ": " + std::move(op) + " (size " +
                   std::to_string(c_.get().size()) + ", B " + std::to_string(debug::B(c_.get())) +
                   (debug::growing(c_.get()) ? ", growing" : "") + ")");
  }

  // ---- model-mirrored writes (each one a checked step) ----
  void insert_absent() {
    int k = static_cast<int>(rng_() % kKeySpace);
    for (int tries = 0; model_.keyed.count(k) != 0 && tries < kKeySpace; ++tries)
      k = (k + 1) % kKeySpace;
    if (model_.keyed.count(k) != 0) return;
    const int v = model_.next_value++;
    const bool negative_zero = k == 0 && rng_() % 2 == 0;
    const double key = negative_zero ? -0.0 : static_cast<double>(k);
    switch (rng_() % 3) {
      case 0:
        c_->insert_or_assign(key, v);
        break;
      case 1:
        c_->operator[](key) += v;
        break;  // value-initialised first (issue #25936)
      default:
        c_->try_emplace(key, v);
        break;
    }
    log("insert " + std::to_string(key) + " -> " + std::to_string(v));
    model_.keyed[k] = Instance{v, model_.next_id++, negative_zero};
  }
  void update_existing() {
    if (model_.keyed.empty()) return;
    auto it = model_.keyed.begin();
    std::advance(it, static_cast<long>(rng_() % model_.keyed.size()));
    const int v = model_.next_value++;
    bool negative_zero = false;
    double key = static_cast<double>(it->first);
    if (it->first == 0) {
      negative_zero = rng_() % 2 == 0;
      key = negative_zero ? -0.0 : 0.0;
    }
    c_->insert_or_assign(key, v);  // Go's m[k] = v: stores the caller's key bits (NeedKeyUpdate)
    log("update " + std::to_string(key) + " -> " + std::to_string(v));
    it->second.value = v;
    it->second.negative_zero = negative_zero;
  }
  // Returns the id of the instance that ended, 0 if none.
  std::uint64_t erase_existing() {
    if (model_.keyed.empty()) return 0;
    auto it = model_.keyed.begin();
    std::advance(it, static_cast<long>(rng_() % model_.keyed.size()));
    EXPECT_EQ(c_->erase(static_cast<double>(it->first)), 1u) << where();
    log("erase " + std::to_string(it->first));
    const std::uint64_t id = it->second.id;
    model_.keyed.erase(it);
    return id;
  }
  void erase_missing() {
    int k = static_cast<int>(rng_() % kKeySpace);
    if (model_.keyed.count(k) != 0) k = kKeySpace + k;
    EXPECT_EQ(c_->erase(static_cast<double>(k)), 0u) << where();
    log("erase missing " + std::to_string(k));
  }
  void insert_nan() {
    if (model_.nans.size() >= 12) return;
    const int v = model_.next_value++;
    c_->insert_or_assign(nan_value(), v);
    log("insert NaN -> " + std::to_string(v));
    model_.nans[v] = model_.next_id++;
  }
  void clear() {
    c_->clear();
    log("clear");
    model_.keyed.clear();
    model_.nans.clear();
  }
  void lookup() {
    const int k = static_cast<int>(rng_() % kKeySpace);
    auto found = c_.get().find(static_cast<double>(k));
    auto expected = model_.keyed.find(k);
    ASSERT_EQ(found != c_.get().end(), expected != model_.keyed.end()) << where() << " key " << k;
    if (found != c_.get().end()) {
      EXPECT_EQ(found->second, expected->second.value) << where();
    }
  }

  // ---- one iteration with random writes between its steps ----
  void iterate_once(int iteration) {
    const std::set<std::uint64_t> live_at_init = model_.live_ids();
    std::set<std::uint64_t> produced;
    std::set<std::uint64_t> ended;  // instances that ended (ids are never reused)
    auto end_all_keyed_and_nans = [&] {
      for (auto id : model_.live_ids()) ended.insert(id);
    };
    auto it = c_.begin();
    log("begin");
    if (live_at_init.empty()) {
      // G9: a map empty at init yields nothing, even if the body would have added entries.
      EXPECT_TRUE(it == c_.end()) << where();
      insert_absent();
      EXPECT_TRUE(it == c_.end()) << where() << ": iteration of an empty map produced an entry";
      return;
    }
    const int total = profile_.insert + profile_.update + profile_.erase + profile_.erase_missing +
                      profile_.erase_current + profile_.nan + profile_.clear + profile_.lookup;
    while (it != c_.end()) {
      ++step_;
      // Production: G5 (live, current value, current key bits), G2 (at most once), G3/G8 (ended
      // instances are not live, so the G5 check rejects them).
      const double k = it->first;
      const int v = it->second;
      std::uint64_t id = 0;
      bool current_is_nan = false;
      if (std::isnan(k)) {
        current_is_nan = true;
        auto found = model_.nans.find(v);
        ASSERT_TRUE(found != model_.nans.end())
            << where() << ": produced a NaN entry that is not live (value " << v << ")";
        id = found->second;
      } else {
        const int ki = static_cast<int>(k);
        ASSERT_EQ(static_cast<double>(ki), k) << where();
        auto found = model_.keyed.find(ki);
        ASSERT_TRUE(found != model_.keyed.end())
            << where() << ": produced key " << k << " which is not live (G3/G8)";
        ASSERT_EQ(v, found->second.value) << where() << ": stale value for key " << k << " (G5)";
        if (ki == 0) {
          EXPECT_EQ(std::signbit(k), found->second.negative_zero)
              << where() << ": stale key representation of 0 (G5)";
        }
        id = found->second.id;
      }
      ASSERT_TRUE(produced.insert(id).second)
          << where() << ": instance of key " << k << " produced twice (G2/G6)";

      // Writes between this production and the next step.
      bool advanced = false;
      const int ops = static_cast<int>(rng_() % 4);
      for (int op = 0; op < ops && !advanced && !failed(); ++op) {
        int r = static_cast<int>(rng_() % static_cast<unsigned>(total));
        if ((r -= profile_.insert) < 0) {
          insert_absent();
        } else if ((r -= profile_.update) < 0) {
          update_existing();
        } else if ((r -= profile_.erase) < 0) {
          ended.insert(erase_existing());
        } else if ((r -= profile_.erase_missing) < 0) {
          erase_missing();
        } else if ((r -= profile_.erase_current) < 0) {
          // Positional erase of the entry just produced; only as the first write after the
          // production (map.hpp: REQUIRES no write since the iterator moved).
          if (op != 0) continue;
          it = c_->erase(it);
          log("erase(it) at " + std::to_string(k) + " -> " + std::to_string(v));
          ended.insert(id);
          if (current_is_nan) {
            model_.nans.erase(v);
          } else {
            model_.keyed.erase(static_cast<int>(k));
          }
          advanced = true;
        } else if ((r -= profile_.nan) < 0) {
          insert_nan();
        } else if ((r -= profile_.clear) < 0) {
          if (rng_() % 8 != 0) continue;  // rare
          end_all_keyed_and_nans();
          clear();
        } else {
          lookup();
        }
      }
      if (failed()) return;
      if (!advanced) {
        c_.next(it);
        log("++it");
      }
    }
    // G1: every instance live from init to the end was produced exactly once (G2 checked above).
    for (std::uint64_t id : live_at_init) {
      if (ended.count(id) == 0) {
        EXPECT_EQ(produced.count(id), 1u) << where() << " iteration " << iteration << ": instance "
                                          << id << " never produced (G1)";
      }
    }
  }

  // The whole map equals the model: size, every reflexive key's value and sign, NaN values.
  void compare_contents() {
    ASSERT_EQ(c_.get().size(), model_.size()) << where();
    std::multiset<int> nan_values;
    for (const auto& [k, v] : c_.collect()) {
      if (std::isnan(k)) {
        nan_values.insert(v);
        continue;
      }
      auto found = model_.keyed.find(static_cast<int>(k));
      ASSERT_TRUE(found != model_.keyed.end()) << where() << " unexpected key " << k;
      EXPECT_EQ(v, found->second.value) << where();
      if (k == 0) {
        EXPECT_EQ(std::signbit(k), found->second.negative_zero) << where();
      }
    }
    std::multiset<int> expected_nans;
    for (const auto& [v, id] : model_.nans) expected_nans.insert(v);
    EXPECT_EQ(nan_values, expected_nans) << where();
  }

  std::uint64_t seed_;
  std::mt19937_64 rng_;
  Profile profile_{};
  Checked<FloatMap> c_;
  Model model_;
  int step_ = 0;
  std::vector<std::string> log_;
};

// Verifies G1 (instances live throughout produced exactly once), G2/G6 (no instance twice; a key
// twice only as two instances), G3/G8 (ended instances, also by clear, never produced), G5 (current
// value and key bits), G7 (NaN instances) and G9 (empty at init yields nothing) over 50 seeds of
// random inserts, updates, erases (by key and by position), NaN inserts, clears and lookups
// interleaved with the steps of 3 iterations per seed (spec §4.3, Appendix A iteration model).
TEST(IterationGuarantees, RandomWritesBetweenStepsKeepG1ToG9) {
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    IterationStress stress(seed);
    stress.run();
    if (HasFailure()) {
      ADD_FAILURE() << "first failing " << stress.trace();
      return;
    }
  }
}

// Verifies that copies of an iterator continue independently from the same position: without
// writes, both produce the same remaining sequence (api.md forward iterators).
TEST(IterationGuarantees, IteratorCopiesContinueIndependently) {
  Checked<FloatMap> c;
  for (int i = 0; i < 40; ++i) c->insert_or_assign(static_cast<double>(i), i);
  auto a = c.begin();
  c.next(a);
  c.next(a);
  auto b = a;
  std::vector<double> rest_a;
  std::vector<double> rest_b;
  for (; a != c.end(); c.next(a)) rest_a.push_back(a->first);
  for (; b != c.end(); c.next(b)) rest_b.push_back(b->first);
  EXPECT_EQ(rest_a.size(), 38u);
  EXPECT_EQ(rest_a, rest_b);
}

}  // namespace
}  // namespace gomap_test
