// The gomap process hash key every mapcheck tool runs under (GOMAP_HASH_KEY,
// target/include/gomap/hash.hpp), unless the environment already names one. With a random key a
// bucket layout, and so a failure that depends on it, does not come back in the next process: a
// fuzzer's crash file, `mapcheck replay` and a printed reproducer would all miss it.
#pragma once

namespace mapcheck {

inline constexpr const char* kReplayHashKey = "0x6d6170636865636b";  // "mapcheck"

}  // namespace mapcheck
