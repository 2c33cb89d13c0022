"""scikit-learn's metrics on an evaluate stage's predictions.arrow, read with pyarrow.

Usage: python sklearn_on_predictions.py predictions.arrow
Prints JSON: the row count, the probability matrix's shape and dtype, and the metrics the stage reports.
"""
import json
import sys
import warnings

import numpy as np
import pyarrow as pa
from sklearn import metrics

warnings.simplefilter("ignore")


def main():
    table = pa.ipc.open_file(sys.argv[1]).read_all()
    y = table["label"].to_numpy()
    pred = table["predicted"].to_numpy()
    p = np.stack(table["probabilities"].to_numpy(zero_copy_only=False))
    classes = p.shape[1]
    labels = list(range(classes))
    out = {
        "rows": table.num_rows,
        "shape": list(p.shape),
        "dtype": str(p.dtype),
        "schema": str(table.schema),
        "log_loss": metrics.log_loss(y, p, labels=labels),
        "balanced_accuracy": metrics.balanced_accuracy_score(y, pred),
        "cohen_kappa": metrics.cohen_kappa_score(y, pred, labels=labels),
        "top2_accuracy": metrics.top_k_accuracy_score(y, p, k=2, labels=labels),
        "top5_accuracy": metrics.top_k_accuracy_score(y, p, k=5, labels=labels),
        "roc_auc_macro": metrics.roc_auc_score(y, p, multi_class="ovr", average="macro"),
        "roc_auc_weighted": metrics.roc_auc_score(y, p, multi_class="ovr", average="weighted"),
        "average_precision_macro": metrics.average_precision_score(y, p, average="macro"),
        "average_precision_weighted": metrics.average_precision_score(y, p, average="weighted"),
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
