"""Reads a Tessera shard with pyarrow and prints what the Java test checks, as JSON.

Usage: read_shard.py SHARD ROW
"""
import json
import sys

import pyarrow as pa


def main(path, row):
    with pa.memory_map(path, "r") as source:
        reader = pa.ipc.open_file(source)
        table = reader.read_all()
    sample = table.slice(row, 1).to_pylist()[0]
    metadata = {k.decode(): v.decode() for k, v in (table.schema.metadata or {}).items()}
    print(json.dumps({
        "num_rows": table.num_rows,
        "num_batches": reader.num_record_batches,
        "fields": [[f.name, str(f.type), f.nullable] for f in table.schema],
        "metadata": metadata,
        "row": {
            "id": sample["id"],
            "image": list(sample["image"]),
            "shape": [sample["height"], sample["width"], sample["channels"]],
            "dtype": sample["dtype"],
            "layout": sample["layout"],
            "label": sample["label"],
            "boxes": sample["boxes"],
            "encoded": None if sample["encoded"] is None else list(sample["encoded"]),
            "mask": None if sample["mask"] is None else list(sample["mask"]),
            "source": sample["source"],
            "split": sample["split"],
        },
    }))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
