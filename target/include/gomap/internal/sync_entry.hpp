// gomap::internal::SyncEntry<V> — one key's slot in a SyncMap (Go's sync.Map `entry`).
//
// The slot is an atomic shared pointer to an immutable value and is in one of three states:
//
//   live      points to the current value
//   deleted   null: the key is absent; the entry is still in the dirty map whenever one exists
//   expunged  the marker pointer: the key is absent AND the entry is missing from the dirty map
//
// Who may make which transition (the rest of SyncMap relies on this table):
//
//   live -> live, live -> deleted, deleted -> live   anyone, without the map's mutex (CAS loops)
//   deleted -> expunged                              only with the mutex held (try_expunge_locked)
//   expunged -> deleted                              only with the mutex held (unexpunge_locked)
//
// No lock-free operation enters or leaves `expunged`, so a thread holding the mutex sees an
// expunged entry stay expunged; and a lock-free write refuses to touch an expunged entry, because
// a value stored there would be lost when the dirty map (which lacks the entry) is promoted.
//
// Values are std::shared_ptr<const V>: a reader that loaded one keeps it alive after a concurrent
// delete or swap has replaced it in the slot; the last owner frees it.
#pragma once

#include <concepts>
#include <memory>
#include <optional>
#include <utility>

#include "gomap/internal/sync_atomic_shared_ptr.hpp"

namespace gomap::internal {

enum class SyncEntryState { live, deleted, expunged };

template <class V>
class SyncEntry {
 public:
  using ValuePtr = std::shared_ptr<const V>;
  struct LoadOrStoreResult {
    ValuePtr actual;  // the value now in the entry
    bool loaded;      // true: it was there before; false: the caller's value was stored
  };

  explicit SyncEntry(ValuePtr value) noexcept : slot_(std::move(value)) {}

  SyncEntryState state() const noexcept { return state_of(slot_.load()); }

  // The live value, or null when the key is absent (deleted or expunged).
  ValuePtr load() const noexcept {
    ValuePtr p = slot_.load();
    return is_expunged(p) ? nullptr : p;
  }

  // Go's tryLoadOrStore: the live value if there is one, else stores `value`. nullopt, and no
  // change, when expunged.
  std::optional<LoadOrStoreResult> try_load_or_store(const ValuePtr& value) {
    ValuePtr p = slot_.load();
    for (;;) {
      if (is_expunged(p)) return std::nullopt;
      if (p) return LoadOrStoreResult{std::move(p), true};
      if (slot_.compare_exchange_strong(p, value)) return LoadOrStoreResult{value, false};
    }
  }

  // Go's trySwap: puts `value` in and returns the previous live value (null if deleted). nullopt,
  // and no change, when expunged.
  std::optional<ValuePtr> try_swap(const ValuePtr& value) {
    ValuePtr p = slot_.load();
    for (;;) {
      if (is_expunged(p)) return std::nullopt;
      if (slot_.compare_exchange_strong(p, value)) return p;
    }
  }

  // Go's tryCompareAndSwap: replaces a live value equal to `old` by `new_value`. The new value is
  // allocated only once the comparison has succeeded. Reports whether it swapped.
  bool try_compare_and_swap(const V& old, V&& new_value) requires std::equality_comparable<V> {
    ValuePtr p = slot_.load();
    if (!holds(p, old)) return false;
    const ValuePtr fresh = std::make_shared<const V>(std::move(new_value));
    for (;;) {
      if (slot_.compare_exchange_strong(p, fresh)) return true;
      if (!holds(p, old)) return false;
    }
  }

  // Go's CompareAndDelete loop: deletes a live value equal to `old`. Reports whether it deleted.
  bool compare_and_delete(const V& old) requires std::equality_comparable<V> {
    ValuePtr p = slot_.load();
    for (;;) {
      if (!holds(p, old)) return false;
      if (slot_.compare_exchange_strong(p, nullptr)) return true;
    }
  }

  // Go's entry.delete: deletes a live value and returns it; null if there was none.
  ValuePtr erase() {
    ValuePtr p = slot_.load();
    for (;;) {
      if (!p || is_expunged(p)) return nullptr;
      if (slot_.compare_exchange_strong(p, nullptr)) return p;
    }
  }

  // ---- transitions reserved to the holder of the map's mutex ----

  // REQUIRES: the map's mutex is held. Turns deleted into expunged; reports whether the entry is
  // expunged now (the dirty map being rebuilt then leaves it out).
  bool try_expunge_locked() {
    ValuePtr p = slot_.load();
    while (!p) {
      if (slot_.compare_exchange_strong(p, expunged_marker())) return true;
    }
    return is_expunged(p);
  }

  // REQUIRES: the map's mutex is held, and the entry has just been put into the dirty map (an
  // entry that is not expunged must be there). Turns expunged into deleted; reports whether it
  // was expunged.
  bool unexpunge_locked() {
    ValuePtr expected = expunged_marker();
    return slot_.compare_exchange_strong(expected, nullptr);
  }

  // REQUIRES: the map's mutex is held and the entry is not expunged (only mutex holders expunge,
  // so it stays so). Returns the previous live value, null if deleted.
  ValuePtr swap_locked(ValuePtr value) { return slot_.exchange(std::move(value)); }

 private:
  // The expunged marker: a non-null pointer that owns nothing and is never dereferenced. Its
  // address is a byte of static storage, so it differs from every value the entry can hold.
  alignas(V) static constexpr unsigned char kExpungedByte = 0;
  static ValuePtr expunged_marker() noexcept {
    return ValuePtr(std::shared_ptr<const void>(), reinterpret_cast<const V*>(&kExpungedByte));
  }
  static bool is_expunged(const ValuePtr& p) noexcept {
    return static_cast<const void*>(p.get()) == static_cast<const void*>(&kExpungedByte);
  }
  static SyncEntryState state_of(const ValuePtr& p) noexcept {
    if (!p) return SyncEntryState::deleted;
    return is_expunged(p) ? SyncEntryState::expunged : SyncEntryState::live;
  }
  // Reports whether p is a live value equal to `old`.
  static bool holds(const ValuePtr& p, const V& old) { return p && !is_expunged(p) && *p == old; }

  AtomicSharedPtr<const V> slot_;
};

}  // namespace gomap::internal
