// One iteration over a gomap table: Go's hiter with mapiterinit / mapiternext (spec §4.1, §4.2).
//
// The cursor walks the 2^B bucket indices of the array it snapshotted at start, beginning at a random
// index with a random in-bucket rotation (G11). For each index it walks exactly one chain: the
// snapshot's, or, while the map is growing from that very array size, the unevacuated old chain that
// still holds the index's entries, filtered down to the entries that belong to the index. Slots never
// move within a chain (I8), so every slot is seen at most once; an evacuated slot is only a pointer
// to the live entry, which is looked up (reflexive keys) or reached through its value box (NaN-like
// keys), so each live entry is produced once, with its current key and value (G1-G5).
//
// Ownership: the iteration holds the generation it snapshotted and the one its cursor is in, so old
// arrays stay alive while it needs them (spec §7.1). It does not own the table: an iteration must not
// be advanced after its map is destroyed.
#pragma once

#include <cstdint>
#include <memory>
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
    B_ = table.B;
    snapshot_ = table.buckets;
    const std::uint64_t r = thread_random();  // step 3
    start_bucket_ = r & bucket_mask(B_);
    offset_ = static_cast<unsigned>(r >> B_) & (kBucketCnt - 1);
    bucket_ = start_bucket_;
    epoch_ = table.epoch;
    table.mark_iterating();  // step 5
    advance();  // step 6
  }

  // A single-entry view of `position` (what find() returns); advancing it ends it.
  void point_at(const Table& table, Position position) {
    table_ = &table;
    single_ = true;
    current_ = position;
  }

  bool done() const { return !current_; }
  const Position& current() const { return current_; }
  const Table* table() const { return table_; }

  // mapiternext. Positions the iteration on its next entry, or ends it.
  void advance() {
    if (table_ == nullptr || single_) {
      current_ = {};
      return;
    }
    const Table& h = *table_;
    h.check_not_writing(kConcurrentMapIterationAndWrite);  // step 0
    if (h.epoch != epoch_) return finish();  // cleared since start: nothing older may appear (G8)
    for (;;) {
      if (bptr_ == nullptr && !start_next_bucket(h)) return finish();  // step A
      for (; i_ < kBucketCnt; ++i_) {  // step B
        const unsigned slot = (i_ + offset_) & (kBucketCnt - 1);
        Position found = produce(h, slot);
        if (found) {
          ++i_;  // commit the cursor only now: a throwing hash leaves it retryable (spec §7.4)
          current_ = found;
          return;
        }
      }
      bptr_ = bptr_->overflow;  // step C
      i_ = 0;
    }
  }

 private:
  static constexpr std::uint64_t kNoCheck = ~std::uint64_t{0};

  void finish() {
    current_ = {};
    snapshot_.reset();
    walking_.reset();
    bptr_ = nullptr;
    table_ = nullptr;
  }

  // Step A: picks the chain for bucket index `bucket_`. Returns false when every index was started.
  bool start_next_bucket(const Table& h) {
    if (bucket_ == start_bucket_ && wrapped_) return false;  // A.1
    const Bucket* old_head = nullptr;
    std::uint64_t old_index = 0;
    if (h.growing() && B_ == h.B) {  // A.2: the entries of this index may still be in the old chain
      old_index = bucket_ & h.oldbucketmask();
      old_head = h.oldbuckets->bucket(old_index);
      if (Table::evacuated(old_head)) old_head = nullptr;
    }
    if (old_head != nullptr) {
      walk(h.oldbuckets, old_index, bucket_, h);
    } else {  // A.2 evacuated / A.3
      walk(snapshot_, bucket_, kNoCheck, h);
    }
    if (++bucket_ == bucket_shift(B_)) {  // A.4
      bucket_ = 0;
      wrapped_ = true;
    }
    i_ = 0;
    return true;
  }

  void walk(const std::shared_ptr<Gen>& gen, std::uint64_t index, std::uint64_t check, const Table& h) {
    if (walking_ != gen) walking_ = gen;
    head_ = gen->bucket(index);
    bptr_ = head_;
    head_index_ = index;
    head_in_old_ = h.growing() && gen == h.oldbuckets;
    check_bucket_ = check;
  }

  // Step B for one slot: the live position of the entry it stands for, or empty to skip it.
  Position produce(const Table& h, unsigned slot) const {
    const std::uint8_t top = bptr_->tophash[slot];
    if (is_empty(top) || top == +Mark::evacuatedEmpty) return {};  // B.1
    auto& key = bptr_->key(slot);
    const bool self_equal = h.self_equal(key);
    if (check_bucket_ != kNoCheck && !h.same_size_grow() &&
        !planted(PlantedBug::iterator_no_filter)) {  // B.3: only this index's share
      if (self_equal) {
        if ((h.hash_of(key) & bucket_mask(B_)) != check_bucket_) return {};
      } else if ((top & 1) != ((check_bucket_ >> (B_ - 1)) & 1)) {
        return {};
      }
    }
    if (top != +Mark::evacuatedX && top != +Mark::evacuatedY) {  // B.4: golden slot, the live entry
      return {bptr_, slot, head_, head_index_, head_in_old_};
    }
    if constexpr (!Table::kReflexive) {
      if (!self_equal) return h.live_position_of(bptr_, slot);
    }
    return h.lookup(key, h.hash_of(key));  // evacuated since: produce the current entry, if any
  }

  const Table* table_ = nullptr;
  std::shared_ptr<Gen> snapshot_;  // the array at start (it.buckets)
  std::shared_ptr<Gen> walking_;   // the array bptr_ is in
  Bucket* bptr_ = nullptr;         // bucket being scanned, null between indices
  Bucket* head_ = nullptr;         // first bucket of bptr_'s chain
  std::uint64_t head_index_ = 0;   // index of that chain in its array
  bool head_in_old_ = false;       // whether that array is the map's old array
  std::uint64_t start_bucket_ = 0;
  std::uint64_t bucket_ = 0;       // next index to start
  std::uint64_t check_bucket_ = kNoCheck;  // new-array index the old chain is filtered for
  std::uint64_t epoch_ = 0;        // table epoch at start
  unsigned B_ = 0;                 // log2 size of the snapshot
  unsigned offset_ = 0;            // in-bucket rotation
  unsigned i_ = 0;                 // next slot (before rotation) in bptr_
  bool wrapped_ = false;
  bool single_ = false;
  Position current_;
};

}  // namespace gomap::internal
