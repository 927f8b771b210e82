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
//
// Speed (bench/map_bench.cpp, int64 keys, against absl::flat_hash_map and std::unordered_map). The
// algorithms stay Go's; what was made cheaper is how they run on a CPU:
//  * Tophash bytes are handled as one 64-bit word per bucket (SWAR, generation.hpp): one compare
//    finds the matching, the empty and the emptyRest slots. Bytes that an evacuation writes are
//    collected in a register and stored as a word, because the insert that triggered it reads that
//    word next, and a word load over fresh byte stores stalls on store forwarding.
//  * assign() is split: the common write (no grow in progress, key found or a free slot in its
//    chain, no grow due) is inlined at the call site; the rest (first bucket, grow start, growWork,
//    new overflow bucket) is assign_slow(), which starts over. An out-of-line assign had to build
//    its returned position and iterator in memory, which g++ did with stalling copies.
//  * evacuate() moves a single-bucket chain in Go's one pass when nothing can throw
//    (evacuate_bucket); the exception-safe phases (plan, make room, copy, commit) are kept for
//    chains with overflow buckets, kept keys (an iterator may read the old array) and hashers or
//    equalities that may throw. (A two-pass form for chains with overflow buckets executed more
//    instructions in total than the phases it replaced: callgrind, 65536 inserts.)
//  * Lookups prefetch a bucket's key and value lines with its tophash line, and test "an
//    emptyRest comes first" as a rarely taken branch instead of masking the matches with it.
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
  // Reports whether evacuation's user callbacks (hash; equality k == k for irreflexive key types)
  // cannot throw, so that a single-bucket chain can be evacuated in one pass (evacuate_bucket).
  static constexpr bool kNothrowEvacuation =
      nothrow_hasher<Hash, K> &&
      (kReflexive || std::is_nothrow_invocable_v<const Eq&, const K&, const K&>);

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
    if (growing()) [[unlikely]] {  // step 4: an unevacuated old chain holds this bucket's entries
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
      for (unsigned m = slots_equal(word, top); m != 0; m &= m - 1) {
        const unsigned i = first_slot(m);
        if (rest_before(word, i)) [[unlikely]]
          break;
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
  //
  // Split in two for speed: the common write (the table exists, no grow is in progress, the key is
  // found or its chain has a free slot, no grow is due) runs inline at the call site; everything
  // else goes to assign_slow, which starts over from step 5. The fast path changes nothing before
  // it commits, so starting over repeats only the scan, with the same result. Inlining matters
  // beyond call overhead: an out-of-line assign must materialise the returned position (and the
  // 160-byte iterator built from it) in memory, and g++ copied it with 16-byte loads spanning
  // separate stores, a store-forwarding stall per insert (perf, bench insert).
  template <class KeyArg, class OnFound, class ConstructValue>
  [[gnu::always_inline]] std::pair<Position, bool> assign(KeyArg&& key, OnFound&& on_found,
                                                          ConstructValue&& construct_value) {
    check_not_writing(kConcurrentMapWrites);  // step 2
    const std::uint64_t hash = hash_of(key);  // step 3: may throw, nothing changed yet
    WriteGuard guard(flags);                  // step 4
    if (array != nullptr && !growing()) [[likely]] {
      const std::uint64_t index = hash & bucket_mask(B);  // step 6, nothing to evacuate
      Bucket* head = array + index;
      head->prefetch_slots();
      const std::uint8_t top = tophash_of(hash);
      const ChainScan scan = scan_chain(head, index, top, key);  // step 8
      if (scan.found) {
        on_found(scan.found);
        guard.finish();  // step 12
        return {scan.found, false};
      }
      if (scan.insert_at && !grow_due()) [[likely]] {  // step 9 (no grow), step 11
        emplace_new(scan.insert_at, top, &key, std::forward<KeyArg>(key), construct_value);
        guard.finish();  // step 12
        return {scan.insert_at, true};
      }
    }
    return assign_slow(hash, guard, std::forward<KeyArg>(key), on_found, construct_value);
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

  // Step 8's result: the entry, or else the first empty slot in chain order (if any) and the last
  // bucket of the chain.
  struct ChainScan {
    Position found;
    Position insert_at;
    Bucket* last;
  };

  // Step 8: scans the chain at `head` for `key`, stopping at emptyRest.
  ChainScan scan_chain(Bucket* head, std::uint64_t index, std::uint8_t top, const K& key) const {
    ChainScan scan{{}, {}, head};
    for (Bucket* b = head; b != nullptr; b = b->overflow) {
      scan.last = b;
      const std::uint64_t word = b->tophash_word();
      if (!scan.insert_at) {
        const unsigned empty = empty_slots(word);
        if (empty != 0) scan.insert_at = {b, first_slot(empty), head, index, false};
        if constexpr (planted(PlantedBug::reuse_skips_match)) {
          if (scan.insert_at) break;
        }
      }
      for (unsigned m = slots_equal(word, top); m != 0; m &= m - 1) {
        const unsigned i = first_slot(m);
        if (rest_before(word, i)) [[unlikely]]
          break;
        if (equal(key, b->key(i))) {
          scan.found = {b, i, head, index, false};
          return scan;
        }
      }
      if (rest_slots(word) != 0) break;
    }
    return scan;
  }

  // Step 9: reports whether adding a key must start a grow (load factor or overflow buckets).
  // REQUIRES: not growing.
  bool grow_due() const {
    const std::uint64_t new_count =
        planted(PlantedBug::no_growth_at_load_factor) ? count : count + 1;
    return over_load_factor(new_count, B) || too_many_overflow_buckets(noverflow, B);
  }

  // Step 11: builds the new entry at `at` (key from `*probe` if evacuation moved the caller's key,
  // else from `key`) and publishes it.
  template <class KeyArg, class ConstructValue>
  void emplace_new(const Position& at, std::uint8_t top, const K* probe, KeyArg&& key,
                   ConstructValue& construct_value) {
    Bucket* b = at.bucket;
    const unsigned i = at.slot;
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
    Values::set_home(b->value_slot(i), address_of(at, *buckets));
  }

  // assign() from step 5 on, for every case its inline fast path does not take.
  template <class KeyArg, class OnFound, class ConstructValue>
  [[gnu::noinline]] std::pair<Position, bool> assign_slow(std::uint64_t hash, WriteGuard& guard,
                                                          KeyArg&& key, OnFound& on_found,
                                                          ConstructValue& construct_value) {
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
      ChainScan scan = scan_chain(head, index, top, *probe);  // step 8
      if (scan.found) {
        on_found(scan.found);
        guard.finish();  // step 12
        return {scan.found, false};
      }
      // step 9: a new key; start a grow at the load factor or with too many overflow buckets.
      if (!growing() && grow_due()) {
        hash_grow(/*force_double=*/false);
        continue;  // every position found so far is stale
      }
      if (!scan.insert_at)
        scan.insert_at = {append_overflow(*buckets, scan.last), 0, head, index, false};  // step 10
      emplace_new(scan.insert_at, top, probe, std::forward<KeyArg>(key), construct_value);
      guard.finish();  // step 12
      return {scan.insert_at, true};
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
    // Appends a move for the caller to fill in place. Building a Move elsewhere and copying it in
    // made g++ assemble its byte fields on the stack and reload them as one word: a
    // store-forwarding stall per entry moved (perf, bench insert).
    Move& add() {
      if (size_ < kInline) return inline_[size_++];
      if (heap_.empty()) heap_.assign(inline_, inline_ + kInline);
      Move& move = heap_.emplace_back();
      ++size_;
      return move;
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

  // The tophash word of one destination bucket being filled by evacuate(), stored when complete.
  struct TophashWord {
    Bucket* bucket = nullptr;
    std::uint64_t word = 0;
    void set(Bucket* b, unsigned slot, std::uint8_t top) {
      if (b != bucket) {
        flush();
        bucket = b;
        word = b->tophash_word();
      }
      const unsigned shift = 8 * slot;
      word = (word & ~(std::uint64_t{0xFF} << shift)) | (std::uint64_t{top} << shift);
    }
    void flush() {
      if (bucket != nullptr) bucket->set_tophash_word(word);
    }
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
    Bucket* old_head = oldbuckets->bucket(oldbucket);
    const std::uint64_t newbit = noldbuckets();
    if (!evacuated(old_head)) {
      const bool keep_keys = (flags.load(std::memory_order_relaxed) & +Flag::oldIterator) != 0;
      if (kNothrowEvacuation && !keep_keys && old_head->overflow == nullptr) {
        evacuate_bucket(oldbucket, newbit, follow, watch);
      } else {
        evacuate_chain(oldbucket, newbit, keep_keys, follow, watch);
      }
    }
    if (oldbucket == nevacuate) advance_evacuation_mark(newbit);  // step 6
  }

  // The half (0 = X, 1 = Y) an entry of an old chain moves to in a doubling grow, and the tophash
  // it takes there (spec §3.6 step 3).
  void choose_half(const K& key, std::uint8_t top, std::uint64_t newbit, bool iterating,
                   std::uint8_t& use_y, std::uint8_t& new_top) const noexcept(kNothrowEvacuation) {
    const std::uint64_t hash = hash_of(key);
    if (iterating && !self_equal(key)) {  // NaN: the half an iterator would pick (§2.1)
      use_y = top & 1;
      new_top = tophash_of(hash);
    } else {
      use_y = (hash & newbit) != 0 ? 1 : 0;
      if constexpr (planted(PlantedBug::evacuate_wrong_half)) use_y ^= 1;
    }
  }

  // evacuate() of the usual chain, a single bucket, when its keys need not stay readable and
  // neither hashing nor key equality can throw: then no destination needs an overflow bucket,
  // nothing can throw, and the phases of evacuate_chain() collapse into Go's single pass. Tophash
  // bytes are collected in registers and stored as words (see TophashWord). Same moves, same
  // destinations, same stamps as evacuate_chain(); about a third of an insert's time while growing
  // was the phased form's bookkeeping (perf, bench insert).
  void evacuate_bucket(std::uint64_t oldbucket, std::uint64_t newbit, Position* follow,
                       const K** watch) noexcept {
    Gen& new_gen = *buckets;
    Bucket* old = oldbuckets->bucket(oldbucket);
    const bool doubling = !same_size_grow();
    const bool iterating = (flags.load(std::memory_order_relaxed) & +Flag::iterator) != 0;
    const std::uint64_t old_word = old->tophash_word();
    if ((slots_equal(old_word, +Mark::evacuatedX) | slots_equal(old_word, +Mark::evacuatedY) |
         slots_equal(old_word, +Mark::evacuatedEmpty)) != 0)
      fatal("bad map state");
    Destination dest[2];
    dest[0].chain = oldbucket;
    dest[1].chain = oldbucket + newbit;
    const int halves = doubling ? 2 : 1;
    std::uint64_t words[2] = {0, 0};
    for (int h = 0; h < halves; ++h) {
      new_gen.initialize(dest[h].chain);
      dest[h].head = dest[h].bucket = new_gen.bucket(dest[h].chain);
      words[h] = dest[h].head->tophash_word();
    }
    std::uint64_t stamps = 0;
    std::int64_t moved = 0;
    for (unsigned i = 0; i < kBucketCnt; ++i) {
      const unsigned shift = 8 * i;
      const auto top = static_cast<std::uint8_t>(old_word >> shift);
      if (is_empty(top)) {
        stamps |= std::uint64_t{+Mark::evacuatedEmpty} << shift;
        continue;
      }
      std::uint8_t use_y = 0;
      std::uint8_t new_top = top;
      if (doubling) choose_half(old->key(i), top, newbit, iterating, use_y, new_top);
      Destination& d = dest[use_y];
      Bucket* to = d.head;
      const unsigned to_slot = d.next++;
      if (watch != nullptr && *watch == &old->key(i)) *watch = &to->key(to_slot);
      Keys::relocate(alloc, old->key_slot(i), to->key_slot(to_slot));
      Values::evacuate(alloc, old->value_slot(i), to->value_slot(to_slot), /*keep=*/false);
      const unsigned to_shift = 8 * to_slot;
      words[use_y] = (words[use_y] & ~(std::uint64_t{0xFF} << to_shift)) |
                     (std::uint64_t{new_top} << to_shift);
      const Position moved_to{to, to_slot, d.head, d.chain, false};
      Values::set_home(to->value_slot(to_slot), address_of(moved_to, new_gen));
      if (follow != nullptr && follow->bucket == old && follow->slot == i) *follow = moved_to;
      stamps |= std::uint64_t{static_cast<std::uint8_t>(+Mark::evacuatedX + use_y)} << shift;
      ++moved;
    }
    for (int h = 0; h < halves; ++h) dest[h].head->set_tophash_word(words[h]);
    old->set_tophash_word(stamps);
    oldbuckets->live_keys -= moved;
    oldbuckets->live_values -= moved;
    new_gen.live_keys += moved;
    new_gen.live_values += moved;
  }

  // evacuate() in phases, for chains with overflow buckets, kept keys or a hasher that may throw.
  void evacuate_chain(std::uint64_t oldbucket, std::uint64_t newbit, bool keep_keys,
                      Position* follow, const K** watch) {
    Gen& old_gen = *oldbuckets;
    Gen& new_gen = *buckets;
    Bucket* old_head = old_gen.bucket(oldbucket);
    {
      const bool doubling = !same_size_grow();
      const bool iterating = (flags.load(std::memory_order_relaxed) & +Flag::iterator) != 0;
      MovePlan moves;  // phase 1
      for (Bucket* b = old_head; b != nullptr;
           b = planted(PlantedBug::evacuate_drops_overflow) ? nullptr : b->overflow) {
        for (unsigned i = 0; i < kBucketCnt; ++i) {
          const std::uint8_t top = b->tophash[i];
          if (is_empty(top)) continue;
          if (!is_occupied(top)) fatal("bad map state");
          Move& move = moves.add();
          move.from = b;
          move.to = nullptr;
          move.from_slot = static_cast<std::uint8_t>(i);
          move.to_slot = 0;
          move.top = top;
          move.use_y = 0;
          if (doubling) choose_half(b->key(i), top, newbit, iterating, move.use_y, move.top);
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
      // Destination tophash bytes are collected per bucket and stored as one word: the insert that
      // ran this evacuation reads its bucket's tophash as a word next, and a word load over eight
      // fresh byte stores cannot be forwarded from the store buffer (a stall per insert, perf).
      TophashWord top_words[2];
      for (const Move& move : moves) {  // phase 4
        Bucket* to = move.to;
        if (!keep_keys) {
          if (watch != nullptr && *watch == &move.from->key(move.from_slot))
            *watch = &to->key(move.to_slot);
          Keys::relocate(alloc, move.from->key_slot(move.from_slot), to->key_slot(move.to_slot));
        }
        Values::evacuate(alloc, move.from->value_slot(move.from_slot), to->value_slot(move.to_slot),
                         keep_keys);
        top_words[move.use_y].set(to, move.to_slot, move.top);
        const Destination& d = dest[move.use_y];
        const Position moved{to, move.to_slot, d.head, d.chain, false};
        Values::set_home(to->value_slot(move.to_slot), address_of(moved, new_gen));
        if (follow != nullptr && follow->bucket == move.from && follow->slot == move.from_slot)
          *follow = moved;
        move.from->tophash[move.from_slot] =
            static_cast<std::uint8_t>(+Mark::evacuatedX + move.use_y);
      }
      top_words[0].flush();
      top_words[1].flush();
      // Counted once, not per move: a byte store to a bucket may alias any object, so per-move
      // counter updates were read-modify-writes of memory.
      const auto moved = static_cast<std::int64_t>(moves.size());
      if (!keep_keys) old_gen.live_keys -= moved;
      old_gen.live_values -= moved;
      new_gen.live_keys += moved;
      new_gen.live_values += moved;
      for (Bucket* b = old_head; b != nullptr; b = b->overflow) {
        for (unsigned i = 0; i < kBucketCnt; ++i) {
          if (is_empty(b->tophash[i])) b->tophash[i] = +Mark::evacuatedEmpty;
        }
      }
    }
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
