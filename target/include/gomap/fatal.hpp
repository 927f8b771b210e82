// Misuse detection: the fatal errors Go's runtime raises when a map is written concurrently.
//
// Go reports these with `fatal`, which recover() cannot catch: by the time a check fires the map
// may already be corrupt (proposal #70887 to make them panics was declined). We keep that: the
// default handler prints Go's exact line and aborts. Tests may install a handler that records the
// message and throws or returns; a handler that returns lets the map carry on (only sound in
// tests).
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace gomap {

// The three checks of spec §2.5. Death tests and bug-zoo tests match these constants.
inline constexpr std::string_view kConcurrentMapWrites = "concurrent map writes";
inline constexpr std::string_view kConcurrentMapReadAndWrite = "concurrent map read and map write";
inline constexpr std::string_view kConcurrentMapIterationAndWrite =
    "concurrent map iteration and map write";

using FatalHandler = void (*)(std::string_view message);

namespace internal {

[[noreturn]] inline void default_fatal_handler(std::string_view message) {
  std::fprintf(stderr, "fatal error: %.*s\n", static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
  std::abort();
}

inline std::atomic<FatalHandler>& fatal_handler_slot() {
  static std::atomic<FatalHandler> handler{&default_fatal_handler};
  return handler;
}

// Reports misuse through the installed handler.
inline void fatal(std::string_view message) {
  fatal_handler_slot().load(std::memory_order_relaxed)(message);
}

}  // namespace internal

// Installs `handler` (nullptr restores the default) and returns the previous handler.
inline FatalHandler set_fatal_handler(FatalHandler handler) {
  return internal::fatal_handler_slot().exchange(
      handler != nullptr ? handler : &internal::default_fatal_handler);
}

}  // namespace gomap
