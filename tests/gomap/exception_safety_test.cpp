// Exceptions from user code (spec §7.4): a hasher, key copy or value constructor that throws on
// demand, at every reachable call (fault sweep: throw at the 1st call, then the 2nd, ... until the
// operation completes). After every throw the map has exactly its previous contents, invariants
// hold, hashWriting is clear, and it keeps working - also when the throw hits evacuation work
// during a grow, the copies made while an iterator is live, or an iterator step.
#include <cstdint>
#include <map>
#include <random>
#include <stdexcept>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

struct InjectedFault : std::runtime_error {
  InjectedFault() : std::runtime_error("injected fault") {}
};

// Countdowns of the fault points: -1 = disarmed, n > 0 = the n-th call from now throws, and
// 0 = the fault fired.
struct Faults {
  static inline int hash = -1;
  static inline int key_copy = -1;
  static inline int value_ctor = -1;
  static void disarm() { hash = key_copy = value_ctor = -1; }
};

inline void fault_point(int& countdown) {
  if (countdown > 0 && --countdown == 0) throw InjectedFault();
}

// Key whose copies (and, if !kNothrowMove, moves) can throw.
template <bool kNothrowMove>
struct FKey {
  int v;
  explicit FKey(int x) : v(x) {}
  FKey(const FKey& o) : v(o.v) { fault_point(Faults::key_copy); }
  FKey(FKey&& o) noexcept(kNothrowMove) : v(o.v) {
    if constexpr (!kNothrowMove) fault_point(Faults::key_copy);
  }
  FKey& operator=(const FKey& o) {
    fault_point(Faults::key_copy);
    v = o.v;
    return *this;
  }
  FKey& operator=(FKey&& o) noexcept(kNothrowMove) {
    if constexpr (!kNothrowMove) fault_point(Faults::key_copy);
    v = o.v;
    return *this;
  }
  bool operator==(const FKey& o) const { return v == o.v; }
};

// Value whose constructors (and, if !kNothrowMove, moves) can throw.
template <bool kNothrowMove>
struct FValue {
  int v;
  FValue() : v(0) { fault_point(Faults::value_ctor); }
  explicit FValue(int x) : v(x) { fault_point(Faults::value_ctor); }
  FValue(const FValue& o) : v(o.v) { fault_point(Faults::value_ctor); }
  FValue(FValue&& o) noexcept(kNothrowMove) : v(o.v) {
    if constexpr (!kNothrowMove) fault_point(Faults::value_ctor);
  }
  FValue& operator=(const FValue& o) {
    fault_point(Faults::value_ctor);
    v = o.v;
    return *this;
  }
  FValue& operator=(FValue&& o) noexcept(kNothrowMove) {
    if constexpr (!kNothrowMove) fault_point(Faults::value_ctor);
    v = o.v;
    return *this;
  }
};

template <class K>
struct FHash {
  std::uint64_t operator()(const K& k, std::uint64_t seed) const {
    fault_point(Faults::hash);
    return gomap::Hash<int>{}(k.v, seed);
  }
};

template <bool kNothrowMove>
struct FaultTypes {
  using Key = FKey<kNothrowMove>;
  using Value = FValue<kNothrowMove>;
  using Map = gomap::Map<Key, Value, FHash<Key>>;
};

template <class T>
class ExceptionSafety : public ::testing::Test {
 protected:
  using Key = typename T::Key;
  using Value = typename T::Value;
  using Map = typename T::Map;
  using Model = std::map<int, int>;

  void TearDown() override { Faults::disarm(); }

  // The map must hold exactly `model` (checked by size + lookups: no iteration, so no flags).
  void expect_contents(Checked<Map>& c, const Model& model, const char* where) {
    Faults::disarm();
    c.check();
    ASSERT_EQ(c.get().size(), model.size()) << where;
    for (const auto& [k, v] : model) {
      auto it = c.get().find(Key(k));
      ASSERT_TRUE(it != c.get().end()) << where << ": key " << k << " lost";
      ASSERT_EQ(it->second.v, v) << where << ": value of key " << k << " changed";
    }
  }

  // Runs `op` with `countdown` armed at its n-th fault point for n = 1, 2, ... until op completes;
  // after each fault the map must equal `model`. Returns the number of faults injected.
  template <class Op>
  int sweep(Checked<Map>& c, const Model& model, int& countdown, Op op, const char* what) {
    int faults = 0;
    for (int n = 1; n <= 10000; ++n) {
      countdown = n;
      bool threw = false;
      try {
        op();
      } catch (const InjectedFault&) {
        threw = true;
      }
      const bool fired = countdown == 0;
      Faults::disarm();
      if (fired && !threw) ADD_FAILURE() << what << ": the map swallowed an exception";
      if (!threw) {
        c.check();
        return faults;
      }
      ++faults;
      expect_contents(c, model, what);
      if (::testing::Test::HasFatalFailure() || !c.ok()) return faults;
    }
    ADD_FAILURE() << what << ": never completed";
    return faults;
  }
};

using FaultTypeList = ::testing::Types<FaultTypes<true>, FaultTypes<false>>;
TYPED_TEST_SUITE(ExceptionSafety, FaultTypeList);

// Verifies inserts of new keys from an empty map through several doublings with hash, key-copy and
// value-construction faults swept at every call: each failed insert changes nothing (spec §7.4
// "insert"), including failures in the evacuation work of a grow in progress.
TYPED_TEST(ExceptionSafety, InsertIsAtomicThroughGrowth) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  int faults_while_growing = 0;
  int inserts_while_growing = 0;
  for (int k = 0; k < 120; ++k) {
    const bool growing = debug::growing(c.get());
    int* countdown = k % 3 == 0   ? &Faults::hash
                     : k % 3 == 1 ? &Faults::key_copy
                                  : &Faults::value_ctor;
    const Key key(k);
    const int faults = this->sweep(
        c, model, *countdown, [&] { c.unchecked().try_emplace(key, k * 10); }, "insert");
    ASSERT_GT(faults, 0) << "no fault point reached inserting key " << k;
    model[k] = k * 10;
    if (growing && countdown == &Faults::hash) {
      faults_while_growing += faults;
      ++inserts_while_growing;
    }
    if (this->HasFatalFailure() || !c.ok()) return;
  }
  this->expect_contents(c, model, "final");
  EXPECT_GT(faults_while_growing, inserts_while_growing)
      << "no hash fault hit evacuation work (doubling grows rehash moved keys)";
}

// Verifies updates of existing keys with value-assignment faults: the old value stays.
TYPED_TEST(ExceptionSafety, FailedUpdateKeepsOldValue) {
  using Key = typename TestFixture::Key;
  using Value = typename TestFixture::Value;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 30; ++k) {
    c->try_emplace(Key(k), k);
    model[k] = k;
  }
  for (int k = 0; k < 30; ++k) {
    const Value value(k + 100);
    this->sweep(
        c, model, Faults::value_ctor, [&] { c.unchecked().insert_or_assign(Key(k), value); },
        "update");
    model[k] = k + 100;
    if (this->HasFatalFailure()) return;
  }
  this->expect_contents(c, model, "final");
}

// Verifies operator[] on a new key whose value-initialisation throws: nothing is inserted.
TYPED_TEST(ExceptionSafety, OperatorBracketValueFaultInsertsNothing) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 60; ++k) {
    const int faults = this->sweep(
        c, model, Faults::value_ctor, [&] { c.unchecked()[Key(k)].v = k; }, "operator[]");
    EXPECT_GT(faults, 0);
    model[k] = k;
    if (this->HasFatalFailure()) return;
  }
  this->expect_contents(c, model, "final");
}

// Verifies erase during a doubling grow with hash faults swept (erase hashes its key, then runs
// growWork which rehashes evacuated keys): a failed erase removes nothing.
TYPED_TEST(ExceptionSafety, EraseDuringGrowIsAtomic) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 105; ++k) {
    c->try_emplace(Key(k), k);
    model[k] = k;
  }
  ASSERT_TRUE(debug::growing(c.get()));
  int faults = 0;
  for (int k = 0; k < 105; k += 4) {
    faults += this->sweep(
        c, model, Faults::hash, [&] { c.unchecked().erase(Key(k)); }, "erase");
    model.erase(k);
    if (this->HasFatalFailure()) return;
  }
  EXPECT_FALSE(debug::growing(c.get()));
  EXPECT_GT(faults, 27) << "no fault hit evacuation work";
  this->expect_contents(c, model, "final");
}

// Verifies inserts through grows while an iterator is live (oldIterator set, so evacuation must
// copy keys and values instead of moving them, spec §7.2) with copy faults swept: the map stays
// intact after each, and the live iterator then still produces every original entry once.
TYPED_TEST(ExceptionSafety, CopyFaultsDuringEvacuationWithLiveIterator) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 20; ++k) {
    c->try_emplace(Key(k), k);
    model[k] = k;
  }
  auto it = c.begin();
  std::map<int, int> produced;
  ASSERT_TRUE(it != c.end());
  ++produced[it->first.v];
  for (int k = 100; k < 400; ++k) {
    int* countdown = k % 2 ? &Faults::key_copy : &Faults::value_ctor;
    this->sweep(
        c, model, *countdown, [&] { c.unchecked().try_emplace(Key(k), k); }, "insert");
    model[k] = k;
    if (this->HasFatalFailure() || !c.ok()) return;
  }
  this->expect_contents(c, model, "after inserts");
  for (c.next(it); it != c.end(); c.next(it)) ++produced[it->first.v];
  for (int k = 0; k < 20; ++k) EXPECT_EQ(produced[k], 1) << k;
  for (const auto& [k, n] : produced) EXPECT_EQ(n, 1) << k;
}

// Verifies that a throwing ++it (hash faults while the iterator filters unevacuated old buckets or
// looks up evacuated entries, spec §4.2) can be retried: the cursor is committed only on success,
// so the iteration still produces every entry exactly once.
TYPED_TEST(ExceptionSafety, ThrowingIteratorStepCanBeRetried) {
  using Key = typename TestFixture::Key;
  for (bool started_before_grow : {false, true}) {
    Checked<typename TestFixture::Map> c;
    std::mt19937 rng(started_before_grow ? 7 : 8);
    typename TestFixture::Model model;
    const int n = started_before_grow ? 104 : 105;
    for (int k = 0; k < n; ++k) {
      c->try_emplace(Key(k), k);
      model[k] = k;
    }
    int faults = 0;
    // Arms a hash fault at a random near call, runs `step`, retries it until it succeeds.
    auto with_retries = [&](auto step) {
      for (int attempt = 0; attempt < 1000; ++attempt) {
        Faults::hash = 1 + static_cast<int>(rng() % 3);
        try {
          step();
          Faults::disarm();
          c.check();
          return;
        } catch (const InjectedFault&) {
          Faults::disarm();
          ++faults;
          c.check();
        }
      }
      ADD_FAILURE() << "iterator step never succeeded";
    };
    std::map<int, int> produced;
    typename TestFixture::Map::iterator it;
    if (started_before_grow) {
      it = c.begin();
      ASSERT_TRUE(it != c.end());
      ++produced[it->first.v];
      c->try_emplace(Key(500), 500);  // 105th entry: doubling; evacuated entries get looked up
      model[500] = 500;
      for (int i = 0; i < 4; ++i) c->erase(Key(-1));  // evacuate a few more old buckets
      ASSERT_TRUE(debug::growing(c.get()));
    } else {
      ASSERT_TRUE(debug::growing(c.get()));
      with_retries([&] { it = c.unchecked().begin(); });
      if (it != c.end()) ++produced[it->first.v];
    }
    while (it != c.end()) {
      with_retries([&] { ++it; });
      if (it != c.end()) ++produced[it->first.v];
    }
    EXPECT_GT(faults, 0) << "no hash call during iteration of a growing map";
    for (int k = 0; k < n; ++k) EXPECT_EQ(produced[k], 1) << "key " << k;
    for (const auto& [k, cnt] : produced) EXPECT_EQ(cnt, 1) << "key " << k;
    this->expect_contents(c, model, "after iteration");
  }
}

// Verifies that a copy constructor of the map that throws part-way (key or value copy) leaves the
// source intact and leaks nothing (ASan/LSan), for a stable and for a growing source.
TYPED_TEST(ExceptionSafety, ThrowingMapCopyLeavesSourceIntact) {
  using Key = typename TestFixture::Key;
  using Map = typename TestFixture::Map;
  for (int n : {50, 105}) {
    Checked<Map> c;
    typename TestFixture::Model model;
    for (int k = 0; k < n; ++k) {
      c->try_emplace(Key(k), k);
      model[k] = k;
    }
    for (int* countdown : {&Faults::key_copy, &Faults::value_ctor}) {
      const int faults = this->sweep(
          c, model, *countdown,
          [&] {
            Map copy(c.get());
            EXPECT_EQ(copy.size(), model.size());
          },
          "copy");
      EXPECT_GT(faults, 0);
    }
  }
}

// Verifies reserve with hash faults during its synchronous grow: contents unchanged after each.
TYPED_TEST(ExceptionSafety, ThrowingReserveKeepsContents) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 100; ++k) {
    c->try_emplace(Key(k), k);
    model[k] = k;
  }
  const int faults = this->sweep(
      c, model, Faults::hash, [&] { c.unchecked().reserve(2000); }, "reserve");
  EXPECT_GT(faults, 0);
  EXPECT_GE(max_entries_for_B(debug::B(c.get())), 2000u);
  this->expect_contents(c, model, "after reserve");
}

// Verifies that after a long run of faults the map still works normally: every kind of operation
// without faults, then a full iteration producing everything once.
TYPED_TEST(ExceptionSafety, MapKeepsWorkingAfterFaults) {
  using Key = typename TestFixture::Key;
  Checked<typename TestFixture::Map> c;
  typename TestFixture::Model model;
  for (int k = 0; k < 200; ++k) {
    this->sweep(
        c, model, Faults::hash, [&] { c.unchecked().try_emplace(Key(k), k); }, "insert");
    model[k] = k;
    if (k % 5 == 0) {
      this->sweep(
          c, model, Faults::hash, [&] { c.unchecked().erase(Key(k / 2)); }, "erase");
      model.erase(k / 2);
    }
    if (this->HasFatalFailure()) return;
  }
  std::map<int, int> produced;
  for (auto it = c.begin(); it != c.end(); c.next(it)) produced[it->first.v] = it->second.v;
  EXPECT_EQ(produced, model);
}

}  // namespace
}  // namespace gomap_test
