// gomap::internal::AtomicSharedPtr<T> — the part of std::atomic<std::shared_ptr<T>> that SyncMap
// uses (load, store, exchange, compare_exchange_strong), built so that ThreadSanitizer can see
// every synchronisation in it.
//
// Why not std::atomic<std::shared_ptr<T>>: libstdc++ 12 (Debian 12's g++, and the library
// clang++-19 uses here) guards the stored pointer with a lock bit in the control-block word but
// releases that bit in load() with a relaxed fetch_sub. A load's read of the pointer therefore
// does not happen-before the next store's write of it, and TSan reports a data race with both
// compilers (google/sanitizers#1558; reproduced on this toolchain with three loaders and one
// compare-exchanger). The algorithm here is the same one — a short spin lock around a pointer copy
// and a reference-count increment — with a release on every unlock. The member names are std's, so
// going back to std::atomic is a one-line alias once the toolchain's library is fixed.
//
// Ordering: every operation is one critical section of the lock, entered with an acquire exchange
// and left with a release store. Operations on one object are therefore totally ordered, each sees
// the effect of the one before it (taking the lock is a read-modify-write, which reads the latest
// value), and whatever a thread did before publishing a pointer (constructing the pointee)
// happens-before anything a thread does with the pointer it loads: std's memory_order_acq_rel on
// every call. No user code runs under the lock: a displaced pointer is released after unlocking,
// because its release may run ~T.
#pragma once

#include <atomic>
#include <memory>
#include <thread>
#include <utility>

namespace gomap::internal {

// Test-and-test-and-set lock for a few instructions of work. A waiter yields after a short spin:
// on an oversubscribed machine the holder may have been preempted, and spinning would only delay
// it.
class SpinGuard {
 public:
  explicit SpinGuard(std::atomic<bool>& locked) noexcept : locked_(locked) {
    while (locked_.exchange(true, std::memory_order_acquire)) wait_until_free();
  }
  ~SpinGuard() { locked_.store(false, std::memory_order_release); }
  SpinGuard(const SpinGuard&) = delete;
  SpinGuard& operator=(const SpinGuard&) = delete;

 private:
  static constexpr unsigned kSpinsBeforeYield = 64;  // a critical section is ~10 instructions

  // Relaxed: only a hint that the lock may be free; the acquire exchange above decides.
  void wait_until_free() const noexcept {
    for (unsigned spins = 0; locked_.load(std::memory_order_relaxed); ++spins) {
      if (spins >= kSpinsBeforeYield) std::this_thread::yield();
    }
  }

  std::atomic<bool>& locked_;
};

template <class T>
class AtomicSharedPtr {
 public:
  AtomicSharedPtr() noexcept = default;
  explicit AtomicSharedPtr(std::shared_ptr<T> desired) noexcept : value_(std::move(desired)) {}
  AtomicSharedPtr(const AtomicSharedPtr&) = delete;
  AtomicSharedPtr& operator=(const AtomicSharedPtr&) = delete;

  std::shared_ptr<T> load() const noexcept {
    SpinGuard guard(locked_);
    return value_;
  }

  void store(std::shared_ptr<T> desired) noexcept { exchange(std::move(desired)); }

  std::shared_ptr<T> exchange(std::shared_ptr<T> desired) noexcept {
    {
      SpinGuard guard(locked_);
      value_.swap(desired);
    }
    return desired;  // the previous value, released by the caller outside the lock
  }

  // Replaces the value with `desired` if it is `expected` (same pointer, same owner), else copies
  // the current value into `expected`. Reports whether it replaced.
  bool compare_exchange_strong(std::shared_ptr<T>& expected, std::shared_ptr<T> desired) noexcept {
    std::shared_ptr<T> stale_expected;  // declared before the guard: released after unlocking
    SpinGuard guard(locked_);
    if (same_pointer(value_, expected)) {
      value_.swap(desired);  // the displaced value leaves with `desired`, after the guard
      return true;
    }
    stale_expected = std::exchange(expected, value_);
    return false;
  }

 private:
  // Reports whether a and b are equivalent in std's sense: same stored pointer, same ownership.
  static bool same_pointer(const std::shared_ptr<T>& a, const std::shared_ptr<T>& b) noexcept {
    return a.get() == b.get() && !a.owner_before(b) && !b.owner_before(a);
  }

  mutable std::atomic<bool> locked_{false};  // true while a thread is inside an operation
  std::shared_ptr<T> value_;                 // read and written only with locked_ held
};

}  // namespace gomap::internal
