// Features of gomap's internal state, for the fuzzers' extra coverage counters: a fuzzer that is
// rewarded only for new code edges stops exploring once every branch of evacuate() has run, but
// most of gomap's bugs live in combinations of states (an iteration open across a same-size grow
// half done, a chain three buckets deep with a hole before its emptyRest run). Each feature is a
// small integer `family << 8 | value`, read through gomap::debug only:
//
//   growth     growth kind (stable, doubling, same size) x evacuation progress in quarters x B
//   chains     the deepest overflow chain (0, 1, 2, 3, 4-7, 8+ buckets) x growth kind
//   shapes     per bucket: head or overflow x has an emptyOne hole x the slot where emptyRest
//              starts (0-7, 8 = none)
//   flags      iterator / oldIterator / sameSizeGrow / hashWriting bits x growth kind: live
//              iterations during growth
//   overflow   noverflow (0-7, 8+) x B (0-7, 8+)
//   marks      which evacuation marks (X, Y, empty) the old array holds
#pragma once

#include <algorithm>
#include <cstdint>

#include "gomap/debug.hpp"

namespace mapcheck::adapters {

enum class GomapFeatureFamily : std::uint32_t {
  growth = 1,
  chains,
  shapes,
  flags,
  overflow,
  marks
};

template <class M, class Emit>
void gomap_state_features(const M& m, Emit&& emit) {
  namespace debug = gomap::debug;
  auto feature = [&](GomapFeatureFamily family, std::uint32_t value) {
    emit(static_cast<std::uint32_t>(family) << 8 | (value & 0xff));
  };
  const auto growth = static_cast<std::uint32_t>(debug::growth(m));
  const std::uint32_t b = std::min(debug::B(m), 8u);
  const std::size_t old = debug::old_bucket_count(m);
  const std::uint32_t quarter =
      old == 0
          ? 0
          : static_cast<std::uint32_t>(std::min<std::size_t>(debug::nevacuate(m) * 4 / old, 3));
  feature(GomapFeatureFamily::growth, (growth * 4 + quarter) * 9 + b);
  feature(GomapFeatureFamily::flags, debug::flags(m) * 3u + growth);
  feature(GomapFeatureFamily::overflow,
          static_cast<std::uint32_t>(std::min<std::size_t>(debug::noverflow(m), 8)) * 9 + b);

  unsigned deepest = 0;
  debug::visit_buckets(m, false, [&](std::uint64_t, unsigned depth, const std::uint8_t(&slots)[8]) {
    deepest = std::max(deepest, depth + 1);
    std::uint32_t rest = 8;
    bool hole = false;
    for (std::uint32_t i = 0; i < 8; ++i) {
      if (slots[i] == debug::kEmptyRest) {
        rest = i;
        break;
      }
      hole |= slots[i] == debug::kEmptyOne;
    }
    feature(GomapFeatureFamily::shapes, (depth == 0 ? 0u : 18u) + (hole ? 9u : 0u) + rest);
  });
  const std::uint32_t depth_band = deepest <= 3 ? deepest : (deepest < 8 ? 4u : 5u);
  feature(GomapFeatureFamily::chains, depth_band * 3 + growth);

  if (debug::growing(m)) {
    std::uint32_t marks = 0;
    debug::visit_buckets(m, true, [&](std::uint64_t, unsigned, const std::uint8_t(&slots)[8]) {
      for (std::uint8_t top : slots) {
        if (top == debug::kEvacuatedX) marks |= 1;
        if (top == debug::kEvacuatedY) marks |= 2;
        if (top == debug::kEvacuatedEmpty) marks |= 4;
      }
    });
    feature(GomapFeatureFamily::marks, marks);
  }
}

}  // namespace mapcheck::adapters
