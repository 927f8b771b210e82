// std::unordered_map. Profile: node-based chaining. Standard iteration rules (no mutation during an
// iteration except it = erase(it)); overwrites keep the stored key; iterators stay valid across
// swap; reserve of absurd sizes is not declared (it may allocate the request).
#pragma once

#include <string_view>
#include <unordered_map>

#include "mapcheck/op.hpp"

namespace mapcheck::adapters {

struct StdUnorderedMap {
  static constexpr std::string_view name = "std_unordered_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::StdUnorderedMap";
  template <class K, class V, class H, class E, class A>
  using map = std::unordered_map<K, V, H, E, A>;
  static constexpr Capabilities capabilities = {Capability::subscript,
                                                Capability::erase_iterator,
                                                Capability::reserve,
                                                Capability::copy,
                                                Capability::move,
                                                Capability::swap,
                                                Capability::iterators_follow_swap};
};

}  // namespace mapcheck::adapters
