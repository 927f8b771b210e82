// gomap::SyncMap — Go's sync.Map (go/src/sync/map.go, the design before Go 1.24's HashTrieMap),
// re-created in C++20 as mapcheck's concurrent reference map. Every member function may be called
// from any number of threads at once.
//
//   gomap::SyncMap<std::string, int> m;
//   m.store("a", 1);                                    // Go's m.Store("a", 1)
//   if (std::optional<int> v = m.load("a")) use(*v);    // Go's v, ok := m.Load("a")
//   auto [actual, loaded] = m.load_or_store("b", 2);
//   m.range([&](const std::string& k, const int& v) {   // weakly consistent, see range()
//     m.erase(k);                                       // f may call any member of m
//     return true;
//   });
//
// How it differs from Go's sync.Map: keys and values are typed (no interfaces); a missing value is
// std::nullopt rather than (nil, false); compare_and_swap / compare_and_delete need V's ==; Delete
// is erase(). Values are returned by copy. SyncMap can be neither copied nor moved.
//
// Design (as Go's):
//  * read_: an atomically published, immutable ReadOnly {entries, amended}. Load, and the first
//    attempt of every other operation, look only here, without the mutex. `entries` maps keys to
//    shared Entry objects; an entry's value can change in place (lock-free CAS), so keys already
//    in read_ are updated, deleted and re-stored without the mutex.
//  * dirty_: a map under mu_ that holds new keys plus every entry of read_ that is not expunged.
//    Entries are shared, not copied: both maps point to the same Entry for a key.
//  * misses_: lookups since the last promotion that had to take mu_ to reach dirty_. When misses_
//    reaches dirty_'s size, dirty_ becomes the new read_ (wholesale: amended = false) and dirty_ is
//    dropped; the next new key rebuilds dirty_ from read_ (dirty_locked), expunging the deleted
//    entries on the way so that they are not copied (entry states: internal/sync_entry.hpp).
//  * A store to a key whose entry is expunged (a deleted key left out of dirty_) takes mu_, puts
//    the entry back into dirty_ and un-expunges it there: the key resurrects through dirty_.
//  * range() promotes dirty_ first when read_ is amended, then walks that read_ snapshot without
//    any lock; f may call any member, including range().
//
// Invariants between operations (gomap::debug::check_sync_invariants checks them under mu_; they
// hold at any moment, since lock-free operations never enter or leave `expunged`):
//  S1 amended ⇒ dirty_ exists.
//  S2 an entry in dirty_ that is not in read_ ⇒ amended. (Not the converse: load_and_delete may
//     remove dirty_'s only extra key and leave amended set, as Go does.)
//  S3 no entry in dirty_ is expunged.
//  S4 dirty_ exists ⇒ every entry of read_ that is not expunged is in dirty_, as the same object.
//  S5 an expunged entry in read_ ⇒ dirty_ exists. (So a rebuild of dirty_ finds no expunged entry,
//     and a promotion, which makes read_ = dirty_, leaves none.)
//  S6 no dirty_ ⇒ misses_ == 0.
//
// Memory reclamation. Readers run without mu_, so nothing they can reach is freed under them: a
// value is a std::shared_ptr<const V> in its entry's atomic slot and a reader holds its own
// reference while it copies the value out; read_ is an atomic std::shared_ptr<const ReadOnly>, and
// a reader's snapshot keeps that ReadOnly, its map and its entries alive; an entry found in dirty_
// under mu_ is copied out as a shared_ptr before mu_ is released. Whoever drops the last reference
// frees the object. std::atomic<std::shared_ptr> is not TSan-clean in libstdc++ 12, so the slots
// are internal::AtomicSharedPtr: like libstdc++'s, a per-slot spin lock held for a pointer copy
// and a reference-count increment, never across user code (see its header). "Without the mutex"
// therefore means without mu_; no reader ever waits for a writer's hashing, copying or allocating.
//
// Memory orders. Every AtomicSharedPtr operation (read_ and each entry slot) is acquire on entry
// and release on exit, as std's acq_rel:
//  * release/acquire on a value slot publishes the constructed V to every thread that loads it,
//    and on read_ publishes the ReadOnly and its map before anyone can look keys up in it;
//  * the state machine needs only per-slot order — the expunge CAS and a lock-free CAS on the same
//    slot are totally ordered, so a store either lands before the expunge (which then fails and
//    the entry is copied) or sees `expunged` and takes the mutex;
//  * dirty_, misses_ and every store to read_ are under mu_, which orders them among themselves.
// Nothing relies on a single total order across different slots (no seq_cst).
//
// Reentrancy: f in range() runs with no lock held. Hash, Eq and K's and V's destructors may run
// with mu_ held (a displaced snapshot can be the last owner of a value), so they must not call
// this map. Exceptions from Hash, Eq, K's copy, V's construction or an allocation leave the
// contents unchanged; a returned V is copied after the operation took effect, so a throwing copy
// there loses the result, not the effect (swap, load_and_delete, load_or_store).
#pragma once

#include <concepts>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "gomap/hash.hpp"
#include "gomap/internal/sync_atomic_shared_ptr.hpp"
#include "gomap/internal/sync_entry.hpp"
#include "gomap/internal/sync_planted_bugs.hpp"
#include "gomap/map.hpp"

namespace gomap {

namespace debug {
struct SyncMapAccess;
}

template <class K, class V, class Hash = gomap::Hash<K>, class Eq = std::equal_to<K>>
class SyncMap {
  using Entry = internal::SyncEntry<V>;
  using EntryPtr = std::shared_ptr<Entry>;
  using EntryMap = gomap::Map<K, EntryPtr, Hash, Eq>;
  using ValuePtr = typename Entry::ValuePtr;

  // Go's readOnly. Immutable once published in read_.
  struct ReadOnly {
    std::shared_ptr<const EntryMap> entries;  // never null
    bool amended = false;                     // dirty_ may hold keys that `entries` lacks
  };
  using Snapshot = std::shared_ptr<const ReadOnly>;

 public:
  using key_type = K;
  using mapped_type = V;
  using hasher = Hash;
  using key_equal = Eq;

  SyncMap() : SyncMap(Hash(), Eq()) {}
  explicit SyncMap(const Hash& hash, const Eq& eq = Eq())
      : hash_(hash), eq_(eq), read_(make_snapshot(make_entry_map(0), false)) {}
  SyncMap(const SyncMap&) = delete;
  SyncMap& operator=(const SyncMap&) = delete;

  // Go's Load: the value for `key`, or nullopt.
  std::optional<V> load(const K& key) const {
    const EntryPtr entry = find_entry(key, /*erase_from_dirty=*/false);
    return copy_of(entry ? entry->load() : nullptr);
  }

  // Go's Store.
  void store(const K& key, V value) { swap_value(key, make_value(std::move(value))); }

  // Go's LoadOrStore: {the existing value, true} if `key` has one, else stores `value` and returns
  // {value, false}.
  std::pair<V, bool> load_or_store(const K& key, V value) {
    auto [actual, loaded] = load_or_store_value(key, make_value(std::move(value)));
    return {*actual, loaded};
  }

  // Go's LoadAndDelete: deletes `key` and returns the value it had, or nullopt.
  std::optional<V> load_and_delete(const K& key) {
    const EntryPtr entry = find_entry(key, /*erase_from_dirty=*/true);
    return copy_of(entry ? entry->erase() : nullptr);
  }

  // Go's Delete.
  void erase(const K& key) {
    if (const EntryPtr entry = find_entry(key, /*erase_from_dirty=*/true)) entry->erase();
  }

  // Go's Swap: stores `value` and returns the previous value, or nullopt.
  std::optional<V> swap(const K& key, V value) {
    return copy_of(swap_value(key, make_value(std::move(value))));
  }

  // Go's CompareAndSwap: replaces the value of `key` by `new_value` if it is == `old`.
  bool compare_and_swap(const K& key, const V& old,
                        V new_value) requires std::equality_comparable<V> {
    Snapshot read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key))
      return (*entry)->try_compare_and_swap(old, std::move(new_value));
    if (!read->amended) return false;  // no value for key
    std::lock_guard lock(mu_);
    read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key))
      return (*entry)->try_compare_and_swap(old, std::move(new_value));
    const EntryPtr* entry = dirty_ ? find_in(*dirty_, key) : nullptr;
    if (entry == nullptr) return false;
    const bool swapped = (*entry)->try_compare_and_swap(old, std::move(new_value));
    miss_locked();  // the key set did not change, but the lookup needed mu_
    return swapped;
  }

  // Go's CompareAndDelete: deletes `key` if its value is == `old`.
  bool compare_and_delete(const K& key, const V& old) requires std::equality_comparable<V> {
    // The entry stays in dirty_ (the comparison may fail); a later rebuild expunges it.
    const EntryPtr entry = find_entry(key, /*erase_from_dirty=*/false);
    return entry && entry->compare_and_delete(old);
  }

  // Go's Range: calls f(key, value) for the keys present, until f returns false. Weakly
  // consistent, as Go documents: no key is visited twice, and a key present with an unchanged
  // value throughout the call is visited; for a key stored or deleted concurrently (also by f), f
  // may see any of its values from during the call, or not see it. No lock is held while f runs:
  // f may call any member of this map. O(size) even if f stops early. Order is random (gomap's).
  template <class F>
  requires std::predicate<F&, const K&, const V&>
  void range(F f) const {
    Snapshot read = read_.load();
    if (read->amended) {  // dirty_ has keys read_ lacks: promote it, a range amortises the copy
      std::lock_guard lock(mu_);
      read = read_.load();
      if (read->amended) read = promote_dirty_locked();
    }
    for (auto it = read->entries->begin(); it != read->entries->end(); ++it) {
      const ValuePtr value = it->second->load();
      if (value && !f(it->first, *value)) break;
    }
  }

  // Go's Clear: deletes every key.
  void clear() {
    Snapshot read = read_.load();
    if (read->entries->empty() && !read->amended) return;  // already empty: no allocation
    std::lock_guard lock(mu_);
    read = read_.load();
    if (!read->entries->empty() || read->amended)
      read_.store(make_snapshot(make_entry_map(0), false));
    if (dirty_) dirty_->clear();
    misses_ = 0;  // do not promote the emptied dirty_ on the next miss
  }

  hasher hash_function() const { return hash_; }
  key_equal key_eq() const { return eq_; }

 private:
  friend struct debug::SyncMapAccess;

  // ---- small helpers ----
  static ValuePtr make_value(V&& value) { return std::make_shared<const V>(std::move(value)); }
  static std::optional<V> copy_of(const ValuePtr& value) {
    if (!value) return std::nullopt;
    return *value;
  }
  std::shared_ptr<const EntryMap> make_entry_map(std::size_t hint) const {
    return std::make_shared<const EntryMap>(hint, hash_, eq_);
  }
  static Snapshot make_snapshot(std::shared_ptr<const EntryMap> entries, bool amended) {
    return std::make_shared<const ReadOnly>(ReadOnly{std::move(entries), amended});
  }
  // The entry for `key` in `entries`, or null; valid while `entries` lives and is not written.
  static const EntryPtr* find_in(const EntryMap& entries, const K& key) {
    auto it = entries.find(key);
    return it == entries.end() ? nullptr : &it->second;
  }

  // The entry for `key`: from read_ without the mutex, else (read_ amended) from dirty_ under it,
  // counting a miss. Load, LoadAndDelete and CompareAndDelete share this lookup; with
  // `erase_from_dirty` (LoadAndDelete) a key found only in dirty_ also leaves dirty_, and the
  // caller then deletes the returned entry's value.
  EntryPtr find_entry(const K& key, bool erase_from_dirty) const {
    Snapshot read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key)) return *entry;
    if (!read->amended) return nullptr;
    std::unique_lock lock(mu_);
    read = read_.load();  // promoted while we waited? then this is no miss (Go's comment)
    if (const EntryPtr* entry = find_in(*read->entries, key)) return *entry;
    if (!read->amended) return nullptr;
    EntryPtr found;
    if (const EntryPtr* entry = find_in(*dirty_, key)) found = *entry;  // S1: dirty_ exists
    if (found && erase_from_dirty) dirty_->erase(key);
    if constexpr (internal::planted(internal::SyncPlantedBug::promote_without_lock)) {
      lock.unlock();
      if (dirty_) miss_locked();
      return found;
    }
    miss_locked();  // found or not, this key takes the slow path until the next promotion
    return found;
  }

  // Go's Swap, on an allocated value: the previous live value, or null.
  ValuePtr swap_value(const K& key, ValuePtr value) {
    Snapshot read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key)) {
      if (std::optional<ValuePtr> previous = (*entry)->try_swap(value)) return *previous;
    }  // expunged: only the mutex holder may store there
    std::lock_guard lock(mu_);
    read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key)) {
      restore_to_dirty_locked(key, *entry);
      return (*entry)->swap_locked(std::move(value));
    }
    if (const EntryPtr* entry = dirty_ ? find_in(*dirty_, key) : nullptr)
      return (*entry)->swap_locked(std::move(value));
    add_key_locked(key, std::move(value), *read);
    return nullptr;
  }

  // Go's LoadOrStore, on an allocated value.
  typename Entry::LoadOrStoreResult load_or_store_value(const K& key, const ValuePtr& value) {
    Snapshot read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key)) {
      if (auto result = (*entry)->try_load_or_store(value)) return *std::move(result);
    }
    std::lock_guard lock(mu_);
    read = read_.load();
    if (const EntryPtr* entry = find_in(*read->entries, key)) {
      restore_to_dirty_locked(key, *entry);
      return (*entry)->try_load_or_store(value).value();  // not expunged any more
    }
    if (const EntryPtr* entry = dirty_ ? find_in(*dirty_, key) : nullptr) {
      auto result = (*entry)->try_load_or_store(value).value();  // S3: not expunged
      miss_locked();
      return result;
    }
    add_key_locked(key, value, *read);
    return {value, false};
  }

  // ---- under mu_ ----

  // Go's unexpungeLocked + `dirty[key] = e`, in the exception-safe order: the entry goes into
  // dirty_ first (that may throw; nothing has changed yet), then leaves `expunged`. Only mutex
  // holders expunge, so the state read here cannot change before the CAS.
  void restore_to_dirty_locked(const K& key, const EntryPtr& entry) {
    if (entry->state() != internal::SyncEntryState::expunged) return;
    if constexpr (!internal::planted(internal::SyncPlantedBug::store_loses_expunged))
      dirty_->insert_or_assign(key, entry);  // S5: expunged implies dirty_ exists
    entry->unexpunge_locked();
  }

  // A key in neither map: the first new key since a promotion rebuilds dirty_ and marks read_
  // amended (S2); then the key goes into dirty_ only.
  void add_key_locked(const K& key, ValuePtr value, const ReadOnly& read) {
    if (!read.amended) {
      dirty_locked(read);
      read_.store(make_snapshot(read.entries, true));
    }
    dirty_->insert_or_assign(key, std::make_shared<Entry>(std::move(value)));
  }

  // Go's dirtyLocked: builds dirty_ from read_'s entries if there is none, expunging the deleted
  // ones instead of copying them. If a copy throws, the entries expunged so far are restored: by
  // S5 read_ held no expunged entry before.
  void dirty_locked(const ReadOnly& read) {
    if (dirty_) return;
    const EntryMap& entries = *read.entries;
    EntryMap fresh(entries.size(), hash_, eq_);
    try {
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (!it->second->try_expunge_locked()) fresh.insert_or_assign(it->first, it->second);
      }
    } catch (...) {
      for (auto it = entries.begin(); it != entries.end(); ++it) it->second->unexpunge_locked();
      throw;
    }
    dirty_.emplace(std::move(fresh));
  }

  // Go's missLocked: one more slow lookup; enough of them pay for promoting dirty_.
  void miss_locked() const {
    ++misses_;
    if (misses_ >= dirty_->size()) promote_dirty_locked();
  }

  // dirty_ becomes read_ (not amended: it holds every key) and is dropped. Returns the new
  // snapshot. Both allocations happen before dirty_ is moved, so a throw changes nothing.
  Snapshot promote_dirty_locked() const {
    auto promoted = std::make_shared<ReadOnly>();
    promoted->entries = std::make_shared<const EntryMap>(std::move(*dirty_));
    Snapshot snapshot = std::move(promoted);
    read_.store(snapshot);
    dirty_.reset();
    misses_ = 0;
    return snapshot;
  }

  const Hash hash_;
  const Eq eq_;
  mutable std::mutex mu_;  // guards dirty_, misses_ and every store to read_
  mutable internal::AtomicSharedPtr<const ReadOnly> read_;  // never null
  mutable std::optional<EntryMap> dirty_;                   // nullopt: Go's nil dirty map
  mutable std::size_t misses_ = 0;                          // slow lookups since the last promotion
};

// ---- introspection: gomap::debug for SyncMap ----
namespace debug {

using SyncEntryState = internal::SyncEntryState;

// Go's Map fields, read together under the mutex.
struct SyncMapLayout {
  std::size_t read_keys = 0;   // keys in the read-only map, in any entry state
  bool amended = false;        // the read-only map's flag
  bool has_dirty = false;      // a dirty map exists (Go: dirty != nil)
  std::size_t dirty_keys = 0;  // keys in the dirty map
  std::size_t misses = 0;
};

struct SyncMapAccess {
  template <class M>
  static std::unique_lock<std::mutex> lock(const M& m) {
    return std::unique_lock(m.mu_);
  }
  template <class M>
  static auto read(const M& m) {
    return m.read_.load();
  }
  template <class M>
  static const auto& dirty(const M& m) {
    return m.dirty_;
  }
  template <class M>
  static std::size_t misses(const M& m) {
    return m.misses_;
  }
};

template <class K, class V, class H, class E>
SyncMapLayout sync_layout(const SyncMap<K, V, H, E>& m) {
  auto lock = SyncMapAccess::lock(m);
  const auto read = SyncMapAccess::read(m);
  const auto& dirty = SyncMapAccess::dirty(m);
  return {read->entries->size(), read->amended, dirty.has_value(), dirty ? dirty->size() : 0,
          SyncMapAccess::misses(m)};
}

// The state of `key`'s entry in the read-only map; nullopt if the key is not there.
template <class K, class V, class H, class E>
std::optional<SyncEntryState> read_entry_state(const SyncMap<K, V, H, E>& m, const K& key) {
  auto lock = SyncMapAccess::lock(m);
  const auto read = SyncMapAccess::read(m);
  auto it = read->entries->find(key);
  if (it == read->entries->end()) return std::nullopt;
  return it->second->state();
}

// Reports whether `key` is in the dirty map (false when there is none).
template <class K, class V, class H, class E>
bool in_dirty(const SyncMap<K, V, H, E>& m, const K& key) {
  auto lock = SyncMapAccess::lock(m);
  const auto& dirty = SyncMapAccess::dirty(m);
  return dirty && dirty->contains(key);
}

// Checks S1-S6 (listed at the top of this header) under the mutex; returns the first violation in
// words, or nothing. Exact even with concurrent lock-free operations: they never change whether
// an entry is expunged, and S1-S6 depend on nothing else that they change.
template <class K, class V, class H, class E>
std::optional<std::string> check_sync_invariants(const SyncMap<K, V, H, E>& m) {
  auto lock = SyncMapAccess::lock(m);
  const auto read = SyncMapAccess::read(m);
  const auto& dirty = SyncMapAccess::dirty(m);
  std::set<const void*> read_entries, dirty_entries;  // by identity: NaN keys are never found
  for (auto it = read->entries->begin(); it != read->entries->end(); ++it)
    read_entries.insert(it->second.get());
  if (read->amended && !dirty) return "S1: read-only map amended but no dirty map";
  if (!dirty && SyncMapAccess::misses(m) != 0) return "S6: misses counted without a dirty map";
  if (dirty) {
    for (auto it = dirty->begin(); it != dirty->end(); ++it) {
      dirty_entries.insert(it->second.get());
      if (it->second->state() == SyncEntryState::expunged)
        return "S3: an expunged entry is in the dirty map";
      if (!read->amended && !read_entries.contains(it->second.get()))
        return "S2: the dirty map holds an entry the read-only map lacks, but amended is false";
    }
  }
  for (auto it = read->entries->begin(); it != read->entries->end(); ++it) {
    const bool expunged = it->second->state() == SyncEntryState::expunged;
    if (expunged && !dirty) return "S5: an expunged entry without a dirty map";
    if (!expunged && dirty && !dirty_entries.contains(it->second.get()))
      return "S4: a read-only entry that is not expunged is missing from the dirty map";
  }
  return std::nullopt;
}

}  // namespace debug
}  // namespace gomap
