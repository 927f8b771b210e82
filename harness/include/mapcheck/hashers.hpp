// Hash policies: how keys are hashed in a run, chosen per program (Program::hash_policy).
//
// PolicyHash<K, Id> is one stateful hasher type whose policy is picked at run time, so that every
// policy shares one instantiation of a map (compile time is the scarce resource on 2 cores). It is
// callable both ways: seeded, h(key, seed) -> uint64, which gomap uses verbatim, so adversarial
// policies control every bit of the word; and std-like, h(key) -> size_t for std-like maps.
//
// The policies, declared once in kHashPolicies:
//   map_default     the map's usual hasher (gomap::Hash, or std::hash for std-like maps)
//   constant        one value for every key: one long chain, tombstone runs across overflow buckets
//   two_valued      two values, by the parity of the key's id
//   low_equal       same low 56 bits, top byte from the key: one bucket, distinct tophash bytes
//   top_equal       same top byte, low bits from the key: spread buckets, tophash false positives
//   adversarial     three full hash values per run, the grouping drawn from the program's seed
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>

#include "gomap/hash.hpp"

namespace mapcheck {

enum class HashPolicy : std::uint8_t {
  map_default,
  constant,
  two_valued,
  low_equal,
  top_equal,
  adversarial
};

struct HashPolicyInfo {
  HashPolicy policy;
  std::string_view name;
  std::string_view help;
};

inline constexpr std::array kHashPolicies = {
    HashPolicyInfo{HashPolicy::map_default, "map_default", "the map's own hasher"},
    HashPolicyInfo{HashPolicy::constant, "constant", "every key hashes alike"},
    HashPolicyInfo{HashPolicy::two_valued, "two_valued", "two hash values"},
    HashPolicyInfo{HashPolicy::low_equal, "low_equal", "equal low bits, different top byte"},
    HashPolicyInfo{HashPolicy::top_equal, "top_equal", "equal top byte, different low bits"},
    HashPolicyInfo{HashPolicy::adversarial, "adversarial",
                   "three colliding groups chosen by the seed"},
};

namespace detail {
constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDULL;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ULL;
  return x ^ (x >> 33);
}
}  // namespace detail

// `IdOf` turns a key into a 64-bit identity (the universe's id function).
template <class K, class IdOf>
class PolicyHash {
 public:
  PolicyHash() = default;
  PolicyHash(HashPolicy policy, std::uint64_t seed) : policy_(policy), seed_(seed) {}

  HashPolicy policy() const { return policy_; }
  std::uint64_t seed() const { return seed_; }

  std::uint64_t operator()(const K& key, std::uint64_t map_seed) const {
    if (policy_ == HashPolicy::map_default) return gomap::Hash<K>{}(key, map_seed);
    return adversarial_word(key);
  }
  std::size_t operator()(const K& key) const {
    if (policy_ == HashPolicy::map_default) return std::hash<K>{}(key);
    return static_cast<std::size_t>(adversarial_word(key));
  }

 private:
  std::uint64_t adversarial_word(const K& key) const {
    const std::uint64_t id = IdOf{}(key);
    switch (policy_) {
      case HashPolicy::map_default:
      case HashPolicy::constant:
        return 0x5A5A5A5A5A5A5A5AULL;
      case HashPolicy::two_valued:
        return (id & 1) != 0 ? 0x0123456789ABCDEFULL : 0xFEDCBA9876543210ULL;
      case HashPolicy::low_equal:
        return (detail::mix64(id) & 0xFF00000000000000ULL) | 0x00A5A5A5A5A5A5A5ULL;
      case HashPolicy::top_equal:
        return (detail::mix64(id) & 0x00FFFFFFFFFFFFFFULL) | 0x7700000000000000ULL;
      case HashPolicy::adversarial:
        return detail::mix64(seed_ ^ (detail::mix64(id ^ seed_) % 3));
    }
    return 0;
  }

  HashPolicy policy_ = HashPolicy::map_default;
  std::uint64_t seed_ = 0;
};

}  // namespace mapcheck
