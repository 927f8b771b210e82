#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script: compiles every fuzz mode (fuzz/targets/<mode>.cpp) for
# every bundled map into $OUT/fuzz_<mode>_<map>, next to its seed corpus
# ($OUT/fuzz_<mode>_<map>_seed_corpus.zip, from fuzz/corpus/<mode>/), its dictionary (.dict) and
# its options file (.options). It follows the OSS-Fuzz conventions: $CXX and $CXXFLAGS carry the
# sanitizer and coverage flags, $LIB_FUZZING_ENGINE the engine, the sources are in $SRC/mapcheck,
# scratch goes to $WORK. The suite is header-only, so no build system is needed here.
src="${MAPCHECK_SRC:-$SRC/mapcheck}"

# name|adapter header|adapter type: the maps fuzzed continuously.
maps=(
  "gomap|mapcheck/adapters/gomap.hpp|mapcheck::adapters::Gomap"
)

for entry in "${maps[@]}"; do
  IFS='|' read -r map header type <<<"$entry"
  include_dir="$WORK/fuzzed/$map"
  mkdir -p "$include_dir"
  cat >"$include_dir/mapcheck_fuzzed_adapter.hpp" <<HPP
#pragma once
#include "$header"
namespace mapcheck::fuzz {
using FuzzedAdapter = $type;
}  // namespace mapcheck::fuzz
HPP
  for source in "$src"/fuzz/targets/*.cpp; do
    mode="$(basename "$source" .cpp)"
    target="fuzz_${mode}_${map}"
    # Coverage as cmake/MapcheckAddFuzzers.cmake sets it (and says why): the map's edges only, no
    # comparison tracing.
    # shellcheck disable=SC2086  # $CXXFLAGS and $LIB_FUZZING_ENGINE are word lists
    $CXX $CXXFLAGS -std=c++20 -fsanitize-coverage-ignorelist="$src/fuzz/coverage_ignorelist.txt" \
      -fno-sanitize-coverage=trace-cmp \
      -I"$src/fuzz/include" -I"$src/harness/include" -I"$src/models/include" \
      -I"$src/target/include" -I"$include_dir" \
      "$source" -o "$OUT/$target" $LIB_FUZZING_ENGINE
    python3 -m zipfile -c "$OUT/${target}_seed_corpus.zip" "$src/fuzz/corpus/$mode"/*
    cp "$src/fuzz/$mode.dict" "$OUT/$target.dict"
    # The shared flags (its [libfuzzer] section comes last), and the target's dictionary.
    { cat "$src/fuzz/libfuzzer.options"; printf 'dict = %s.dict\n' "$target"; } >"$OUT/$target.options"
  done
done
