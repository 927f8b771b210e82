// The map's source of randomness: per-map hash seeds (hash0), the random start bucket and slot
// rotation of every iteration, NaN hashes and the sampled overflow counter of large tables.
//
// Go draws all of these from a cheap per-thread generator (fastrand). So do we: each thread has its
// own stream, seeded from std::random_device, so that concurrent const iterations never share state
// (spec §7.3). Tests make runs reproducible with seed_thread_random(), or script every draw with a
// ScopedRandomSource.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <random>
#include <utility>

namespace gomap {

namespace internal {

// One step of splitmix64: a bijective mixer whose outputs pass BigCrush as a stream.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline std::uint64_t entropy_seed() {
  static std::atomic<std::uint64_t> process_counter{0};
  static const std::uint64_t process_seed = [] {
    std::random_device device;
    return (static_cast<std::uint64_t>(device()) << 32) ^ device();
  }();
  std::uint64_t state = process_seed ^ process_counter.fetch_add(1, std::memory_order_relaxed);
  return splitmix64(state);
}

struct ThreadRandom {
  std::uint64_t state = entropy_seed();
  std::function<std::uint64_t()> scripted;  // set while a ScopedRandomSource is alive
};

inline ThreadRandom& thread_random_state() {
  thread_local ThreadRandom random;
  return random;
}

}  // namespace internal

// Returns the calling thread's next random word.
inline std::uint64_t thread_random() {
  internal::ThreadRandom& random = internal::thread_random_state();
  if (random.scripted) return random.scripted();
  return internal::splitmix64(random.state);
}

// Makes the calling thread's stream deterministic from `seed` on.
inline void seed_thread_random(std::uint64_t seed) { internal::thread_random_state().state = seed; }

// While alive, every draw on this thread comes from `source` (for tests that pin a start bucket,
// an in-bucket offset or a hash seed). Restores the previous source when destroyed.
class ScopedRandomSource {
 public:
  explicit ScopedRandomSource(std::function<std::uint64_t()> source)
      : previous_(std::exchange(internal::thread_random_state().scripted, std::move(source))) {}
  ~ScopedRandomSource() { internal::thread_random_state().scripted = std::move(previous_); }
  ScopedRandomSource(const ScopedRandomSource&) = delete;
  ScopedRandomSource& operator=(const ScopedRandomSource&) = delete;

 private:
  std::function<std::uint64_t()> previous_;
};

}  // namespace gomap
