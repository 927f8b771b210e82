// Key universes: the small worlds of keys a program draws from, chosen per run (Program::universe).
//
// An op names a key by its index (0..255); the universe turns an index into a key of its type and
// tells the models what the map's equality will make of it:
//   * canonical(i): indices with the same canonical index are equal under the map's Eq;
//   * reflexive(i): false for NaN-like keys (k != k), which no lookup can find;
//   * cpp(i):       the key as a C++ expression, for reproducers.
// and fresh_key(j) is the j-th key of an endless supply outside the 256 (the churn op's keys,
// which are erased as soon as they are inserted, so the models never hold them).
//
// The universes, declared once in kUniverses:
//   ints    std::int64_t: the common case.
//   large   LargeKey, 160 bytes: above gomap's 128-byte limit, so keys are stored out of line.
//   nan     double, every 16th index NaN: irreflexive keys (Go's NaN semantics).
//   tagged  TaggedKey{id, tag}: indices 2j and 2j+1 are equal under Eq but differ in bits, like
//           +0.0 / -0.0 or case-insensitive strings (overwrite may or may not store the new bits).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "gomap/hash.hpp"

namespace mapcheck {

struct LargeKey {
  std::array<std::uint64_t, 20> words{};
  friend bool operator==(const LargeKey&, const LargeKey&) = default;
};

struct TaggedKey {
  std::int32_t id = 0;
  std::int32_t tag = 0;  // not part of equality or hashing
  friend bool operator==(const TaggedKey& a, const TaggedKey& b) { return a.id == b.id; }
};

enum class UniverseKind : std::uint8_t { ints, large, nan, tagged };

struct UniverseInfo {
  UniverseKind kind;
  std::string_view name;
  std::string_view help;
};

inline constexpr std::array kUniverses = {
    UniverseInfo{UniverseKind::ints, "ints", "std::int64_t keys"},
    UniverseInfo{UniverseKind::large, "large", "160-byte keys (out-of-line storage)"},
    UniverseInfo{UniverseKind::nan, "nan", "double keys, some NaN (irreflexive)"},
    UniverseInfo{UniverseKind::tagged, "tagged", "keys equal under Eq but different in bits"},
};

inline constexpr std::size_t kUniverseSize = 256;  // key indices are one byte

template <UniverseKind U>
struct Universe;

// The universe's key identity as a function object, for PolicyHash.
template <UniverseKind U>
struct IdOf {
  template <class K>
  std::uint64_t operator()(const K& k) const {
    return Universe<U>::id(k);
  }
};

template <>
struct Universe<UniverseKind::ints> {
  using Key = std::int64_t;
  static constexpr std::string_view cpp_type = "std::int64_t";
  static Key key(std::uint8_t i) { return i; }
  static Key fresh_key(std::uint64_t j) { return static_cast<Key>(kUniverseSize + j); }
  static std::uint64_t id(const Key& k) { return static_cast<std::uint64_t>(k); }
  static std::uint8_t canonical(std::uint8_t i) { return i; }
  static bool reflexive(std::uint8_t) { return true; }
  static std::string cpp(std::uint8_t i) { return std::to_string(i); }
  static std::optional<std::uint8_t> index_of(const Key& k) { return static_cast<std::uint8_t>(k); }
};

template <>
struct Universe<UniverseKind::large> {
  using Key = LargeKey;
  static constexpr std::string_view cpp_type = "mapcheck::LargeKey";
  static Key key(std::uint8_t i) {
    Key k;
    k.words[0] = i;
    for (std::size_t w = 1; w < k.words.size(); ++w)
      k.words[w] = w * 0x9E3779B97F4A7C15ULL * (i + 1u);
    return k;
  }
  static Key fresh_key(std::uint64_t j) {
    Key k;
    k.words[0] = kUniverseSize + j;
    k.words[1] = j * 0x9E3779B97F4A7C15ULL;
    return k;
  }
  static std::uint64_t id(const Key& k) { return k.words[0]; }
  static std::uint8_t canonical(std::uint8_t i) { return i; }
  static bool reflexive(std::uint8_t) { return true; }
  static std::string cpp(std::uint8_t i) {
    return "mapcheck::Universe<mapcheck::UniverseKind::large>::key(" + std::to_string(i) + ")";
  }
  static std::optional<std::uint8_t> index_of(const Key& k) {
    return static_cast<std::uint8_t>(id(k));
  }
};

template <>
struct Universe<UniverseKind::nan> {
  using Key = double;
  static constexpr std::string_view cpp_type = "double";
  static bool is_nan(std::uint8_t i) { return i % 16 == 15; }
  static Key key(std::uint8_t i) {
    return is_nan(i) ? std::numeric_limits<double>::quiet_NaN() : double(i);
  }
  static Key fresh_key(std::uint64_t j) { return static_cast<double>(kUniverseSize + j); }
  static std::uint64_t id(const Key& k) { return k != k ? 0xFFFF : static_cast<std::uint64_t>(k); }
  static std::uint8_t canonical(std::uint8_t i) { return i; }
  static bool reflexive(std::uint8_t i) { return !is_nan(i); }
  static std::string cpp(std::uint8_t i) {
    return is_nan(i) ? "std::numeric_limits<double>::quiet_NaN()" : std::to_string(i) + ".0";
  }
  static std::optional<std::uint8_t> index_of(const Key& k) {
    if (k != k) return std::nullopt;  // every NaN index has the same bits
    return static_cast<std::uint8_t>(k);
  }
};

template <>
struct Universe<UniverseKind::tagged> {
  using Key = TaggedKey;
  static constexpr std::string_view cpp_type = "mapcheck::TaggedKey";
  static Key key(std::uint8_t i) { return {i / 2, i % 2}; }
  static Key fresh_key(std::uint64_t j) {
    return {static_cast<std::int32_t>(kUniverseSize / 2 + j % (1u << 30)), 0};
  }
  static std::uint64_t id(const Key& k) { return static_cast<std::uint64_t>(k.id); }
  static std::uint8_t canonical(std::uint8_t i) { return static_cast<std::uint8_t>(i & ~1u); }
  static bool reflexive(std::uint8_t) { return true; }
  static std::string cpp(std::uint8_t i) {
    return "mapcheck::TaggedKey{" + std::to_string(i / 2) + ", " + std::to_string(i % 2) + "}";
  }
  static std::optional<std::uint8_t> index_of(const Key& k) {
    return static_cast<std::uint8_t>(k.id * 2 + k.tag);
  }
};

}  // namespace mapcheck

// Hashes for the universe key types, so std-like maps can use them with their default hasher.
template <>
struct std::hash<mapcheck::LargeKey> {
  std::size_t operator()(const mapcheck::LargeKey& k) const noexcept {
    std::size_t h = 0;
    for (std::uint64_t w : k.words) h = h * 1099511628211ULL ^ w;
    return h;
  }
};
template <>
struct std::hash<mapcheck::TaggedKey> {
  std::size_t operator()(const mapcheck::TaggedKey& k) const noexcept {
    return std::hash<std::int32_t>{}(k.id);
  }
};

// gomap's own hasher and key traits for the universe types: a tagged key's bits may differ between
// equal keys, so Go's rule is to store the newest bits on overwrite (NeedKeyUpdate).
template <>
struct gomap::Hash<mapcheck::LargeKey> {
  std::uint64_t operator()(const mapcheck::LargeKey& k, std::uint64_t seed) const {
    return gomap::internal::hash_bytes(k.words.data(), sizeof(k.words), seed);
  }
};
template <>
struct gomap::Hash<mapcheck::TaggedKey> {
  std::uint64_t operator()(const mapcheck::TaggedKey& k, std::uint64_t seed) const {
    return gomap::internal::hash_word(static_cast<std::uint64_t>(k.id), seed);
  }
};
template <>
struct gomap::needs_key_update<mapcheck::TaggedKey> : std::true_type {};
