"""Reads a Tessera run back with the real MLflow client and prints what it found as JSON.

usage: check_mlflow_run.py <mlruns dir> <experiment name> <mlflow run id> <download dir>
"""
import json
import os
import sys

from mlflow.tracking import MlflowClient

store, experiment_name, run_id, download_dir = sys.argv[1:5]
client = MlflowClient(tracking_uri=store)
experiment = client.get_experiment_by_name(experiment_name)
runs = client.search_runs([experiment.experiment_id])
run = client.get_run(run_id)


def history(key):
    return [[m.step, m.value] for m in client.get_metric_history(run_id, key)]


def artifact_paths(path=None):
    out = []
    for info in client.list_artifacts(run_id, path):
        out.extend(artifact_paths(info.path) if info.is_dir else [info.path])
    return out


spec_path = client.download_artifacts(run_id, "spec.json", download_dir)
model_dir = client.download_artifacts(run_id, "train/model", download_dir)
with open(spec_path) as f:
    spec = json.load(f)

print(json.dumps({
    "experiment_id": experiment.experiment_id,
    "run_ids": [r.info.run_id for r in runs],
    "status": run.info.status,
    "end_time": run.info.end_time,
    "params": run.data.params,
    "tags": run.data.tags,
    "metrics": run.data.metrics,
    "train_loss_history": history("train/loss"),
    "artifacts": sorted(artifact_paths()),
    "spec_experiment": spec["experiment"],
    "model_files": sorted(os.listdir(model_dir)),
}))
