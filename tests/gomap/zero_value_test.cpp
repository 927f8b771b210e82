// Zero values: a new entry made by operator[] is value-initialised even when it reuses the slot of
// a deleted entry (Go issue #25936, invariant I7), and missing keys read as absent / zero.
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "checked_map.hpp"
#include "test_support.hpp"

namespace gomap_test {
namespace {

// TestIncrementAfterDeleteValueInt / ...ValueInt32 / ...ValueInt64, one body per value type.
template <class V>
class IncrementAfterDelete : public ::testing::Test {};
using IntValueTypes = ::testing::Types<int, std::int32_t, std::int64_t, unsigned char>;
TYPED_TEST_SUITE(IncrementAfterDelete, IntValueTypes);

// Verifies that after m[k1] = 99; delete(m, k1), m[k2]++ yields 1 (the reused slot's value is
// value-initialised, issue #25936). Both keys share the single bucket of a B = 0 map.
TYPED_TEST(IncrementAfterDelete, ReusedSlotStartsFromZero) {
  Checked<gomap::Map<int, TypeParam>> c;
  c->insert_or_assign(12, TypeParam{99});
  c->erase(12);
  c->operator[](13)++;
  EXPECT_EQ(c.get().at(13), TypeParam{1});
  EXPECT_EQ(c.get().size(), 1u);
}

// Verifies the same with string keys (TestIncrementAfterDeleteKeyStringValueInt).
TEST(ZeroValue, IncrementAfterDeleteStringKeyIntValue) {
  Checked<gomap::Map<std::string, int>> c;
  c->insert_or_assign("", 99);
  c->erase("");
  c->operator[]("x")++;
  EXPECT_EQ(c.get().at("x"), 1);
}

// Verifies that a reused slot's string value starts empty: m[k2] += "1" gives "1"
// (TestIncrementAfterDeleteKeyValueString).
TEST(ZeroValue, AppendAfterDeleteStringValue) {
  Checked<gomap::Map<std::string, std::string>> c;
  c->insert_or_assign("", "99");
  c->erase("");
  c->operator[]("x") += "1";
  EXPECT_EQ(c.get().at("x"), "1");
}

// Verifies the same after the range-delete idiom (TestIncrementAfterBulkClearKeyStringValueInt;
// Go compiles `for k := range m { delete(m, k) }` to mapclear) and after clear().
TEST(ZeroValue, IncrementAfterBulkClear) {
  {
    Checked<gomap::Map<std::string, int>> c;
    c->insert_or_assign("", 99);
    for (auto it = c.begin(); it != c.end(); c.next(it)) {
      const std::string k = it->first;
      c->erase(k);
    }
    EXPECT_TRUE(c.get().empty());
    c->operator[]("x")++;
    EXPECT_EQ(c.get().at("x"), 1);
  }
  {
    Checked<gomap::Map<std::string, int>> c;
    c->insert_or_assign("", 99);
    c->clear();
    c->operator[]("x")++;
    EXPECT_EQ(c.get().at("x"), 1);
  }
}

// Verifies value-initialisation for every slot of a full bucket and its overflow: 12 entries
// holding 99 are deleted, then 12 new keys are incremented (each reuses a former slot).
TEST(ZeroValue, EveryReusedSlotStartsFromZero) {
  Checked<ConstantMap> c;  // one chain: slot reuse is certain
  for (int k = 0; k < 12; ++k) c->insert_or_assign(k, 99);
  for (int k = 0; k < 12; ++k) c->erase(k);
  for (int k = 100; k < 112; ++k) c->operator[](k) += 1;
  for (int k = 100; k < 112; ++k) EXPECT_EQ(c.get().at(k), 1) << k;
}

struct Huge {
  std::array<unsigned char, 4000> bytes;  // no constructor: value-initialisation zero-fills
};

bool all_zero(const Huge& h) {
  for (unsigned char b : h.bytes)
    if (b != 0) return false;
  return true;
}

// Verifies a 4000-byte value type (TestMapHugeZero): a missing key is absent for find/contains/
// at, and operator[] yields an all-zero value, also in a slot whose previous value was non-zero.
TEST(ZeroValue, HugeValueMissingKeyReadsZero) {
  Checked<gomap::Map<int, Huge>> c;
  EXPECT_TRUE(c->find(1) == c.end());
  EXPECT_FALSE(c.get().contains(1));
  EXPECT_THROW((void)c.get().at(1), std::out_of_range);
  EXPECT_TRUE(all_zero(c->operator[](1)));
  Huge ones;
  ones.bytes.fill(0xFF);
  c->insert_or_assign(2, ones);
  EXPECT_FALSE(all_zero(c.get().at(2)));
  c->erase(2);
  EXPECT_TRUE(all_zero(c->operator[](3))) << "slot of the deleted huge value was reused dirty";
  EXPECT_TRUE(all_zero(c->operator[](2)));
  EXPECT_EQ(c.get().size(), 3u);
}

// Verifies the 4000-byte type as a key: the zero key is absent until inserted, then found.
TEST(ZeroValue, HugeKeyZeroKeyIsAbsentUntilInserted) {
  Checked<gomap::Map<std::array<unsigned char, 4000>, int>> c;
  const std::array<unsigned char, 4000> zero{};
  EXPECT_FALSE(c.get().contains(zero));
  EXPECT_EQ(c.get().count(zero), 0u);
  c->operator[](zero) += 5;
  EXPECT_EQ(c.get().at(zero), 5);
  auto other = zero;
  other[3999] = 1;
  EXPECT_FALSE(c.get().contains(other));
}

}  // namespace
}  // namespace gomap_test
