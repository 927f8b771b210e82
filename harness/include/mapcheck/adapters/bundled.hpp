// The adapters mapcheck ships, declared once: tools that take a map by name (`replay --map`, the
// fuzz build, reports) dispatch through this list.
#pragma once

#include <string_view>
#include <tuple>

#include "mapcheck/adapters/gomap.hpp"
#include "mapcheck/adapters/std_unordered_map.hpp"

namespace mapcheck::adapters {

using Bundled = std::tuple<Gomap, StdUnorderedMap>;

// Calls f.template operator()<Adapter>() for the bundled adapter called `name`; false if none is.
template <class F>
bool with_bundled(std::string_view name, F&& f) {
  return [&]<class... A>(std::tuple<A...>*) {
    return ((A::name == name ? (f.template operator()<A>(), true) : false) || ...);
  }(static_cast<Bundled*>(nullptr));
}

// Calls f(Adapter::name) for every bundled adapter.
template <class F>
void for_each_bundled_name(F&& f) {
  [&]<class... A>(std::tuple<A...>*) { (f(A::name), ...); }(static_cast<Bundled*>(nullptr));
}

}  // namespace mapcheck::adapters
