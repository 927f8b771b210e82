#!/usr/bin/env bash
# Runs .clusterfuzzlite/build.sh the way ClusterFuzzLite / OSS-Fuzz would (clang-19, ASan + UBSan,
# libFuzzer) into a temporary $OUT, then checks that every fuzz mode landed there for every map
# the script builds: the fuzzer, its seed corpus zip (not empty), its dictionary and options file,
# and that the fuzzer runs one input of its seed corpus. ctest label `fuzz` (the fuzz preset).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work"
ln -s "$repo" "$tmp/src/mapcheck"

export CC=clang-19 CXX=clang++-19
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work"
bash "$repo/.clusterfuzzlite/build.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }
maps="$(sed -nE 's/^  "([a-z_0-9]+)\|.*/\1/p' "$repo/.clusterfuzzlite/build.sh")"
[[ -n "$maps" ]] || fail "no maps listed in build.sh"
checked=0
for map in $maps; do
  for source in "$repo"/fuzz/targets/*.cpp; do
    mode="$(basename "$source" .cpp)"
    target="fuzz_${mode}_${map}"
    [[ -x "$OUT/$target" ]] || fail "$target: no fuzzer in \$OUT"
    [[ -s "$OUT/$target.dict" ]] || fail "$target: no dictionary"
    grep -q "dict = $target.dict" "$OUT/$target.options" || fail "$target: options lack the dict"
    # ClusterFuzz reads the file with Python's configparser: the shared flags must come through.
    python3 - "$OUT/$target.options" "$repo/fuzz/libfuzzer.options" <<'PY' ||
import configparser, sys
built, shared = configparser.ConfigParser(), configparser.ConfigParser()
built.read(sys.argv[1]); shared.read(sys.argv[2])
sys.exit(any(built["libfuzzer"].get(k) != v for k, v in shared["libfuzzer"].items()))
PY
      fail "$target: options lack the flags of fuzz/libfuzzer.options"
    entries="$(python3 -m zipfile -l "$OUT/${target}_seed_corpus.zip" | tail -n +2 | wc -l)"
    ((entries > 0)) || fail "$target: empty seed corpus zip"
    mkdir -p "$tmp/seed/$target"
    python3 -m zipfile -e "$OUT/${target}_seed_corpus.zip" "$tmp/seed/$target"
    # Not `| head -1`: head exits after one line, and with pipefail the SIGPIPE that sort then
    # gets on a long listing (the hash corpus) would end this script without a message.
    mapfile -t seeds < <(find "$tmp/seed/$target" -type f | sort)
    one="${seeds[0]}"
    "$OUT/$target" -runs=1 "$one" >"$tmp/$target.log" 2>&1 || {
      cat "$tmp/$target.log" >&2
      fail "$target: did not run its first seed input"
    }
    echo "ok: $target ($entries seed inputs; ran $(basename "$one"))"
    checked=$((checked + 1))
  done
done
echo "clusterfuzzlite build: $checked targets checked"
