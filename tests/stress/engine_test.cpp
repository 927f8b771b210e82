// Tests of the stress engine itself: what the generator deals, what the runner records, and that
// a planted bug is found, classed, minimised and printed as a replayable program.
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

#include "mapcheck/adapters/concurrent/locked_map.hpp"
#include "mapcheck/stress/campaign.hpp"
#include "mapcheck/stress/reproducer.hpp"
#include "misbehaving_concurrent_maps.hpp"

namespace {

namespace stress = mapcheck::stress;
using stress::StressOpKind;
using Std = mapcheck::adapters::LockedStdUnorderedMap;

// Locked std::unordered_map whose insert claims to insert a key that is already there: a
// deterministic bug that one thread shows in two calls (shared with the command's isolation tests).
using InsertAlwaysInserts = mapcheck::isolation_test::ConcurrentInsertLies;

// Locked std::unordered_map whose erase throws.
struct EraseThrows : Std {
  static constexpr std::string_view name = "erase_throws";
  static stress::HistoryOp erase(map_type&, stress::MapKey) { throw std::runtime_error("planted"); }
};

// Verifies that a program depends only on its arguments, deals only offered calls, and runs each
// exclusive call in a burst of its own on thread 0.
TEST(StressGenerator, DealsOfferedCallsAndIsolatesExclusiveOnes) {
  const stress::StressOpSet offered = {StressOpKind::load, StressOpKind::store, StressOpKind::erase,
                                       StressOpKind::clear};
  const stress::StressOpSet exclusive = {StressOpKind::clear};
  stress::StressShape shape;
  shape.threads = 3;
  shape.bursts = 40;
  const stress::StressProgram a = stress::generate(shape, offered, exclusive, 7);
  EXPECT_EQ(a, stress::generate(shape, offered, exclusive, 7));
  EXPECT_NE(a, stress::generate(shape, offered, exclusive, 8));
  std::size_t alone = 0;
  std::map<stress::MapValue, int> written;
  for (const stress::Burst& burst : a.bursts) {
    ASSERT_EQ(burst.threads.size(), 3u);
    for (std::size_t t = 0; t < 3; ++t) {
      for (const stress::StressOp& op : burst.threads[t]) {
        EXPECT_TRUE(offered.has(op.kind)) << stress::info(op.kind).name;
        if (op.kind == StressOpKind::store) {
          EXPECT_EQ(++written[op.value], 1) << "value reused";
        }
        if (!exclusive.has(op.kind)) continue;
        ++alone;
        EXPECT_EQ(t, 0u);
        EXPECT_EQ(burst.threads[0].size(), 1u);
        EXPECT_TRUE(burst.threads[1].empty() && burst.threads[2].empty());
      }
    }
  }
  EXPECT_GT(alone, 0u) << "40 bursts dealt no exclusive call";
}

// Verifies that the runner stamps every call with an interval and that each thread's calls are in
// order, one after the other.
TEST(StressRunner, RecordsOrderedIntervalsPerThread) {
  stress::CampaignOptions options;
  const stress::StressProgram program = stress::program_of<Std>(options, 3);
  const stress::RunResult run = stress::run_program<Std>(program);
  ASSERT_FALSE(run.error.has_value());
  // A thread's last call: (invoke, response). insert_range records one entry per key of a call,
  // all with the call's interval.
  std::map<mapcheck::models::ThreadId, std::pair<std::uint64_t, std::uint64_t>> last;
  std::size_t out_of_order = 0;
  for (const stress::HistoryOp& op : run.history) {
    EXPECT_LT(op.invoke, op.response);
    const auto it = last.find(op.thread);
    const bool same_call = it != last.end() && it->second.first == op.invoke;
    if (it != last.end() && !same_call && op.invoke <= it->second.second) ++out_of_order;
    last[op.thread] = {op.invoke, op.response};
  }
  EXPECT_EQ(out_of_order, 0u);
  EXPECT_EQ(last.size(), program.threads);
  EXPECT_FALSE(stress::attempt<Std>(program).non_linearizable());
}

// Verifies that the planted insert bug is found as non-linearizable, minimised to one thread and
// at most three calls, and printed as a program that replays it.
TEST(StressCampaign, FindsClassesAndMinimisesAPlantedBug) {
  stress::CampaignOptions options;
  options.seconds = 30;
  const stress::CampaignResult result = stress::run_campaign<InsertAlwaysInserts>(options);
  ASSERT_TRUE(result.finding.has_value());
  const stress::StressFinding& f = *result.finding;
  EXPECT_EQ(f.finding, stress::FindingClass::non_linearizable);
  EXPECT_EQ(f.minimal.program.threads, 1u);
  EXPECT_LE(f.minimal.program.op_count(), 3u);
  const std::string text = stress::describe(f);
  EXPECT_NE(text.find("NOT linearizable"), std::string::npos) << text;
  const std::string source = stress::reproducer_source(f.minimal.program, "InsertAlwaysInserts",
                                                       "insert_always_inserts.hpp", "planted");
  EXPECT_NE(source.find("K::insert"), std::string::npos) << source;
  EXPECT_NE(source.find("replay<InsertAlwaysInserts>(program"), std::string::npos) << source;
  std::printf("%s\n%s", text.c_str(), source.c_str());
}

// Verifies that an exception from the map is a finding of its own class, naming the call.
TEST(StressCampaign, ReportsAThrowingCall) {
  stress::CampaignOptions options;
  options.seconds = 30;
  const stress::CampaignResult result = stress::run_campaign<EraseThrows>(options);
  ASSERT_TRUE(result.finding.has_value());
  EXPECT_EQ(result.finding->finding, stress::FindingClass::threw);
  ASSERT_TRUE(result.finding->minimal.failing.run.error.has_value());
  EXPECT_NE(result.finding->minimal.failing.run.error->find("erase threw"), std::string::npos);
  EXPECT_EQ(result.finding->minimal.program.op_count(), 1u);
}

}  // namespace
