// How a key or a value sits in a bucket slot: inline, or boxed out of line (spec §1.3, §7.2).
//
// Go stores a key (value) in the slot itself unless it is larger than 128 bytes, then the slot
// holds a pointer to a box. C++ adds reasons to box, each tied to evacuation (see table.hpp):
//
//  * keys:   boxed if larger than 128 bytes, or not nothrow-move-constructible, or not
//            copy-constructible. While an iterator may read the old array, evacuation must leave a
//            usable key behind in the old slot (the iterator looks it up), so an inline key is
//            copied; a boxed key is shared, hence the box's reference count.
//  * values: boxed if larger than 128 bytes, or not nothrow-move-constructible, or when the key
//            type is irreflexive. An iterator produces a NaN-keyed entry straight from an old slot
//            (it cannot be looked up); the box records where the entry lives now (`home`), so the
//            iterator hands out the live value and erase(it) can find the live slot. Values are
//            never copied: the live slot owns the value (box) alone.
//
// Each policy has the same static interface; the table never asks which one it has except through
// `indirect`, `nothrow_share` and `trivial_destroy`.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "gomap/internal/constants.hpp"

namespace gomap::internal {

// Where a live entry is: its bucket, slot, chain head and chain index, in generation `generation`.
// Untyped so that value boxes can hold one before the bucket type exists.
struct SlotAddress {
  void* bucket = nullptr;
  void* head = nullptr;
  const void* generation = nullptr;
  std::uint64_t chain = 0;
  unsigned slot = 0;
};

template <class T, class Alloc>
using rebind_alloc = typename std::allocator_traits<Alloc>::template rebind_alloc<T>;

// An object stored in the slot itself: what inline keys and inline values have in common.
template <class T>
struct InlineSlot {
  using Slot = T;
  static constexpr bool indirect = false;
  static constexpr bool trivial_destroy = std::is_trivially_destructible_v<T>;

  static T& get(Slot& slot) { return slot; }
  template <class Alloc, class... Args>
  static void construct(Alloc&, Slot* slot, Args&&... args) {
    std::construct_at(slot, std::forward<Args>(args)...);
  }
  template <class Alloc>
  static void destroy(Alloc&, Slot* slot) noexcept {
    std::destroy_at(slot);
  }
  // Moves the object to `to` and ends its life at `from`.
  template <class Alloc>
  static void relocate(Alloc&, Slot* from, Slot* to) noexcept {
    std::construct_at(to, std::move(*from));
    std::destroy_at(from);
  }
};

template <class K>
struct InlineKeys : InlineSlot<K> {
  using typename InlineSlot<K>::Slot;
  static constexpr bool nothrow_share = std::is_nothrow_copy_constructible_v<K>;

  // Gives `to` the same key while `from` keeps its own (evacuation while an iterator may read).
  template <class Alloc>
  static void share(Alloc&, const Slot* from, Slot* to) noexcept(nothrow_share) {
    std::construct_at(to, *from);
  }
};

template <class K>
struct BoxedKeys {
  struct Box {
    std::atomic<std::uint32_t> refs;  // slots (live or kept in an old array) that point here
    K key;
  };
  using Slot = Box*;
  static constexpr bool indirect = true;
  static constexpr bool nothrow_share = true;
  static constexpr bool trivial_destroy = false;

  static K& get(Slot& slot) { return slot->key; }
  template <class Alloc, class... Args>
  static void construct(Alloc& alloc, Slot* slot, Args&&... args) {
    rebind_alloc<Box, Alloc> box_alloc(alloc);
    Box* box = std::allocator_traits<decltype(box_alloc)>::allocate(box_alloc, 1);
    try {
      std::construct_at(&box->key, std::forward<Args>(args)...);
    } catch (...) {
      std::allocator_traits<decltype(box_alloc)>::deallocate(box_alloc, box, 1);
      throw;
    }
    std::construct_at(&box->refs, 1u);
    std::construct_at(slot, box);
  }
  template <class Alloc>
  static void destroy(Alloc& alloc, Slot* slot) noexcept {
    Box* box = *slot;
    if (box->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    std::destroy_at(&box->key);
    rebind_alloc<Box, Alloc> box_alloc(alloc);
    std::allocator_traits<decltype(box_alloc)>::deallocate(box_alloc, box, 1);
  }
  template <class Alloc>
  static void relocate(Alloc&, Slot* from, Slot* to) noexcept {
    std::construct_at(to, *from);
  }
  template <class Alloc>
  static void share(Alloc&, const Slot* from, Slot* to) noexcept {
    (*from)->refs.fetch_add(1, std::memory_order_relaxed);
    std::construct_at(to, *from);
  }
};

template <class V>
struct InlineValues : InlineSlot<V> {
  using typename InlineSlot<V>::Slot;

  // Moves the value to its new slot. Old values are never read (an iterator looks reflexive keys
  // up), so even while old keys are kept the value leaves the old slot.
  template <class Alloc>
  static void evacuate(Alloc& alloc, Slot* from, Slot* to, bool /*keep*/) noexcept {
    InlineSlot<V>::relocate(alloc, from, to);
  }
  template <class Alloc>
  static void release_kept(Alloc&, Slot*) noexcept {}
  static void set_home(Slot*, const SlotAddress&) noexcept {}
};

template <class V>
struct BoxedValues {
  // The live slot owns the value; old slots that kept a pointer (evacuation while an iterator may
  // read) hold a reference to the box only, so a deleted entry's box outlives the deletion until
  // those old arrays die, and readers of old slots see `live == false`.
  struct Box {
    std::atomic<std::uint32_t> refs;
    bool live;
    SlotAddress home;  // the live slot, while `live`
    alignas(V) unsigned char storage[sizeof(V)];
    V& value() { return *std::launder(reinterpret_cast<V*>(storage)); }
  };
  using Slot = Box*;
  static constexpr bool indirect = true;
  static constexpr bool trivial_destroy = false;

  static V& get(Slot& slot) { return slot->value(); }
  template <class Alloc, class... Args>
  static void construct(Alloc& alloc, Slot* slot, Args&&... args) {
    rebind_alloc<Box, Alloc> box_alloc(alloc);
    Box* box = std::allocator_traits<decltype(box_alloc)>::allocate(box_alloc, 1);
    try {
      std::construct_at(reinterpret_cast<V*>(box->storage), std::forward<Args>(args)...);
    } catch (...) {
      std::allocator_traits<decltype(box_alloc)>::deallocate(box_alloc, box, 1);
      throw;
    }
    std::construct_at(&box->refs, 1u);
    box->live = true;
    std::construct_at(&box->home);
    std::construct_at(slot, box);
  }
  template <class Alloc>
  static void destroy(Alloc& alloc, Slot* slot) noexcept {
    Box* box = *slot;
    std::destroy_at(&box->value());
    box->live = false;
    release(alloc, box);
  }
  template <class Alloc>
  static void evacuate(Alloc&, Slot* from, Slot* to, bool keep) noexcept {
    if (keep) (*from)->refs.fetch_add(1, std::memory_order_relaxed);
    std::construct_at(to, *from);
  }
  template <class Alloc>
  static void release_kept(Alloc& alloc, Slot* slot) noexcept {
    release(alloc, *slot);
  }
  static void set_home(Slot* slot, const SlotAddress& home) noexcept { (*slot)->home = home; }

 private:
  template <class Alloc>
  static void release(Alloc& alloc, Box* box) noexcept {
    if (box->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    rebind_alloc<Box, Alloc> box_alloc(alloc);
    std::allocator_traits<decltype(box_alloc)>::deallocate(box_alloc, box, 1);
  }
};

template <class K>
inline constexpr bool key_fits_inline =
    sizeof(K) <=
    kMaxKeySize&& std::is_nothrow_move_constructible_v<K>&& std::is_copy_constructible_v<K>;

template <class K, class V, bool reflexive>
inline constexpr bool value_fits_inline =
    reflexive && sizeof(V) <= kMaxElemSize&& std::is_nothrow_move_constructible_v<V>;

}  // namespace gomap::internal
