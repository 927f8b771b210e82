#!/usr/bin/env bash
# The path a user takes, end to end: install mapcheck from this build, configure the separate
# project examples/plugin against the installed package, build it, and run its ctest (mapcheck on
# the example's map, and a short run of its benchmark). Then the same project again with clang and
# its default MAPCHECK_FUZZERS=AUTO, building only the fuzzers, fuzz_<mode>_tiny_map, and running
# each for a bounded smoke run (the example's ctest label `fuzz`).
#
#   plugin_example_test.sh <build dir> <source dir> <c++> [<clang++ with libFuzzer>]
#
# Without the fourth argument (no clang found) the fuzzer part is skipped, saying so.
set -euo pipefail
build="$1" source="$2" cxx="$3" fuzz_cxx="${4:-}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
seconds() { echo $((SECONDS - $1)); }

start=$SECONDS
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$source/examples/plugin" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix"
cmake --build "$work/build" -j 2
ctest --test-dir "$work/build" --output-on-failure --no-tests=error
# The benchmark is skipped, with a message, where Google Benchmark is missing; here it must exist.
listed="$(ctest --test-dir "$work/build" -N -L bench)"
grep -q 'bench\.tiny_map' <<<"$listed" || {
  echo "FAIL: the example has no benchmark test (mapcheck_bench_tiny_map)" >&2
  exit 1
}
echo "plugin example (${cxx}): built and tested in $(seconds "$start") s"

if [[ -z "$fuzz_cxx" ]]; then
  echo "SKIPPED: the fuzzers (no clang++ with libFuzzer was found when mapcheck was configured)"
  exit 0
fi
# -O1 without debug info, as mapcheck's `fuzz` preset has it: a third less compile time than
# RelWithDebInfo for the same fuzzers (ASan + UBSan, MAPCHECK_FUZZ_SANITIZERS' default), and the
# smoke runs below are too short for the optimiser to matter.
start=$SECONDS
cmake -S "$source/examples/plugin" -B "$work/fuzz" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-O1 -DCMAKE_CXX_COMPILER="$fuzz_cxx" -DCMAKE_PREFIX_PATH="$work/prefix"
fuzzers=()
for mode_source in "$source"/fuzz/targets/*.cpp; do
  mode="$(basename "$mode_source" .cpp)"
  fuzzers+=("fuzz_${mode}_tiny_map")
done
cmake --build "$work/fuzz" -j 2 --target "${fuzzers[@]}"
ctest --test-dir "$work/fuzz" -L fuzz --output-on-failure --no-tests=error
echo "plugin example fuzzers (${fuzz_cxx}): ${fuzzers[*]} built and run in $(seconds "$start") s"
