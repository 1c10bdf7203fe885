"""Generates benchmark file sets, each a Delta table (one commit adding every file) of random files.

    python3 benchmarks/make-sets.py ROOT NAME=COUNTxSIZE [NAME=COUNTxSIZE ...]

A set whose log exists is kept. Every file is a different window of one random chunk, so no two files are equal.
"""
import json, os, sys

root = sys.argv[1]
chunk = None
for spec in sys.argv[2:]:
    name, shape = spec.split("=")
    count, size = (int(x) for x in shape.split("x"))
    d = os.path.join(root, name)
    log = os.path.join(d, "_delta_log", "00000000000000000000.json")
    if os.path.exists(log):
        continue
    os.makedirs(os.path.dirname(log), exist_ok=True)
    if chunk is None:
        chunk = os.urandom(64 << 20)
    adds = []
    for i in range(count):
        fname = f"part-{i:05d}.bin"
        with open(os.path.join(d, fname), "wb") as f:
            if size <= len(chunk):
                start = (i * 1048583) % (len(chunk) - size + 1)
                f.write(chunk[start:start + size])
            else:
                start = (i * 4099) % len(chunk)
                rotated = chunk[start:] + chunk[:start]
                for _ in range(size // len(rotated)):
                    f.write(rotated)
        adds.append({"add": {"path": fname, "partitionValues": {}, "size": size, "modificationTime": 1700000000000, "dataChange": True}})
    schema = json.dumps({"type": "struct", "fields": [{"name": "id", "type": "long", "nullable": True, "metadata": {}}]})
    lines = [{"commitInfo": {"timestamp": 1700000000000, "operation": "WRITE"}},
             {"protocol": {"minReaderVersion": 1, "minWriterVersion": 2}},
             {"metaData": {"id": "00000000-0000-0000-0000-00000000000" + str(len(name)), "format": {"provider": "parquet", "options": {}},
                           "schemaString": schema, "partitionColumns": [], "configuration": {}, "createdTime": 1700000000000}}] + adds
    with open(log, "w") as f:
        f.write("\n".join(json.dumps(l) for l in lines) + "\n")
    print(f"generated {name}: {count} x {size} bytes", file=sys.stderr)
