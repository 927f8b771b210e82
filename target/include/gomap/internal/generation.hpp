// Buckets and generations: the memory of one bucket array and everything hanging off it.
//
// A bucket (spec §1.3) is 8 tophash bytes, 8 key slots, 8 value slots and the overflow pointer,
// keys grouped before values so an 8-byte key with a 1-byte value needs no per-pair padding.
//
// A generation (spec §7.1) owns one bucket array of 2^B buckets, its pool of spare overflow buckets
// (2^(B-4) of them when B >= 4, taken bump-pointer style), every overflow bucket allocated for it,
// and the objects living in its slots. Go lets the GC keep an old array alive while an iterator
// reads it; we use shared ownership instead: the table holds its current and old generation, each
// iterator holds the generation it snapshotted and the one it is walking, and the last owner
// destroys it. Reference counts are atomic because concurrent const iterations are legal
// (TestConcurrentReadsAfterGrowth).
//
// Lazy initialisation. A bucket is usable once its tophash bytes and overflow pointer are set.
// A generation created by a grow starts with no bucket initialised: until old bucket j is evacuated
// nobody reads its destinations (invariant I5), so evacuate() initialises them first. This keeps
// the start of a grow O(1) instead of touching 2^B buckets, which is what keeps the worst single
// insert short (bench: insert_max_latency). `initialized_` records which buckets are usable, so
// that destruction, clear() and introspection skip the rest.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "gomap/internal/constants.hpp"
#include "gomap/internal/slots.hpp"

namespace gomap::internal {

template <class Keys, class Values>
struct Bucket {
  using KeySlot = typename Keys::Slot;
  using ValueSlot = typename Values::Slot;

  std::uint8_t tophash[kBucketCnt];
  alignas(KeySlot) unsigned char key_bytes[kBucketCnt * sizeof(KeySlot)];
  alignas(ValueSlot) unsigned char value_bytes[kBucketCnt * sizeof(ValueSlot)];
  Bucket* overflow;  // next bucket of this chain, or null

  KeySlot* key_slot(unsigned i) {
    return std::launder(reinterpret_cast<KeySlot*>(key_bytes + i * sizeof(KeySlot)));
  }
  ValueSlot* value_slot(unsigned i) {
    return std::launder(reinterpret_cast<ValueSlot*>(value_bytes + i * sizeof(ValueSlot)));
  }
  auto& key(unsigned i) { return Keys::get(*key_slot(i)); }
  auto& value(unsigned i) { return Values::get(*value_slot(i)); }

  // Starts loading the slot lines while the tophash line is still in flight: a hit needs its key
  // and value lines next, and without the hint the three misses are serial (bench find_hit).
  void prefetch_slots() const {
    __builtin_prefetch(key_bytes + sizeof(key_bytes) - 1);
    __builtin_prefetch(value_bytes);
    __builtin_prefetch(value_bytes + sizeof(value_bytes) - 1);
  }

  // The 8 tophash bytes as one little-endian word (byte i = slot i), for SWAR scans.
  std::uint64_t tophash_word() const {
    std::uint64_t word;
    std::memcpy(&word, tophash, sizeof(word));
    return word;
  }
  void set_tophash_word(std::uint64_t word) { std::memcpy(tophash, &word, sizeof(word)); }
  void init() {
    std::memset(tophash, +Mark::emptyRest, sizeof(tophash));
    overflow = nullptr;
  }
};

inline constexpr std::uint64_t kLowBits = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

// Bit i set exactly for the slots whose tophash byte (byte i of `word`) equals `value`.
// The XOR with `value` times kLowBits turns the wanted bytes into zero bytes, then SSE2 compares
// the 8 bytes with zero at once; the portable fallback detects zero bytes exactly (no borrow
// between bytes) and gathers their high bits into the low byte. Broadcasting by a multiply, not by
// _mm_set1_epi8: g++ 12 builds that broadcast through a byte spill and a 4-byte reload on the
// insert path, a store-forwarding stall on every insert (perf, bench insert).
inline unsigned slots_equal(std::uint64_t word, std::uint8_t value) {
  const std::uint64_t x = word ^ (kLowBits * value);
#if defined(__SSE2__)
  const __m128i bytes = _mm_cvtsi64_si128(static_cast<long long>(x));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, _mm_setzero_si128()))) &
         0xFFu;
#else
  constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const std::uint64_t zero = ~((((x & kLow7) + kLow7) | x)) & kHighBits;
  return static_cast<unsigned>(((zero >> 7) * 0x0102040810204080ULL) >> 56);
#endif
}

// Slots holding emptyRest: a lookup or insert scan of the chain ends at the first of them.
inline unsigned rest_slots(std::uint64_t word) { return slots_equal(word, +Mark::emptyRest); }

// Slots that are empty (emptyRest or emptyOne), where an insert may go.
inline unsigned empty_slots(std::uint64_t word) { return slots_equal(word & ~kLowBits, 0); }

// Reports whether an emptyRest precedes slot i, so that a scan in slot order (spec §3.1 step 5)
// stops before reaching it. Never true for a slot whose tophash matches while I3 holds (every
// later byte is emptyRest, 0, which matches no tophash); scans still test it, as a branch predicted
// not taken, instead of masking the matches with the rest slots: the mask put four more operations
// between the tophash load and the key load of every lookup.
inline bool rest_before(std::uint64_t word, unsigned i) {
  return (rest_slots(word) & ((1u << i) - 1u)) != 0;
}

// Lowest slot of a non-empty slot mask.
inline unsigned first_slot(unsigned mask) { return static_cast<unsigned>(__builtin_ctz(mask)); }

template <class Layout>
class Generation {
 public:
  using Bucket = typename Layout::Bucket;
  using Keys = typename Layout::Keys;
  using Values = typename Layout::Values;
  using Alloc = typename Layout::Alloc;
  using BucketAlloc = rebind_alloc<Bucket, Alloc>;
  using BucketTraits = std::allocator_traits<BucketAlloc>;

  // Allocates 2^b buckets plus the spare pool; initialises every bucket unless `lazy`. REQUIRES: b
  // <= kMaxB.
  Generation(const Alloc& alloc, unsigned b, bool lazy)
      : alloc_(alloc), B_(b), spares_(b >= 4 ? bucket_shift(b - 4) : 0), serial_(next_serial()) {
    buckets_ = allocate_buckets(total_buckets());
    next_spare_ = bucket_shift(B_);
    if (lazy) {
      try {
        initialized_.assign((bucket_shift(B_) + 63) / 64, 0);
      } catch (...) {
        deallocate_buckets(buckets_, total_buckets());
        throw;
      }
    } else {
      initialize_all();
    }
  }
  Generation(const Generation&) = delete;
  Generation& operator=(const Generation&) = delete;
  ~Generation() {
    destroy_objects();
    free_overflow();
    deallocate_buckets(buckets_, total_buckets());
  }

  unsigned B() const { return B_; }
  // A number no other generation of this process has had (addresses get reused; this does not).
  std::uint64_t serial() const { return serial_; }
  std::uint64_t size() const { return bucket_shift(B_); }
  Bucket* bucket(std::uint64_t index) const { return buckets_ + index; }
  Alloc& alloc() { return alloc_; }

  // Reports whether bucket `index` has been initialised (always true outside a grow's new array).
  bool initialized(std::uint64_t index) const {
    return initialized_.empty() || ((initialized_[index / 64] >> (index % 64)) & 1) != 0;
  }
  void initialize(std::uint64_t index) {
    if (initialized(index)) return;
    buckets_[index].init();
    initialized_[index / 64] |= std::uint64_t{1} << (index % 64);
  }
  // Called when the grow filling this generation completes: every bucket is initialised by then.
  void mark_all_initialized() { std::vector<std::uint64_t>().swap(initialized_); }

  // Returns an initialised bucket for the end of a chain: a spare if any is left, else a new one.
  Bucket* new_overflow() {
    Bucket* fresh;
    if (next_spare_ < total_buckets()) {
      fresh = buckets_ + next_spare_++;
    } else {
      fresh = allocate_buckets(1);
      try {
        overflow_.push_back(fresh);
      } catch (...) {
        deallocate_buckets(fresh, 1);
        throw;
      }
    }
    fresh->init();
    return fresh;
  }

  // Reports whether the evacuated slots of old chain `index` still hold (copies of) their keys.
  bool keeps_keys(std::uint64_t index) const {
    return !kept_.empty() && ((kept_[index / 64] >> (index % 64)) & 1) != 0;
  }
  // Allocates the kept-keys bitmap; called before a grow commits so that evacuation cannot throw.
  void prepare_kept_keys() {
    if (kept_.empty()) kept_.assign((size() + 63) / 64, 0);
  }
  void mark_keeps_keys(std::uint64_t index) {
    kept_[index / 64] |= std::uint64_t{1} << (index % 64);
  }

  // Destroys every object, drops every overflow bucket and re-initialises the array in place
  // (clear).
  void reset() {
    destroy_objects();
    free_overflow();
    next_spare_ = bucket_shift(B_);
    std::vector<std::uint64_t>().swap(kept_);
    initialize_all();
    live_keys = live_values = 0;
  }

  // Objects constructed in this generation's slots, for the I7 check (no object in an empty slot).
  std::int64_t live_keys = 0;
  std::int64_t live_values = 0;

 private:
  std::uint64_t total_buckets() const { return bucket_shift(B_) + spares_; }
  Bucket* allocate_buckets(std::uint64_t n) {
    BucketAlloc allocator(alloc_);
    return BucketTraits::allocate(allocator, n);
  }
  void deallocate_buckets(Bucket* p, std::uint64_t n) noexcept {
    BucketAlloc allocator(alloc_);
    BucketTraits::deallocate(allocator, p, n);
  }

  void initialize_all() {
    for (std::uint64_t i = 0; i < bucket_shift(B_); ++i) buckets_[i].init();
    std::vector<std::uint64_t>().swap(initialized_);
  }

  void free_overflow() {
    for (Bucket* bucket : overflow_) deallocate_buckets(bucket, 1);
    overflow_.clear();
  }

  // Ends the life of every object still in a slot: live entries (tophash >= 5) own key and value;
  // evacuated slots of a chain that kept its keys own a key (and a reference to a value box).
  void destroy_objects() noexcept {
    if constexpr (!(Keys::trivial_destroy && Values::trivial_destroy)) {
      for (std::uint64_t index = 0; index < bucket_shift(B_); ++index) {
        if (!initialized(index)) continue;
        const bool kept = keeps_keys(index);
        for (Bucket* b = buckets_ + index; b != nullptr; b = b->overflow) {
          for (unsigned i = 0; i < kBucketCnt; ++i) {
            const std::uint8_t top = b->tophash[i];
            if (is_occupied(top)) {
              Keys::destroy(alloc_, b->key_slot(i));
              Values::destroy(alloc_, b->value_slot(i));
            } else if (kept && (top == +Mark::evacuatedX || top == +Mark::evacuatedY)) {
              Keys::destroy(alloc_, b->key_slot(i));
              Values::release_kept(alloc_, b->value_slot(i));
            }
          }
        }
      }
    }
  }

  static std::uint64_t next_serial() {
    static std::atomic<std::uint64_t> counter{0};
    return counter.fetch_add(1, std::memory_order_relaxed) + 1;
  }

  [[no_unique_address]] Alloc alloc_;
  unsigned B_;
  std::uint64_t spares_;  // spare overflow buckets allocated after the 2^B main buckets
  std::uint64_t serial_;
  std::uint64_t next_spare_;  // index of the next unused spare (== total when the pool is empty)
  Bucket* buckets_;
  std::vector<Bucket*, rebind_alloc<Bucket*, Alloc>> overflow_{
      rebind_alloc<Bucket*, Alloc>(alloc_)};
  std::vector<std::uint64_t> initialized_;  // bit per bucket while lazily initialised, else empty
  std::vector<std::uint64_t> kept_;         // bit per chain whose evacuated slots keep their keys
};

}  // namespace gomap::internal
