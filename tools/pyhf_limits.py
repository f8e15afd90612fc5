#!/usr/bin/env python3
"""Expected (and observed) CLs upper limits of a pyhf workspace, computed by pyhf itself.

The independent oracle for `vbfgrid limits`: asymptotic calculator, test statistic qtilde,
95% CL, roots of CLs - 0.05 by pyhf's toms748_scan between 0 and the POI's upper bound.
Fits start at mu = 0 (the free fit on a flat likelihood stops early from mu = 1).

    pyhf_limits.py WORKSPACE.json [--tolerance 1e-10] [--rtol 1e-6] [--cls-at MU]

Prints one JSON object: {"expected": {"-2": ..., "2": ...}, "observed": ..., "seconds": ...}
and, with --cls-at, {"cls_observed": ..., "cls_expected": [5 values]} at that mu.
"""
import argparse
import json
import time

import numpy as np
import pyhf


def limits(workspace, tolerance=None, rtol=1e-6):
    """Returns (observed limit, [expected limits for N = -2..2], model, data)."""
    optimizer = pyhf.optimize.scipy_optimizer(tolerance=tolerance) if tolerance else pyhf.optimize.scipy_optimizer()
    pyhf.set_backend("numpy", optimizer)
    ws = pyhf.Workspace(workspace)
    model = ws.model()
    data = ws.data(model)
    init = model.config.suggested_init()
    init[model.config.poi_index] = 0.0
    upper = model.config.suggested_bounds()[model.config.poi_index][1]
    observed, expected = pyhf.infer.intervals.upper_limits.toms748_scan(
        data, model, 0.0, upper, rtol=rtol, atol=1e-12, init_pars=init, test_stat="qtilde")
    return float(observed), [float(x) for x in expected], model, data


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace")
    parser.add_argument("--tolerance", type=float, default=None, help="scipy optimizer tolerance (pyhf default if absent)")
    parser.add_argument("--rtol", type=float, default=1e-6, help="relative tolerance of the root finding")
    parser.add_argument("--cls-at", type=float, default=None, help="also print CLs (observed, expected set) at this mu")
    args = parser.parse_args()
    with open(args.workspace) as f:
        workspace = json.load(f)
    start = time.perf_counter()
    observed, expected, model, data = limits(workspace, args.tolerance, args.rtol)
    result = {"expected": {str(n): x for n, x in zip(range(-2, 3), expected)},
              "observed": observed, "seconds": time.perf_counter() - start}
    if args.cls_at is not None:
        obs, exp = pyhf.infer.hypotest(args.cls_at, data, model, test_stat="qtilde", return_expected_set=True)
        result["cls_observed"] = float(obs)
        result["cls_expected"] = [float(x) for x in np.asarray(exp)]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
