"""scikit-learn's segmentation numbers for flattened masks.

Usage: python sklearn_segmentation_metrics.py cases.json
cases.json: a list of {"name", "classes", "actual": [...], "predicted": [...]} (one class index per pixel).
Prints JSON by case name: accuracy, the confusion matrix over all classes, and, over the classes present in either
mask (jaccard_score and f1_score with labels= those classes), IoU and Dice per class and their means.
"""
import json
import sys
import warnings

import numpy as np
from sklearn import metrics

warnings.simplefilter("ignore")


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = {}
    for case in cases:
        y = np.asarray(case["actual"])
        p = np.asarray(case["predicted"])
        present = sorted(set(y.tolist()) | set(p.tolist()))
        iou = metrics.jaccard_score(y, p, labels=present, average=None)
        dice = metrics.f1_score(y, p, labels=present, average=None)
        out[case["name"]] = {
            "accuracy": metrics.accuracy_score(y, p),
            "confusion": metrics.confusion_matrix(y, p, labels=list(range(case["classes"]))).tolist(),
            "present": present,
            "iou": iou.tolist(),
            "dice": dice.tolist(),
            "mean_iou": metrics.jaccard_score(y, p, labels=present, average="macro"),
            "mean_dice": metrics.f1_score(y, p, labels=present, average="macro"),
        }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
