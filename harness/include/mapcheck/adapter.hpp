// The adapter: how the harness names a map and what the map promises. An adapter is a small struct
// (a policy, like abseil's FlatHashMapPolicy) read only through adapter_traits<A>, which supplies
// the defaults and detects the optional extras:
//
//   struct MyAdapter {
//     static constexpr std::string_view name = "my_map";                      // required
//     static constexpr std::string_view cpp_name = "my::MapAdapter";          // for reproducers
//     template <class K, class V, class H, class E, class A>
//     using map = my::Map<K, V, H, E, A>;                                     // required
//     static constexpr mapcheck::Capabilities capabilities = {...};           // required
//     // optional: make the map's own randomness reproducible
//     static void seed(std::uint64_t);
//     // optional: a structural model, told of every step (each op, and each key of a bulk op)
//     // by after_step(m, kind, key) and checked by after_op(m) after every op; both return the
//     // broken rule in words, or nothing (NoStructure below is the empty one)
//     template <class M> using structure = ...;
//     // optional: features of the map's internal state, as small integers below
//     // kStateFeatureLimit, which the fuzzers count as coverage (new states, not only new code)
//     template <class M, class Emit> static void state_features(const M&, Emit&& emit);
//     // optional: the size of the map's table, for maps without bucket_count() (see capacity)
//     template <class M> static std::size_t capacity(const M&);
//   };
//
// The engines instantiate `map` with their own key types, hashers and equality.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "mapcheck/models/step.hpp"
#include "mapcheck/op.hpp"

namespace mapcheck {

using models::StepKind;

// The structural model of a map that offers none: nothing to check.
template <class M>
struct NoStructure {
  template <class K>
  std::optional<std::string> after_step(const M&, StepKind, const K*) {
    return std::nullopt;
  }
  std::optional<std::string> after_op(const M&) { return std::nullopt; }
};

// State features (see state_features above) are below this bound.
inline constexpr std::uint32_t kStateFeatureLimit = 4096;

template <class A>
struct adapter_traits {
  static_assert(
      requires { A::name; },
      "mapcheck adapter: add `static constexpr std::string_view name = \"...\";`");
  static_assert(
      requires {
        typename A::template map<int, int, std::hash<int>, std::equal_to<int>,
                                 std::allocator<std::pair<const int, int>>>;
      },
      "mapcheck adapter: add `template <class K, class V, class H, class E, class A> using map = "
      "YourMap<...>;` "
      "(write YourMap<K, V, H, E> if the map takes no allocator)");
  static_assert(
      requires { A::capabilities; },
      "mapcheck adapter: add `static constexpr mapcheck::Capabilities capabilities = {...};` "
      "listing the guarantees the map makes (harness/include/mapcheck/guarantees.def)");

  static constexpr Capabilities capabilities = A::capabilities;

  template <class K, class V, class H, class E>
  using map = typename A::template map<K, V, H, E, std::allocator<std::pair<const K, V>>>;

  static void seed(std::uint64_t s) {
    if constexpr (requires { A::seed(s); }) A::seed(s);
  }

  // Calls emit(feature) for each feature of m's state, if the adapter describes any.
  template <class M, class Emit>
  static void state_features(const M& m, Emit&& emit) {
    if constexpr (requires { A::state_features(m, emit); }) A::state_features(m, emit);
  }

  // The size of m's table (buckets or slots): A::capacity(m) if the adapter says, else
  // m.bucket_count(), else unknown. The capacity checks (bounded under churn, unchanged by the
  // inserts a reserve(n) made room for) need it; a map without one is not checked for them.
  template <class M>
  static constexpr bool has_capacity = requires(const M& m) {
    A::capacity(m);
  }
  || requires(const M& m) { m.bucket_count(); };
  template <class M>
  static std::optional<std::size_t> capacity(const M& m) {
    if constexpr (requires { A::capacity(m); })
      return static_cast<std::size_t>(A::capacity(m));
    else if constexpr (requires { m.bucket_count(); })
      return static_cast<std::size_t>(m.bucket_count());
    else
      return std::nullopt;
  }

  template <class M>
  struct structure_of {
    using type = NoStructure<M>;
  };
  template <class M>
  requires requires { typename A::template structure<M>; }
  struct structure_of<M> {
    using type = typename A::template structure<M>;
  };
  template <class M>
  using structure = typename structure_of<M>::type;
};

}  // namespace mapcheck
