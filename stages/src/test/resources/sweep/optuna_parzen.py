"""Log densities of Optuna's TPE Parzen estimator, for the Java parity test.

Reads a JSON file named by the first argument: {"space": [{"name", "kind": float|int|choice, "low", "high", "log",
"choices"}], "cases": [{"observations": [[...internal values...]], "points": [[...]], "multivariate": bool}]} and
prints one line per case: the log density of each point, space-separated (a product of per-parameter estimators
when not multivariate).
"""
import json
import sys

import numpy as np
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.sampler import default_weights


def distribution(p):
    if p["kind"] == "choice":
        return CategoricalDistribution(p["choices"])
    if p["kind"] == "int":
        return IntDistribution(int(p["low"]), int(p["high"]), log=p["log"])
    return FloatDistribution(p["low"], p["high"], log=p["log"])


def main():
    with open(sys.argv[1]) as f:
        request = json.load(f)
    space = {p["name"]: distribution(p) for p in request["space"]}
    names = list(space)
    params = _ParzenEstimatorParameters(
        prior_weight=1.0, consider_magic_clip=True, consider_endpoints=False, weights=default_weights,
        multivariate=True)
    for case in request["cases"]:
        obs = np.asarray(case["observations"], dtype=float).reshape(-1, len(names))
        points = np.asarray(case["points"], dtype=float)
        groups = [names] if case["multivariate"] else [[n] for n in names]
        total = np.zeros(len(points))
        for group in groups:
            pe = _ParzenEstimator({n: obs[:, names.index(n)] for n in group}, {n: space[n] for n in group}, params)
            total += pe.log_pdf({n: points[:, names.index(n)] for n in group})
        print(" ".join(repr(float(v)) for v in total))

if __name__ == "__main__":
    main()
