// Hash seeds: every map draws its own hash0, redraws it when a delete empties the map and on
// clear, never while entries exist (spec §1.4, Go issue #25237), and processes differ (#66885).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

using IntMap = gomap::Map<int, int>;

// Verifies that maps draw their own seeds: 16 maps, 16 different hash0 (rust-lang/rust#36481 is
// what a shared seed leads to; spec §6.5).
TEST(Seeding, EachMapDrawsItsOwnSeed) {
  std::set<std::uint64_t> seeds;
  for (int i = 0; i < 16; ++i) {
    Checked<IntMap> c;
    c->insert_or_assign(1, 1);
    seeds.insert(debug::hash0(c.get()));
  }
  EXPECT_EQ(seeds.size(), 16u);
}

// Verifies that hash0 stays while entries exist (inserts, growth, deletes) and changes when the
// delete of the last entry empties the map; B stays (Appendix B: fill 1000, delete 999, then the
// last; issue #25237).
TEST(Seeding, DeleteThatEmptiesTheMapDrawsNewSeed) {
  Checked<IntMap> c;
  c->insert_or_assign(0, 0);
  const std::uint64_t seed = debug::hash0(c.get());
  for (int i = 1; i < 1000; ++i) c->insert_or_assign(i, i);
  EXPECT_EQ(debug::hash0(c.get()), seed) << "seed changed while entries existed";
  const unsigned b = debug::B(c.get());
  EXPECT_EQ(b, 8u);
  for (int i = 0; i < 999; ++i) c->erase(i);
  EXPECT_EQ(debug::hash0(c.get()), seed) << "seed changed while entries existed";
  c->erase(999);
  EXPECT_TRUE(c.get().empty());
  EXPECT_NE(debug::hash0(c.get()), seed) << "emptying delete kept the seed";
  EXPECT_EQ(debug::B(c.get()), b);
}

// Verifies that clear() empties the map, keeps B, ends any grow and draws a new seed (Appendix B:
// fill 1000, clear: len 0, B 8, new seed, not growing; spec §3.7).
TEST(Seeding, ClearDrawsNewSeedAndKeepsCapacity) {
  Checked<IntMap> c;
  for (int i = 0; i < 1000; ++i) c->insert_or_assign(i, i);
  const std::uint64_t seed = debug::hash0(c.get());
  c->clear();
  EXPECT_TRUE(c.get().empty());
  EXPECT_EQ(debug::B(c.get()), 8u);
  EXPECT_FALSE(debug::growing(c.get()));
  EXPECT_NE(debug::hash0(c.get()), seed);
  for (int i = 0; i < 832; ++i) c->insert_or_assign(i, i);  // 832 = 6.5 * 2^7 fits without growth
  EXPECT_EQ(debug::B(c.get()), 8u);
  EXPECT_FALSE(debug::growing(c.get()));
}

// Verifies that clear() of a map in the middle of a grow also draws a new seed and ends the grow.
TEST(Seeding, ClearDuringGrowDrawsNewSeed) {
  Checked<IntMap> c;
  for (int i = 0; i < 105; ++i) c->insert_or_assign(i, i);
  ASSERT_TRUE(debug::growing(c.get()));
  const std::uint64_t seed = debug::hash0(c.get());
  c->clear();
  EXPECT_FALSE(debug::growing(c.get()));
  EXPECT_NE(debug::hash0(c.get()), seed);
  EXPECT_EQ(debug::B(c.get()), 5u);
}

// Verifies that operations on an already empty map do not touch the seed: erase of a missing key
// and clear() return early (spec §3.3 step 1, §3.7 step 1).
TEST(Seeding, NoOpsOnEmptyMapKeepTheSeed) {
  Checked<IntMap> c;
  c->insert_or_assign(1, 1);
  c->erase(1);
  const std::uint64_t seed = debug::hash0(c.get());
  c->erase(2);
  EXPECT_EQ(debug::hash0(c.get()), seed);
  c->clear();
  EXPECT_EQ(debug::hash0(c.get()), seed);
  EXPECT_FALSE(c.get().contains(1));
  EXPECT_EQ(debug::hash0(c.get()), seed);
}

// Verifies that the seed is actually used: the same keys land in different bucket layouts in maps
// with different seeds (a hash that ignored hash0 would give identical tophash dumps).
TEST(Seeding, LayoutDependsOnSeed) {
  std::set<std::string> layouts;
  for (int m = 0; m < 8; ++m) {
    Checked<IntMap> c;
    for (int i = 0; i < 50; ++i) c->insert_or_assign(i, i);
    layouts.insert(debug::to_string(debug::dump_current(c.get())));
  }
  EXPECT_GE(layouts.size(), 7u);
}

// The probe run in a child process: prints one map seed and one keyed hash, then exits.
class SeedProbe : public ::testing::Environment {
 public:
  void SetUp() override {
    if (std::getenv("GOMAP_TEST_SEED_PROBE") == nullptr) return;
    IntMap m;
    m.insert_or_assign(1, 1);
    std::printf("GOMAP_SEED_PROBE %llu %llu\n", static_cast<unsigned long long>(debug::hash0(m)),
                static_cast<unsigned long long>(gomap::Hash<std::uint64_t>{}(42, 0)));
    std::fflush(stdout);
    std::_Exit(0);
  }
};
[[maybe_unused]] ::testing::Environment* const kSeedProbe =
    ::testing::AddGlobalTestEnvironment(new SeedProbe);

std::string run_probe() {
  char exe[4096];
  const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return "readlink failed";
  exe[n] = '\0';
  const std::string command = "GOMAP_TEST_SEED_PROBE=1 '" + std::string(exe) + "' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "popen failed";
  std::string found;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    if (std::string(line).rfind("GOMAP_SEED_PROBE ", 0) == 0) found = line + 17;
  }
  const int status = pclose(pipe);
  if (found.empty() || status != 0) return "probe failed, status " + std::to_string(status);
  return found;
}

// Verifies that two processes draw different map seeds and use different process hash keys: the
// same key hashed with seed 0 differs (TestMemHashGlobalSeed, issue #66885; spec §7.6).
TEST(Seeding, ProcessesDrawDifferentSeeds) {
  const std::string a = run_probe();
  const std::string b = run_probe();
  unsigned long long seed_a = 0, hash_a = 0, seed_b = 0, hash_b = 0;
  ASSERT_EQ(std::sscanf(a.c_str(), "%llu %llu", &seed_a, &hash_a), 2) << a;
  ASSERT_EQ(std::sscanf(b.c_str(), "%llu %llu", &seed_b, &hash_b), 2) << b;
  EXPECT_NE(seed_a, seed_b) << "hash0 of the first map is the same in two processes";
  EXPECT_NE(hash_a, hash_b) << "Hash(42, seed 0) is the same in two processes: no process key";
}

}  // namespace
}  // namespace gomap_test
