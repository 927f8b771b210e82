// The generic adapter: a std-like map needs no adapter code. StdLike<Map, Profile> finds the map's
// operations with C++20 concepts and declares the capability for each one it has (operator[],
// erase(iterator), reserve, copy, move, swap), so the generators only produce ops the map offers;
// the promises no compiler can see come from a guarantee profile (profiles.def).
//
//   template <class K, class V, class H, class E, class A>
//   using MyMap = my::Map<K, V, H, E>;
//   struct MyMapAdapter : mapcheck::StdLike<MyMap, mapcheck::Profile::flat_tombstones> {
//     static constexpr std::string_view name = "my_map";
//     static constexpr std::string_view cpp_name = "MyMapAdapter";
//   };
//
// mapcheck_add_map(... MAP_TYPE "my::Map<K, V, H, E>" PROFILE flat_tombstones) writes exactly that.
// The operations every map must have are checked once, with a static_assert per operation that
// says what to add (or to write an adapter with a wrapper, for a map that is not std-like).
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

#include "mapcheck/op.hpp"

namespace mapcheck {

enum class Profile : std::uint8_t {
#define MAPCHECK_PROFILE(name, help, ...) name,
#include "mapcheck/profiles.def"
#undef MAPCHECK_PROFILE
};

struct ProfileInfo {
  std::string_view name;
  std::string_view help;
  Capabilities guarantees;
};

inline constexpr ProfileInfo kProfiles[] = {
#define MAPCHECK_PROFILE(name, help, ...) ProfileInfo{#name, help, Capabilities{__VA_ARGS__}},
#include "mapcheck/profiles.def"
#undef MAPCHECK_PROFILE
};

namespace std_like {

// The probe instantiation: int keys and values, the standard hasher and equality.
template <template <class, class, class, class, class> class Map>
using Probe =
    Map<int, int, std::hash<int>, std::equal_to<int>, std::allocator<std::pair<const int, int>>>;

template <class M>
concept Subscript = requires(M m, const typename M::key_type& k) {
  m[k];
};
template <class M>
concept EraseIterator = requires(M m, typename M::iterator it) {
  { m.erase(it) } -> std::convertible_to<typename M::iterator>;
};
template <class M>
concept Reserve = requires(M m, typename M::size_type n) {
  m.reserve(n);
};
template <class M>
concept Swap = requires(M a, M b) {
  a.swap(b);
  swap(a, b);
};

template <class M>
constexpr Capabilities detected_operations() {
  Capabilities caps;
  if constexpr (Subscript<M>) caps = caps.with(Capability::subscript);
  if constexpr (EraseIterator<M>) caps = caps.with(Capability::erase_iterator);
  if constexpr (Reserve<M>) caps = caps.with(Capability::reserve);
  if constexpr (std::copy_constructible<M> && std::is_copy_assignable_v<M>)
    caps = caps.with(Capability::copy);
  if constexpr (std::move_constructible<M> && std::is_move_assignable_v<M>)
    caps = caps.with(Capability::move);
  if constexpr (Swap<M>) caps = caps.with(Capability::swap);
  return caps;
}

// A profile's promise about reserve is checked through bucket_count(): a map with no reserve or no
// bucket_count() does not get it.
template <class M>
constexpr Capabilities checkable(Capabilities caps) {
  if constexpr (!(Reserve<M> && requires(const M& m) { m.bucket_count(); }))
    caps = caps.without(Capability::reserve_keeps_buckets);
  return caps;
}

// The operations the interpreter calls on every map, one readable message each.
template <class M>
constexpr bool has_required_operations() {
  using K = typename M::key_type;
  using V = typename M::mapped_type;
  static_assert(
      requires(const typename M::hasher& h, const typename M::key_equal& e) { M(0, h, e); },
      "mapcheck: the map needs a constructor Map(bucket_count, hash, equal)");
  static_assert(
      requires(M m, K k, V v) { m.insert(std::pair<const K, V>(k, v)).second; },
      "mapcheck: the map needs insert(value_type) returning pair<iterator, bool>");
  static_assert(
      requires(M m, K k, V v) { m.try_emplace(k, v).second; },
      "mapcheck: the map needs try_emplace(key, value) returning pair<iterator, bool>");
  static_assert(
      requires(M m, K k, V v) { m.insert_or_assign(k, v).second; },
      "mapcheck: the map needs insert_or_assign(key, value) returning pair<iterator, bool>");
  static_assert(
      requires(M m, K k) {
        { m.erase(k) } -> std::convertible_to<std::size_t>;
      },
      "mapcheck: the map needs erase(key) returning the number of entries erased");
  static_assert(
      requires(M m, K k) { m.find(k) == m.end(); },
      "mapcheck: the map needs find(key) comparable with end()");
  static_assert(
      requires(const M m, K k) {
        { m.contains(k) } -> std::convertible_to<bool>;
      },
      "mapcheck: the map needs contains(key) const");
  static_assert(
      requires(const M m) {
        { m.size() } -> std::convertible_to<std::size_t>;
      },
      "mapcheck: the map needs size() const");
  static_assert(
      requires(M m) { m.clear(); }, "mapcheck: the map needs clear()");
  static_assert(
      requires(M m) {
        m.begin()->first;
        m.begin()->second;
        ++m.begin();
      },
      "mapcheck: the map needs begin()/end() with iterators to key/value pairs");
  return true;
}

}  // namespace std_like

// The adapter base for a std-like map template Map<K, V, Hash, Eq, Alloc> with the given profile.
// Derive from it and add `name` and `cpp_name`.
template <template <class, class, class, class, class> class Map, Profile P>
struct StdLike {
  template <class K, class V, class H, class E, class A>
  using map = Map<K, V, H, E, A>;
  static_assert(std_like::has_required_operations<std_like::Probe<Map>>());
  static constexpr Capabilities capabilities = std_like::checkable<std_like::Probe<Map>>(
      std_like::detected_operations<std_like::Probe<Map>>() |
      kProfiles[static_cast<std::size_t>(P)].guarantees);
};

}  // namespace mapcheck
