#!/usr/bin/env python3
"""Times pyhf 0.7.6 on the expected-limit band of reference case files (their `workspace` block).

Run by `vbfgrid bench limits --pyhf-python PATH`, or alone:

    bench_pyhf.py CASE.json [CASE.json ...] [--tolerance T] [--rtol R] [--repeat N]

Prints one JSON object: {"cases": {name: {"seconds": median wall time of one band,
"expected": [5 limits]}}, "pyhf_version": ..., "tolerance": ..., "rtol": ...}.
The same fits as tools/pyhf_limits.py (qtilde, toms748_scan, fits started at mu = 0).
"""
import argparse
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyhf  # noqa: E402
from pyhf_limits import limits  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="+")
    parser.add_argument("--tolerance", type=float, default=None, help="scipy optimizer tolerance (pyhf default if absent)")
    parser.add_argument("--rtol", type=float, default=1e-6, help="relative tolerance of toms748_scan")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    result = {"pyhf_version": pyhf.__version__, "tolerance": args.tolerance, "rtol": args.rtol, "cases": {}}
    for path in args.cases:
        with open(path) as f:
            case = json.load(f)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            _, expected, _, _ = limits(case["workspace"], args.tolerance, args.rtol)
            times.append(time.perf_counter() - start)
        result["cases"][case["name"]] = {"seconds": statistics.median(times), "expected": expected}
        print(f"{case['name']}: {statistics.median(times):.3f} s", file=sys.stderr, flush=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
