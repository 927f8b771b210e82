// Iteration across growth: iterators keep working and keep G1-G7 while the table doubles or is
// re-packed (same-size grow) under them, started before or during the grow (spec §4, Appendix A).
#include <cmath>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;
using FloatMap = gomap::Map<double, int>;

// Verifies that 3 NaN entries are each produced once while the first loop step forces growth with
// 100 new keys (TestGrowWithNaN; G7: NaN entries present at init are produced exactly once).
TEST(IterationDuringGrowth, NanEntriesProducedOnceAcrossGrow) {
  Checked<FloatMap> c(std::in_place, std::size_t{4});
  c->insert_or_assign(nan_value(), 1);
  c->insert_or_assign(nan_value(), 2);
  c->insert_or_assign(nan_value(), 4);
  int cnt = 0;
  int s = 0;
  bool grow = true;
  c.iterate([&](double k, int v) {
    if (grow) {
      for (int i = 0; i < 50; ++i) c->insert_or_assign(static_cast<double>(i), i);
      for (int i = 50; i < 100; ++i) c->operator[](static_cast<double>(i)) += i;
      grow = false;
    }
    if (std::isnan(k)) {
      ++cnt;
      s |= v;
    }
  });
  EXPECT_EQ(cnt, 3);
  EXPECT_EQ(s, 7);
}

// Verifies that after the first step grows the table and rewrites all 4 (+0, i) keys as (-0, i)
// with value bit 16, every later production shows key and value updated together; 4 produced, the
// low value bits sum to 15, 3 with the new sign (TestGrowWithNegativeZero; G5).
TEST(IterationDuringGrowth, NegativeZeroRewriteSeenWithItsValue) {
  using Key = std::pair<double, int>;
  Checked<gomap::Map<Key, int>> c(std::in_place, std::size_t{4});
  for (int i = 0; i < 4; ++i) c->insert_or_assign(Key{0.0, i}, 1 << i);
  bool grow = true;
  int s = 0;
  int cnt = 0;
  int negcnt = 0;
  c.iterate([&](const Key& k, int v) {
    if (v == 0) return;  // the entries added to grow the table
    ++cnt;
    if (std::signbit(k.first)) {
      EXPECT_NE(v & 16, 0) << "key/value not updated together (new key, old value)";
      ++negcnt;
      s += v & 15;
    } else {
      EXPECT_EQ(v & 16, 0) << "key/value not updated together (old key, new value)";
      s += v;
    }
    if (grow) {
      for (int i = 0; i < 100; ++i) c->insert_or_assign(Key{3.0, i}, 0);
      for (int i = 0; i < 4; ++i) c->insert_or_assign(Key{-0.0, i}, (1 << i) | 16);
      grow = false;
    }
  });
  EXPECT_EQ(s, 15) << "entry missing";
  EXPECT_EQ(cnt, 4) << "wrong number of entries produced";
  EXPECT_EQ(negcnt, 3) << "update to -0 missed by iteration";
}

// Verifies that no odd key is produced after the first step grew the table to 1000 keys and
// deleted every odd key, and every even original key is produced once (TestIterGrowAndDelete; G3).
TEST(IterationDuringGrowth, DeletedKeysNotProducedAfterGrow) {
  Checked<IntMap> c(std::in_place, std::size_t{4});
  for (int i = 0; i < 100; ++i) c->insert_or_assign(i, i);
  bool first = true;
  std::map<int, int> produced;
  c.iterate([&](int k, int) {
    ++produced[k];
    if (first) {
      for (int i = 100; i < 1000; ++i) c->insert_or_assign(i, i);
      for (int i = 1; i < 1000; i += 2) c->erase(i);
      first = false;
    } else {
      EXPECT_EQ(k % 2, 0) << "odd key " << k << " produced after its delete";
    }
  });
  for (int i = 0; i < 100; i += 2) EXPECT_EQ(produced[i], 1) << i;
  for (const auto& [k, n] : produced) EXPECT_EQ(n, 1) << "key " << k << " produced twice";
}

// Verifies that all 16 original keys are produced while the first step grows the table to ~900
// keys (TestIterGrowWithGC). Go needs the GC to keep the old arrays alive; here the iterator must
// keep them alive (spec §7.1): under ASan a freed array read by the iterator is reported.
TEST(IterationDuringGrowth, IteratorKeepsOldArraysAlive) {
  Checked<IntMap> c(std::in_place, std::size_t{4});
  for (int i = 0; i < 8; ++i) c->insert_or_assign(i, i);
  for (int i = 8; i < 16; ++i) c->operator[](i) += i;
  bool grow = true;
  std::uint32_t bitmask = 0;
  c.iterate([&](int k, int v) {
    if (k < 16) {
      bitmask |= 1u << k;
      EXPECT_EQ(v, k);
    }
    if (grow) {
      for (int i = 100; i < 1000; ++i) c->insert_or_assign(i, i);
      grow = false;
    }
  });
  EXPECT_EQ(bitmask, (1u << 16) - 1) << "missing key";
}

// Verifies that an iteration started in the middle of a doubling grow of NaN keys produces every
// value exactly once while, halfway, 16 deletes of a missing key finish the grow
// (TestMapNanGrowIterator; the checkBucket filter uses tophash bit 0 for NaNs, spec §4.2 B.3).
TEST(IterationDuringGrowth, NanIterationStartedMidGrowProducesEachOnce) {
  constexpr int kBuckets = 16;
  constexpr int kKeys = kBuckets * 13 / 2;  // 104: 16 buckets filled to the 6.5 limit
  Checked<FloatMap> c;
  for (int i = 0; i < kKeys; ++i) c->insert_or_assign(nan_value(), i);
  ASSERT_EQ(debug::B(c.get()), 4u);
  c->insert_or_assign(1.0, 1);  // the 105th entry starts a doubling grow
  c->erase(1.0);
  ASSERT_TRUE(debug::growing(c.get()));
  ASSERT_EQ(debug::growth(c.get()), debug::Growth::doubling);
  std::set<int> found;
  c.iterate([&](double, int v) {
    EXPECT_TRUE(found.insert(v).second) << "repeat of value " << v;
    if (found.size() == kKeys / 2) {
      for (int i = 0; i < kBuckets; ++i) c->erase(1.0);  // each still runs growWork
      EXPECT_FALSE(debug::growing(c.get())) << "16 writes finish a 16-bucket grow";
    }
  });
  EXPECT_EQ(found.size(), static_cast<std::size_t>(kKeys)) << "missing value";
}

// Verifies deletes that follow a completed grow during iteration (Appendix A "delete-after-grow"):
// the first step grows the table through several doublings, then deletes half the originals; no
// deleted key is produced afterwards and every surviving original is produced exactly once (G1/G3).
TEST(IterationDuringGrowth, DeleteAfterCompletedGrowNotProduced) {
  for (int round = 0; round < 4; ++round) {
    gomap::seed_thread_random(1000 + round);
    Checked<IntMap> c;
    for (int i = 0; i < 100; ++i) c->insert_or_assign(i, i);
    std::map<int, int> produced;
    std::set<int> deleted;
    bool first = true;
    c.iterate([&](int k, int) {
      EXPECT_EQ(deleted.count(k), 0u) << "deleted key " << k << " produced";
      ++produced[k];
      if (first) {
        first = false;
        for (int i = 1000; i < 1400; ++i) c->insert_or_assign(i, i);  // 100 -> 500: 3 doublings
        for (int i = 0; i < 2000 && debug::growing(c.get()); ++i) c->erase(-1);
        EXPECT_FALSE(debug::growing(c.get()));
        for (int i = 0; i < 100; i += 3) {
          if (i == k) continue;
          deleted.insert(i);
          c->erase(i);
        }
      }
    });
    for (int i = 0; i < 100; ++i) {
      if (deleted.count(i) == 0) {
        EXPECT_EQ(produced[i], 1) << "round " << round << " key " << i;
      }
    }
    for (const auto& [k, n] : produced) ASSERT_EQ(n, 1) << "key " << k << " produced twice";
    if (!c.ok()) return;
  }
}

// Verifies deletes made while a grow started by the iteration's own inserts is still in progress.
TEST(IterationDuringGrowth, DeleteDuringInProgressGrowNotProduced) {
  for (int round = 0; round < 20; ++round) {
    gomap::seed_thread_random(2000 + round);
    Checked<IntMap> c;
    for (int i = 0; i < 104; ++i) c->insert_or_assign(i, i);  // B = 4, full
    std::map<int, int> produced;
    std::set<int> deleted;
    bool first = true;
    c.iterate([&](int k, int) {
      EXPECT_EQ(deleted.count(k), 0u) << "deleted key " << k << " produced";
      ++produced[k];
      if (first) {
        first = false;
        c->insert_or_assign(500, 500);  // starts the doubling
        EXPECT_TRUE(debug::growing(c.get()));
        for (int i = 1; i < 104; i += 2) {
          if (i == k) continue;
          deleted.insert(i);
          c->erase(i);
        }
      }
    });
    for (int i = 0; i < 104; ++i) {
      if (deleted.count(i) == 0) {
        EXPECT_EQ(produced[i], 1) << "round " << round << " key " << i;
      }
    }
    for (const auto& [k, n] : produced) ASSERT_EQ(n, 1) << "key " << k << " produced twice";
    if (!c.ok()) return;
  }
}

// Verifies the Appendix B experiment "insert-until-grow during iteration": 50 keys; every 3rd step
// inserts 40 new keys (several grows), step 5 deletes all odd keys; every even original is
// produced exactly once and no key is produced twice (G1, G2, G3; cockroachdb/swiss#39 class).
TEST(IterationDuringGrowth, InsertUntilGrowDuringIteration) {
  for (int round = 0; round < 6; ++round) {
    gomap::seed_thread_random(3000 + round);
    Checked<IntMap> c;
    for (int i = 0; i < 50; ++i) c->insert_or_assign(i, i);
    std::map<int, int> produced;
    int deleted_below = -1;  // odd keys below this were deleted at step 5
    int step = 0;
    int next_key = 1000;
    c.iterate([&](int k, int) {
      ++produced[k];
      EXPECT_TRUE(k % 2 == 0 || k >= deleted_below) << "deleted odd key " << k;
      ++step;
      if (step % 3 == 0 && next_key < 1000 + 40 * 12) {
        for (int i = 0; i < 40; ++i) {
          c->insert_or_assign(next_key, next_key);
          ++next_key;
        }
      }
      if (step == 5) {
        for (int i = 1; i < next_key; i += 2) c->erase(i);
        deleted_below = next_key;
      }
    });
    for (int i = 0; i < 50; i += 2) EXPECT_EQ(produced[i], 1) << "round " << round << " key " << i;
    for (const auto& [k, n] : produced) ASSERT_EQ(n, 1) << "key " << k << " produced twice";
    if (!c.ok()) return;
  }
}

// Verifies an iteration started in the middle of a doubling grow (the iterator walks unevacuated
// old buckets filtered by hash, spec §4.2 A.2/B.3), with no writes during it: every entry once.
TEST(IterationDuringGrowth, IterationStartedMidDoublingGrowWithoutWrites) {
  for (int round = 0; round < 20; ++round) {
    Checked<IntMap> c;
    for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i * 2);
    ASSERT_TRUE(debug::growing(c.get()));
    ASSERT_EQ(debug::growth(c.get()), debug::Growth::doubling);
    std::map<int, int> produced;
    c.iterate([&](int k, int v) {
      ++produced[k];
      EXPECT_EQ(v, k * 2);
    });
    ASSERT_EQ(produced.size(), 105u);
    for (const auto& [k, n] : produced) ASSERT_EQ(n, 1) << k;
    EXPECT_TRUE(debug::growing(c.get())) << "reads never help a grow (issue #51410)";
  }
}

// Verifies an iteration started mid doubling grow whose body keeps writing (inserts and updates),
// so the grow completes during the iteration: originals exactly once with current values (G1, G5).
TEST(IterationDuringGrowth, IterationStartedMidDoublingGrowWithWrites) {
  for (int round = 0; round < 20; ++round) {
    Checked<IntMap> c;
    for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
    ASSERT_TRUE(debug::growing(c.get()));
    std::map<int, int> produced;
    int step = 0;
    c.iterate([&](int k, int v) {
      ++produced[k];
      if (k < 105) {
        EXPECT_EQ(v, step >= 3 ? k + 1000 : k) << "stale value for " << k;
      }
      if (++step == 3) {
        for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i + 1000);  // also runs growWork
        for (int i = 200; i < 220; ++i) c->insert_or_assign(i, i);
      }
    });
    for (int i = 0; i < 105; ++i) ASSERT_EQ(produced[i], 1) << i;
    for (const auto& [k, n] : produced) ASSERT_EQ(n, 1) << k;
    EXPECT_FALSE(debug::growing(c.get()));
  }
}

// Verifies an iteration started in the middle of a same-size grow (iterator B == map B; old
// buckets are walked unfiltered, spec §4.2 B.3): every entry once, with and without writes.
TEST(IterationDuringGrowth, IterationStartedMidSameSizeGrow) {
  for (bool writes : {false, true}) {
    Checked<IdentityMap> c;
    ASSERT_NO_FATAL_FAILURE(drive_into_same_size_grow(c));
    const std::set<int> originals = {1000, 1001, 1002, 1003, 5000};
    ASSERT_EQ(c.get().size(), originals.size());
    std::map<int, int> produced;
    int step = 0;
    c.iterate([&](int k, int) {
      ++produced[k];
      if (writes && ++step == 1) {
        for (int i = 0; i < 4; ++i) c->insert_or_assign(2000 + i, i);
        EXPECT_FALSE(debug::growing(c.get()));
      }
    });
    for (int k : originals) EXPECT_EQ(produced[k], 1) << "key " << k << " writes " << writes;
    for (const auto& [k, n] : produced) EXPECT_EQ(n, 1) << k;
  }
}

// Verifies an iterator started before a same-size grow survives it (IteratorSurvivesSameSizeGrow):
// the grow starts and completes during the iteration, every original entry once.
TEST(IterationDuringGrowth, IteratorSurvivesSameSizeGrow) {
  Checked<IdentityMap> c;
  for (int k = 0; k < 14; ++k) c->insert_or_assign(k, k);
  for (int k = 0; k < 14; ++k) c->erase(k);
  for (int j = 0; j < 4; ++j) {
    for (int i = 0; i < 9; ++i) c->insert_or_assign(1000 + j + 4 * i, i);
    for (int i = 1; i < 9; ++i) c->erase(1000 + j + 4 * i);
  }
  ASSERT_FALSE(debug::growing(c.get()));
  std::map<int, int> produced;
  bool saw_same_size = false;
  c.iterate([&](int k, int) {
    ++produced[k];
    if (produced.size() == 1) {
      for (int i = 0; i < 6; ++i) {
        c->insert_or_assign(3000 + i, i);
        saw_same_size |= debug::growth(c.get()) == debug::Growth::same_size;
      }
    }
  });
  EXPECT_TRUE(saw_same_size) << "the scenario did not trigger a same-size grow";
  EXPECT_EQ(debug::B(c.get()), 2u);
  for (int j = 0; j < 4; ++j) EXPECT_EQ(produced[1000 + j], 1) << 1000 + j;
  for (const auto& [k, n] : produced) EXPECT_EQ(n, 1) << k;
}

// Verifies "-0.0 overwrite during growth" (Appendix A): an overwrite with -0.0 made while a grow
// is in progress is seen by a later production with the new sign and value (G5, G12), and the
// table keeps one zero entry.
TEST(IterationDuringGrowth, NegativeZeroOverwriteDuringGrowthIsSeen) {
  int produced_after_overwrite = 0;
  for (int round = 0; round < 30; ++round) {
    gomap::seed_thread_random(4000 + round);
    Checked<FloatMap> c;
    c->insert_or_assign(0.0, 1);
    for (int i = 1; i < 104; ++i) c->insert_or_assign(static_cast<double>(i), i);
    bool overwritten = false;
    int zero_seen = 0;
    c.iterate([&](double k, int v) {
      if (k == 0) {
        ++zero_seen;
        if (overwritten) {
          ++produced_after_overwrite;
          EXPECT_TRUE(std::signbit(k)) << "stale key representation";
          EXPECT_EQ(v, -7) << "stale value";
        }
      }
      if (!overwritten) {
        c->insert_or_assign(1000.0, 0);  // 105th key: doubling starts
        EXPECT_TRUE(debug::growing(c.get()));
        c->insert_or_assign(-0.0, -7);
        overwritten = true;
      }
    });
    EXPECT_EQ(zero_seen, 1);
    EXPECT_EQ(c.get().size(), 105u);
    EXPECT_EQ(c.get().at(0.0), -7);
    if (!c.ok()) return;
  }
  EXPECT_GT(produced_after_overwrite, 0) << "the zero key was never produced after the overwrite";
}

// Verifies "NaN keys across grows" (Appendix A, G7): 20 NaN entries are each produced exactly once
// by an iteration during which the table doubles several times, and all 20 are still there after.
TEST(IterationDuringGrowth, NanKeysAcrossSeveralGrows) {
  for (int round = 0; round < 3; ++round) {
    gomap::seed_thread_random(5000 + round);
    Checked<FloatMap> c;
    for (int i = 0; i < 20; ++i) c->insert_or_assign(nan_value(), i);
    std::map<int, int> nan_values;
    int next = 0;
    int step = 0;
    c.iterate([&](double k, int v) {
      if (std::isnan(k)) ++nan_values[v];
      if (++step > 8) return;  // 20 + 8 * 60 entries: B goes from 2 to 7 under the iterator
      for (int i = 0; i < 60; ++i, ++next) c->insert_or_assign(static_cast<double>(next), -1);
    });
    ASSERT_EQ(nan_values.size(), 20u) << "round " << round;
    for (const auto& [v, n] : nan_values) ASSERT_EQ(n, 1) << "NaN value " << v;
    EXPECT_EQ(debug::B(c.get()), 7u);
    int after = 0;
    c.iterate([&](double k, int) { after += std::isnan(k); });
    EXPECT_EQ(after, 20);
    if (!c.ok()) return;
  }
}

// Verifies positional erase by an iterator that started before a grow began: the iterator walks
// its (now old) snapshot, where evacuated slots only stand for entries that live in the new array;
// erase(it) must delete the live entry, never write into the evacuated old chain (I5), and the
// loop `it = erase(it)` must still remove every entry it produces.
TEST(IterationDuringGrowth, PositionalEraseAfterGrowStartedDuringIteration) {
  for (int round = 0; round < 20; ++round) {
    gomap::seed_thread_random(6000 + round);
    Checked<IntMap> c;
    for (int i = 0; i < 104; ++i) c->insert_or_assign(i, i);  // B = 4, full
    auto it = c.begin();
    ASSERT_TRUE(it != c.end());
    std::set<int> erased = {it->first};
    c->erase(it->first);  // by key: erase(it) requires no write since the iterator moved
    c->insert_or_assign(1000, 1000);
    c->insert_or_assign(1001, 1001);  // the 105th entry starts a doubling grow under the iterator
    ASSERT_TRUE(debug::growing(c.get()));
    c.next(it);
    while (it != c.end() && c.ok()) {
      erased.insert(it->first);
      it = c->erase(it);
    }
    for (int i = 0; i < 104; ++i) {
      EXPECT_EQ(erased.count(i), 1u) << "round " << round << ": key " << i << " never produced";
      EXPECT_FALSE(c.get().contains(i))
          << "round " << round << ": key " << i << " survived erase(it)";
    }
    EXPECT_LE(c.get().size(), 2u);
    if (HasFailure()) return;
  }
}

// Verifies that an iteration whose body keeps inserting until several doublings happened still
// ends (each bucket index of its snapshot is started once, spec §4.2) and produces all originals.
TEST(IterationDuringGrowth, IterationEndsDespiteContinuousInserts) {
  Checked<IntMap> c;
  for (int i = 0; i < 10; ++i) c->insert_or_assign(i, i);
  int steps = 0;
  int next = 100;
  std::set<int> originals_seen;
  c.iterate([&](int k, int) {
    if (k < 10) originals_seen.insert(k);
    ++steps;
    for (int i = 0; i < 8; ++i) c->insert_or_assign(next++, 0);
  });
  EXPECT_EQ(originals_seen.size(), 10u);
  EXPECT_LE(steps, 10 + 8 * 10000);  // bounded: produced at most once per instance
  EXPECT_GT(c.get().size(), 10u);
}

}  // namespace
}  // namespace gomap_test
