// std::unordered_map. Profile: node-based chaining. Standard iteration rules (no mutation during an
// iteration except it = erase(it)); overwrites keep the stored key; iterators stay valid across
// swap; reserve of absurd sizes is not declared (it may allocate the request). Its operations are
// detected (std_like.hpp): no adapter code beyond the names.
#pragma once

#include <string_view>
#include <unordered_map>

#include "mapcheck/std_like.hpp"

namespace mapcheck::adapters {

struct StdUnorderedMap : StdLike<std::unordered_map, Profile::node_chaining> {
  static constexpr std::string_view name = "std_unordered_map";
  static constexpr std::string_view cpp_name = "mapcheck::adapters::StdUnorderedMap";
};

}  // namespace mapcheck::adapters
