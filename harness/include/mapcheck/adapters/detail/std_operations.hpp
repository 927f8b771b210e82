// The capabilities of a map with the whole std surface the harness calls: operator[], erase at an
// iterator, reserve, copy, move and swap. The std-like adapters detect these (std_like.hpp); the
// hand-written adapters of std-like wrappers (tsl, sparsehash, TBB, libcuckoo) start from this set
// and add the promises their maps' documentation makes.
#pragma once

#include "mapcheck/op.hpp"

namespace mapcheck::adapters::detail {

inline constexpr Capabilities kStdOperations = {Capability::subscript, Capability::erase_iterator,
                                                Capability::reserve,   Capability::copy,
                                                Capability::move,      Capability::swap};

}  // namespace mapcheck::adapters::detail
