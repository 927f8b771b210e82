// The numbers and markers of the classic Go map (spec §1.1), with the relations the code relies on
// pinned by static_asserts, and the sizing predicates of spec §1.6.
#pragma once

#include <cstdint>

namespace gomap::internal {

inline constexpr unsigned kBucketCntBits = 3;
inline constexpr unsigned kBucketCnt = 1u << kBucketCntBits;  // slots per bucket
// Maximum average load of a bucket that triggers growth: 13/2 = 6.5 of 8 slots. Kept as a fraction
// so the arithmetic stays integral. go1.21 silently had 12/2 (issue #63438); 1.22+ and we use 13.
inline constexpr std::uint64_t kLoadFactorNum = 13;
inline constexpr std::uint64_t kLoadFactorDen = 2;
// Keys and values larger than this (in bytes) live out of line, in a box the slot points to.
inline constexpr std::size_t kMaxKeySize = 128;
inline constexpr std::size_t kMaxElemSize = 128;
// A single advanceEvacuationMark call looks at most this many buckets ahead (bounded work per
// write).
inline constexpr std::uint64_t kMaxEvacuationScan = 1024;
// The largest B we accept: keeps 2^B * bucket size and the load-factor product far from overflow.
inline constexpr unsigned kMaxB = 56;

// Tophash byte values. Chain-wide rule (invariant I3): walking a chain in slot order, every
// `emptyRest` comes after every other byte, and the last byte before the emptyRest run is occupied.
// Markers 2..4 appear only in the old array of a grow, where each chain is stamped as a whole.
enum class Mark : std::uint8_t {
  emptyRest = 0,       // empty, and so is every later slot of this chain
  emptyOne = 1,        // empty; later slots may be occupied
  evacuatedX = 2,      // live entry copied to the X (lower) half of the new array
  evacuatedY = 3,      // live entry copied to the Y (upper) half
  evacuatedEmpty = 4,  // slot was empty when its chain was evacuated
  minTopHash = 5,      // smallest tophash of an occupied slot
};

constexpr std::uint8_t operator+(Mark mark) { return static_cast<std::uint8_t>(mark); }

static_assert(+Mark::evacuatedX + 1 == +Mark::evacuatedY,
              "evacuate() stamps evacuatedX + useY; iterator NaN filter reads bit 0 of the stamp");
static_assert((+Mark::evacuatedX ^ 1) == +Mark::evacuatedY,
              "evacuate() and the iterator NaN filter agree on the X/Y half through bit 0");
static_assert(+Mark::emptyRest < +Mark::emptyOne,
              "is_empty() relies on both empty markers being the two smallest values");
static_assert(+Mark::minTopHash > +Mark::evacuatedEmpty,
              "tophash_of() must never produce a marker: occupied slots start above all markers");
static_assert(+Mark::emptyRest == 0,
              "init_bucket() and the SWAR scans treat a zero byte as emptyRest");

// Bits of the map's flags word (spec §2).
enum class Flag : std::uint8_t {
  iterator = 1,      // an iterator may be walking the current array (sticky until the next grow)
  oldIterator = 2,   // an iterator may be reading the old array: evacuation must keep old keys
  hashWriting = 4,   // a write is in progress (misuse detection)
  sameSizeGrow = 8,  // the grow in progress keeps the bucket count
};

constexpr std::uint8_t operator+(Flag flag) { return static_cast<std::uint8_t>(flag); }

// Reports whether a tophash byte marks an empty slot of a live chain.
constexpr bool is_empty(std::uint8_t top) { return top <= +Mark::emptyOne; }

// Reports whether a tophash byte is one of the evacuation stamps.
constexpr bool is_evacuation_stamp(std::uint8_t top) {
  return top > +Mark::emptyOne && top < +Mark::minTopHash;
}

// Reports whether a tophash byte marks a live entry.
constexpr bool is_occupied(std::uint8_t top) { return top >= +Mark::minTopHash; }

// The tophash of a hash word: its top byte, moved above the markers.
constexpr std::uint8_t tophash_of(std::uint64_t hash) {
  const auto top = static_cast<std::uint8_t>(hash >> 56);
  return top < +Mark::minTopHash ? static_cast<std::uint8_t>(top + +Mark::minTopHash) : top;
}

constexpr std::uint64_t bucket_shift(unsigned b) { return std::uint64_t{1} << (b & 63); }
constexpr std::uint64_t bucket_mask(unsigned b) { return bucket_shift(b) - 1; }

// Reports whether `count` entries overload 2^b buckets (more than 8, and more than 6.5 per bucket).
constexpr bool over_load_factor(std::uint64_t count, unsigned b) {
  return count > kBucketCnt && count > kLoadFactorNum * (bucket_shift(b) / kLoadFactorDen);
}

// Reports whether there are about as many overflow buckets as buckets (threshold capped at 2^15,
// matching the sampled counter of tables with b >= 16).
constexpr bool too_many_overflow_buckets(std::uint64_t noverflow, unsigned b) {
  return noverflow >= bucket_shift(b < 15 ? b : 15);
}

// The smallest b for which `hint` entries do not overload the table (makemap).
constexpr unsigned buckets_for(std::uint64_t hint) {
  unsigned b = 0;
  while (b < kMaxB && over_load_factor(hint, b)) ++b;
  return b;
}

static_assert(!over_load_factor(8, 0) && over_load_factor(9, 0), "B=0 holds 8 entries");
static_assert(!over_load_factor(13, 1) && over_load_factor(14, 1), "B=1 holds 13 entries");
static_assert(!over_load_factor(52, 3) && over_load_factor(53, 3), "B=3 holds 52 entries");

}  // namespace gomap::internal
