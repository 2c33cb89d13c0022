"""Reference values for Tessera's classification metrics, computed by scikit-learn.

Usage: python sklearn_classification_metrics.py cases.json
Reads cases written by the Java parity test and prints one JSON object per case, keyed by case name. Binary cases
hold labels (0/1), scores (positive-class probabilities) and predicted labels; multiclass cases hold labels,
probabilities[sample][class] and predicted labels. Infinite thresholds are printed as the string "inf".
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics

warnings.simplefilter("ignore")  # undefined-metric and sum warnings: the Java side checks its own conditions


def floats(values):
    return ["inf" if np.isinf(v) else float(v) for v in np.asarray(values, dtype=np.float64)]


def curves(y, s):
    out = {}
    for drop in (True, False):
        fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=drop)
        out["roc_drop" if drop else "roc_all"] = {"fpr": floats(fpr), "tpr": floats(tpr), "thresholds": floats(thr)}
        p, r, thr = metrics.precision_recall_curve(y, s, drop_intermediate=drop)
        out["pr_drop" if drop else "pr_all"] = {"precision": floats(p), "recall": floats(r), "thresholds": floats(thr)}
    return out


def label_metrics(y, pred, classes):
    labels = list(range(classes))
    return {
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "balanced_accuracy_adjusted": metrics.balanced_accuracy_score(y, pred, adjusted=True),
        "kappa_none": metrics.cohen_kappa_score(y, pred, labels=labels),
        "kappa_linear": metrics.cohen_kappa_score(y, pred, labels=labels, weights="linear"),
        "kappa_quadratic": metrics.cohen_kappa_score(y, pred, labels=labels, weights="quadratic"),
    }


def binary(case):
    y = np.asarray(case["labels"], dtype=np.int64)
    s = np.asarray(case["scores"], dtype=np.float64)
    out = {
        "roc_auc": metrics.roc_auc_score(y, s),
        "average_precision": metrics.average_precision_score(y, s),
        "top1": metrics.top_k_accuracy_score(y, s, k=1, labels=[0, 1]),
        "top2": metrics.top_k_accuracy_score(y, s, k=2, labels=[0, 1]),
        "log_loss": metrics.log_loss(y, s, labels=[0, 1]),
    }
    out.update(label_metrics(y, np.asarray(case["predicted"]), 2))
    if case["curves"]:
        out["curves"] = curves(y, s)
    return out


def multiclass(case):
    y = np.asarray(case["labels"], dtype=np.int64)
    p = np.asarray(case["probabilities"], dtype=np.float64)
    classes = p.shape[1]
    labels = list(range(classes))
    out = {
        "roc_auc_macro": metrics.roc_auc_score(y, p, multi_class="ovr", average="macro"),
        "roc_auc_weighted": metrics.roc_auc_score(y, p, multi_class="ovr", average="weighted"),
        "roc_auc_per_class": floats(metrics.roc_auc_score(y, p, multi_class="ovr", average=None)),
        "ap_macro": metrics.average_precision_score(y, p, average="macro"),
        "ap_weighted": metrics.average_precision_score(y, p, average="weighted"),
        "ap_per_class": floats(metrics.average_precision_score(y, p, average=None)),
        "top_k": {str(k): metrics.top_k_accuracy_score(y, p, k=k, labels=labels) for k in (1, 2, 5)},
        "log_loss": metrics.log_loss(y, p, labels=labels),
        "log_loss_sum": metrics.log_loss(y, p, labels=labels, normalize=False),
        "log_loss_float32": metrics.log_loss(y, p.astype(np.float32), labels=labels),
    }
    out.update(label_metrics(y, np.asarray(case["predicted"]), classes))
    if case["curves"]:
        out["curves"] = [curves((y == c).astype(np.int64), p[:, c]) for c in range(classes)]
    return out


def unnormalized(case):
    """Rows that do not sum to 1: log_loss only warns (no renormalization); the ranking metrics would refuse them."""
    y = np.asarray(case["labels"], dtype=np.int64)
    p = np.asarray(case["probabilities"], dtype=np.float64)
    labels = list(range(p.shape[1]))
    return {"log_loss": metrics.log_loss(y, p, labels=labels),
            "log_loss_float32": metrics.log_loss(y, p.astype(np.float32), labels=labels)}


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    results = {}
    for case in cases:
        kinds = {"binary": binary, "multiclass": multiclass, "unnormalized": unnormalized}
        results[case["name"]] = kinds[case["kind"]](case)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
