// The Gibbons-Korach zones check for unique-value registers (register_zones.hpp) on hand-made
// histories: each rule of the zone conditions, and the touching-endpoint cases.
#include <optional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include <mapcheck/models/register_zones.hpp>

namespace mapcheck::models {
namespace {

RegisterAccess write(MapValue v, Timestamp a, Timestamp b) { return {true, v, a, b, 0}; }
RegisterAccess read(std::optional<MapValue> v, Timestamp a, Timestamp b) {
  return {false, v, a, b, 0};
}

// Numbers each access by its position so that explanations can be checked.
ZoneVerdict check(std::vector<RegisterAccess> accesses) {
  for (std::size_t i = 0; i < accesses.size(); ++i) accesses[i].op = i;
  return check_unique_write_register(std::span<const RegisterAccess>(accesses));
}

TEST(RegisterZones, SequentialHistoriesFollowTheWrites) {
  EXPECT_TRUE(check({}).linearizable);
  EXPECT_TRUE(check({read(std::nullopt, 0, 1), write(1, 2, 3), read(1, 4, 5)}).linearizable);
  EXPECT_FALSE(check({write(1, 0, 1), read(std::nullopt, 2, 3)}).linearizable);
}

TEST(RegisterZones, ReadOfAnUnwrittenValueIsIllegal) {
  const ZoneVerdict v = check({write(1, 0, 10), read(2, 20, 30)});
  EXPECT_FALSE(v.linearizable);
  EXPECT_EQ(v.culprits, std::vector<std::size_t>{1});
}

TEST(RegisterZones, ReadEndingBeforeItsWriteStartsIsIllegal) {
  const ZoneVerdict v = check({read(1, 0, 10), write(1, 20, 30)});
  EXPECT_FALSE(v.linearizable);
  EXPECT_EQ(v.culprits, (std::vector<std::size_t>{0, 1}));
  EXPECT_TRUE(check({read(1, 0, 20), write(1, 20, 30)}).linearizable);  // touching: concurrent
}

// Forward zones: 1 must be current from 10 to 40 (write ends 10, read starts 40), and 2 from 20
// to 50: the spans overlap, so one read must see a value overwritten before it started.
TEST(RegisterZones, OverlappingForwardZonesConflict) {
  EXPECT_FALSE(
      check({write(1, 0, 10), write(2, 5, 20), read(1, 40, 45), read(2, 50, 55)}).linearizable);
  // Sequential clusters: 1 from 10 to 15, 2 from 20 to 50.
  EXPECT_TRUE(
      check({write(1, 0, 10), read(1, 15, 18), write(2, 5, 20), read(2, 50, 55)}).linearizable);
}

// Zones that only touch share an instant, where the two clusters can be ordered.
TEST(RegisterZones, TouchingForwardZonesDoNotConflict) {
  // 1: from 10 to 30; 2: from 30 to 50.
  EXPECT_TRUE(
      check({write(1, 0, 10), read(1, 30, 35), write(2, 25, 30), read(2, 50, 55)}).linearizable);
  EXPECT_FALSE(
      check({write(1, 0, 10), read(1, 31, 35), write(2, 25, 30), read(2, 50, 55)}).linearizable);
}

// A backward zone (a cluster of mutually concurrent calls) strictly inside a forward zone has
// nowhere to go: here 2's write [20, 30] lies inside 1's span [10, 40].
TEST(RegisterZones, BackwardZoneInsideAForwardZoneConflicts) {
  EXPECT_FALSE(check({write(1, 0, 10), write(2, 20, 30), read(1, 40, 50)}).linearizable);
  EXPECT_TRUE(check({write(1, 0, 10), write(2, 20, 40), read(1, 40, 50)}).linearizable);
  EXPECT_TRUE(check({write(1, 0, 10), write(2, 10, 30), read(1, 40, 50)}).linearizable);
}

// The initial value's zone starts before everything: a read of "absent" after a completed write
// puts the write's zone inside it.
TEST(RegisterZones, InitialValueZoneStartsBeforeEverything) {
  const ZoneVerdict v = check({write(1, 0, 10), read(std::nullopt, 20, 30)});
  EXPECT_FALSE(v.linearizable);
  EXPECT_NE(v.explanation.find("absence"), std::string::npos) << v.explanation;
  EXPECT_TRUE(check({write(1, 0, 25), read(std::nullopt, 20, 30)}).linearizable);
}

}  // namespace
}  // namespace mapcheck::models
