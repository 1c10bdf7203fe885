"""Prints every object under a bucket prefix as JSON ({key: {"size": n, "sha256": hex}}), read with boto3.

The S3 end-to-end test uses it as a client independent of the store under test (which uses the AWS SDK for .NET).
Usage: s3_inventory.py ENDPOINT BUCKET PREFIX [DIR]; with DIR, every object is also saved there under its key
relative to PREFIX. Credentials come from the usual AWS_* environment variables.
"""
import hashlib
import json
import os
import sys

import boto3


def main() -> None:
    endpoint, bucket, prefix = sys.argv[1:4]
    directory = sys.argv[4] if len(sys.argv) > 4 else None
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            if directory:
                path = os.path.join(directory, item["Key"][len(prefix):])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as f:
                    f.write(body)
            objects[item["Key"]] = {"size": item["Size"], "sha256": hashlib.sha256(body).hexdigest().upper()}
    json.dump(objects, sys.stdout)


if __name__ == "__main__":
    main()
