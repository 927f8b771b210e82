// What an op was, as far as structural models care: the interpreter tells each structural model
// the kind of every step (and the key it wrote, if any).
#pragma once

#include <cstdint>

namespace mapcheck::models {

enum class StepKind : std::uint8_t {
  read,            // find, contains, size, an erase on an empty map
  open_iteration,  // begin()
  add_key,         // a write that added a key
  write,           // any other write that does grow work: overwrite, erase (present or absent)
  clear,
  reserve,
  replaced,  // the map object was copied, moved or swapped into: structural history restarts
};

}  // namespace mapcheck::models
