"""Best values Optuna's default TPESampler finds on Tessera's sweep benchmark functions.

Usage: python optuna_tpe.py FUNCTION TRIALS SEED [SEED ...]; prints one line per seed: "seed best".
The functions mirror BenchmarkFunction.java.
"""
import math
import sys

import optuna

PENALTY = {"a": 1.0, "b": 0.0, "c": 2.0}
ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]


def mixed_sphere(trial):
    x1 = trial.suggest_float("x1", -5, 5)
    x2 = trial.suggest_float("x2", -5, 5)
    lr = math.log10(trial.suggest_float("lr", 1e-5, 1, log=True)) + 3
    kind = trial.suggest_categorical("kind", ["a", "b", "c"])
    return (x1 - 1) ** 2 + (x2 + 2) ** 2 + lr * lr + PENALTY[kind]


def branin(trial):
    x1 = trial.suggest_float("x1", -5, 10)
    x2 = trial.suggest_float("x2", 0, 15)
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(trial):
    x = [trial.suggest_float(f"x{j + 1}", 0, 1) for j in range(6)]
    total = 0.0
    for i in range(4):
        inner = sum(A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2 for j in range(6))
        total += ALPHA[i] * math.exp(-inner)
    return -total


FUNCTIONS = {"mixed-sphere-4d": mixed_sphere, "branin": branin, "hartmann-6d": hartmann6}


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    objective = FUNCTIONS[sys.argv[1]]
    trials = int(sys.argv[2])
    for seed in sys.argv[3:]:
        study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=int(seed)))
        study.optimize(objective, n_trials=trials)
        print(seed, repr(study.best_value))


if __name__ == "__main__":
    main()
