// gomap::Map, the reference map. Profile: Go-style iteration-safe. Every op; any mutation during an
// iteration (Go's rules G1-G11) with randomised order; overwrites store the caller's key bits
// (NeedKeyUpdate); absurd reserve sizes are ignored; iterators follow their entries across swap.
// Structure: invariants I1-I8 and the growth/flag state machine after every op; state features for
// the fuzzers (gomap_state_features.hpp). Values are relocated, never copied, on evacuation, so
// the map holds exactly size() of them; reserve(n) sizes B for n entries (Go's make hint), and the
// capacity the checks read is 2^B.
#pragma once

#include <cstdint>
#include <string_view>

#include "gomap/debug.hpp"
#include "gomap/map.hpp"
#include "mapcheck/adapters/gomap_state_features.hpp"
#include "mapcheck/models/gomap_structure.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck::adapters {

struct Gomap {
  static constexpr std::string_view name = "gomap";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::Gomap";
  template <class K, class V, class H, class E, class A>
  using map = gomap::Map<K, V, H, E, A>;
  static constexpr Capabilities capabilities = {Capability::subscript,
                                                Capability::erase_iterator,
                                                Capability::reserve,
                                                Capability::absurd_reserve,
                                                Capability::copy,
                                                Capability::move,
                                                Capability::swap,
                                                Capability::go_iteration,
                                                Capability::assign_updates_key,
                                                Capability::random_order,
                                                Capability::iterators_follow_swap,
                                                Capability::irreflexive_keys,
                                                Capability::exact_element_count,
                                                Capability::reserve_keeps_buckets};
  static void seed(std::uint64_t s) { gomap::seed_thread_random(s); }
  // Buckets in the current array (2^B); overflow buckets are bounded by the structure model.
  template <class M>
  static std::size_t capacity(const M& m) {
    return gomap::debug::bucket_count(m);
  }
  template <class M>
  using structure = models::GomapStructureModel<M>;
  template <class M, class Emit>
  static void state_features(const M& m, Emit&& emit) {
    gomap_state_features(m, emit);
  }
};

}  // namespace mapcheck::adapters
