// std::unordered_map. Profile: node-based chaining. Standard iteration rules (no mutation during an
// iteration except it = erase(it)); overwrites keep the stored key; iterators stay valid across
// swap; reserve of absurd sizes is not declared (it may allocate the request). Its operations are
// detected (std_like.hpp): no adapter code beyond the names.
//
// Its name says whose it is: libstdc++'s (std_unordered_map) or, compiled with -stdlib=libc++ (the
// libcxx preset), libc++'s (libcxx_unordered_map), so that a report never mixes the two up.
#pragma once

#include <string_view>
#include <unordered_map>

#include "mapcheck/std_like.hpp"

namespace mapcheck::adapters {

struct StdUnorderedMap : StdLike<std::unordered_map, Profile::node_chaining> {
#ifdef _LIBCPP_VERSION
  static constexpr std::string_view name = "libcxx_unordered_map";
#else
  static constexpr std::string_view name = "std_unordered_map";
#endif
  static constexpr std::string_view cpp_name = "mapcheck::adapters::StdUnorderedMap";
};

}  // namespace mapcheck::adapters
