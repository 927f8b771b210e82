// Textbook histories, each small enough to check by hand, for every kind of call: the checker must
// accept the linearizable ones and reject the others with the violation that names the cause.
//
// Notation in comments: [a, b] is a call's interval; T0, T1... are threads.
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <mapcheck/models/history.hpp>
#include <mapcheck/models/history_table.hpp>
#include <mapcheck/models/map_linearizability.hpp>

namespace mapcheck::models {
namespace {

Call at(ThreadId t, Timestamp invoke, Timestamp response) { return {t, invoke, response}; }

// Checks `h` with the fast path on and off (when it applies, both must agree).
LinearizabilityReport check(const History& h) {
  const LinearizabilityReport with_zones = check_linearizable(h);
  const LinearizabilityReport searched = check_linearizable(h, {.zone_fast_path = false});
  EXPECT_EQ(with_zones.verdict, searched.verdict) << describe_report(h, with_zones);
  return with_zones;
}

::testing::AssertionResult linearizable(const History& h) {
  const LinearizabilityReport r = check(h);
  if (r.verdict == Verdict::ok) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe_report(h, r);
}

// The one violation `h` must have, of `kind` (expectations fail otherwise, and an empty violation
// comes back so that the caller's further checks fail instead of crashing).
Violation one_violation(const History& h, ViolationKind kind) {
  const LinearizabilityReport r = check(h);
  EXPECT_EQ(r.verdict, Verdict::illegal);
  EXPECT_EQ(r.violations.size(), 1u) << describe_report(h, r);
  if (r.violations.empty()) return {};
  EXPECT_EQ(r.violations[0].kind, kind) << describe_report(h, r);
  return r.violations[0];
}

bool mentions(const Violation& v, const std::string& text) {
  return v.explanation.find(text) != std::string::npos;
}

// T0 stores 1, then 2; T1 reads 1 after the second store completed.
TEST(TextbookHistories, StaleReadAfterCompletedWriteIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::store(at(0, 20, 30), 1, 2),
                  record::load(at(1, 40, 50), 1, 1)};
  const Violation v = one_violation(h, ViolationKind::key_not_linearizable);
  EXPECT_EQ(v.key, MapKey{1});
  EXPECT_EQ(v.ops.size(), 3u);
}

// A read that overlaps a write may see the old or the new value.
TEST(TextbookHistories, ReadOverlappingAWriteMaySeeEitherValue) {
  for (MapValue seen : {1, 2}) {
    const History h{record::store(at(0, 0, 10), 1, 1), record::store(at(0, 20, 40), 1, 2),
                    record::load(at(1, 30, 50), 1, seen)};
    EXPECT_TRUE(linearizable(h)) << seen;
  }
}

// New-old inversion: T1 sees the new value, then T2 (starting later) sees the old one.
TEST(TextbookHistories, NewOldInversionIsIllegal) {
  const History h{record::store(at(0, 0, 5), 1, 1), record::store(at(0, 10, 100), 1, 2),
                  record::load(at(1, 20, 30), 1, 2), record::load(at(2, 40, 50), 1, 1)};
  one_violation(h, ViolationKind::key_not_linearizable);
}

TEST(TextbookHistories, ReadOfAValueNeverWrittenIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::load(at(1, 5, 15), 1, 7)};
  const Violation v = one_violation(h, ViolationKind::key_not_linearizable);
  EXPECT_TRUE(mentions(v, "7")) << v.explanation;
}

// Lost update: two swaps both report the key absent, so neither saw the other's write.
TEST(TextbookHistories, LostUpdateIsIllegal) {
  const History h{record::swap(at(0, 0, 10), 1, 1, std::nullopt),
                  record::swap(at(1, 2, 12), 1, 2, std::nullopt)};
  one_violation(h, ViolationKind::key_not_linearizable);
  const History ok{record::swap(at(0, 0, 10), 1, 1, std::nullopt),
                   record::swap(at(1, 2, 12), 1, 2, 1)};
  EXPECT_TRUE(linearizable(ok));
}

TEST(TextbookHistories, TwoConcurrentInsertsBothInsertingIsIllegal) {
  const History both{record::insert(at(0, 0, 10), 1, 1, true),
                     record::insert(at(1, 0, 10), 1, 2, true)};
  one_violation(both, ViolationKind::key_not_linearizable);
  const History one{record::insert(at(0, 0, 10), 1, 1, true),
                    record::insert(at(1, 0, 10), 1, 2, false, 1)};
  EXPECT_TRUE(linearizable(one));
  // The loser must report the winner's value.
  const History wrong_value{record::load_or_store(at(0, 0, 10), 1, 1, 1, false),
                            record::load_or_store(at(1, 0, 10), 1, 2, 2, true)};
  one_violation(wrong_value, ViolationKind::key_not_linearizable);
}

TEST(TextbookHistories, CompareAndSwapSuccessOnAWrongValueIsIllegal) {
  const History wrong{record::store(at(0, 0, 10), 1, 1),
                      record::compare_and_swap(at(1, 20, 30), 1, 2, 3, true)};
  one_violation(wrong, ViolationKind::key_not_linearizable);
  const History right{record::store(at(0, 0, 10), 1, 1),
                      record::compare_and_swap(at(1, 20, 30), 1, 1, 3, true),
                      record::load(at(0, 40, 50), 1, 3)};
  EXPECT_TRUE(linearizable(right));
}

TEST(TextbookHistories, CompareAndSwapFailureOnTheExpectedValueIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1),
                  record::compare_and_swap(at(1, 20, 30), 1, 1, 3, false)};
  one_violation(h, ViolationKind::key_not_linearizable);
}

// Two CAS from the same value both succeed: one of them must have seen the other's result.
TEST(TextbookHistories, TwoConcurrentCompareAndSwapsFromOneValueBothSucceedingIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 0),
                  record::compare_and_swap(at(1, 20, 30), 1, 0, 1, true),
                  record::compare_and_swap(at(2, 20, 30), 1, 0, 2, true)};
  one_violation(h, ViolationKind::key_not_linearizable);
}

TEST(TextbookHistories, CompareAndDeleteMustMatchAndDelete) {
  const History wrong{record::store(at(0, 0, 10), 1, 1),
                      record::compare_and_delete(at(1, 20, 30), 1, 2, true)};
  one_violation(wrong, ViolationKind::key_not_linearizable);
  const History not_deleted{record::store(at(0, 0, 10), 1, 1),
                            record::compare_and_delete(at(1, 20, 30), 1, 1, true),
                            record::load(at(0, 40, 50), 1, 1)};
  one_violation(not_deleted, ViolationKind::key_not_linearizable);
  const History right{record::store(at(0, 0, 10), 1, 1),
                      record::compare_and_delete(at(1, 20, 30), 1, 1, true),
                      record::load(at(0, 40, 50), 1, std::nullopt)};
  EXPECT_TRUE(linearizable(right));
}

// Two LoadAndDeletes of one stored value both return it: the value was removed twice.
TEST(TextbookHistories, DoubleDeleteIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 4), record::load_and_delete(at(1, 20, 30), 1, 4),
                  record::load_and_delete(at(2, 20, 30), 1, 4)};
  one_violation(h, ViolationKind::key_not_linearizable);
  const History erase_absent{record::erase(at(0, 0, 10), 1, true)};
  one_violation(erase_absent, ViolationKind::key_not_linearizable);
}

TEST(TextbookHistories, ClearNotSeenByALaterReadIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::clear(at(1, 20, 30)),
                  record::load(at(0, 40, 50), 1, 1)};
  one_violation(h, ViolationKind::key_not_linearizable);
  const History overlapping{record::store(at(0, 0, 10), 1, 1), record::clear(at(1, 20, 60)),
                            record::load(at(0, 40, 50), 1, 1)};
  EXPECT_TRUE(linearizable(overlapping));
}

// clear() is checked per key: here k1 is gone by 20 and k2 still there at 30, inside one clear
// call. An atomic clear could not do that; the per-key check accepts it by design.
TEST(TextbookHistories, ClearIsCheckedPerKeyNotAtomically) {
  const History h{record::store(at(0, 0, 5), 1, 1), record::store(at(0, 6, 9), 2, 2),
                  record::clear(at(1, 10, 100)), record::load(at(0, 15, 20), 1, std::nullopt),
                  record::load(at(0, 30, 40), 2, 2)};
  EXPECT_TRUE(linearizable(h));
}

// After two completed stores to different keys, a quiescent size() must say 2.
TEST(TextbookHistories, SizeAtQuiescenceMustCountTheKeys) {
  History h{record::store(at(0, 0, 10), 1, 1), record::store(at(1, 0, 10), 2, 2),
            record::size(at(0, 20, 30), 3)};
  const Violation v = one_violation(h, ViolationKind::size_not_allowed);
  EXPECT_EQ(check(h).stats.sizes_checked, 1u);
  EXPECT_EQ(v.ops, std::vector<std::size_t>{2});
  h[2].size = 2;
  EXPECT_TRUE(linearizable(h));
}

// A concurrent store and erase of one key: the size after them may count the key or not.
TEST(TextbookHistories, SizeAllowsEveryCountSomeLinearizationGives) {
  for (std::uint64_t n : {0, 1, 2}) {
    const History h{record::store(at(0, 0, 10), 1, 1), record::erase(at(1, 0, 10), 1, std::nullopt),
                    record::size(at(0, 20, 30), n)};
    EXPECT_EQ(check(h).verdict, n <= 1 ? Verdict::ok : Verdict::illegal) << n;
  }
}

// As above, but a later read shows the erase came last: the size in between must be 0. The checker
// must carry the whole sub-history's constraints to the quiescent point, not just its prefix.
TEST(TextbookHistories, SizeHonoursWhatLaterCallsReveal) {
  History h{record::store(at(0, 0, 10), 1, 1), record::erase(at(1, 0, 10), 1, std::nullopt),
            record::size(at(0, 20, 30), 1), record::load(at(1, 40, 50), 1, std::nullopt)};
  one_violation(h, ViolationKind::size_not_allowed);
  h[2].size = 0;
  EXPECT_TRUE(linearizable(h));
}

// A size() that overlaps a write is not checked (and counted as such).
TEST(TextbookHistories, SizeWithACallInFlightIsUnchecked) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::size(at(1, 5, 15), 42)};
  const LinearizabilityReport r = check(h);
  EXPECT_EQ(r.verdict, Verdict::ok);
  EXPECT_EQ(r.stats.sizes_unchecked, 1u);
  EXPECT_EQ(r.stats.sizes_checked, 0u);
}

TEST(TextbookHistories, RangeProducingAKeyTwiceIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1),
                  record::range(at(1, 20, 30), {{1, 1}, {1, 1}})};
  one_violation(h, ViolationKind::range_duplicate_key);
}

// A phantom: the range produced a value the key cannot have held while the range ran.
TEST(TextbookHistories, RangeProducingAPhantomIsIllegal) {
  const History never_written{record::store(at(0, 0, 10), 1, 1),
                              record::range(at(1, 20, 30), {{1, 9}})};
  Violation v = one_violation(never_written, ViolationKind::key_not_linearizable);
  EXPECT_TRUE(mentions(v, "phantom")) << v.explanation;
  const History overwritten_before{record::store(at(0, 0, 10), 1, 1),
                                   record::store(at(0, 12, 18), 1, 2),
                                   record::range(at(1, 20, 30), {{1, 1}})};
  v = one_violation(overwritten_before, ViolationKind::key_not_linearizable);
  EXPECT_TRUE(mentions(v, "phantom")) << v.explanation;
  const History written_after{record::range(at(1, 0, 10), {{1, 1}}),
                              record::store(at(0, 20, 30), 1, 1)};
  one_violation(written_after, ViolationKind::key_not_linearizable);
  const History unknown_key{record::range(at(1, 0, 10), {{5, 1}})};
  one_violation(unknown_key, ViolationKind::key_not_linearizable);
}

// A missed key: present for the whole range with nothing writing it, yet not produced.
TEST(TextbookHistories, RangeMissingAStableKeyIsIllegal) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::store(at(0, 11, 15), 2, 2),
                  record::range(at(1, 20, 30), {{2, 2}})};
  const Violation v = one_violation(h, ViolationKind::key_not_linearizable);
  EXPECT_EQ(v.key, MapKey{1});
  EXPECT_TRUE(mentions(v, "missed key")) << v.explanation;
}

// Weak consistency: a key written during the range may be produced with the old or new value, or
// not at all; a range may mix instants across keys.
TEST(TextbookHistories, RangeIsWeaklyConsistent) {
  const History base{record::store(at(0, 0, 10), 1, 1), record::store(at(0, 11, 15), 2, 2)};
  for (const auto& seen :
       std::vector<std::vector<KeyValue>>{{{1, 1}, {2, 2}}, {{1, 3}, {2, 2}}, {{2, 2}}}) {
    History h = base;
    h.push_back(record::store(at(0, 25, 35), 1, 3));
    h.push_back(record::range(at(1, 20, 40), seen));
    EXPECT_TRUE(linearizable(h)) << describe(h.back());
  }
  History erased = base;
  erased.push_back(record::erase(at(0, 25, 35), 2, true));
  erased.push_back(record::range(at(1, 20, 40), {{1, 1}}));
  EXPECT_TRUE(linearizable(erased));
  // Mixed instants: k1 read before its erase, k2 read after its insert.
  const History mixed{
      record::store(at(0, 0, 5), 1, 1), record::range(at(1, 10, 100), {{1, 1}, {2, 2}}),
      record::erase(at(0, 20, 30), 1, true), record::insert(at(0, 40, 50), 2, 2, true)};
  EXPECT_TRUE(linearizable(mixed));
}

// Five overlapping calls that fit in one order only: A inserts 1, B fails on A's 1, C erases
// it, D inserts 3, E (after all) reads 3. If B claims to have seen 2 (its own value, which it did
// not insert), no order works.
TEST(TextbookHistories, OverlappingCallsWithOnlyOneOrder) {
  History h{record::insert(at(0, 0, 50), 1, 1, true), record::insert(at(1, 10, 60), 1, 2, false, 1),
            record::load_and_delete(at(2, 20, 70), 1, 1), record::insert(at(3, 30, 80), 1, 3, true),
            record::load(at(0, 90, 100), 1, 3)};
  EXPECT_TRUE(linearizable(h));
  h[1] = record::insert(at(1, 10, 60), 1, 2, false, 2);
  const Violation v = one_violation(h, ViolationKind::key_not_linearizable);
  EXPECT_FALSE(v.longest_prefix.empty());
}

// Keys are independent: a violation on one key names that key only.
TEST(TextbookHistories, ViolationsNameTheirKey) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::store(at(0, 0, 10), 2, 2),
                  record::load(at(1, 20, 30), 1, 1), record::load(at(1, 20, 30), 2, 1)};
  const Violation v = one_violation(h, ViolationKind::key_not_linearizable);
  EXPECT_EQ(v.key, MapKey{2});
  EXPECT_EQ(check(h).stats.keys, 2u);
}

// Touching intervals (one's response equals the other's invocation) are concurrent.
TEST(TextbookHistories, EqualTimestampsMeanConcurrent) {
  const History h{record::store(at(0, 0, 10), 1, 1), record::load(at(1, 10, 20), 1, std::nullopt)};
  EXPECT_TRUE(linearizable(h));
  const History apart{record::store(at(0, 0, 10), 1, 1),
                      record::load(at(1, 11, 20), 1, std::nullopt)};
  one_violation(apart, ViolationKind::key_not_linearizable);
}

TEST(TextbookHistories, EmptyHistoryIsLinearizable) {
  EXPECT_TRUE(linearizable({}));
  EXPECT_EQ(check({record::size(at(0, 0, 1), 1)}).verdict, Verdict::illegal);
}

TEST(TextbookHistories, MalformedHistoryIsRejected) {
  EXPECT_THROW(check_linearizable({record::store(at(0, 10, 5), 1, 1)}), std::invalid_argument);
  HistoryOp contradictory = record::load(at(0, 0, 1), 1, 5);
  contradictory.observed.found = false;
  EXPECT_THROW(check_linearizable({contradictory}), std::invalid_argument);
}

// A pathological key with a tiny budget is undecided, not hung, and reports how far it got.
TEST(TextbookHistories, ExhaustedBudgetIsUndecided) {
  History h;
  for (ThreadId t = 0; t < 8; ++t)
    h.push_back(record::insert_or_assign(at(t, 0, 100), 1, t, t == 0));
  h.push_back(record::load(at(0, 200, 210), 1, 99));
  const LinearizabilityReport r = check_linearizable(h, {.node_budget_per_key = 20});
  EXPECT_EQ(r.verdict, Verdict::unknown) << describe_report(h, r);
  ASSERT_EQ(r.undecided.size(), 1u);
  EXPECT_EQ(r.undecided[0].key, MapKey{1});
  EXPECT_EQ(r.undecided[0].ops, 9u);
  EXPECT_GE(r.undecided[0].nodes, 20u);
  EXPECT_EQ(check_linearizable(h).verdict, Verdict::illegal);
}

}  // namespace
}  // namespace mapcheck::models
