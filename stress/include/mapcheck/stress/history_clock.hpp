// The clock that stamps every call of a stress run with its invocation and response instants.
//
// It is one atomic counter that every thread increments with a sequentially consistent
// read-modify-write, fenced on both sides. Two properties make a history taken with it sound, so
// that weak memory cannot fake a violation:
//   * if call A's response tick is below call B's invocation tick, A's response RMW precedes B's
//     invocation RMW in the counter's modification order, so it synchronises with it (an RMW
//     continues every release sequence), and everything A did happens-before everything B does.
//     A correct map must then order A before B, which is exactly what the checker assumes;
//   * the fences keep the map's own (possibly relaxed) accesses inside the interval: nothing of
//     the call moves above its invocation tick or below its response tick.
// A counter, not a time source: it is a logical clock (Lamport's, shared by all threads), so
// equal or close stamps carry no meaning beyond their order, and no clock skew between cores can
// order two calls that overlapped. Each thread's own calls are strictly increasing in it.
#pragma once

#include <atomic>
#include <cstdint>

#include "mapcheck/models/history.hpp"

namespace mapcheck::stress {

class HistoryClock {
 public:
  models::Timestamp tick() {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    const models::Timestamp t = now_.fetch_add(1, std::memory_order_seq_cst);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return t;
  }

 private:
  std::atomic<models::Timestamp> now_{0};
};

}  // namespace mapcheck::stress
