#!/usr/bin/env bash
# Runs each test of a GoogleTest binary many times, each run a fresh process, and fails if any test
# passed fewer than the required number of times. For probabilistic tests such as the concurrent
# misuse death tests (tests/gomap/concurrent_misuse_death_test.cpp): one run proves little, the
# pass rate is the claim.
#
# Usage: repeat_death_tests.sh <gtest binary> [gtest filter (*)] [runs (100)] [required passes (99)]
# Prints one line per test, "<passes>/<runs> <test> (<seconds> s)", and for a test that failed at
# least once the output of its last failed run. Exits 1 if a test fell short (or none matched). A test stops early once it can no longer reach the required passes (a map
# that never detects misuse costs two give-up bounds per test, not a hundred).
set -euo pipefail

binary="$1"
filter="${2:-*}"
runs="${3:-100}"
required="${4:-99}"

# --gtest_list_tests prints "Suite." lines followed by "  Test" lines (either may carry a trailing
# "  # TypeParam = ..." comment). Read the whole output first: no pipe into a reader that may stop
# early.
listing="$("$binary" --gtest_list_tests --gtest_filter="$filter")"
tests=()
suite=""
while IFS= read -r line; do
  line="${line%%  #*}"
  if [[ "$line" =~ ^[^[:space:]] ]]; then
    suite="${line%% *}"
  elif [[ -n "${line// /}" ]]; then
    name="${line#"${line%%[![:space:]]*}"}"
    tests+=("${suite}${name%% *}")
  fi
done <<<"$listing"

if [[ ${#tests[@]} -eq 0 ]]; then
  echo "no tests match '$filter' in $binary" >&2
  exit 1
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
start_all=$SECONDS
for test in "${tests[@]}"; do
  passes=0
  failures=0
  done_runs=0
  last_failure=""
  start=$SECONDS
  while [[ $done_runs -lt $runs ]]; do
    done_runs=$((done_runs + 1))
    if "$binary" --gtest_filter="$test" >"$log" 2>&1; then
      passes=$((passes + 1))
    else
      failures=$((failures + 1))
      last_failure="$(cat "$log")"
      if [[ $failures -gt $((runs - required)) ]]; then
        break
      fi
    fi
  done
  echo "${passes}/${runs} ${test} ($((SECONDS - start)) s)"
  if [[ $passes -lt $required ]]; then
    status=1
    echo "FAILED: ${test} passed ${passes} times, needs ${required} of ${runs}" \
      "(stopped after ${done_runs} runs)"
  fi
  if [[ $failures -gt 0 ]]; then
    echo "--- output of the last failed run of ${test} ---"
    echo "$last_failure"
    echo "---"
  fi
done
echo "total $((SECONDS - start_all)) s for ${#tests[@]} tests"
exit "$status"
