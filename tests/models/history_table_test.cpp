// History records as people read them: one-line descriptions, validation messages, the per-thread
// table, and the violation report built on it.
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include <mapcheck/models/history.hpp>
#include <mapcheck/models/history_table.hpp>
#include <mapcheck/models/map_linearizability.hpp>

namespace mapcheck::models {
namespace {

constexpr Call kCall{0, 1, 2};

TEST(HistoryText, DescribesEachKindWithItsInputsAndResults) {
  EXPECT_EQ(describe(record::load(kCall, 3, 5)), "load(k3) -> 5");
  EXPECT_EQ(describe(record::load(kCall, 3, std::nullopt)), "load(k3) -> absent");
  EXPECT_EQ(describe(record::contains(kCall, 3, true)), "contains(k3) -> present");
  EXPECT_EQ(describe(record::store(kCall, 3, 5)), "store(k3, 5)");
  EXPECT_EQ(describe(record::insert_or_assign(kCall, 3, 5, true)),
            "insert_or_assign(k3, 5) -> was absent");
  EXPECT_EQ(describe(record::swap(kCall, 3, 5, 4)), "swap(k3, 5) -> was 4");
  EXPECT_EQ(describe(record::insert(kCall, 3, 5, true)), "insert(k3, 5) -> inserted");
  EXPECT_EQ(describe(record::load_or_store(kCall, 3, 5, 4, true)),
            "load_or_store(k3, 5) -> kept 4");
  EXPECT_EQ(describe(record::erase(kCall, 3, false)), "erase(k3) -> absent");
  EXPECT_EQ(describe(record::load_and_delete(kCall, 3, 4)), "load_and_delete(k3) -> erased 4");
  EXPECT_EQ(describe(record::compare_and_swap(kCall, 3, 4, 5, true)),
            "compare_and_swap(k3, 4 => 5) -> true");
  EXPECT_EQ(describe(record::compare_and_delete(kCall, 3, 4, false)),
            "compare_and_delete(k3, 4) -> false");
  EXPECT_EQ(describe(record::clear(kCall)), "clear()");
  EXPECT_EQ(describe(record::size(kCall, 2)), "size() -> 2");
  EXPECT_EQ(describe(record::range(kCall, {{1, 5}, {3, 7}})), "range() -> {k1:5, k3:7}");
  HistoryOp labelled = record::store(kCall, 3, 5);
  labelled.label = "Store";
  EXPECT_EQ(describe(labelled), "Store(k3, 5)");
}

TEST(HistoryText, ValidateNamesTheBadRecord) {
  EXPECT_EQ(validate({record::store(kCall, 1, 1)}), std::nullopt);
  const auto error = validate({record::store(kCall, 1, 1), record::store({0, 9, 3}, 1, 2)});
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("#1"), std::string::npos) << *error;
  HistoryOp no_count = record::size(kCall, 0);
  no_count.size.reset();
  EXPECT_TRUE(validate({no_count}));
}

// One column per thread, rows by invocation, the note column, and filtering to a subset.
TEST(HistoryTable, OneColumnPerThreadRowsByInvocation) {
  const History h{record::load({1, 12, 30}, 1, std::nullopt), record::store({0, 10, 20}, 1, 5),
                  record::store({2, 40, 50}, 2, 6)};
  TableOptions options;
  options.notes[1] = "lin 1";
  const std::string table = history_table(h, options);
  EXPECT_EQ(table,
            "# | invoke..response | note  | thread 0     | thread 1           | thread 2    \n"
            "--+------------------+-------+--------------+--------------------+-------------\n"
            "1 |           10..20 | lin 1 | store(k1, 5) |                    |             \n"
            "0 |           12..30 |       |              | load(k1) -> absent |             \n"
            "2 |           40..50 |       |              |                    | store(k2, 6)\n")
      << table;
  options.only = {2};
  const std::string one = history_table(h, options);
  EXPECT_EQ(one.find("thread 0"), std::string::npos) << one;
  EXPECT_NE(one.find("store(k2, 6)"), std::string::npos) << one;
}

TEST(HistoryTable, LongCellsAreClipped) {
  std::vector<KeyValue> many;
  for (MapKey k = 0; k < 40; ++k) many.push_back({k, 1});
  TableOptions options;
  options.max_cell_width = 20;
  const std::string table = history_table({record::range(kCall, many)}, options);
  EXPECT_NE(table.find("range() -> {k0:1,..."), std::string::npos) << table;
}

// The report of a stale read: explanation, the prefix numbered in the table, the stuck call.
TEST(HistoryTable, ViolationReportShowsPrefixAndStuckCall) {
  const History h{record::store({0, 0, 10}, 1, 1), record::store({0, 20, 30}, 1, 2),
                  record::load({1, 40, 50}, 1, 1)};
  const LinearizabilityReport r = check_linearizable(h);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].longest_prefix, (std::vector<std::size_t>{0, 1}));
  const std::string text = describe_report(h, r);
  EXPECT_NE(text.find("NOT linearizable"), std::string::npos) << text;
  EXPECT_NE(text.find("lin 2 | store(k1, 2)"), std::string::npos) << text;
  EXPECT_NE(text.find("#2 load(k1) -> 1: not allowed when the key is 2"), std::string::npos)
      << text;
}

}  // namespace
}  // namespace mapcheck::models
