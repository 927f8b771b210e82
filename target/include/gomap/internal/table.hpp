// The engine of gomap::Map: Go's hmap and the algorithms of spec §3, one function per runtime
// routine (lookup = mapaccessK, assign = mapassign, erase = mapdelete, hash_grow, grow_work,
// evacuate, advance_evacuation_mark, clear = mapclear). Comments cite the spec's step numbers.
//
// Where C++ forces a different choice than Go (spec §7), the reason is given at the spot:
//  * Exceptions (§7.4): every user callback that can throw (hash, equality, key copy, value
//    construction, allocation) runs before the step that commits; a WriteGuard clears hashWriting
//    during unwinding. Contents are strongly exception-safe; evacuation progress made before a
//    throw stays made (it does not change contents).
//  * Evacuation keeps a copy of each key in the old slot while `oldIterator` is set (an iterator
//  may
//    look it up) and moves otherwise (Go's wipe, §2.2).
//  * Deleting an entry that still sits in an unevacuated old bucket first evacuates that bucket
//  (Go's
//    growWork) and follows the entry to its new slot, so erase(iterator) works by position, also
//    for NaN keys that no lookup can find (Go issue #63312).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "gomap/fatal.hpp"
#include "gomap/hash.hpp"
#include "gomap/internal/constants.hpp"
#include "gomap/internal/generation.hpp"
#include "gomap/internal/planted_bugs.hpp"
#include "gomap/internal/slots.hpp"
#include "gomap/random.hpp"

namespace gomap::internal {

template <class K, class V, class A>
struct Layout {
  static constexpr bool reflexive = is_reflexive_key<K>::value;
  using Keys = std::conditional_t<key_fits_inline<K>, InlineKeys<K>, BoxedKeys<K>>;
  using Values =
      std::conditional_t<value_fits_inline<K, V, reflexive>, InlineValues<V>, BoxedValues<V>>;
  using Bucket = internal::Bucket<Keys, Values>;
  using Alloc = A;
};

// Flag updates made by writers: a relaxed load and a relaxed store, not an atomic
// read-modify-write. Go's writers also update flags with plain read-modify-write; only readers
// starting an iteration use an atomic OR. A locked instruction here would be a full barrier on
// every write (measured: it cost more than the rest of an insert), and a reader racing a writer is
// misuse anyway.
inline void set_flag_bits(std::atomic<std::uint8_t>& flags, std::uint8_t clear, std::uint8_t set) {
  const std::uint8_t old = flags.load(std::memory_order_relaxed);
  flags.store(static_cast<std::uint8_t>((old & ~clear) | set), std::memory_order_relaxed);
}

// Sets hashWriting for the duration of one write (spec §2.3). The constructor XORs the bit in, so a
// racing second writer turns it off and the exit check (finish) reports it. The destructor clears
// the bit, also when a user callback throws (spec §7.4).
class WriteGuard {
 public:
  explicit WriteGuard(std::atomic<std::uint8_t>& flags) : flags_(flags) {
    flags_.store(flags_.load(std::memory_order_relaxed) ^ +Flag::hashWriting,
                 std::memory_order_relaxed);
  }
  ~WriteGuard() { set_flag_bits(flags_, +Flag::hashWriting, 0); }
  WriteGuard(const WriteGuard&) = delete;
  WriteGuard& operator=(const WriteGuard&) = delete;

  // The exit check of spec §3.2 step 12 / §3.3 step 7.
  void finish() const {
    if ((flags_.load(std::memory_order_relaxed) & +Flag::hashWriting) == 0)
      fatal(kConcurrentMapWrites);
  }

 private:
  std::atomic<std::uint8_t>& flags_;
};

template <class K, class V, class Hash, class Eq, class A>
class Table {
 public:
  using L = Layout<K, V, A>;
  using Keys = typename L::Keys;
  using Values = typename L::Values;
  using Bucket = typename L::Bucket;
  using Gen = Generation<L>;
  static constexpr bool kReflexive = L::reflexive;

  // Where a live entry is. `in_old` entries sit in an unevacuated bucket of the old array.
  struct Position {
    Bucket* bucket = nullptr;
    unsigned slot = 0;
    Bucket* head = nullptr;   // first bucket of the chain (delete walks back from it)
    std::uint64_t chain = 0;  // chain index in its array
    bool in_old = false;
    explicit operator bool() const { return bucket != nullptr; }
    K& key() const { return bucket->key(slot); }
    V& value() const { return bucket->value(slot); }
  };

  Table(const Hash& hash, const Eq& eq, const A& alloc) : hasher(hash), equal(eq), alloc(alloc) {}

  // ---- the header (spec §1.2); fields are read by iterators and gomap::debug ----
  std::uint64_t count = 0;  // live entries
  mutable std::atomic<std::uint8_t> flags{
      0};          // Flag bits; atomic so misuse checks are not races (§7.3)
  unsigned B = 0;  // log2 of the current array's bucket count
  std::uint32_t noverflow =
      0;  // overflow buckets taken into use by the current array (sampled at B >= 16)
  std::uint64_t hash0 = thread_random();  // per-map hash seed; redrawn only when the map is empty
  std::shared_ptr<Gen> buckets;           // current array; null until the first insert
  Bucket* array = nullptr;  // buckets->bucket(0), kept here to save two dependent loads per lookup
  std::shared_ptr<Gen> oldbuckets;  // previous array while growing, else null
  std::uint64_t nevacuate = 0;      // old buckets below this index are evacuated
  std::uint64_t epoch = 0;  // bumped by clear(); iterators from an older epoch end (spec §6.1)
  [[no_unique_address]] Hash hasher;
  [[no_unique_address]] Eq equal;
  [[no_unique_address]] A alloc;

  // ---- small predicates ----
  std::uint64_t hash_of(const K& key) const { return hash_key(hasher, key, hash0); }
  // Reports whether k == k (always true for reflexive key types).
  bool self_equal(const K& key) const {
    if constexpr (kReflexive)
      return true;
    else
      return equal(key, key);
  }
  // Reports whether an incremental grow is in progress.
  bool growing() const { return oldbuckets != nullptr; }
  // Reports whether the grow in progress keeps the bucket count.
  bool same_size_grow() const {
    return (flags.load(std::memory_order_relaxed) & +Flag::sameSizeGrow) != 0;
  }
  // Bucket count of the old array.
  std::uint64_t noldbuckets() const { return bucket_shift(same_size_grow() ? B : B - 1); }
  std::uint64_t oldbucketmask() const { return noldbuckets() - 1; }
  // Reports whether a chain has been evacuated: its first slot carries a stamp (spec §1.1).
  static bool evacuated(const Bucket* head) { return is_evacuation_stamp(head->tophash[0]); }
  void check_not_writing(std::string_view message) const {
    if ((flags.load(std::memory_order_relaxed) & +Flag::hashWriting) != 0) fatal(message);
  }

  // ---- lookup (spec §3.1, without the misuse check: mapaccessK) ----
  Position lookup(const K& key, std::uint64_t hash) const {
    std::uint64_t index = hash & bucket_mask(B);
    Bucket* head = array + index;
    bool in_old = false;
    if (growing()) {  // step 4: an unevacuated old chain still holds the entries of this bucket
      std::uint64_t mask = bucket_mask(B);
      if (!same_size_grow()) mask >>= 1;
      Bucket* old_head = oldbuckets->bucket(hash & mask);
      if (!evacuated(old_head) || planted(PlantedBug::lookup_stays_in_old)) {
        head = old_head;
        index = hash & mask;
        in_old = true;
      }
    }
    head->prefetch_slots();
    const std::uint8_t top = tophash_of(hash);
    for (Bucket* b = head; b != nullptr; b = b->overflow) {  // step 5
      const std::uint64_t word = b->tophash_word();
      for (unsigned m = match_before_rest(word, top); m != 0; m &= m - 1) {
        const unsigned i = first_slot(m);
        if (equal(key, b->key(i))) return {b, i, head, index, in_old};
      }
      if (rest_slots(word) != 0) break;
    }
    return {};
  }

  // mapaccess: the read-side misuse check, then lookup.
  Position find(const K& key) const {
    if (count == 0) return {};
    check_not_writing(kConcurrentMapReadAndWrite);
    return lookup(key, hash_of(key));
  }

  // ---- assign (spec §3.2) ----
  // Finds the entry for `key` or creates it. When found, `on_found(position)` runs (overwrite,
  // key update); when created, `construct_value(alloc, value_slot)` builds the value. Returns the
  // entry's position and whether it was created.
  template <class KeyArg, class OnFound, class ConstructValue>
  std::pair<Position, bool> assign(KeyArg&& key, OnFound&& on_found,
                                   ConstructValue&& construct_value) {
    check_not_writing(kConcurrentMapWrites);  // step 2
    const std::uint64_t hash = hash_of(key);  // step 3: may throw, nothing changed yet
    WriteGuard guard(flags);                  // step 4
    if (!buckets) install_current(make_generation(B, /*lazy=*/false));  // step 5
    const std::uint8_t top = tophash_of(hash);
    // `key` may refer into the map itself (m[it->first]); if evacuation moves that key, `probe`
    // follows it to its new slot.
    const K* probe = &key;
    for (;;) {
      const std::uint64_t index = hash & bucket_mask(B);  // step 6
      array[index].prefetch_slots();
      if (growing()) grow_work(index, &probe);
      Bucket* head = array + index;
      Position insert_at;
      Bucket* last = head;
      for (Bucket* b = head; b != nullptr; b = b->overflow) {  // step 8
        last = b;
        const std::uint64_t word = b->tophash_word();
        if (!insert_at) {
          const unsigned empty = empty_slots(word);
          if (empty != 0) insert_at = {b, first_slot(empty), head, index, false};
          if constexpr (planted(PlantedBug::reuse_skips_match)) {
            if (insert_at) break;
          }
        }
        for (unsigned m = match_before_rest(word, top); m != 0; m &= m - 1) {
          const unsigned i = first_slot(m);
          if (equal(*probe, b->key(i))) {
            Position found{b, i, head, index, false};
            on_found(found);
            guard.finish();
            return {found, false};
          }
        }
        if (rest_slots(word) != 0) break;
      }
      // step 9: a new key; start a grow at the load factor or with too many overflow buckets.
      const std::uint64_t new_count =
          planted(PlantedBug::no_growth_at_load_factor) ? count : count + 1;
      if (!growing() &&
          (over_load_factor(new_count, B) || too_many_overflow_buckets(noverflow, B))) {
        hash_grow(/*force_double=*/false);
        continue;  // every position found so far is stale
      }
      if (!insert_at)
        insert_at = {append_overflow(*buckets, last), 0, head, index, false};  // step 10
      Bucket* b = insert_at.bucket;                                            // step 11
      const unsigned i = insert_at.slot;
      if (probe != &key) {
        Keys::construct(alloc, b->key_slot(i), *probe);
      } else {
        Keys::construct(alloc, b->key_slot(i), std::forward<KeyArg>(key));
      }
      try {
        construct_value(alloc, b->value_slot(i));
      } catch (...) {
        Keys::destroy(alloc, b->key_slot(i));
        throw;
      }
      b->tophash[i] = top;
      ++count;
      ++buckets->live_keys;
      ++buckets->live_values;
      Values::set_home(b->value_slot(i), address_of(insert_at, *buckets));
      guard.finish();  // step 12
      return {insert_at, true};
    }
  }

  // ---- delete (spec §3.3) ----
  bool erase(const K& key) {
    if (count == 0) return false;             // step 1
    check_not_writing(kConcurrentMapWrites);  // step 2
    const std::uint64_t hash = hash_of(key);  // step 3
    WriteGuard guard(flags);
    Position position = lookup(key, hash);  // compare now, while `key` cannot have moved
    erase_at(hash & bucket_mask(B), position);
    guard.finish();  // step 7
    return static_cast<bool>(position);
  }

  // Deletes the entry at `position` (from lookup or an iterator, with no write since).
  void erase_position(Position position) {
    check_not_writing(kConcurrentMapWrites);
    WriteGuard guard(flags);
    erase_at(position.chain, position);
    guard.finish();
  }

  // ---- clear (spec §3.7) ----
  void clear() {
    if (count == 0) return;                   // step 1
    check_not_writing(kConcurrentMapWrites);  // step 2
    WriteGuard guard(flags);
    // The planted bug lets live iterations go on over the arrays they hold. Only when no grow is
    // in progress: an iteration of a growing table reads unevacuated chains through the table's
    // old array, which clear drops, so it would read freed memory and crash instead of producing
    // the wrong entries that the checkers must see.
    const bool keep_epoch = planted(PlantedBug::clear_keeps_epoch) && !growing();
    set_flag_bits(flags, +Flag::sameSizeGrow, 0);  // step 4
    // An iteration may still hold the old array; its entries end now all the same (the epoch ends
    // that iteration), as clear() ends every entry of a std map.
    if (oldbuckets && !keep_epoch) oldbuckets->reset();
    oldbuckets.reset();
    nevacuate = 0;
    noverflow = 0;
    count = 0;
    hash0 = thread_random();
    if (keep_epoch) {
      install_current(make_generation(B, /*lazy=*/false));
    } else {
      ++epoch;           // replaces step 3: every live iteration ends, whatever array it reads
      buckets->reset();  // steps 5-6: same array, zeroed, spare pool restored, B kept
    }
    guard.finish();  // step 7
  }

  // ---- reserve: room for n entries without a grow ----
  // Go has only the make() hint; a C++ map also reserves later. Absurd n (a bucket array over
  // kMaxArrayBytes) is ignored like Go ignores bogus hints (TestIgnoreBogusMapHint); a request the
  // allocator refuses throws std::bad_alloc and changes nothing, because the final array is
  // allocated before any work. A non-empty map reaches the size through ordinary doubling grows run
  // to completion, so live iterators stay valid.
  void reserve(std::uint64_t n) {
    const unsigned target = buckets_for(n);
    if (over_load_factor(n, target) || bucket_shift(target) > kMaxArrayBytes / sizeof(Bucket))
      return;
    if (buckets && target <= B) return;
    check_not_writing(kConcurrentMapWrites);
    WriteGuard guard(flags);
    if (count == 0 && !growing()) {
      install_current(make_generation(target, /*lazy=*/false));
      B = target;
      noverflow = 0;
    } else {
      std::shared_ptr<Gen> last = make_generation(target, /*lazy=*/true);
      finish_grow();
      while (B + 1 < target) {
        hash_grow(/*force_double=*/true);
        finish_grow();
      }
      if (B < target) {
        hash_grow(/*force_double=*/true, std::move(last));
        finish_grow();
      }
    }
    guard.finish();
  }

  // ---- every live entry, for copying and introspection ----
  template <class Fn>
  void for_each_live(Fn&& fn) const {
    if (!buckets) return;
    for (std::uint64_t j = 0; j < buckets->size(); ++j) {
      if (buckets->initialized(j)) visit_chain(buckets->bucket(j), fn);
    }
    if (growing()) {
      for (std::uint64_t j = 0; j < oldbuckets->size(); ++j) {
        if (!evacuated(oldbuckets->bucket(j))) visit_chain(oldbuckets->bucket(j), fn);
      }
    }
  }

  // Begins an iteration: Go's mapiterinit step 5 (set both iterator bits if one is missing).
  void mark_iterating() const {
    constexpr std::uint8_t kBoth = +Flag::iterator | +Flag::oldIterator;
    if ((flags.load(std::memory_order_relaxed) & kBoth) != kBoth)
      flags.fetch_or(kBoth, std::memory_order_relaxed);
  }

  SlotAddress address_of(const Position& p, const Gen& gen) const {
    return {p.bucket, p.head, &gen, p.chain, p.slot};
  }

  // The live position of an irreflexive-keyed entry reached through an evacuated (stale) slot, or
  // an empty position if the entry has been deleted since (spec §4.2 B.4, made exact by value
  // boxes).
  Position live_position_of(Bucket* stale, unsigned slot) const {
    static_assert(Values::indirect, "irreflexive key types always box their values (slots.hpp)");
    auto* box = *stale->value_slot(slot);
    if (!box->live) return {};
    const SlotAddress& home = box->home;
    return {static_cast<Bucket*>(home.bucket), home.slot, static_cast<Bucket*>(home.head),
            home.chain, growing() && home.generation == oldbuckets.get()};
  }

 private:
  // Bucket arrays above 1 TiB are treated as bogus requests (Go uses its maxAlloc, 2^47, and then
  // dies when the allocation fails; a reference map should neither die nor page in terabytes).
  static constexpr std::uint64_t kMaxArrayBytes = std::uint64_t{1} << 40;

  void install_current(std::shared_ptr<Gen> gen) {
    buckets = std::move(gen);
    array = buckets->bucket(0);
  }

  std::shared_ptr<Gen> make_generation(unsigned b, bool lazy) {
    return std::allocate_shared<Gen>(rebind_alloc<Gen, A>(alloc), alloc, b, lazy);
  }

  template <class Fn>
  static void visit_chain(Bucket* head, Fn& fn) {
    for (Bucket* b = head; b != nullptr; b = b->overflow) {
      for (unsigned i = 0; i < kBucketCnt; ++i) {
        if (is_occupied(b->tophash[i])) fn(b->key(i), b->value(i));
      }
    }
  }

  // incrnoverflow (spec §1.6): exact below B = 16, sampled with probability 2^-(B-15) above.
  void count_overflow() {
    if (B < 16) {
      ++noverflow;
      return;
    }
    const std::uint64_t mask = bucket_mask(B - 15);
    if ((thread_random() & mask) == 0) ++noverflow;
  }

  // newoverflow: links a fresh bucket after `last`, the end of a chain of `gen`.
  Bucket* append_overflow(Gen& gen, Bucket* last) {
    Bucket* fresh = gen.new_overflow();
    count_overflow();
    last->overflow = fresh;
    return fresh;
  }

  // Deletes `position` (may be empty: a missing key still advances a grow, like Go's mapdelete).
  // `index` is the current-array bucket the write is about.
  void erase_at(std::uint64_t index, Position& position) {
    if (growing()) {  // growWork, following the entry if its old chain is the one evacuated
      if (position && position.in_old) {
        evacuate(position.chain, &position);
      } else {
        evacuate(index & oldbucketmask(), nullptr);
      }
      if (growing()) evacuate(nevacuate, nullptr);
    }
    if (position) delete_slot(position);
  }

  // Spec §3.3 step 6: empty the slot and restore the emptyRest discipline (I3).
  void delete_slot(const Position& position) {
    Bucket* b = position.bucket;
    unsigned i = position.slot;
    Keys::destroy(alloc, b->key_slot(i));
    Values::destroy(alloc, b->value_slot(i));
    --buckets->live_keys;
    --buckets->live_values;
    b->tophash[i] = +Mark::emptyOne;
    const bool starts_tail =
        planted(PlantedBug::empty_rest_too_early) || i == kBucketCnt - 1
            ? b->overflow == nullptr || b->overflow->tophash[0] == +Mark::emptyRest
            : b->tophash[i + 1] == +Mark::emptyRest;
    if (starts_tail) {  // step 6.5: the run of emptyOne before the new tail becomes emptyRest
      for (;;) {
        b->tophash[i] = +Mark::emptyRest;
        if (i == 0) {
          if (b == position.head) break;
          Bucket* previous = position.head;
          while (previous->overflow != b) previous = previous->overflow;
          b = previous;
          i = kBucketCnt - 1;
        } else {
          --i;
        }
        if (b->tophash[i] != +Mark::emptyOne) break;
      }
    }
    if constexpr (planted(PlantedBug::erase_forgets_count)) return;
    if (--count == 0) hash0 = thread_random();  // step 6.6 (issue #25237)
  }

  // ---- growth (spec §3.4 - §3.6) ----
  // `fresh`, when given, is the already allocated new array (reserve allocates it up front).
  void hash_grow(bool force_double, std::shared_ptr<Gen> fresh = nullptr) {
    const bool bigger = force_double || over_load_factor(count + 1, B);        // step 1
    if (!fresh) fresh = make_generation(B + (bigger ? 1 : 0), /*lazy=*/true);  // step 2
    buckets->prepare_kept_keys();
    const std::uint8_t old_flags = flags.load(std::memory_order_relaxed);  // step 3
    std::uint8_t add = 0;
    if ((old_flags & +Flag::iterator) != 0) add |= +Flag::oldIterator;
    if (!bigger) add |= +Flag::sameSizeGrow;
    set_flag_bits(flags, +Flag::iterator | +Flag::oldIterator, add);
    B += bigger ? 1 : 0;  // step 4
    oldbuckets = std::move(buckets);
    install_current(std::move(fresh));
    nevacuate = 0;
    noverflow = 0;
  }

  // growWork: evacuate the old bucket feeding `index`, then one more to guarantee progress.
  void grow_work(std::uint64_t index, const K** watch = nullptr) {
    evacuate(index & oldbucketmask(), nullptr, watch);
    if (growing()) evacuate(nevacuate, nullptr, watch);
  }

  void finish_grow() {
    while (growing()) evacuate(nevacuate, nullptr);
  }

  // One planned move of evacuate(): source slot, destination slot, tophash to write, half.
  struct Move {
    Bucket* from;
    Bucket* to;
    std::uint8_t from_slot;
    std::uint8_t to_slot;
    std::uint8_t top;
    std::uint8_t use_y;
  };

  // The moves of one chain: inline for the usual short chain, on the heap for long ones.
  class MovePlan {
   public:
    void push_back(const Move& move) {
      if (size_ < kInline) {
        inline_[size_] = move;
      } else {
        if (heap_.empty()) heap_.assign(inline_, inline_ + kInline);
        heap_.push_back(move);
      }
      ++size_;
    }
    std::size_t size() const { return size_; }
    Move* begin() { return size_ <= kInline ? inline_ : heap_.data(); }
    Move* end() { return begin() + size_; }
    Move& operator[](std::size_t i) { return begin()[i]; }

   private:
    static constexpr std::size_t kInline = 2 * kBucketCnt;
    Move inline_[kInline];
    std::vector<Move> heap_;
    std::size_t size_ = 0;
  };

  // One destination chain of evacuate(), filled densely from slot 0 (I5 makes it empty first).
  struct Destination {
    Bucket* head = nullptr;
    std::uint64_t chain = 0;
    Bucket* bucket = nullptr;
    unsigned next = 0;
  };

  // Spec §3.6, in phases so that a throw leaves the old chain untouched:
  //   1 plan every move (hashing may throw);  2 make room (allocation may throw, rolled back);
  //   3 copy keys when old keys must stay readable (a copy may throw, rolled back);
  //   4 commit: move, write tophash, stamp the old chain (nothing throws).
  // `follow` (an entry's position) and `watch` (a key's address) are updated if their entry moves.
  void evacuate(std::uint64_t oldbucket, Position* follow, const K** watch = nullptr) {
    Gen& old_gen = *oldbuckets;
    Gen& new_gen = *buckets;
    Bucket* old_head = old_gen.bucket(oldbucket);
    const std::uint64_t newbit = noldbuckets();
    if (!evacuated(old_head)) {
      const bool doubling = !same_size_grow();
      const std::uint8_t f = flags.load(std::memory_order_relaxed);
      const bool keep_keys = (f & +Flag::oldIterator) != 0;
      const bool iterating = (f & +Flag::iterator) != 0;
      MovePlan moves;  // phase 1
      for (Bucket* b = old_head; b != nullptr;
           b = planted(PlantedBug::evacuate_drops_overflow) ? nullptr : b->overflow) {
        for (unsigned i = 0; i < kBucketCnt; ++i) {
          const std::uint8_t top = b->tophash[i];
          if (is_empty(top)) continue;
          if (!is_occupied(top)) fatal("bad map state");
          Move move{b, nullptr, static_cast<std::uint8_t>(i), 0, top, 0};
          if (doubling) {
            const K& key = b->key(i);
            const std::uint64_t hash = hash_of(key);
            if (iterating && !self_equal(key)) {  // NaN: the half an iterator would pick (§2.1)
              move.use_y = top & 1;
              move.top = tophash_of(hash);
            } else {
              move.use_y = (hash & newbit) != 0 ? 1 : 0;
              if constexpr (planted(PlantedBug::evacuate_wrong_half)) move.use_y ^= 1;
            }
          }
          moves.push_back(move);
        }
      }
      Destination dest[2];  // phase 2
      dest[0].chain = oldbucket;
      dest[1].chain = oldbucket + newbit;
      const int halves = doubling ? 2 : 1;
      for (int h = 0; h < halves; ++h) {
        new_gen.initialize(dest[h].chain);
        dest[h].head = dest[h].bucket = new_gen.bucket(dest[h].chain);
      }
      const std::uint32_t saved_noverflow = noverflow;
      try {
        for (Move& move : moves) {
          Destination& d = dest[move.use_y];
          if (d.next == kBucketCnt) {
            d.bucket = append_overflow(new_gen, d.bucket);
            d.next = 0;
          }
          move.to = d.bucket;
          move.to_slot = static_cast<std::uint8_t>(d.next++);
        }
      } catch (...) {
        for (int h = 0; h < halves; ++h) dest[h].head->overflow = nullptr;
        noverflow = saved_noverflow;
        throw;
      }
      if (keep_keys) {  // phase 3
        std::size_t copied = 0;
        try {
          for (; copied < moves.size(); ++copied) {
            const Move& move = moves[copied];
            Keys::share(alloc, move.from->key_slot(move.from_slot),
                        move.to->key_slot(move.to_slot));
          }
        } catch (...) {
          for (std::size_t j = 0; j < copied; ++j)
            Keys::destroy(alloc, moves[j].to->key_slot(moves[j].to_slot));
          for (int h = 0; h < halves; ++h) dest[h].head->overflow = nullptr;
          noverflow = saved_noverflow;
          throw;
        }
        old_gen.mark_keeps_keys(oldbucket);
      }
      for (const Move& move : moves) {  // phase 4
        Bucket* to = move.to;
        if (!keep_keys) {
          if (watch != nullptr && *watch == &move.from->key(move.from_slot))
            *watch = &to->key(move.to_slot);
          Keys::relocate(alloc, move.from->key_slot(move.from_slot), to->key_slot(move.to_slot));
          --old_gen.live_keys;
        }
        Values::evacuate(alloc, move.from->value_slot(move.from_slot), to->value_slot(move.to_slot),
                         keep_keys);
        --old_gen.live_values;
        ++new_gen.live_keys;
        ++new_gen.live_values;
        to->tophash[move.to_slot] = move.top;
        const Destination& d = dest[move.use_y];
        const Position moved{to, move.to_slot, d.head, d.chain, false};
        Values::set_home(to->value_slot(move.to_slot), address_of(moved, new_gen));
        if (follow != nullptr && follow->bucket == move.from && follow->slot == move.from_slot)
          *follow = moved;
        move.from->tophash[move.from_slot] =
            static_cast<std::uint8_t>(+Mark::evacuatedX + move.use_y);
      }
      for (Bucket* b = old_head; b != nullptr; b = b->overflow) {
        for (unsigned i = 0; i < kBucketCnt; ++i) {
          if (is_empty(b->tophash[i])) b->tophash[i] = +Mark::evacuatedEmpty;
        }
      }
    }
    if (oldbucket == nevacuate) advance_evacuation_mark(newbit);  // step 6
  }

  void advance_evacuation_mark(std::uint64_t newbit) {
    ++nevacuate;
    const std::uint64_t stop = std::min(nevacuate + kMaxEvacuationScan, newbit);
    while (nevacuate != stop && evacuated(oldbuckets->bucket(nevacuate))) ++nevacuate;
    if (nevacuate == newbit) {  // the grow is complete
      buckets->mark_all_initialized();
      oldbuckets.reset();
      set_flag_bits(flags, +Flag::sameSizeGrow, 0);
    }
  }
};

}  // namespace gomap::internal
