"""Log densities of Optuna's TPE Parzen estimator, for the Java parity test.

Reads a JSON file named by the first argument: {"space": [{"name", "kind": float|int|choice, "low", "high", "log", "choices"}],
"observations": [[...internal values...]], "points": [[...]], "multivariate": bool} and prints one log density per
point (a product of per-parameter estimators when not multivariate).
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
    obs = np.asarray(request["observations"], dtype=float).reshape(-1, len(names))
    points = np.asarray(request["points"], dtype=float)
    params = _ParzenEstimatorParameters(
        prior_weight=request.get("priorWeight", 1.0), consider_magic_clip=True, consider_endpoints=False,
        weights=default_weights, multivariate=True)
    groups = [names] if request["multivariate"] else [[n] for n in names]
    total = np.zeros(len(points))
    for group in groups:
        idx = [names.index(n) for n in group]
        pe = _ParzenEstimator({n: obs[:, names.index(n)] for n in group}, {n: space[n] for n in group}, params)
        total += pe.log_pdf({n: points[:, names.index(n)] for n in group})
    for value in total:
        print(repr(float(value)))


if __name__ == "__main__":
    main()
