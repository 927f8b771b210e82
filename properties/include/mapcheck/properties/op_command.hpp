// The one RapidCheck state command of mapcheck (STYLE.md pattern 9): OpCommand holds an Op. Its
// preconditions consult the map's declared capabilities and which iterations are open, and are
// re-checked on every shrink, so a shrunk program never steps an iteration it did not open.
// Programs are executed by the shared interpreter, not by the command: the command only shapes
// generation and shrinking.
#pragma once

#include <rapidcheck.h>

#include <array>
#include <memory>
#include <ostream>

#include <rapidcheck/state.h>

#include "mapcheck/interpreter.hpp"
#include "mapcheck/op.hpp"
#include "mapcheck/properties/op_generator.hpp"

namespace mapcheck::properties {

// What generation needs to know about a program so far.
struct GenState {
  Capabilities caps;
  std::array<bool, kIteratorSlots> open{};  // slots holding an iteration (conservative)
};

// The system under test is the interpreter; commands are only generated, never run directly.
struct NoSut {};

class OpCommand final : public rc::state::Command<GenState, NoSut> {
 public:
  explicit OpCommand(Op op) : op_(op) {}
  const Op& op() const { return op_; }

  void checkPreconditions(const GenState& s) const override {
    RC_PRE(s.caps.has(info(op_.kind).needs));
    const auto operands = info(op_.kind).operands;
    if (operands == Operands::iter && op_.kind != OpKind::iter_open) RC_PRE(s.open[op_.iter]);
  }

  void apply(GenState& s) const override {
    switch (op_.kind) {
      case OpKind::iter_open:
        s.open[op_.iter] = true;
        break;
      case OpKind::iter_close:
        s.open[op_.iter] = false;
        break;
      case OpKind::copy_assign:
      case OpKind::move_construct:
      case OpKind::move_assign:
        s.open.fill(false);
        break;
      default:
        if (info(op_.kind).mutates && op_.kind != OpKind::erase_iterator &&
            !s.caps.has(Capability::go_iteration))
          s.open.fill(false);
        break;
    }
  }

  void show(std::ostream& os) const override { os << describe(op_); }

 private:
  Op op_;
};

// A sequence of ops valid for `caps`, generated and shrunk by rc::state.
inline rc::Gen<std::vector<Op>> gen_ops(Capabilities caps) {
  auto commands = rc::state::gen::commands(GenState{caps}, [caps](const GenState&) {
    return rc::gen::map(gen_op(caps),
                        [](Op op) -> std::shared_ptr<const rc::state::Command<GenState, NoSut>> {
                          return std::make_shared<const OpCommand>(op);
                        });
  });
  return rc::gen::map(std::move(commands), [](const auto& cmds) {
    std::vector<Op> ops;
    for (const auto& cmd : cmds) ops.push_back(static_cast<const OpCommand&>(*cmd).op());
    return ops;
  });
}

}  // namespace mapcheck::properties
