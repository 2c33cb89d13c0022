"""Prints the full MLflow metric history of some keys of one run as JSON, every point in the order MLflow keeps them.

usage: metric_histories.py <tracking uri> <mlflow run id> <key>...
"""
import json
import sys

from mlflow.tracking import MlflowClient

store, run_id, *keys = sys.argv[1:]
client = MlflowClient(tracking_uri=store)
print(json.dumps({key: [[m.step, m.value] for m in client.get_metric_history(run_id, key)] for key in keys}))
