// Fixes gomap's per-process hash key (GOMAP_HASH_KEY, target/include/gomap/hash.hpp) in fuzz
// targets and replay tools, unless the environment already names one. With a random key, a bucket
// layout, and so a failure that depends on it, does not come back in the next process: libFuzzer's
// crash minimisation, a replay and ClusterFuzzLite's reproduction would all miss it.
//
// Include this before any gomap header: an inline variable defined earlier in the translation
// unit is initialised earlier ([basic.start.dynamic]), so the key is set before gomap draws it.
#pragma once

#include <cstdlib>

#include "mapcheck/replay_hash_key.hpp"

namespace mapcheck::fuzz {

inline const bool kHashKeyFixed = [] {
  ::setenv("GOMAP_HASH_KEY", mapcheck::kReplayHashKey, /*overwrite=*/0);
  return true;
}();

}  // namespace mapcheck::fuzz
