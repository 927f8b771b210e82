// Seeded hashing and the key-type facts Go's compiler computes for each map type.
//
// The map asks its hasher for a 64-bit word per key and takes the bucket index from the low B bits
// and the tophash from the top 8 bits (spec §1.4), so both ends of the word must be well mixed.
// Identity hashes such as libstdc++'s std::hash<int> put zeros in the top byte (every tophash would
// be 5) and carry no seed; they are unacceptable as they are (Go issue #66841). Hence:
//
//  * gomap::Hash<K> is keyed twice: by a per-process random key (Go's aeskeysched; a fixed key
//    would make hashes equal across processes, Go issue #66885) and by the per-map seed hash0.
//    Checkers that must replay a layout in another process (a fuzzer's crash file, a reproducer)
//    fix the process key with the environment variable GOMAP_HASH_KEY (any 64-bit integer).
//  * A user hasher callable as h(key, seed) is trusted verbatim, so adversarial test hashers
//    control every bit; one callable as h(key) (std-like) is mixed with the seed first.
//  * Floating point: +0 and -0 hash alike; every NaN hashes to a fresh random word, so NaN keys
//    spread over buckets instead of forming one chain (test/maplinear.go).
#pragma once

#include <array>
#include <bit>
#include <complex>
#include <concepts>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "gomap/random.hpp"

namespace gomap {

namespace internal {

// Folded 64x64->128 multiply: every output bit depends on every input bit of both operands.
inline std::uint64_t fold_multiply(std::uint64_t a, std::uint64_t b) {
  __extension__ using uint128 = unsigned __int128;
  const uint128 product = static_cast<uint128>(a) * b;
  return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64);
}

struct ProcessHashKey {
  std::uint64_t k0;
  std::uint64_t k1;  // odd, so multiplying by it is a bijection
};

inline ProcessHashKey make_process_hash_key() {
  std::uint64_t state = entropy_seed();
  if (const char* fixed = std::getenv("GOMAP_HASH_KEY")) state = std::strtoull(fixed, nullptr, 0);
  return ProcessHashKey{splitmix64(state), splitmix64(state) | 1};
}

// Drawn once at start-up. A namespace-scope variable, not a function-local static, so that reading
// it on every hash costs no initialisation-guard check.
inline const ProcessHashKey kProcessHashKey = make_process_hash_key();

inline const ProcessHashKey& process_hash_key() { return kProcessHashKey; }

// Two folded multiplies: one leaves the top byte of consecutive inputs poorly spread for some
// keys k1 (185 of 256 values for 1000 consecutive ints, tests/gomap/hashing_test.cpp), and the
// top byte is the tophash.
inline std::uint64_t hash_word(std::uint64_t word, std::uint64_t seed) {
  const ProcessHashKey& key = process_hash_key();
  return fold_multiply(fold_multiply(word ^ seed ^ key.k0, key.k1) ^ key.k0, key.k1);
}

inline std::uint64_t hash_bytes(const void* data, std::size_t size, std::uint64_t seed) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  const ProcessHashKey& key = process_hash_key();
  std::uint64_t state = hash_word(size, seed);
  for (; size >= 8; size -= 8, bytes += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes, 8);
    state = fold_multiply(state ^ word, key.k1);
  }
  if (size > 0) {
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes, size);
    state = fold_multiply(state ^ tail ^ (std::uint64_t{size} << 56), key.k1);
  }
  return fold_multiply(state ^ key.k0, key.k1);
}

inline std::uint64_t hash_double(double value, std::uint64_t seed) {
  if (value != value) return thread_random();  // NaN: a fresh value per call (spec §1.4)
  if (value == 0) value = 0;                   // -0 == +0, so they must hash alike
  return hash_word(std::bit_cast<std::uint64_t>(value), seed);
}

template <class T>
struct is_std_array : std::false_type {};
template <class T, std::size_t N>
struct is_std_array<std::array<T, N>> : std::true_type {};

}  // namespace internal

namespace internal {
// Reports whether gomap::Hash<K> cannot throw: integers, enums and pointers are hashed here with
// arithmetic only. (NaN hashing draws from a random source that tests may script, and other types
// may go through std::hash.) Lets evacuation take its one-pass form (table.hpp).
template <class K>
inline constexpr bool hash_never_throws =
    std::is_integral_v<K> || std::is_enum_v<K> || std::is_pointer_v<K>;
}  // namespace internal

// Seeded 64-bit hash for the usual key types. Specialise it (or pass your own hasher) for others.
template <class K>
struct Hash {
  std::uint64_t operator()(const K& key, std::uint64_t seed) const
      noexcept(internal::hash_never_throws<K>) {
    using internal::hash_word;
    if constexpr (std::is_integral_v<K> || std::is_enum_v<K>) {
      return hash_word(static_cast<std::uint64_t>(key), seed);
    } else if constexpr (std::is_pointer_v<K>) {
      return hash_word(reinterpret_cast<std::uintptr_t>(key), seed);
    } else if constexpr (std::is_floating_point_v<K>) {
      return internal::hash_double(static_cast<double>(key), seed);
    } else if constexpr (std::is_convertible_v<const K&, std::string_view>) {
      const std::string_view view = key;
      return internal::hash_bytes(view.data(), view.size(), seed);
    } else if constexpr (internal::is_std_array<K>::value) {
      std::uint64_t state = seed;
      for (const auto& element : key)
        state = hash_word(Hash<std::decay_t<decltype(element)>>{}(element, seed), state);
      return state;
    } else if constexpr (requires { std::tuple_size<K>::value; }) {  // pair, tuple
      return std::apply(
          [seed](const auto&... part) {
            std::uint64_t state = seed;
            ((state = hash_word(Hash<std::decay_t<decltype(part)>>{}(part, seed), state)), ...);
            return state;
          },
          key);
    } else if constexpr (requires {
                           typename K::value_type;
                           key.real();
                           key.imag();
                         }) {
      using Part = typename K::value_type;  // std::complex: hash both parts by the float rules
      return hash_word(Hash<Part>{}(key.real(), seed), Hash<Part>{}(key.imag(), seed));
    } else {
      return hash_word(static_cast<std::uint64_t>(std::hash<K>{}(key)), seed);
    }
  }
};

// Reports whether k == k holds for every value of K (Go's ReflexiveKey type flag, spec §1.5).
// False for floating point and for aggregates of it; specialise for your own types that hold
// floats.
template <class K>
struct is_reflexive_key : std::bool_constant<!std::is_floating_point_v<K>> {};
template <class T>
struct is_reflexive_key<std::complex<T>> : std::false_type {};
template <class A, class B>
struct is_reflexive_key<std::pair<A, B>>
    : std::bool_constant<is_reflexive_key<A>::value && is_reflexive_key<B>::value> {};
template <class... T>
struct is_reflexive_key<std::tuple<T...>>
    : std::bool_constant<(is_reflexive_key<T>::value && ...)> {};
template <class T, std::size_t N>
struct is_reflexive_key<std::array<T, N>> : is_reflexive_key<T> {};

// Reports whether keys that compare equal may still differ in representation, so that an overwrite
// must copy the caller's key over the stored one (Go's NeedKeyUpdate, TestNegativeZero: +0.0/-0.0).
template <class K>
struct needs_key_update : std::bool_constant<std::is_floating_point_v<K>> {};
template <class T>
struct needs_key_update<std::complex<T>> : std::true_type {};
template <class A, class B>
struct needs_key_update<std::pair<A, B>>
    : std::bool_constant<needs_key_update<A>::value || needs_key_update<B>::value> {};
template <class... T>
struct needs_key_update<std::tuple<T...>>
    : std::bool_constant<(needs_key_update<T>::value || ...)> {};
template <class T, std::size_t N>
struct needs_key_update<std::array<T, N>> : needs_key_update<T> {};

namespace internal {

template <class H, class K>
concept SeededHasher = requires(const H& hasher, const K& key, std::uint64_t seed) {
  { hasher(key, seed) } -> std::convertible_to<std::uint64_t>;
};

template <class H, class K>
concept PlainHasher = requires(const H& hasher, const K& key) {
  { hasher(key) } -> std::convertible_to<std::size_t>;
};

// Reports whether hashing a K with H cannot throw.
template <class H, class K>
inline constexpr bool nothrow_hasher = [] {
  if constexpr (SeededHasher<H, K>)
    return std::is_nothrow_invocable_v<const H&, const K&, std::uint64_t>;
  else if constexpr (PlainHasher<H, K>)
    return std::is_nothrow_invocable_v<const H&, const K&>;
  else
    return false;
}();

// The one place the map turns a key into a hash word.
template <class H, class K>
std::uint64_t hash_key(const H& hasher, const K& key,
                       std::uint64_t seed) noexcept(nothrow_hasher<H, K>) {
  static_assert(SeededHasher<H, K> || PlainHasher<H, K>,
                "gomap::Map: the hasher must be callable as h(key, uint64_t seed) -> uint64_t "
                "or as h(key) -> size_t");
  if constexpr (SeededHasher<H, K>) {
    return static_cast<std::uint64_t>(hasher(key, seed));
  } else {
    return hash_word(static_cast<std::uint64_t>(hasher(key)), seed);
  }
}

}  // namespace internal

}  // namespace gomap
