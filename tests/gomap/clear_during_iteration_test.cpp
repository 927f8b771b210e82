// clear() during iteration: no entry that existed before the clear is produced afterwards (G8,
// Go issue #59411), also for NaN keys and also when a grow started during the iteration has
// already completed - the residual Go hole of spec §6.1, which the port must close.
#include <cmath>
#include <set>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;
using FloatMap = gomap::Map<double, int>;

enum class GrowState { none, in_progress, completed };

const char* name(GrowState g) {
  switch (g) {
    case GrowState::none:
      return "no grow";
    case GrowState::in_progress:
      return "grow in progress";
    case GrowState::completed:
      return "grow completed";
  }
  return "?";
}

// Inserts new keys (from `next`) until a grow starts, then optionally drives it to completion with
// deletes of a missing key (each still runs growWork, spec §3.3 step 4).
template <class C, class MakeKey>
void start_grow(C& c, GrowState g, MakeKey make_key, int& next) {
  if (g == GrowState::none) return;
  while (!debug::growing(c.get())) c->insert_or_assign(make_key(next++), -1);
  if (g == GrowState::completed) {
    for (int i = 0; i < 100000 && debug::growing(c.get()); ++i) c->erase(make_key(-12345));
    EXPECT_FALSE(debug::growing(c.get()));
  }
}

// Verifies G8 for reflexive keys: at step 3 of an iteration (after an optional grow started at
// step 1, in progress or completed) clear() runs; nothing is produced after it.
TEST(ClearDuringIteration, NothingProducedAfterClearIntKeys) {
  for (GrowState g : {GrowState::none, GrowState::in_progress, GrowState::completed}) {
    for (int round = 0; round < 10; ++round) {
      gomap::seed_thread_random(100 + round);
      Checked<IntMap> c;
      for (int i = 0; i < 104; ++i) c->insert_or_assign(i, i);
      int step = 0;
      int next = 1000;
      bool cleared = false;
      int after_clear = 0;
      c.iterate([&](int k, int) {
        if (cleared) {
          ++after_clear;
          ADD_FAILURE() << name(g) << ": key " << k << " after clear";
        }
        ++step;
        if (step == 1)
          start_grow(
              c, g, [](int i) { return i; }, next);
        if (step == 3) {
          c->clear();
          cleared = true;
        }
      });
      EXPECT_TRUE(cleared);
      EXPECT_EQ(after_clear, 0) << name(g);
      EXPECT_TRUE(c.get().empty());
      if (!c.ok()) return;
    }
  }
}

// Verifies G8 for NaN keys (never looked up, returned straight from the slot): 104 NaN entries
// fill 16 buckets; at step 1 one more key starts a doubling grow, optionally finished by deleting
// a missing key repeatedly, then clear() - nothing more may be produced. With the grow completed
// this is the residual Go 1.21 bug of spec §6.1 (Go produced all 95 remaining NaNs, 1000/1000).
TEST(ClearDuringIteration, NothingProducedAfterClearNanKeys) {
  for (GrowState g : {GrowState::none, GrowState::in_progress, GrowState::completed}) {
    for (int round = 0; round < 10; ++round) {
      gomap::seed_thread_random(200 + round);
      Checked<FloatMap> c;
      for (int i = 0; i < 104; ++i) c->insert_or_assign(nan_value(), i);
      ASSERT_EQ(debug::B(c.get()), 4u);
      bool cleared = false;
      int after_clear = 0;
      int next = 0;
      c.iterate([&](double k, int v) {
        if (cleared) ++after_clear;
        if (cleared && after_clear < 3) ADD_FAILURE() << name(g) << ": " << k << " -> " << v;
        if (cleared) return;
        start_grow(
            c, g, [](int i) { return static_cast<double>(i); }, next);
        if (g != GrowState::none) {
          EXPECT_EQ(debug::B(c.get()), 5u);
        }
        c->clear();
        cleared = true;
      });
      EXPECT_TRUE(cleared);
      EXPECT_EQ(after_clear, 0) << name(g) << " round " << round;
      EXPECT_TRUE(c.get().empty());
      if (!c.ok() || after_clear != 0) return;
    }
  }
}

// Verifies the spec §6.1 scenario with 96 NaN keys as in the Go experiment (load factor 6.0 there):
// here the doubling needs 104 + 1 entries, so keys are inserted until the grow starts.
TEST(ClearDuringIteration, ResidualNanCaseWith96Keys) {
  for (int round = 0; round < 10; ++round) {
    gomap::seed_thread_random(300 + round);
    Checked<FloatMap> c;
    for (int i = 0; i < 96; ++i) c->insert_or_assign(nan_value(), i);
    bool cleared = false;
    int after_clear = 0;
    int next = 0;
    c.iterate([&](double, int) {
      if (cleared) {
        ++after_clear;
        return;
      }
      start_grow(
          c, GrowState::completed, [](int i) { return static_cast<double>(i); }, next);
      c->clear();
      cleared = true;
    });
    EXPECT_EQ(after_clear, 0) << "round " << round;
    if (!c.ok() || after_clear != 0) return;
  }
}

// Verifies that entries inserted after a clear() in the body may be produced (each at most once),
// but none of the pre-clear instances, including re-inserted keys' old values (G4, G8).
TEST(ClearDuringIteration, OnlyPostClearInstancesProduced) {
  for (int round = 0; round < 20; ++round) {
    gomap::seed_thread_random(400 + round);
    Checked<IntMap> c;
    for (int i = 0; i < 60; ++i) c->insert_or_assign(i, i);
    bool cleared = false;
    std::multiset<int> after;
    c.iterate([&](int k, int v) {
      if (cleared) {
        EXPECT_EQ(v, -k) << "pre-clear value of key " << k << " produced after clear";
        after.insert(k);
        return;
      }
      c->clear();
      cleared = true;
      for (int i = 0; i < 30; ++i) c->insert_or_assign(i, -i);  // new instances, new values
    });
    for (int k : after) EXPECT_EQ(after.count(k), 1u) << k;
    EXPECT_EQ(c.get().size(), 30u);
    if (!c.ok()) return;
  }
}

// Verifies clear() during an iteration that itself started in the middle of a doubling grow.
TEST(ClearDuringIteration, ClearDuringIterationStartedMidGrow) {
  for (int round = 0; round < 10; ++round) {
    Checked<FloatMap> c;
    for (int i = 0; i < 60; ++i) c->insert_or_assign(nan_value(), i);
    for (int i = 0; i < 45; ++i) c->insert_or_assign(static_cast<double>(i), i);
    ASSERT_TRUE(debug::growing(c.get()));
    int step = 0;
    int after_clear = 0;
    c.iterate([&](double, int) {
      if (++step == 2) {
        c->clear();
      } else if (step > 2) {
        ++after_clear;
      }
    });
    EXPECT_EQ(after_clear, 0);
    EXPECT_FALSE(debug::growing(c.get())) << "clear ends the grow (spec §3.7 step 4)";
    if (!c.ok()) return;
  }
}

}  // namespace
}  // namespace gomap_test
