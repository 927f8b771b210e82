// The generic linearizability search (linearizability.hpp), on the key register and on a toy
// counter that gives only the required parts of a model (model_traits supplies the rest).
#include <algorithm>
#include <optional>
#include <span>
#include <vector>

#include <gtest/gtest.h>

#include <mapcheck/models/history.hpp>
#include <mapcheck/models/key_register.hpp>
#include <mapcheck/models/linearizability.hpp>

namespace mapcheck::models {
namespace {

// A counter: `add` adds its amount and reports the total before; `read` reports the total.
// Output nullopt: not reported.
struct Counter {
  using State = int;
  struct Input {
    bool is_add;
    int amount;
  };
  using Output = std::optional<int>;
  static State init() { return 0; }
  static std::optional<State> step(const State& s, const Input& in, const Output& out) {
    if (out && *out != s) return std::nullopt;
    return in.is_add ? s + in.amount : s;
  }
};
static_assert(SequentialSpec<Counter>);
static_assert(SequentialSpec<KeyRegister>);

TimedOp<Counter> add(int amount, int before, std::uint64_t a, std::uint64_t b) {
  return {{true, amount}, before, a, b};
}
TimedOp<Counter> add_unreported(int amount, std::uint64_t a, std::uint64_t b) {
  return {{true, amount}, std::nullopt, a, b};
}
TimedOp<Counter> read(int total, std::uint64_t a, std::uint64_t b) {
  return {{false, 0}, total, a, b};
}

TimedOp<KeyRegister> timed(const HistoryOp& op) {
  return {key_input(op), op.observed, op.invoke, op.response};
}

template <class M>
SearchResult<M> search(const std::vector<TimedOp<M>>& ops, SearchOptions options = {}) {
  return check_operations<M>(std::span<const TimedOp<M>>(ops), options);
}

// Two concurrent adds, each reporting it came first, cannot both be right.
TEST(Search, FindsTheOrderOrProvesThereIsNone) {
  EXPECT_EQ(search<Counter>({add(1, 0, 0, 10), add(2, 1, 0, 10), read(3, 20, 30)}).verdict,
            Verdict::ok);
  EXPECT_EQ(search<Counter>({add(1, 0, 0, 10), add(2, 0, 0, 10)}).verdict, Verdict::illegal);
  EXPECT_EQ(search<Counter>({}).verdict, Verdict::ok);
}

// The search must not reorder calls that real time orders, even when the model would like it.
TEST(Search, RespectsRealTime) {
  EXPECT_EQ(search<Counter>({add(1, 0, 0, 10), read(0, 20, 30)}).verdict, Verdict::illegal);
  EXPECT_EQ(search<Counter>({add(1, 0, 0, 25), read(0, 20, 30)}).verdict, Verdict::ok);
}

// all_end_states collects every state a full linearization can end in, once each.
TEST(Search, CollectsEveryEndState) {
  constexpr Call c{0, 0, 10};
  const std::vector<TimedOp<KeyRegister>> ops{timed(record::store(c, 1, 1)),
                                              timed(record::store(c, 1, 2)),
                                              timed(record::erase(c, 1, std::nullopt))};
  SearchResult<KeyRegister> r = search(ops, {.node_budget = 1000, .all_end_states = true});
  ASSERT_EQ(r.verdict, Verdict::ok);
  std::vector<KeyRegister::State> ends = r.end_states;
  std::sort(ends.begin(), ends.end());
  EXPECT_EQ(ends, (std::vector<KeyRegister::State>{std::nullopt, 1, 2}));
  // From a given start: only a load of 7 and nothing else -> ends in 7.
  const std::vector<TimedOp<KeyRegister>> read7{timed(record::load(c, 1, 7))};
  r = search_linearization<KeyRegister>(std::span<const TimedOp<KeyRegister>>(read7), 7,
                                        {.node_budget = 10, .all_end_states = true});
  EXPECT_EQ(r.end_states, std::vector<KeyRegister::State>{7});
}

// On an illegal history the search reports the longest prefix it managed and the state after it.
TEST(Search, ReportsALongestPrefix) {
  const std::vector<TimedOp<Counter>> ops{add(1, 0, 0, 10), add(1, 1, 20, 30), read(5, 40, 50)};
  const SearchResult<Counter> r = search(ops);
  EXPECT_EQ(r.verdict, Verdict::illegal);
  EXPECT_EQ(r.longest_prefix, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(r.state_after_prefix, 2);
  EXPECT_EQ(next_candidates<Counter>(std::span<const TimedOp<Counter>>(ops), r.longest_prefix),
            std::vector<std::size_t>{2});
}

// next_candidates: the calls not yet placed that started before the earliest pending response.
TEST(Search, NextCandidatesAreTheMinimalPendingCalls) {
  const std::vector<TimedOp<Counter>> ops{read(0, 0, 10), read(0, 5, 30), read(0, 20, 40)};
  const std::span<const TimedOp<Counter>> span(ops);
  EXPECT_EQ(next_candidates<Counter>(span, {}), (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(next_candidates<Counter>(span, {0}), (std::vector<std::size_t>{1, 2}));
}

// With a budget the search stops and says unknown, with the nodes it used.
TEST(Search, StopsAtTheBudget) {
  std::vector<TimedOp<Counter>> ops;
  for (int i = 0; i < 10; ++i) ops.push_back(add(1 << i, 0, 0, 100));  // all claim to be first
  const SearchResult<Counter> bounded = search(ops, {.node_budget = 5});
  EXPECT_EQ(bounded.verdict, Verdict::unknown);
  EXPECT_EQ(bounded.nodes, 5u);
  EXPECT_EQ(search(ops).verdict, Verdict::illegal);
}

// The memo keeps many concurrent calls cheap: 14 concurrent adds of distinct powers of two that
// report nothing, then a read of a wrong total, have 14! orders to refute but only 2^14
// configurations (the set of adds done determines the total).
TEST(Search, MemoisationBoundsTheWork) {
  std::vector<TimedOp<Counter>> ops;
  for (int i = 0; i < 14; ++i) ops.push_back(add_unreported(1 << i, 0, 100));
  ops.push_back(read(-1, 200, 300));
  const SearchResult<Counter> r = search(ops, {.node_budget = 1u << 20});
  EXPECT_EQ(r.verdict, Verdict::illegal);
  EXPECT_LE(r.nodes, 1u << 14);
  EXPECT_EQ(r.longest_prefix.size(), 14u);
}

}  // namespace
}  // namespace mapcheck::models
