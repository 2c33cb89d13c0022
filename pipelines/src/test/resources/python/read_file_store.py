"""Reads a Tessera-written MLflow file store with the real MLflow client and prints what it sees as JSON.

Usage: read_file_store.py <tracking uri> <experiment name> <download dir>
Floats are printed as repr() strings so that nan and inf survive JSON.
"""
import json
import os
import sys

import mlflow
from mlflow.tracking import MlflowClient


def main():
    tracking_uri, experiment_name, download_dir = sys.argv[1:4]
    client = MlflowClient(tracking_uri=tracking_uri)
    experiment = client.get_experiment_by_name(experiment_name)
    if experiment is None:
        raise SystemExit(f"experiment {experiment_name!r} not found")
    default = client.get_experiment("0")
    runs = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])
    finished = client.search_runs(
        [experiment.experiment_id], filter_string="attributes.status = 'FINISHED'")
    out = {
        "default_experiment": {"id": default.experiment_id, "name": default.name},
        "experiment": {
            "id": experiment.experiment_id,
            "name": experiment.name,
            "artifact_location": experiment.artifact_location,
            "lifecycle_stage": experiment.lifecycle_stage,
        },
        "finished_run_ids": sorted(r.info.run_id for r in finished),
        "runs": [],
    }
    for run in runs:
        info = run.info
        histories = {}
        for key in run.data.metrics:
            histories[key] = [
                {"value": repr(m.value), "step": m.step, "timestamp": m.timestamp}
                for m in client.get_metric_history(info.run_id, key)
            ]
        artifacts = []
        pending = [None]
        while pending:
            path = pending.pop()
            for item in client.list_artifacts(info.run_id, path):
                artifacts.append({"path": item.path, "is_dir": item.is_dir})
                if item.is_dir:
                    pending.append(item.path)
        record = {
            "run_id": info.run_id,
            "run_name": info.run_name,
            "status": info.status,
            "start_time": info.start_time,
            "end_time": info.end_time,
            "user_id": info.user_id,
            "artifact_uri": info.artifact_uri,
            "params": run.data.params,
            "tags": run.data.tags,
            "latest_metrics": {k: repr(v) for k, v in run.data.metrics.items()},
            "metric_histories": histories,
            "artifacts": sorted(artifacts, key=lambda a: a["path"]),
            "downloads": {},
        }
        run_dir = os.path.join(download_dir, info.run_id)
        os.makedirs(run_dir, exist_ok=True)
        for item in artifacts:
            if item["is_dir"]:
                continue
            local = client.download_artifacts(info.run_id, item["path"], run_dir)
            with open(local, encoding="utf-8") as f:
                record["downloads"][item["path"]] = f.read()
        model_dirs = [a["path"] for a in artifacts if a["path"].endswith("/MLmodel") or a["path"] == "MLmodel"]
        models = {}
        for mlmodel in model_dirs:
            model_path = os.path.dirname(mlmodel)
            local_dir = client.download_artifacts(info.run_id, model_path, os.path.join(run_dir, "models"))
            model = mlflow.models.Model.load(local_dir)
            models[model_path] = {
                "flavors": sorted(model.flavors),
                "files": sorted(os.listdir(local_dir)),
            }
        record["models"] = models
        out["runs"].append(record)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
