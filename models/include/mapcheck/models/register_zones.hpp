// A polynomial linearizability check for one register whose writes carry unique values: reads and
// blind writes only, each value written at most once, the initial value (absent) never written.
// It is the fast path of the map checker; the general search (linearizability.hpp) decides
// everything else, and a randomized test holds the two to the same verdicts.
//
// The idea is Gibbons and Korach's "zones" ("Testing shared memories", 1997; restated by Golab, Li
// and Shah, 2011). With unique values every read names the write it read from, so the ops fall into
// clusters: one write and the reads of its value (the initial value has a virtual write before
// everything). In any linearization a cluster is contiguous: its write, then its reads, then the
// next cluster. Let f be the earliest response and s the latest invocation in a cluster:
//   * f < s: some op of the cluster ends before another starts, so the cluster spans at least the
//     time from f to s: a forward zone [f, s];
//   * f >= s: all its ops share the instants [s, f], and the cluster fits at any one of them: a
//     backward zone [s, f].
// The history is linearizable iff every read has a write of its value that does not start after
// the read ends, no two forward zones overlap, and no backward zone lies strictly inside a forward
// zone (it would have to sit inside another cluster). Timestamps are closed intervals as in the
// search: zones that only touch do not conflict. Cost: O(n log n) for n calls (sorting the forward
// zones, then one binary search per backward zone).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "mapcheck/models/history.hpp"

namespace mapcheck::models {

struct RegisterAccess {
  bool is_write = false;
  // write: the value written; read: the value read, nullopt for the initial value (absent).
  std::optional<MapValue> value;
  Timestamp invoke = 0;
  Timestamp response = 0;
  std::size_t op = 0;  // the caller's index of the op, for explanations
};

struct ZoneVerdict {
  bool linearizable = true;
  std::string explanation;            // why not, naming the culprits' `op` indices as #n
  std::vector<std::size_t> culprits;  // the `op` indices the explanation names
};

namespace detail {

// An instant that can also be "before everything" (the virtual initial write): ordered pairs.
using ZoneInstant = std::pair<int, Timestamp>;
inline constexpr ZoneInstant before_everything{0, 0};
inline ZoneInstant at(Timestamp t) { return {1, t}; }

struct Zone {
  std::optional<MapValue> value;  // the cluster's value
  bool forward = false;
  ZoneInstant low, high;  // forward: [f, s]; backward: [s, f]
  // The ops whose response is f and whose invocation is s; none: f is the virtual initial write.
  std::optional<std::size_t> first_end;
  std::optional<std::size_t> last_start;
};

struct Cluster {
  std::optional<std::size_t> write;  // index into the accesses; none: the initial value
  std::vector<std::size_t> reads;
};

inline std::string value_text(const std::optional<MapValue>& v) {
  return v ? std::to_string(*v) : "absent";
}

// The subject of a sentence about a cluster: "the value 5", "absence (the initial state)".
inline std::string cluster_text(const std::optional<MapValue>& v) {
  return v ? "the value " + std::to_string(*v) : "absence (the initial state)";
}

// Reports whether forward zones `a` and `b` share more than an endpoint.
inline bool forward_zones_overlap(const Zone& a, const Zone& b) {
  return std::max(a.low, b.low) < std::min(a.high, b.high);
}

// Reports whether backward zone `inner` lies strictly inside forward zone `outer`.
inline bool strictly_inside(const Zone& inner, const Zone& outer) {
  return outer.low < inner.low && inner.high < outer.high;
}

inline std::string end_text(const std::optional<std::size_t>& op) {
  return op ? "the response of #" + std::to_string(*op) : "the start";
}
inline std::string start_text(const std::optional<std::size_t>& op) {
  return op ? "the invocation of #" + std::to_string(*op) : "the start";
}

inline void add_culprits(const Zone& z, std::vector<std::size_t>& culprits) {
  if (z.first_end) culprits.push_back(*z.first_end);
  if (z.last_start) culprits.push_back(*z.last_start);
}

// Why zones `a` and `b` cannot both be placed, or nothing. `a_first` orders the pair so that two
// forward zones are reported once.
inline std::optional<ZoneVerdict> conflict(const Zone& a, const Zone& b, bool a_first) {
  if (!a.forward || &a == &b) return std::nullopt;
  const bool forward_overlap = b.forward && a_first && forward_zones_overlap(a, b);
  const bool backward_inside = !b.forward && strictly_inside(b, a);
  if (!forward_overlap && !backward_inside) return std::nullopt;
  const std::string a_span =
      "current from " + end_text(a.first_end) + " to " + start_text(a.last_start);
  ZoneVerdict verdict{false, {}, {}};
  if (forward_overlap) {
    verdict.explanation = cluster_text(a.value) + " must be " + a_span + ", and " +
                          cluster_text(b.value) + " current from " + end_text(b.first_end) +
                          " to " + start_text(b.last_start) + ": the two spans overlap";
  } else {
    verdict.explanation = cluster_text(b.value) + " must be current at one instant between " +
                          start_text(b.last_start) + " and " + end_text(b.first_end) + ", but " +
                          cluster_text(a.value) + " must be " + a_span +
                          ", which covers all of them";
  }
  add_culprits(a, verdict.culprits);
  add_culprits(b, verdict.culprits);
  return verdict;
}

inline Zone zone_of(std::span<const RegisterAccess> a, const std::optional<MapValue>& value,
                    const Cluster& c) {
  Zone z;
  z.value = value;
  ZoneInstant f{2, 0};  // after every real instant, until an op lowers it
  ZoneInstant s = before_everything;
  auto widen = [&](std::size_t i) {
    if (at(a[i].response) < f) f = at(a[i].response), z.first_end = a[i].op;
    if (s < at(a[i].invoke)) s = at(a[i].invoke), z.last_start = a[i].op;
  };
  if (c.write) widen(*c.write);
  for (std::size_t r : c.reads) widen(r);
  if (!c.write) f = before_everything, z.first_end.reset();  // the virtual initial write
  z.forward = f < s;
  z.low = z.forward ? f : s;
  z.high = z.forward ? s : f;
  return z;
}

// Sorts `forward` by start and reports a pair that overlaps, if any: a zone can only overlap the
// widest-reaching one before it.
inline std::optional<ZoneVerdict> overlapping_forward_zones(std::vector<Zone>& forward) {
  std::sort(forward.begin(), forward.end(),
            [](const Zone& a, const Zone& b) { return a.low < b.low; });
  std::size_t widest = 0;
  for (std::size_t i = 1; i < forward.size(); ++i) {
    if (auto why = conflict(forward[widest], forward[i], true)) return why;
    if (forward[widest].high < forward[i].high) widest = i;
  }
  return std::nullopt;
}

// REQUIRES: `forward` sorted by start and pairwise disjoint (overlapping_forward_zones found
// nothing), so the only forward zone that can strictly contain a backward zone is the last one
// starting before it.
inline std::optional<ZoneVerdict> backward_zone_inside_forward(const std::vector<Zone>& forward,
                                                               const std::vector<Zone>& backward) {
  for (const Zone& b : backward) {
    auto after = std::lower_bound(forward.begin(), forward.end(), b.low,
                                  [](const Zone& f, const ZoneInstant& t) { return f.low < t; });
    if (after == forward.begin()) continue;
    if (auto why = conflict(*std::prev(after), b, true)) return why;
  }
  return std::nullopt;
}

}  // namespace detail

// REQUIRES: no two writes carry the same value, and no write carries nullopt.
inline ZoneVerdict check_unique_write_register(std::span<const RegisterAccess> accesses) {
  using detail::Cluster;
  std::map<std::optional<MapValue>, Cluster> clusters;
  clusters[std::nullopt];  // the initial value always has its (virtual) write
  for (std::size_t i = 0; i < accesses.size(); ++i)
    if (accesses[i].is_write) clusters[accesses[i].value].write = i;
  for (std::size_t i = 0; i < accesses.size(); ++i) {
    const RegisterAccess& r = accesses[i];
    if (r.is_write) continue;
    auto it = clusters.find(r.value);
    if (it == clusters.end())
      return {false,
              "#" + std::to_string(r.op) + " reads " + detail::value_text(r.value) +
                  ", which no call wrote",
              {r.op}};
    if (it->second.write && r.response < accesses[*it->second.write].invoke) {
      const RegisterAccess& w = accesses[*it->second.write];
      return {false,
              "#" + std::to_string(r.op) + " reads " + detail::value_text(r.value) + " before #" +
                  std::to_string(w.op) + " started writing it",
              {r.op, w.op}};
    }
    it->second.reads.push_back(i);
  }
  std::vector<detail::Zone> forward, backward;
  for (const auto& [value, cluster] : clusters) {
    if (!cluster.write && cluster.reads.empty()) continue;
    const detail::Zone z = detail::zone_of(accesses, value, cluster);
    (z.forward ? forward : backward).push_back(z);
  }
  if (auto why = detail::overlapping_forward_zones(forward)) return *why;
  if (auto why = detail::backward_zone_inside_forward(forward, backward)) return *why;
  return {};
}

}  // namespace mapcheck::models
