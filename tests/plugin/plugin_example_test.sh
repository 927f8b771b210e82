#!/usr/bin/env bash
# The path a user takes, end to end: install mapcheck from this build, configure the separate
# project examples/plugin against the installed package, build it, and run its ctest (which runs
# mapcheck on the example's map). Usage: plugin_example_test.sh <build dir> <source dir> <c++>
set -euo pipefail
build="$1" source="$2" cxx="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/examples/plugin" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix"
cmake --build "$work/build" -j 2
ctest --test-dir "$work/build" --output-on-failure --no-tests=error
