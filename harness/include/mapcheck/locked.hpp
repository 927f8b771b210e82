// mapcheck::Locked<Map>: any map behind one mutex. Every call made through with() holds the lock
// for its whole duration, so the calls are totally ordered and each takes effect at an instant
// inside its interval: whatever the map, the result is linearizable and free of data races (the
// mutex's lock and unlock order every access). It is the baseline the stress engine compares
// concurrent maps against, and the fix a map author can apply to a map that fails its stress run.
//
// There is no operator-by-operator interface on purpose: a compound step (find, then assign) is
// atomic only if it runs under one lock, so callers pass the whole step to with().
#pragma once

#include <mutex>
#include <utility>

namespace mapcheck {

template <class Map>
class Locked {
 public:
  template <class... Args>
  explicit Locked(Args&&... args) : map_(std::forward<Args>(args)...) {}

  // Runs step(map) under the lock and returns what it returns.
  template <class Step>
  decltype(auto) with(Step&& step) {
    const std::lock_guard lock(mutex_);
    return std::forward<Step>(step)(map_);
  }
  template <class Step>
  decltype(auto) with(Step&& step) const {
    const std::lock_guard lock(mutex_);
    return std::forward<Step>(step)(map_);
  }

  // The map without the lock: only for phases where one thread owns the wrapper.
  Map& unguarded() { return map_; }

 private:
  mutable std::mutex mutex_;
  Map map_;
};

}  // namespace mapcheck
