"""pycocotools' bbox evaluation of a COCO result file, as JSON on stdout: the 12 summary numbers and per-category
AP@[.50:.95] and AP@.50 (all areas, 100 detections) for the categories with ground truth.

Usage: python cocoeval_reference.py GT.json DETS.json
"""
import contextlib
import json
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def main(gt_path, dets_path):
    with contextlib.redirect_stdout(sys.stderr):  # pycocotools prints progress; stdout carries only the result
        gt = COCO(gt_path)
        dt = gt.loadRes(dets_path)
        ev = COCOeval(gt, dt, iouType="bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    per_category = {}
    for k, cat in enumerate(ev.params.catIds):
        p = ev.eval["precision"][:, :, k, 0, 2]
        if (p > -1).any():
            p50 = p[0]
            per_category[str(cat)] = {"ap": float(np.mean(p[p > -1])), "ap50": float(np.mean(p50[p50 > -1]))}
    json.dump({"stats": [float(s) for s in ev.stats], "per_category": per_category}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
