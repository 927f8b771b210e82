// One iteration over a gomap table: Go's hiter with mapiterinit / mapiternext (spec §4.1, §4.2).
//
// The cursor walks the 2^B bucket indices of the array it snapshotted at start, beginning at a
// random index with a random in-bucket rotation (G11). For each index it walks exactly one chain:
// the snapshot's, or, while the map is growing from that very array size, the unevacuated old chain
// that still holds the index's entries, filtered down to the entries that belong to the index.
// Slots never move within a chain (I8), so every slot is seen at most once; an evacuated slot is
// only a pointer to the live entry, which is looked up (reflexive keys) or reached through its
// value box (NaN-like keys), so each live entry is produced once, with its current key and value
// (G1-G5).
//
// Ownership: the iteration holds the generation it snapshotted and the one its cursor is in, so old
// arrays stay alive while it needs them (spec §7.1). It does not own the table: an iteration must
// not be advanced after its map is destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <utility>

#include "gomap/fatal.hpp"
#include "gomap/internal/constants.hpp"
#include "gomap/internal/planted_bugs.hpp"
#include "gomap/random.hpp"

namespace gomap::internal {

template <class Table>
class Iteration {
 public:
  using Position = typename Table::Position;
  using Bucket = typename Table::Bucket;
  using Gen = typename Table::Gen;

  // An iteration that has ended (end()).
  Iteration() = default;

  // mapiterinit. An empty map yields nothing and sets no flag (G9).
  void start(const Table& table) {
    if (table.count == 0) return;
    table_ = &table;
    Cursor& c = cursor_.emplace();
    c.B = table.B;
    c.snapshot = table.buckets;
    const std::uint64_t r = thread_random();  // step 3
    c.start_bucket = r & bucket_mask(c.B);
    c.offset = static_cast<unsigned>(r >> c.B) & (kBucketCnt - 1);
    c.bucket = c.start_bucket;
    c.epoch = table.epoch;
    table.mark_iterating();  // step 5
    advance();               // step 6
  }

  // A single-entry view of `position` (what find() returns); advancing it ends it.
  void point_at(const Table& table, Position position) {
    table_ = &table;
    current_ = position;
  }

  bool done() const { return !current_; }
  const Position& current() const { return current_; }
  const Table* table() const { return table_; }

  // mapiternext. Positions the iteration on its next entry, or ends it.
  void advance() {
    if (!cursor_) {
      current_ = {};
      return;
    }
    const Table& h = *table_;
    Cursor& c = *cursor_;
    h.check_not_writing(kConcurrentMapIterationAndWrite);  // step 0
    if (h.epoch != c.epoch) return finish();  // cleared since start: nothing older may appear (G8)
    for (;;) {
      if (c.bptr == nullptr && !start_next_bucket(h, c)) return finish();  // step A
      for (; c.i < kBucketCnt; ++c.i) {                                    // step B
        const unsigned slot = (c.i + c.offset) & (kBucketCnt - 1);
        Position found = produce(h, c, slot);
        if (found) {
          ++c.i;  // commit the cursor only now: a throwing hash leaves it retryable (spec §7.4)
          current_ = found;
          return;
        }
      }
      c.bptr = c.bptr->overflow;  // step C
      c.i = 0;
    }
  }

 private:
  static constexpr std::uint64_t kNoCheck = ~std::uint64_t{0};

  // The walk's state, engaged from start() until the iteration ends. Kept in a CursorSlot so that
  // end() and find() iterators construct, copy and destroy cheaply (measured: zeroing it for every
  // find() cost more than the lookup).
  struct Cursor {
    std::shared_ptr<Gen> snapshot;  // the array at start (it.buckets)
    std::shared_ptr<Gen> walking;   // the array bptr is in
    Bucket* bptr = nullptr;         // bucket being scanned, null between indices
    Bucket* head = nullptr;         // first bucket of bptr's chain
    std::uint64_t head_index = 0;   // index of that chain in its array
    std::uint64_t start_bucket = 0;
    std::uint64_t bucket = 0;               // next index to start
    std::uint64_t check_bucket = kNoCheck;  // new-array index the old chain is filtered for
    std::uint64_t epoch = 0;                // table epoch at start
    unsigned B = 0;                         // log2 size of the snapshot
    unsigned offset = 0;                    // in-bucket rotation
    unsigned i = 0;                         // next slot (before rotation) in bptr
    bool wrapped = false;
  };

  // std::optional<Cursor> without the zeroing. g++ 12 value-initialises a whole std::optional
  // payload here: a 160-byte `rep stos` in every find() and insert that returns an iterator, about
  // a sixth of an insert (perf, bench insert). This one writes only `engaged_`.
  class CursorSlot {
   public:
    CursorSlot() noexcept {}  // NOLINT: the payload stays unconstructed until emplace()
    CursorSlot(const CursorSlot& other) {
      if (other.engaged_) emplace(other.cursor_);
    }
    CursorSlot(CursorSlot&& other) noexcept {
      if (other.engaged_) emplace(std::move(other.cursor_));
    }
    CursorSlot& operator=(const CursorSlot& other) {
      if (this != &other) {
        reset();
        if (other.engaged_) emplace(other.cursor_);
      }
      return *this;
    }
    CursorSlot& operator=(CursorSlot&& other) noexcept {
      if (this != &other) {
        reset();
        if (other.engaged_) emplace(std::move(other.cursor_));
      }
      return *this;
    }
    ~CursorSlot() { reset(); }

    template <class... Args>
    Cursor& emplace(Args&&... args) {
      reset();
      std::construct_at(&cursor_, std::forward<Args>(args)...);
      engaged_ = true;
      return cursor_;
    }
    void reset() noexcept {
      if (engaged_) {
        std::destroy_at(&cursor_);
        engaged_ = false;
      }
    }
    explicit operator bool() const { return engaged_; }
    Cursor& operator*() { return cursor_; }

   private:
    union {
      Cursor cursor_;
    };
    bool engaged_ = false;
  };

  void finish() {
    current_ = {};
    cursor_.reset();
    table_ = nullptr;
  }

  // Step A: picks the chain for bucket index `c.bucket`. Returns false when every index was
  // started.
  static bool start_next_bucket(const Table& h, Cursor& c) {
    if (c.bucket == c.start_bucket && c.wrapped) return false;  // A.1
    const Bucket* old_head = nullptr;
    std::uint64_t old_index = 0;
    if (h.growing() &&
        c.B == h.B) {  // A.2: the entries of this index may still be in the old chain
      old_index = c.bucket & h.oldbucketmask();
      old_head = h.oldbuckets->bucket(old_index);
      if (Table::evacuated(old_head)) old_head = nullptr;
    }
    if (old_head != nullptr) {
      walk(c, h.oldbuckets, old_index, c.bucket);
    } else {  // A.2 evacuated / A.3
      walk(c, c.snapshot, c.bucket, kNoCheck);
    }
    if (++c.bucket == bucket_shift(c.B)) {  // A.4
      c.bucket = 0;
      c.wrapped = true;
    }
    c.i = 0;
    return true;
  }

  static void walk(Cursor& c, const std::shared_ptr<Gen>& gen, std::uint64_t index,
                   std::uint64_t check) {
    if (c.walking != gen) c.walking = gen;
    c.head = gen->bucket(index);
    c.bptr = c.head;
    c.head_index = index;
    c.check_bucket = check;
  }

  // Step B for one slot: the live position of the entry it stands for, or empty to skip it.
  static Position produce(const Table& h, const Cursor& c, unsigned slot) {
    Bucket* b = c.bptr;
    const std::uint8_t top = b->tophash[slot];
    if (is_empty(top) || top == +Mark::evacuatedEmpty) return {};  // B.1
    auto& key = b->key(slot);
    const bool self_equal = h.self_equal(key);
    if (c.check_bucket != kNoCheck && !h.same_size_grow() &&
        !planted(PlantedBug::iterator_no_filter)) {  // B.3: only this index's share
      if (self_equal) {
        if ((h.hash_of(key) & bucket_mask(c.B)) != c.check_bucket) return {};
      } else if ((top & 1) != ((c.check_bucket >> (c.B - 1)) & 1)) {
        return {};
      }
    }
    if (top != +Mark::evacuatedX && top != +Mark::evacuatedY) {  // B.4: golden slot, the live entry
      // Whether its array is the old one is decided now, not when the walk of this chain began:
      // a grow may have started since, turning the array being walked into the old array.
      return {b, slot, c.head, c.head_index, h.growing() && c.walking == h.oldbuckets};
    }
    if constexpr (!Table::kReflexive) {
      if (!self_equal) return h.live_position_of(b, slot);
    }
    return h.lookup(key, h.hash_of(key));  // evacuated since: produce the current entry, if any
  }

  const Table* table_ = nullptr;
  Position current_;
  CursorSlot cursor_;
};

}  // namespace gomap::internal
