// gomap::debug — introspection of a gomap::Map for tests and models: the header fields, the tophash
// bytes of every chain, and the invariants I1-I8 of spec §1.7 (listed at the top of map.hpp).
//
// Everything here reads the map through one friend struct (Access) and never changes it.
// check_invariants() is stateless and covers I1-I7; SlotTracker remembers where every entry was at
// its previous check and adds I8. Both return the first violation in words, or nothing.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gomap/internal/constants.hpp"
#include "gomap/map.hpp"

namespace gomap::debug {

inline constexpr std::uint8_t kIterator = +internal::Flag::iterator;
inline constexpr std::uint8_t kOldIterator = +internal::Flag::oldIterator;
inline constexpr std::uint8_t kHashWriting = +internal::Flag::hashWriting;
inline constexpr std::uint8_t kSameSizeGrow = +internal::Flag::sameSizeGrow;

inline constexpr std::uint8_t kEmptyRest = +internal::Mark::emptyRest;
inline constexpr std::uint8_t kEmptyOne = +internal::Mark::emptyOne;
inline constexpr std::uint8_t kEvacuatedX = +internal::Mark::evacuatedX;
inline constexpr std::uint8_t kEvacuatedY = +internal::Mark::evacuatedY;
inline constexpr std::uint8_t kEvacuatedEmpty = +internal::Mark::evacuatedEmpty;
inline constexpr std::uint8_t kMinTopHash = +internal::Mark::minTopHash;

enum class Growth { stable, doubling, same_size };

struct Access {
  template <class M>
  static const auto* table(const M& map) {
    return map.table_;
  }
};

template <class M>
unsigned B(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->B;
}
template <class M>
std::size_t bucket_count(const M& m) {
  return std::size_t{1} << B(m);
}
template <class M>
std::uint8_t flags(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->flags.load(std::memory_order_relaxed);
}
template <class M>
std::size_t count(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->count;
}
template <class M>
std::size_t nevacuate(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->nevacuate;
}
template <class M>
std::size_t noverflow(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->noverflow;
}
template <class M>
bool growing(const M& m) {
  const auto* t = Access::table(m);
  return t != nullptr && t->growing();
}
template <class M>
Growth growth(const M& m) {
  if (!growing(m)) return Growth::stable;
  return Access::table(m)->same_size_grow() ? Growth::same_size : Growth::doubling;
}
// Identity of the current bucket array (0 before the first insert). A grow installs a new array
// while the old one is still alive, so the serial changes even when the grow also finishes within
// the same write (a same-size grow of two buckets does).
template <class M>
std::uint64_t array_serial(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr || !t->buckets ? 0 : t->buckets->serial();
}
template <class M>
std::uint64_t hash0(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->hash0;
}
template <class M>
std::uint64_t clear_epoch(const M& m) {
  const auto* t = Access::table(m);
  return t == nullptr ? 0 : t->epoch;
}

// Reports whether `key` is live in an unevacuated chain of the old array (a write to it would have
// evacuated that chain first).
template <class M>
bool in_old_array(const M& m, const typename M::key_type& key) {
  const auto* t = Access::table(m);
  if (t == nullptr || t->count == 0 || !t->growing()) return false;
  const auto position = t->lookup(key, t->hash_of(key));
  return position && position.in_old;
}

// Number of buckets in the old array (0 when not growing).
template <class M>
std::size_t old_bucket_count(const M& m) {
  return growing(m) ? Access::table(m)->noldbuckets() : 0;
}

// Tophash bytes of one chain: head bucket first, then its overflow buckets in link order.
// A chain of the new array that is not initialised yet (its source is unevacuated) has no buckets.
struct ChainDump {
  std::size_t index = 0;
  std::vector<std::array<std::uint8_t, 8>> tophash;
};
struct TableDump {
  unsigned B = 0;
  std::vector<ChainDump> chains;
};

namespace internal_debug {
// Calls f(chain, depth, tophash) for each bucket of `gen` that exists, head buckets at depth 0.
template <class Gen, class F>
void visit_generation(const Gen& gen, F&& f) {
  for (std::uint64_t j = 0; j < gen.size(); ++j) {
    if (!gen.initialized(j)) continue;
    unsigned depth = 0;
    for (const auto* b = gen.bucket(j); b != nullptr; b = b->overflow, ++depth)
      f(j, depth, static_cast<const std::uint8_t(&)[8]>(b->tophash));
  }
}

template <class Gen>
TableDump dump_generation(const Gen& gen) {
  TableDump dump{gen.B(), {}};
  for (std::uint64_t j = 0; j < gen.size(); ++j) dump.chains.push_back(ChainDump{j, {}});
  visit_generation(gen, [&](std::uint64_t j, unsigned, const std::uint8_t(&tophash)[8]) {
    std::array<std::uint8_t, 8> bytes{};
    for (unsigned i = 0; i < 8; ++i) bytes[i] = tophash[i];
    dump.chains[j].tophash.push_back(bytes);
  });
  return dump;
}
}  // namespace internal_debug

// Calls f(chain, depth, tophash) for each bucket of the current array, or of the old array while
// growing when `old` is set, without copying anything: for checks that run after every op.
template <class M, class F>
void visit_buckets(const M& m, bool old, F&& f) {
  const auto* t = Access::table(m);
  if (t == nullptr || !t->buckets || (old && !t->growing())) return;
  internal_debug::visit_generation(old ? *t->oldbuckets : *t->buckets, f);
}

template <class M>
TableDump dump_current(const M& m) {
  const auto* t = Access::table(m);
  if (t == nullptr || !t->buckets) return TableDump{B(m), {}};
  return internal_debug::dump_generation(*t->buckets);
}
template <class M>
std::optional<TableDump> dump_old(const M& m) {
  const auto* t = Access::table(m);
  if (t == nullptr || !t->growing()) return std::nullopt;
  return internal_debug::dump_generation(*t->oldbuckets);
}

inline std::string to_string(const TableDump& dump) {
  std::ostringstream out;
  out << "B=" << dump.B << '\n';
  for (const ChainDump& chain : dump.chains) {
    out << "  [" << chain.index << "]";
    if (chain.tophash.empty()) out << " (untouched)";
    for (const auto& bucket : chain.tophash) {
      out << " |";
      for (std::uint8_t top : bucket) out << ' ' << static_cast<int>(top);
    }
    out << '\n';
  }
  return out.str();
}

struct Violation {
  int invariant = 0;  // 1..8: I1..I8 of spec §1.7
  std::string message;
};

namespace internal_debug {

// Out of line and cold: inlined, its ostringstream would sit in the frame of every check that
// can report, and ASan would give each such call a fake stack frame (fuzz speed).
template <class... Parts>
[[gnu::noinline, gnu::cold]] std::optional<Violation> violation(int invariant,
                                                                const Parts&... parts) {
  std::ostringstream out;
  out << 'I' << invariant << ": ";
  (out << ... << parts);
  return Violation{invariant, out.str()};
}

// Checks one chain against I2, I3 (current or unevacuated old chains) and I4, counting its entries.
template <class Table, class Bucket>
std::optional<Violation> check_chain(const Table& h, Bucket* head, std::uint64_t index,
                                     std::uint64_t mask, const char* array, std::uint64_t& live) {
  bool seen_rest = false;
  std::uint8_t last = +internal::Mark::emptyRest;
  unsigned depth = 0;
  for (Bucket* b = head; b != nullptr; b = b->overflow, ++depth) {
    for (unsigned i = 0; i < 8; ++i) {
      const std::uint8_t top = b->tophash[i];
      if (top == +internal::Mark::emptyRest) {
        seen_rest = true;
        continue;
      }
      if (seen_rest)
        return violation(3, array, " chain ", index, " has tophash ", int(top), " at bucket ",
                         depth, " slot ", i, " after an emptyRest slot");
      last = top;
      if (internal::is_evacuation_stamp(top))
        return violation(5, array, " chain ", index, " holds evacuation stamp ", int(top),
                         " at bucket ", depth, " slot ", i, " but the chain is not evacuated");
      if (!internal::is_occupied(top)) continue;
      ++live;
      const auto& key = b->key(i);
      if (!h.self_equal(key)) continue;
      const std::uint64_t hash = h.hash_of(key);
      if (top != internal::tophash_of(hash))
        return violation(2, array, " chain ", index, " bucket ", depth, " slot ", i,
                         " has tophash ", int(top), " but its key hashes to tophash ",
                         int(internal::tophash_of(hash)));
      if ((hash & mask) != index)
        return violation(4, array, " chain ", index, " bucket ", depth, " slot ", i,
                         " holds a key that belongs in chain ", hash & mask);
    }
  }
  if (last == +internal::Mark::emptyOne)
    return violation(3, array, " chain ", index,
                     " ends in emptyOne before its emptyRest run (or at its end)");
  return std::nullopt;
}

// I7: the objects a generation owns match its slots.
template <class Gen>
std::optional<Violation> check_objects(const Gen& gen, const char* array) {
  std::int64_t keys = 0;
  std::int64_t values = 0;
  for (std::uint64_t j = 0; j < gen.size(); ++j) {
    if (!gen.initialized(j)) continue;
    const bool kept = gen.keeps_keys(j);
    for (const auto* b = gen.bucket(j); b != nullptr; b = b->overflow) {
      for (unsigned i = 0; i < 8; ++i) {
        const std::uint8_t top = b->tophash[i];
        if (internal::is_occupied(top)) {
          ++keys;
          ++values;
        } else if (kept &&
                   (top == +internal::Mark::evacuatedX || top == +internal::Mark::evacuatedY)) {
          ++keys;
        }
      }
    }
  }
  if (keys != gen.live_keys || values != gen.live_values)
    return violation(7, array, " array holds ", gen.live_keys, " key and ", gen.live_values,
                     " value objects, but its slots account for ", keys, " and ", values);
  return std::nullopt;
}

}  // namespace internal_debug

// The first violated invariant among I1-I7, or nothing.
template <class M>
std::optional<Violation> check_invariants(const M& m) {
  using internal_debug::violation;
  const auto* t = Access::table(m);
  if (t == nullptr) return std::nullopt;
  const auto& h = *t;
  const std::uint8_t f = h.flags.load(std::memory_order_relaxed);
  if ((f & kHashWriting) != 0) return violation(6, "hashWriting is set between operations");
  if (!h.growing() && (f & kSameSizeGrow) != 0)
    return violation(6, "sameSizeGrow is set while not growing");
  if (!h.buckets) {
    if (h.count != 0) return violation(1, "count is ", h.count, " but the map has no buckets");
    return std::nullopt;
  }
  if (h.buckets->B() != h.B)
    return violation(6, "B is ", h.B, " but the current array has 2^", h.buckets->B(), " buckets");
  std::uint64_t live = 0;
  const auto& current = *h.buckets;
  const std::uint64_t mask = internal::bucket_mask(h.B);
  if (h.growing()) {
    const auto& old = *h.oldbuckets;
    const std::uint64_t newbit = h.noldbuckets();
    if (old.size() != newbit)
      return violation(6, "old array has ", old.size(), " buckets, expected ", newbit);
    if (h.nevacuate >= newbit)
      return violation(6, "nevacuate ", h.nevacuate, " is past the old array");
    for (std::uint64_t j = 0; j < newbit; ++j) {
      auto* head = old.bucket(j);
      const bool evacuated = internal::is_evacuation_stamp(head->tophash[0]);
      if (j < h.nevacuate && !evacuated)
        return violation(6, "old chain ", j, " is below nevacuate ", h.nevacuate,
                         " but not evacuated");
      if (evacuated) {
        for (auto* b = head; b != nullptr; b = b->overflow)
          for (unsigned i = 0; i < 8; ++i)
            if (!internal::is_evacuation_stamp(b->tophash[i]))
              return violation(5, "old chain ", j, " is partly evacuated: tophash ",
                               int(b->tophash[i]));
        continue;
      }
      if (auto v = internal_debug::check_chain(h, head, j, newbit - 1, "old", live)) return v;
      for (std::uint64_t dest : {j, j + newbit}) {
        if (dest >= current.size() || !current.initialized(dest)) continue;
        const auto* d = current.bucket(dest);
        if (d->overflow != nullptr || d->tophash_word() != 0)
          return violation(5, "new chain ", dest, " was written before its source old chain ", j,
                           " was evacuated");
      }
    }
    if (auto v = internal_debug::check_objects(old, "old")) return v;
  }
  for (std::uint64_t j = 0; j < current.size(); ++j) {
    if (!current.initialized(j)) {
      if (!h.growing())
        return violation(5, "chain ", j, " is uninitialised though no grow is in progress");
      continue;
    }
    if (h.growing() &&
        !internal::is_evacuation_stamp(h.oldbuckets->bucket(j & h.oldbucketmask())->tophash[0]))
      continue;  // checked above as an untouched destination
    if (auto v = internal_debug::check_chain(h, current.bucket(j), j, mask, "current", live))
      return v;
  }
  if (live != h.count)
    return violation(1, "count is ", h.count, " but ", live, " slots hold live entries");
  if (auto v = internal_debug::check_objects(current, "current")) return v;
  return std::nullopt;
}

// Adds I8 to check_invariants: between two consecutive checks (call it after every operation), an
// entry that stays in the same array keeps its chain, bucket and slot. Entries are identified by a
// copy of the key (inline keys) or by the key box (boxed keys); NaN-like keys are not tracked.
//
// A check costs one walk of the map and no allocation once its buffers have grown. A snapshot lists
// the entries array by array, each array in slot order, so the entries of an array that both
// snapshots hold are compared by a merge on slot position: a slot holding the same key as before
// is settled at once. Only the few entries that left or reached a slot (the op's own writes and
// evacuations) are then matched by key, and I8 breaks when one key left one slot and reached
// another of the same array (leaving the old array for the new one is evacuation, not a move).
template <class M>
class SlotTracker {
 public:
  std::optional<Violation> check(const M& m) {
    if (auto v = check_invariants(m)) return v;
    collect(m, now_, now_runs_);
    const auto* t = Access::table(m);
    std::optional<Violation> moved;
    if (t != nullptr && t->epoch == epoch_) moved = find_moved_entry(*t);
    previous_.swap(now_);
    previous_runs_.swap(now_runs_);
    epoch_ = t == nullptr ? 0 : t->epoch;
    return moved;
  }

 private:
  using Table = std::remove_cvref_t<decltype(*Access::table(std::declval<const M&>()))>;
  using K = typename M::key_type;
  static constexpr bool kBoxed = Table::Keys::indirect;
  using Identity = std::conditional_t<kBoxed, const void*, K>;

  struct Where {
    std::uint64_t chain;
    unsigned depth;
    unsigned slot;
    friend auto operator<=>(const Where&, const Where&) = default;
  };
  struct Entry {
    std::optional<Identity> identity;  // optional: K need not be default-constructible
    Where where;
  };
  // The entries of one array (Generation::serial()) in a snapshot: [begin, end).
  struct Run {
    std::uint64_t generation;
    std::size_t begin, end;
  };
  struct Changed {
    std::uint64_t hash;  // seed-0 hash of the key (box address for boxed keys), for matching
    std::uint64_t generation;
    const Entry* entry;
  };

  static bool same_key(const Table& t, const Entry& a, const Entry& b) {
    if constexpr (kBoxed)
      return *a.identity == *b.identity;
    else
      return t.equal(*a.identity, *b.identity);
  }

  std::optional<Violation> find_moved_entry(const Table& t) {
    left_.clear();
    reached_.clear();
    // A boxed key is matched by its box's address, never read: the box of an entry erased since
    // the last check may be gone.
    std::uint64_t generation = 0;
    auto changed = [&](std::vector<Changed>& to, const Entry& e) {
      if constexpr (kBoxed)
        to.push_back({reinterpret_cast<std::uintptr_t>(*e.identity), generation, &e});
      else
        to.push_back({::gomap::internal::hash_key(t.hasher, *e.identity, 0), generation, &e});
    };
    for (const Run& now : now_runs_) {
      generation = now.generation;
      const Run* before = nullptr;
      for (const Run& r : previous_runs_)
        if (r.generation == now.generation) before = &r;
      if (before == nullptr) continue;  // a new array: nothing in it can have moved within it
      std::size_t p = before->begin, n = now.begin;
      while (p < before->end || n < now.end) {
        if (n == now.end || (p < before->end && previous_[p].where < now_[n].where)) {
          changed(left_, previous_[p++]);
        } else if (p == before->end || now_[n].where < previous_[p].where) {
          changed(reached_, now_[n++]);
        } else {
          if (!same_key(t, previous_[p], now_[n])) {
            changed(left_, previous_[p]);
            changed(reached_, now_[n]);
          }
          ++p, ++n;
        }
      }
    }
    auto by_hash = [](const Changed& a, const Changed& b) { return a.hash < b.hash; };
    std::sort(left_.begin(), left_.end(), by_hash);
    for (const Changed& arrived : reached_) {
      auto [first, last] = std::equal_range(left_.begin(), left_.end(), arrived, by_hash);
      for (auto it = first; it != last; ++it) {
        const Where& from = it->entry->where;
        const Where& to = arrived.entry->where;
        if (it->generation == arrived.generation && same_key(t, *it->entry, *arrived.entry))
          return internal_debug::violation(
              8, "an entry moved within its array from chain ", from.chain, " bucket ", from.depth,
              " slot ", from.slot, " to chain ", to.chain, " bucket ", to.depth, " slot ", to.slot);
      }
    }
    return std::nullopt;
  }

  static void collect(const M& m, std::vector<Entry>& entries, std::vector<Run>& runs) {
    entries.clear();
    runs.clear();
    const auto* t = Access::table(m);
    if (t == nullptr || !t->buckets) return;
    auto walk = [&](const auto& gen) {
      const std::size_t begin = entries.size();
      for (std::uint64_t j = 0; j < gen.size(); ++j) {
        if (!gen.initialized(j)) continue;
        unsigned depth = 0;
        for (auto* b = gen.bucket(j); b != nullptr; b = b->overflow, ++depth) {
          for (unsigned i = 0; i < 8; ++i) {
            if (!internal::is_occupied(b->tophash[i])) continue;
            const K& key = b->key(i);
            if (!t->self_equal(key)) continue;
            Entry& entry = entries.emplace_back(Entry{std::nullopt, {j, depth, i}});
            if constexpr (kBoxed)
              entry.identity = static_cast<const void*>(&key);
            else
              entry.identity.emplace(key);
          }
        }
      }
      runs.push_back({gen.serial(), begin, entries.size()});
    };
    walk(*t->buckets);
    if (t->growing()) walk(*t->oldbuckets);
  }

  std::vector<Entry> previous_, now_;
  std::vector<Run> previous_runs_, now_runs_;
  std::vector<Changed> left_, reached_;
  std::uint64_t epoch_ = ~std::uint64_t{0};
};

}  // namespace gomap::debug
