// The adapter: how the harness names a map and what the map promises. An adapter is a small struct
// (a policy, like abseil's FlatHashMapPolicy) read only through adapter_traits<A>, which supplies
// the defaults and detects the optional extras:
//
//   struct MyAdapter {
//     static constexpr std::string_view name = "my_map";                      // required
//     template <class K, class V, class H, class E, class A>
//     using map = my::Map<K, V, H, E, A>;                                     // required
//     static constexpr mapcheck::Capabilities capabilities = {...};           // required
//     static void seed(std::uint64_t);          // optional: make the map's own randomness
//     reproducible template <class M> using structure = ...; // optional: a structural model
//     checked after every op
//   };
//
// The engines instantiate `map` with their own key types, hashers and equality.
#pragma once

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
  std::optional<std::string> after(const M&, StepKind, const K*) {
    return std::nullopt;
  }
};

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
