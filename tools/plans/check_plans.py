#!/usr/bin/env python3
"""Measures how close `tune --plan` comes to the run it prices: for each method, the plan's expected wall time,
then the run itself (the whole `bin/vlmadapt tune` command, start-up included), one after the other on the same
machine. Prints a markdown table. Usage: tools/plans/check_plans.py [--dataset D] [--budget N] METHOD...
Runs write under a temporary output root; the tables (splits, features) must exist (`make run` makes them for
mnist-digits-mirror)."""
import argparse
import re
import subprocess
import sys
import tempfile
import time


def seconds(text):
    """'1 h 02 min', '3 min 05 s' or '4.2 s' -> seconds."""
    m = re.fullmatch(r"(\d+) h (\d+) min", text)
    if m:
        return int(m[1]) * 3600 + int(m[2]) * 60
    m = re.fullmatch(r"(\d+) min (\d+) s", text)
    if m:
        return int(m[1]) * 60 + int(m[2])
    return float(text.rstrip(" s"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dataset", default="mnist-digits-mirror")
    ap.add_argument("--budget", type=int, default=20000)
    ap.add_argument("--model", default="models/tiny-clip")
    ap.add_argument("methods", nargs="+")
    a = ap.parse_args()
    out = tempfile.mkdtemp(prefix="plan-check-")
    print("plans and runs in " + out, file=sys.stderr)
    print("| method | queries | plan | run | run / plan |")
    print("|---|---|---|---|---|")
    for method in a.methods:
        base = ["bin/vlmadapt", "tune", "--method", method, "--dataset", a.dataset, "--model", a.model,
                "tune.budget=%d" % a.budget, "output.root=" + out, "tables.root=runs/tables"]
        plan = subprocess.run(base + ["--plan"], capture_output=True, text=True)
        if plan.returncode != 0:
            sys.exit("plan of %s failed:\n%s" % (method, plan.stderr[-2000:]))
        with open("%s/plan-%s.txt" % (out, method), "w") as f:
            f.write(plan.stdout)
        expected = seconds(re.search(r"expected wall time: (.+?) \(", plan.stdout)[1])
        queries = re.search(r"\n  total +(\d+)", plan.stdout)
        start = time.monotonic()
        run = subprocess.run(base + ["run-id=check-" + method], capture_output=True, text=True)
        wall = time.monotonic() - start
        if run.returncode != 0:
            sys.exit("run of %s failed:\n%s" % (method, run.stderr[-2000:]))
        print("| %s | %s | %.0f s | %.0f s | %.2f |" % (method, queries[1] if queries else "-", expected, wall,
                                                        wall / expected), flush=True)


if __name__ == "__main__":
    main()
