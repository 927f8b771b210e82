#!/usr/bin/env bash
# Proves that a fuzz target finds its planted bug: runs bugzoo_fuzz_<bug> (every mode in turn,
# until one reports) from an empty corpus (the seeds would hand it the bug) with the mode's
# dictionary, a fixed seed and a run budget, and passes only if the target reports a failure with
# its reproducer (==mapcheck==) and exits non-zero.
#
#   fuzz_finds_bug.sh <fuzzer> <fuzz dir> [runs per mode]
set -uo pipefail
fuzzer="$1" fuzz_dir="$2" runs="${3:-200000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
flags_text="$("$fuzz_dir/libfuzzer_flags")" || exit 1  # -max_len=... from fuzz/libfuzzer.options
mapfile -t flags <<<"$flags_text"
for mode in differential iteration hash; do
  mkdir -p "$tmp/$mode"
  MAPCHECK_FUZZ_MODE="$mode" "$fuzzer" -seed=1 -runs="$runs" "${flags[@]}" \
    -dict="$fuzz_dir/$mode.dict" -artifact_prefix="$tmp/" "$tmp/$mode" \
    >"$tmp/$mode.log" 2>&1
  status=$?
  if ((status != 0)) && grep -q '^==mapcheck==' "$tmp/$mode.log"; then
    sed -n '/^==mapcheck==/,/^TEST(/p' "$tmp/$mode.log"
    grep -E '^(#[0-9]+|Done|artifact_prefix|Test unit written)' "$tmp/$mode.log" | tail -3
    echo "PASS: the $mode fuzz mode found the planted bug"
    exit 0
  fi
  echo "the $mode mode did not find it in $runs runs (exit $status)"
  tail -5 "$tmp/$mode.log"
done
echo "FAIL: no fuzz mode found the planted bug" >&2
exit 1
