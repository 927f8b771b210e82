#!/usr/bin/env python3
"""The report formats of `mapcheck run`, checked on a map whose findings are known (crashing_map
crashes in every program suite, and has no concurrent adapter, so its stress pair is n/a): the JSON and JUnit files parse and say what happened, the Markdown and HTML
reports hold the matrix and link each finding, and every finding folder holds its files.

Usage: report_formats_test.py <mapcheck_crashing_map> <work dir>"""
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

command, work = sys.argv[1], sys.argv[2]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
out = os.path.join(work, "out")
run = subprocess.run(
    [command, "run", "--seconds", "1", "--out", out,
     "--json", os.path.join(work, "r.json"), "--junit", os.path.join(work, "r.xml"),
     "--report", os.path.join(work, "r.md"), "--report", os.path.join(work, "r.html")],
    capture_output=True, text=True)
failures = []
def check(condition, what):
    if not condition:
        failures.append(what)

check(run.returncode == 1, f"exit status 1 for a broken contract, got {run.returncode}")
report = json.load(open(os.path.join(work, "r.json")))
check(len(report["results"]) == len(report["suites"]), "json: one result per suite")
check("stress" in report["suites"], "json: the stress suite is listed")
suites = [s for s in report["suites"] if s != "stress"]
check(report["maps"] == ["crashing_map"], "json: maps")
check(len(suites) >= 3, "json: the program suites")
for r in report["results"]:
    if r["suite"] == "stress":
        check(r["status"] == "n/a", f"json: stress status {r['status']} (no concurrent adapter)")
        continue
    check(r["status"] == "FINDING", f"json: {r['suite']} status {r['status']}")
    f = r.get("finding", {})
    check(f.get("kind") == "crash" and "SIGSEGV" in f.get("message", ""), f"json: {r['suite']} kind")
    check(f.get("minimal_ops", 0) >= 1, f"json: {r['suite']} minimised")
    d = f.get("dir", "")
    for name in ("finding.json", "input.bin", "program.bin", "program.txt", "reproducer.cpp"):
        check(os.path.isfile(os.path.join(d, name)), f"finding folder {d}: {name}")
check(report["unexpected_findings"] == len(suites), "json: unexpected_findings")

junit = ET.parse(os.path.join(work, "r.xml")).getroot()
check(junit.get("failures") == str(len(suites)), "junit: failures attribute")
check(len(junit.findall(".//testcase/failure")) == len(suites), "junit: one failure per suite")

md = open(os.path.join(work, "r.md")).read()
check("| crashing_map |" in md and "[FINDING](" in md, "markdown: matrix row with finding links")
check("```cpp" in md, "markdown: reproducer")
html = open(os.path.join(work, "r.html")).read()
check(html.count("<h2 id=") == len(suites) and "<table>" in html, "html: matrix and sections")

if failures:
    print(run.stdout, run.stderr, sep="\n")
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"report formats hold ({len(suites)} findings)")
