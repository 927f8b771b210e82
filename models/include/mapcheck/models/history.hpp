// Concurrent map histories: what a stress run records for every call on a shared map, for the
// linearizability checker (map_linearizability.hpp) to judge. It knows no map: a record says which
// kind of operation a call was (in the spec's terms, below), its inputs, what it reported, and
// when.
//
// Time. Every call has an invocation and a response timestamp from one global clock, taken just
// before the call starts and just after it returns. Two calls are ordered in real time only when
// one's response is strictly before the other's invocation: equal timestamps mean "concurrent", so
// a clock with a coarse tick only loses precision, never soundness.
//
// Kinds. A map's many spellings of the same contract share one kind; `label` keeps the map's own
// name for printing. "Found" always means "the key was present when the call took effect".
//
//   kind                inputs            observed outputs (each optional: nullopt = not reported)
//   load                key               found; value (the value found)
//                       Load, find, at, contains (found only)
//   store               key, value        found (present before); value (the previous value)
//                       Store (reports nothing), insert_or_assign (inserted = !found), Swap
//   insert              key, value        found (present before: not inserted); value (the value in
//                                         the map after the call: the old one if found, else ours)
//                       insert, try_emplace, emplace, LoadOrStore (loaded = found, actual = value)
//   erase               key               found (removed); value (the removed value)
//                       erase (count), Delete (nothing), LoadAndDelete (value, loaded)
//   compare_and_swap    key, expected,    succeeded (the key held `expected` and now holds `value`)
//                       value
//   compare_and_delete  key, expected     succeeded (the key held `expected` and is now absent)
//   clear               -                 - (every key becomes absent)
//   size                -                 size (the count returned)
//   range               -                 seen (every (key, value) produced, in order)
//
// A `value` output is reported only together with a present key (for insert: the key present after
// the call), so a record with `value` set and `found == false` is contradictory; validate() says
// so. The `record::` factories below build each record the way the map reports it and keep to that.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mapcheck::models {

using MapKey = std::uint64_t;
using MapValue = std::int64_t;
using Timestamp = std::uint64_t;  // ticks of the run's one global clock (any unit)
using ThreadId = std::uint32_t;

enum class HistoryOpKind : std::uint8_t {
  load,
  store,
  insert,
  erase,
  compare_and_swap,
  compare_and_delete,
  clear,  // touches every key
  size,   // reads the whole map
  range,  // reads the whole map, weakly consistent
};

// Reports whether `kind` reads or writes exactly one key (its record's `key`).
constexpr bool is_point_op(HistoryOpKind kind) {
  return kind != HistoryOpKind::clear && kind != HistoryOpKind::size &&
         kind != HistoryOpKind::range;
}

// Reports whether an op of `kind` may change some key's value.
constexpr bool may_write(HistoryOpKind kind) {
  return kind != HistoryOpKind::load && kind != HistoryOpKind::size && kind != HistoryOpKind::range;
}

constexpr std::string_view kind_name(HistoryOpKind kind) {
  switch (kind) {
    case HistoryOpKind::load:
      return "load";
    case HistoryOpKind::store:
      return "store";
    case HistoryOpKind::insert:
      return "insert";
    case HistoryOpKind::erase:
      return "erase";
    case HistoryOpKind::compare_and_swap:
      return "compare_and_swap";
    case HistoryOpKind::compare_and_delete:
      return "compare_and_delete";
    case HistoryOpKind::clear:
      return "clear";
    case HistoryOpKind::size:
      return "size";
    case HistoryOpKind::range:
      return "range";
  }
  return "?";
}

// What a point op reported; the meaning of each field per kind is the table above.
struct Observed {
  std::optional<bool> found;
  std::optional<MapValue> value;
  std::optional<bool> succeeded;  // compare_and_swap, compare_and_delete
  friend bool operator==(const Observed&, const Observed&) = default;
};

struct KeyValue {
  MapKey key;
  MapValue value;
  friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

// One call on the shared map.
struct HistoryOp {
  ThreadId thread = 0;
  Timestamp invoke = 0;  // REQUIRES: invoke <= response
  Timestamp response = 0;
  HistoryOpKind kind = HistoryOpKind::load;
  MapKey key = 0;         // point ops
  MapValue value = 0;     // store / insert: the value written; compare_and_swap: the new value
  MapValue expected = 0;  // compare_and_swap / compare_and_delete: the value compared against
  Observed observed;      // point ops
  std::optional<std::uint64_t> size;  // size: the count returned
  std::vector<KeyValue> seen;         // range: what the iteration produced, in order
  std::string_view label;  // the map's name for the call ("LoadOrStore"); empty: kind_name. Must
                           // outlive the record (a string literal)
};

using History = std::vector<HistoryOp>;

// Who made a call and when: the part of a record every kind shares.
struct Call {
  ThreadId thread = 0;
  Timestamp invoke = 0;
  Timestamp response = 0;
};

// One factory per way a map reports a call. Each takes the call and what the map returned.
namespace record {

inline HistoryOp make(Call call, HistoryOpKind kind, std::string_view label) {
  HistoryOp op;
  op.thread = call.thread;
  op.invoke = call.invoke;
  op.response = call.response;
  op.kind = kind;
  op.label = label;
  return op;
}

inline HistoryOp point(Call call, HistoryOpKind kind, std::string_view label, MapKey key) {
  HistoryOp op = make(call, kind, label);
  op.key = key;
  return op;
}

// Load / find: the value found, or nullopt when the key was absent.
inline HistoryOp load(Call call, MapKey key, std::optional<MapValue> found_value) {
  HistoryOp op = point(call, HistoryOpKind::load, "load", key);
  op.observed.found = found_value.has_value();
  op.observed.value = found_value;
  return op;
}

inline HistoryOp contains(Call call, MapKey key, bool found) {
  HistoryOp op = point(call, HistoryOpKind::load, "contains", key);
  op.observed.found = found;
  return op;
}

// Store / m[k] = v: a write that reports nothing.
inline HistoryOp store(Call call, MapKey key, MapValue value) {
  HistoryOp op = point(call, HistoryOpKind::store, "store", key);
  op.value = value;
  return op;
}

inline HistoryOp insert_or_assign(Call call, MapKey key, MapValue value, bool inserted) {
  HistoryOp op = point(call, HistoryOpKind::store, "insert_or_assign", key);
  op.value = value;
  op.observed.found = !inserted;
  return op;
}

// Swap: writes and reports the previous value (nullopt: the key was absent, Go's loaded=false).
inline HistoryOp swap(Call call, MapKey key, MapValue value, std::optional<MapValue> previous) {
  HistoryOp op = point(call, HistoryOpKind::store, "swap", key);
  op.value = value;
  op.observed.found = previous.has_value();
  op.observed.value = previous;
  return op;
}

// insert / try_emplace: whether it inserted, and (when the map shows it) the value now there.
inline HistoryOp insert(Call call, MapKey key, MapValue value, bool inserted,
                        std::optional<MapValue> value_now = std::nullopt) {
  HistoryOp op = point(call, HistoryOpKind::insert, "insert", key);
  op.value = value;
  op.observed.found = !inserted;
  op.observed.value = value_now;
  return op;
}

// LoadOrStore: Go's (actual, loaded).
inline HistoryOp load_or_store(Call call, MapKey key, MapValue value, MapValue actual,
                               bool loaded) {
  HistoryOp op = insert(call, key, value, !loaded, actual);
  op.label = "load_or_store";
  return op;
}

// erase(k) returns 0 or 1 (pass it as `removed`); Delete reports nothing (nullopt).
inline HistoryOp erase(Call call, MapKey key, std::optional<bool> removed) {
  HistoryOp op = point(call, HistoryOpKind::erase, "erase", key);
  op.observed.found = removed;
  return op;
}

// LoadAndDelete: the removed value, or nullopt when the key was absent.
inline HistoryOp load_and_delete(Call call, MapKey key, std::optional<MapValue> removed) {
  HistoryOp op = point(call, HistoryOpKind::erase, "load_and_delete", key);
  op.observed.found = removed.has_value();
  op.observed.value = removed;
  return op;
}

inline HistoryOp compare_and_swap(Call call, MapKey key, MapValue expected, MapValue desired,
                                  bool swapped) {
  HistoryOp op = point(call, HistoryOpKind::compare_and_swap, "compare_and_swap", key);
  op.expected = expected;
  op.value = desired;
  op.observed.succeeded = swapped;
  return op;
}

inline HistoryOp compare_and_delete(Call call, MapKey key, MapValue expected, bool deleted) {
  HistoryOp op = point(call, HistoryOpKind::compare_and_delete, "compare_and_delete", key);
  op.expected = expected;
  op.observed.succeeded = deleted;
  return op;
}

inline HistoryOp clear(Call call) { return make(call, HistoryOpKind::clear, "clear"); }

inline HistoryOp size(Call call, std::uint64_t count) {
  HistoryOp op = make(call, HistoryOpKind::size, "size");
  op.size = count;
  return op;
}

inline HistoryOp range(Call call, std::vector<KeyValue> seen) {
  HistoryOp op = make(call, HistoryOpKind::range, "range");
  op.seen = std::move(seen);
  return op;
}

}  // namespace record

// Reports whether `a` finished before `b` started (the only real-time order a history shows).
inline bool precedes(const HistoryOp& a, const HistoryOp& b) { return a.response < b.invoke; }

// Reports whether the intervals of `a` and `b` share an instant (neither precedes the other).
inline bool overlaps(const HistoryOp& a, const HistoryOp& b) {
  return !precedes(a, b) && !precedes(b, a);
}

inline std::string_view display_name(const HistoryOp& op) {
  return op.label.empty() ? kind_name(op.kind) : op.label;
}

namespace detail {

inline std::string present_text(const Observed& o, std::string_view prefix) {
  if (o.value) return std::string(prefix) + std::to_string(*o.value);
  if (o.found) return *o.found ? std::string(prefix) + "present" : std::string("absent");
  return "?";
}

// What a point op reported, in words ("" when it reported nothing).
inline std::string observed_text(const HistoryOp& op) {
  const Observed& o = op.observed;
  switch (op.kind) {
    case HistoryOpKind::load:
      return present_text(o, "");
    case HistoryOpKind::store:
      if (!o.found && !o.value) return "";
      return o.found == false ? "was absent" : present_text(o, "was ");
    case HistoryOpKind::insert:
      if (o.found == false)
        return o.value ? "inserted, now " + std::to_string(*o.value) : "inserted";
      if (o.found == true) return o.value ? "kept " + std::to_string(*o.value) : "not inserted";
      return o.value ? "now " + std::to_string(*o.value) : "";
    case HistoryOpKind::erase:
      if (o.found == false) return "absent";
      if (!o.found && !o.value) return "";
      return present_text(o, "erased ");
    case HistoryOpKind::compare_and_swap:
    case HistoryOpKind::compare_and_delete:
      return o.succeeded ? (*o.succeeded ? "true" : "false") : "";
    case HistoryOpKind::clear:
    case HistoryOpKind::size:
    case HistoryOpKind::range:
      return "";
  }
  return "";
}

inline std::string inputs_text(const HistoryOp& op) {
  const std::string k = "k" + std::to_string(op.key);
  switch (op.kind) {
    case HistoryOpKind::load:
    case HistoryOpKind::erase:
      return k;
    case HistoryOpKind::store:
    case HistoryOpKind::insert:
      return k + ", " + std::to_string(op.value);
    case HistoryOpKind::compare_and_swap:
      return k + ", " + std::to_string(op.expected) + " => " + std::to_string(op.value);
    case HistoryOpKind::compare_and_delete:
      return k + ", " + std::to_string(op.expected);
    case HistoryOpKind::clear:
    case HistoryOpKind::size:
    case HistoryOpKind::range:
      return "";
  }
  return "";
}

inline std::string results_text(const HistoryOp& op) {
  if (op.kind == HistoryOpKind::size) return op.size ? std::to_string(*op.size) : "?";
  if (op.kind != HistoryOpKind::range) return observed_text(op);
  std::string text = "{";
  for (std::size_t i = 0; i < op.seen.size(); ++i) {
    if (i != 0) text += ", ";
    text += "k" + std::to_string(op.seen[i].key) + ":" + std::to_string(op.seen[i].value);
  }
  return text + "}";
}

}  // namespace detail

// One line for a record: "store(k3, 5) -> was absent", "range() -> {k1:5, k3:7}".
inline std::string describe(const HistoryOp& op) {
  std::string text = std::string(display_name(op)) + "(" + detail::inputs_text(op) + ")";
  const std::string results = detail::results_text(op);
  if (!results.empty()) text += " -> " + results;
  return text;
}

// Why `history` cannot be judged (an interval that ends before it starts, a value reported with an
// absent key, a size without its count), or nothing when it is well formed.
inline std::optional<std::string> validate(const History& history) {
  for (std::size_t i = 0; i < history.size(); ++i) {
    const HistoryOp& op = history[i];
    // The message is built only for a malformed record: this runs once per call checked.
    auto why = [&](const std::string& what) -> std::optional<std::string> {
      return "history op #" + std::to_string(i) + " " + describe(op) + ": " + what;
    };
    if (op.invoke > op.response)
      return why("responds (" + std::to_string(op.response) + ") before it is invoked (" +
                 std::to_string(op.invoke) + ")");
    if (op.kind == HistoryOpKind::size && !op.size) return why("a size record without the count");
    if (is_point_op(op.kind) && op.kind != HistoryOpKind::insert && op.observed.value &&
        op.observed.found == false)
      return why("reports a value together with an absent key");
  }
  return std::nullopt;
}

// The distinct threads of `history`, ascending.
inline std::vector<ThreadId> threads_of(const History& history) {
  std::set<ThreadId> threads;
  for (const HistoryOp& op : history) threads.insert(op.thread);
  return {threads.begin(), threads.end()};
}

}  // namespace mapcheck::models
