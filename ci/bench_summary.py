#!/usr/bin/env python3
"""Summarises a gomap_bench JSON report (--benchmark_out, --benchmark_format=json).

Prints, per operation and size, the median time per key of each map and the time ratios of
gomap against std and absl, then the insert latency distribution. Benchmark names are
`<operation>/<map>/<size>` (anything Google Benchmark appends after them, such as
`/iterations:1/real_time`, is ignored). Uses only the standard library.

Usage: bench_summary.py REPORT.json
Exit status: 0, or 1 when a benchmark reported an error or the report has no results.
"""

import json
import sys

MAPS = ("gomap", "std", "absl")  # column order; gomap is compared with the other two
OPERATIONS = ("insert", "find_hit", "find_miss", "erase", "iterate")  # row order
PEERS = ("std", "absl")
NS_PER_UNIT = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
LATENCY_OP = "insert_max_latency"
LATENCY_COUNTERS = ("max_ns", "p9999_ns", "p50_ns")


def split_name(run_name):
    """Returns (operation, map, size) from `<operation>/<map>/<size>[/suffix...]`."""
    op, name, size = run_name.split("/")[:3]
    return op, name, int(size)


def pick_runs(benchmarks):
    """Returns the median aggregates, or the plain iterations when the run had no repetitions."""
    medians = [b for b in benchmarks if b.get("aggregate_name") == "median"]
    if medians:
        return medians, "median of %d repetitions" % medians[0].get("repetitions", 0)
    return [b for b in benchmarks if b.get("run_type", "iteration") == "iteration"], "one run"


def ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "-"


def number(x, fmt):
    return fmt % x if x is not None else "-"


def print_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    for r in [header] + rows:
        print("  " + "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                               for i, (c, w) in enumerate(zip(r, widths))))


def main(argv):
    if len(argv) != 2:
        print("usage: bench_summary.py REPORT.json", file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        report = json.load(f)

    errors = [b for b in report.get("benchmarks", []) if b.get("error_occurred")]
    for b in errors:
        print("ERROR %s: %s" % (b["name"], b.get("error_message", "")))

    runs, how = pick_runs(report.get("benchmarks", []))
    if not runs:
        print("bench_summary: no benchmark results in %s" % argv[1])
        return 1
    ctx = report.get("context", {})
    print("Benchmarks: %s, %s; host %s, %s CPUs, load average at start %s"
          % (ctx.get("executable", "?"), how, ctx.get("host_name", "?"),
             ctx.get("num_cpus", "?"), ctx.get("load_avg", "?")))

    # (op, size) -> map -> run; rows sorted by operation, then size (the report's order is
    # shuffled under --benchmark_enable_random_interleaving).
    table = {}
    for b in runs:
        op, name, size = split_name(b["run_name"])
        table.setdefault((op, size), {})[name] = b
    rank = {op: i for i, op in enumerate(OPERATIONS)}
    table = dict(sorted(table.items(), key=lambda kv: (rank.get(kv[0][0], len(rank)), kv[0])))

    print("\nTime per key, ns (median CPU time of one pass / keys); ratio = gomap time / peer "
          "time, > 1 means gomap is slower")
    rows = []
    for (op, size), by_map in table.items():
        if op == LATENCY_OP:
            continue
        t = {m: by_map[m]["cpu_time"] * NS_PER_UNIT[by_map[m]["time_unit"]] / size
             if m in by_map else None for m in MAPS}
        rows.append([op, size] + [number(t[m], "%.2f") for m in MAPS]
                    + [ratio(t["gomap"], t[p]) for p in PEERS])
    print_table(["operation", "size"] + list(MAPS) + ["gomap/" + p for p in PEERS], rows)

    lat = [(size, by_map) for (op, size), by_map in table.items() if op == LATENCY_OP]
    if lat:
        print("\n%s: every insert of one fill timed alone (steady_clock), ns; ratio = gomap max "
              "/ peer max" % LATENCY_OP)
        rows = []
        for size, by_map in lat:
            for m in MAPS:
                b = by_map.get(m)
                if b is None:
                    continue
                fill_ms = b["real_time"] * NS_PER_UNIT[b["time_unit"]] / 1e6
                rows.append([m, size] + [number(b.get(c), "%.0f") for c in LATENCY_COUNTERS]
                            + ["%.0f" % fill_ms]
                            + [ratio(b.get("max_ns"), by_map.get(p, {}).get("max_ns"))
                               if m == "gomap" else "" for p in PEERS])
        print_table(["map", "keys"] + list(LATENCY_COUNTERS) + ["fill ms"]
                    + ["max vs " + p for p in PEERS], rows)

    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
