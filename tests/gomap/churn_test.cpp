// Churn at constant size: delete/insert cycles keep B fixed and the overflow count bounded because
// same-size grows re-pack the chains (Go issue #16070; the swiss map lacked this, #70886).
#include <algorithm>
#include <cstdint>
#include <cstdio>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;

// Verifies the Appendix B churn experiment: 96 keys, then rounds of delete-oldest / insert-new.
// B stays 4 throughout, same-size grows happen (observed via debug::growth), and noverflow stays
// bounded (a grow starts once it reaches 2^B = 16 and resets it). Go's experiment ran 200000
// rounds (by its write count, roughly one same-size grow per 1000-2000 rounds); 12000 rounds keep
// the every-step check affordable under ASan and still go through many same-size grows.
TEST(Churn, ConstantSizeChurnKeepsBAndRepacks) {
  constexpr int kSize = 96;
  constexpr int kRounds = 12000;
  gomap::seed_thread_random(16070);
  Checked<IntMap> c;
  for (int i = 0; i < kSize; ++i) c->insert_or_assign(i, i);
  ASSERT_EQ(debug::B(c.get()), 4u);
  int same_size_steps = 0;
  int same_size_grows = 0;
  std::size_t max_noverflow = 0;
  std::size_t max_chain = 0;
  bool was_same_size = false;
  for (int r = 0; r < kRounds; ++r) {
    c->erase(r);
    c->insert_or_assign(r + kSize, r);
    const bool same_size = debug::growth(c.get()) == debug::Growth::same_size;
    same_size_steps += same_size;
    same_size_grows += same_size && !was_same_size;
    was_same_size = same_size;
    max_noverflow = std::max(max_noverflow, debug::noverflow(c.get()));
    if (r % 1000 == 0) max_chain = std::max(max_chain, longest_chain(debug::dump_current(c.get())));
    if (debug::B(c.get()) != 4u || !c.ok()) {
      ADD_FAILURE() << "round " << r << ": B changed to " << debug::B(c.get()) << "\n"
                    << describe_tables(c.get());
      return;
    }
  }
  EXPECT_EQ(c.get().size(), static_cast<std::size_t>(kSize));
  EXPECT_GE(same_size_grows, 2) << "only " << same_size_grows << " same-size grows in " << kRounds
                                << " rounds";
  std::printf(
      "[ churn    ] %d same-size grows, %d writes while growing same-size, max noverflow %zu, "
      "longest chain %zu buckets\n",
      same_size_grows, same_size_steps, max_noverflow, max_chain);
  EXPECT_GT(same_size_steps, 0);
  EXPECT_LE(max_noverflow, 48u) << "overflow buckets accumulate";
  EXPECT_LE(max_chain, 17u);  // at most 16 overflow buckets before a same-size grow re-packs
  for (int k = kRounds; k < kRounds + kSize; ++k) ASSERT_EQ(c.get().at(k), k - kSize);
}

// Verifies churn with an adversarial hasher that puts every key in one chain: deletes leave holes
// that inserts reuse (first empty slot), so the chain never grows beyond what the live count needs
// and B stays put (spec §3.2 step 8).
TEST(Churn, SingleChainChurnReusesHoles) {
  Checked<ConstantMap> c;
  for (int i = 0; i < 20; ++i) c->insert_or_assign(i, i);
  const unsigned b = debug::B(c.get());
  const std::size_t chain = chain_slots(debug::dump_current(c.get()), 0).size();
  for (int r = 0; r < 2000; ++r) {
    c->erase(r);
    c->insert_or_assign(r + 20, r);
    ASSERT_TRUE(c.ok());
  }
  EXPECT_EQ(debug::B(c.get()), b);
  EXPECT_EQ(chain_slots(debug::dump_current(c.get()), 0).size(), chain);
  EXPECT_EQ(c.get().size(), 20u);
}

// Verifies that with a live iterator during churn (oldIterator set at grow start, so evacuation
// keeps copies, spec §7.2) the map stays sound and the iterator, resumed afterwards, still ends
// and only produces live entries.
TEST(Churn, ChurnWithLiveIteratorStaysSound) {
  gomap::seed_thread_random(70886);
  Checked<IntMap> c;
  for (int i = 0; i < 96; ++i) c->insert_or_assign(i, i);
  auto it = c.begin();
  int produced = 0;
  // Reads the entry right after positioning (it-> is valid until the next write).
  auto produce = [&] {
    if (it == c.end()) return;
    EXPECT_TRUE(c.get().contains(it->first)) << "produced deleted key " << it->first;
    ++produced;
  };
  produce();
  for (int r = 0; r < 3000; ++r) {
    c->erase(r);
    c->insert_or_assign(r + 96, r);
    if (r % 100 == 0 && it != c.end()) {
      c.next(it);
      produce();
    }
    ASSERT_TRUE(c.ok());
  }
  while (it != c.end()) {
    c.next(it);
    produce();
  }
  EXPECT_GT(produced, 0);
  EXPECT_EQ(debug::B(c.get()), 4u);
}

}  // namespace
}  // namespace gomap_test
