// The per-key sequential specification (key_register.hpp): for every kind, which reported outputs
// each state allows and which state follows.
#include <optional>

#include <gtest/gtest.h>

#include <mapcheck/models/history.hpp>
#include <mapcheck/models/key_register.hpp>

namespace mapcheck::models {
namespace {

using State = KeyRegister::State;
constexpr Call kCall{0, 0, 1};
const State kAbsent = std::nullopt;
// A step's result that is the absent state (comparing it with kAbsent would test engagement).
const std::optional<State> kToAbsent(kAbsent);

// The state after `op` from `s`, or nothing when `op`'s outputs are not allowed from `s`.
std::optional<State> after(const State& s, const HistoryOp& op) {
  return KeyRegister::step(s, key_input(op), op.observed);
}

// A load reports the state exactly: presence, and the value when it names one.
TEST(KeyRegister, LoadMustReportTheState) {
  EXPECT_EQ(after(kAbsent, record::load(kCall, 1, std::nullopt)), kToAbsent);
  EXPECT_EQ(after(State(5), record::load(kCall, 1, 5)), State(5));
  EXPECT_FALSE(after(State(5), record::load(kCall, 1, 6)));
  EXPECT_FALSE(after(State(5), record::load(kCall, 1, std::nullopt)));
  EXPECT_FALSE(after(kAbsent, record::load(kCall, 1, 5)));
  EXPECT_TRUE(after(State(5), record::contains(kCall, 1, true)));
  EXPECT_FALSE(after(State(5), record::contains(kCall, 1, false)));
}

// A store always succeeds; what it reports about the previous value must match.
TEST(KeyRegister, StoreWritesAndReportsThePreviousState) {
  EXPECT_EQ(after(kAbsent, record::store(kCall, 1, 7)), State(7));
  EXPECT_EQ(after(State(3), record::store(kCall, 1, 7)), State(7));
  EXPECT_EQ(after(kAbsent, record::insert_or_assign(kCall, 1, 7, true)), State(7));
  EXPECT_FALSE(after(State(3), record::insert_or_assign(kCall, 1, 7, true)));
  EXPECT_EQ(after(State(3), record::swap(kCall, 1, 7, 3)), State(7));
  EXPECT_FALSE(after(State(3), record::swap(kCall, 1, 7, 4)));
  EXPECT_FALSE(after(State(3), record::swap(kCall, 1, 7, std::nullopt)));
}

// Insert-if-absent writes only into an absent key; `value` is the value after the call.
TEST(KeyRegister, InsertWritesOnlyWhenAbsent) {
  EXPECT_EQ(after(kAbsent, record::insert(kCall, 1, 7, true)), State(7));
  EXPECT_FALSE(after(State(3), record::insert(kCall, 1, 7, true)));
  EXPECT_EQ(after(State(3), record::insert(kCall, 1, 7, false, 3)), State(3));
  EXPECT_FALSE(after(State(3), record::insert(kCall, 1, 7, false, 7)));
  EXPECT_EQ(after(kAbsent, record::load_or_store(kCall, 1, 7, 7, false)), State(7));
  EXPECT_FALSE(after(kAbsent, record::load_or_store(kCall, 1, 7, 3, false)));
  EXPECT_FALSE(after(State(3), record::load_or_store(kCall, 1, 7, 7, true)));
}

TEST(KeyRegister, EraseEmptiesAndReportsWhatItRemoved) {
  EXPECT_EQ(after(State(3), record::erase(kCall, 1, true)), kToAbsent);
  EXPECT_FALSE(after(kAbsent, record::erase(kCall, 1, true)));
  EXPECT_EQ(after(kAbsent, record::erase(kCall, 1, false)), kToAbsent);
  EXPECT_EQ(after(State(3), record::erase(kCall, 1, std::nullopt)), kToAbsent);
  EXPECT_EQ(after(State(3), record::load_and_delete(kCall, 1, 3)), kToAbsent);
  EXPECT_FALSE(after(State(3), record::load_and_delete(kCall, 1, 4)));
  EXPECT_FALSE(after(State(3), record::load_and_delete(kCall, 1, std::nullopt)));
}

// Compare-and-swap/delete succeed exactly when the key holds the expected value (absent never
// matches).
TEST(KeyRegister, CompareOpsSucceedExactlyOnTheExpectedValue) {
  EXPECT_EQ(after(State(3), record::compare_and_swap(kCall, 1, 3, 9, true)), State(9));
  EXPECT_FALSE(after(State(3), record::compare_and_swap(kCall, 1, 4, 9, true)));
  EXPECT_FALSE(after(State(3), record::compare_and_swap(kCall, 1, 3, 9, false)));
  EXPECT_EQ(after(State(3), record::compare_and_swap(kCall, 1, 4, 9, false)), State(3));
  EXPECT_FALSE(after(kAbsent, record::compare_and_swap(kCall, 1, 0, 9, true)));
  EXPECT_EQ(after(State(3), record::compare_and_delete(kCall, 1, 3, true)), kToAbsent);
  EXPECT_FALSE(after(State(3), record::compare_and_delete(kCall, 1, 4, true)));
  EXPECT_EQ(after(State(3), record::compare_and_delete(kCall, 1, 4, false)), State(3));
  EXPECT_FALSE(after(kAbsent, record::compare_and_delete(kCall, 1, 0, true)));
}

// An output the map did not report constrains nothing, and the next state does not depend on it.
TEST(KeyRegister, UnreportedOutputsOnlyCheckLess) {
  HistoryOp cas = record::compare_and_swap(kCall, 1, 3, 9, true);
  cas.observed.succeeded.reset();
  EXPECT_EQ(after(State(3), cas), State(9));
  EXPECT_EQ(after(State(4), cas), State(4));
  HistoryOp load = record::load(kCall, 1, 5);
  load.observed = {};
  EXPECT_EQ(after(State(8), load), State(8));
}

// clear() reaches a key as an erase that reports nothing.
TEST(KeyRegister, ClearIsAnUnreportedErase) {
  const HistoryOp clear = record::clear(kCall);
  EXPECT_EQ(key_input(clear).kind, KeyOpKind::erase);
  EXPECT_EQ(KeyRegister::step(State(3), key_input(clear), {}), kToAbsent);
}

TEST(KeyRegister, StatesHashAndDescribeDistinctly) {
  EXPECT_NE(KeyRegister::hash(State(0)), KeyRegister::hash(kAbsent));
  EXPECT_EQ(KeyRegister::describe(kAbsent), "absent");
  EXPECT_EQ(KeyRegister::describe(State(-4)), "-4");
}

}  // namespace
}  // namespace mapcheck::models
