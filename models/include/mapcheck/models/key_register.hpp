// The sequential specification of one key of a map: the key is a register that holds a value or
// nothing. This is what every per-key sub-history must be a linearization of (map histories are
// checked key by key: P-compositionality, map_linearizability.hpp).
//
// Porcupine's shape (STYLE.md pattern 8): a State, a pure `step(state, input, output)` that returns
// the next state when `output` is allowed from `state` and nothing when it is not, `hash` for the
// search's memo, and `describe` for reports. The map is deterministic, so an output a call did not
// report only checks less: the next state never depends on it.
//
// Whole-map calls reach a key as point inputs: clear() is an erase of the key that reports nothing;
// what a range() produced (or, when nothing wrote the key during it, did not produce) is a load of
// the key at some instant of the range call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "mapcheck/models/history.hpp"

namespace mapcheck::models {

enum class KeyOpKind : std::uint8_t {
  load,
  store,
  insert,  // if absent
  erase,
  compare_and_swap,
  compare_and_delete,
};

struct KeyRegister {
  using State = std::optional<MapValue>;  // the key's value; nullopt: absent

  struct Input {
    KeyOpKind kind = KeyOpKind::load;
    MapValue value = 0;     // store / insert: written; compare_and_swap: the new value
    MapValue expected = 0;  // compare_and_swap / compare_and_delete
  };
  using Output = Observed;  // history.hpp gives each field's meaning per kind

  static State init() { return std::nullopt; }

  static std::optional<State> step(const State& s, const Input& in, const Output& out) {
    switch (in.kind) {
      case KeyOpKind::load:
        if (!reports_prior_state(s, out)) return std::nullopt;
        return s;
      case KeyOpKind::store:
        if (!reports_prior_state(s, out)) return std::nullopt;
        return State(in.value);
      case KeyOpKind::insert:
        if (!reports_insert(s, in, out)) return std::nullopt;
        return s ? s : State(in.value);
      case KeyOpKind::erase:
        if (!reports_prior_state(s, out)) return std::nullopt;
        return State();
      case KeyOpKind::compare_and_swap:
        if (!reports_comparison(s, in, out)) return std::nullopt;
        return holds(s, in.expected) ? State(in.value) : s;
      case KeyOpKind::compare_and_delete:
        if (!reports_comparison(s, in, out)) return std::nullopt;
        return holds(s, in.expected) ? State() : s;
    }
    return std::nullopt;
  }

  static std::size_t hash(const State& s) {
    return s ? std::hash<MapValue>{}(*s) * 0x9e3779b97f4a7c15ULL + 1 : 0;
  }

  static std::string describe(const State& s) { return s ? std::to_string(*s) : "absent"; }

  // Reports whether the key holds exactly `v`.
  static bool holds(const State& s, MapValue v) { return s && *s == v; }

  // Reports whether `found` and `value`, as far as reported, describe `s` (the key before the op).
  static bool reports_prior_state(const State& s, const Output& out) {
    if (out.found && *out.found != s.has_value()) return false;
    return !out.value || holds(s, *out.value);
  }

  // Insert-if-absent: `found` is the state before; `value` is the value after (the old one when
  // the key was present, else ours).
  static bool reports_insert(const State& s, const Input& in, const Output& out) {
    if (out.found && *out.found != s.has_value()) return false;
    return !out.value || *out.value == (s ? *s : in.value);
  }

  static bool reports_comparison(const State& s, const Input& in, const Output& out) {
    if (out.succeeded && *out.succeeded != holds(s, in.expected)) return false;
    return reports_prior_state(s, out);
  }
};

// What a point op, or clear(), asks of the register of its key (clear: of every key).
// REQUIRES: op.kind is a point op or clear.
inline KeyRegister::Input key_input(const HistoryOp& op) {
  KeyRegister::Input in;
  in.value = op.value;
  in.expected = op.expected;
  switch (op.kind) {
    case HistoryOpKind::load:
      in.kind = KeyOpKind::load;
      break;
    case HistoryOpKind::store:
      in.kind = KeyOpKind::store;
      break;
    case HistoryOpKind::insert:
      in.kind = KeyOpKind::insert;
      break;
    case HistoryOpKind::erase:
    case HistoryOpKind::clear:
      in.kind = KeyOpKind::erase;
      break;
    case HistoryOpKind::compare_and_swap:
      in.kind = KeyOpKind::compare_and_swap;
      break;
    case HistoryOpKind::compare_and_delete:
      in.kind = KeyOpKind::compare_and_delete;
      break;
    case HistoryOpKind::size:
    case HistoryOpKind::range:
      in.kind = KeyOpKind::load;
      break;  // never asked: not per key
  }
  return in;
}

}  // namespace mapcheck::models
