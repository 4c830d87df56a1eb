"""Drives edgestream's Kinesis API with boto3 (botocore's JSON protocol over HTTP/1.1), one JSON line per case.

usage: python3 kinesis_boto3.py <endpoint-url> <access key id> <secret access key> <stream-name prefix>
Prints {"case": name, "ok": bool, "detail": text} per case, then {"case": "summary", "passed": n, "failed": m}.
Run by Boto3KinesisClientTest; works with Debian's python3-boto3 1.26 and newer boto3 alike.
"""
import datetime
import hashlib
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, key_id, secret, prefix = sys.argv[1:5]
CONFIG = Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=30)


def client(secret_key=secret, access_key=key_id):
    return boto3.client("kinesis", endpoint_url=endpoint, region_name="us-east-1", config=CONFIG,
                        aws_access_key_id=access_key, aws_secret_access_key=secret_key)


kinesis = client()
results = []


def case(name):
    def run(fn):
        try:
            fn()
            results.append({"case": name, "ok": True, "detail": ""})
        except AssertionError as e:
            results.append({"case": name, "ok": False, "detail": str(e)})
        except Exception as e:  # noqa: BLE001 - report anything else as a failure of the case
            results.append({"case": name, "ok": False, "detail": "%s: %s" % (type(e).__name__, e)})
        print(json.dumps(results[-1]), flush=True)
        return fn
    return run


def expect_error(code, fn):
    try:
        fn()
    except ClientError as e:
        seen = e.response["Error"]["Code"]
        assert seen == code, "expected %s, got %s: %s" % (code, seen, e)
        return
    raise AssertionError("expected %s, the call succeeded" % code)


STREAM = prefix + "-orders"
puts = {}


@case("create and describe a stream of 2 shards")
def _():
    kinesis.create_stream(StreamName=STREAM, ShardCount=2)
    summary = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "ACTIVE", summary
    assert summary["OpenShardCount"] == 2, summary
    assert isinstance(summary["StreamCreationTimestamp"], datetime.datetime), summary
    shards = kinesis.list_shards(StreamName=STREAM)["Shards"]
    assert [s["ShardId"] for s in shards] == ["shardId-000000000000", "shardId-000000000001"], shards


@case("put records; each goes to the shard of its key's MD5")
def _():
    shards = kinesis.list_shards(StreamName=STREAM)["Shards"]
    for i in range(10):
        key = "sensor-%d" % i
        answer = kinesis.put_record(StreamName=STREAM, PartitionKey=key, Data=("reading %d" % i).encode())
        hash_key = int(hashlib.md5(key.encode()).hexdigest(), 16)
        owner = [s["ShardId"] for s in shards if int(s["HashKeyRange"]["StartingHashKey"]) <= hash_key
                 <= int(s["HashKeyRange"]["EndingHashKey"])]
        assert answer["ShardId"] == owner[0], (answer, owner)
        puts.setdefault(answer["ShardId"], []).append(("reading %d" % i, answer["SequenceNumber"]))
    batch = kinesis.put_records(StreamName=STREAM, Records=[
        {"PartitionKey": "batch-%d" % i, "Data": ("batch %d" % i).encode()} for i in range(20)])
    assert batch["FailedRecordCount"] == 0, batch
    for i, record in enumerate(batch["Records"]):
        puts.setdefault(record["ShardId"], []).append(("batch %d" % i, record["SequenceNumber"]))


@case("read every shard from TRIM_HORIZON and AT_TIMESTAMP (integer seconds)")
def _():
    for shard, expected in puts.items():
        iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = kinesis.get_records(ShardIterator=iterator, Limit=1000)["Records"]
        assert [(r["Data"].decode(), r["SequenceNumber"]) for r in records] == expected, (records, expected)
        since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5)
        iterator = kinesis.get_shard_iterator(StreamName=STREAM, ShardId=shard, ShardIteratorType="AT_TIMESTAMP",
                                              Timestamp=since)["ShardIterator"]
        assert len(kinesis.get_records(ShardIterator=iterator)["Records"]) == len(expected)


@case("tags and retention")
def _():
    kinesis.add_tags_to_stream(StreamName=STREAM, Tags={"site": "plant-1"})
    tags = kinesis.list_tags_for_stream(StreamName=STREAM)["Tags"]
    assert tags == [{"Key": "site", "Value": "plant-1"}], tags
    kinesis.increase_stream_retention_period(StreamName=STREAM, RetentionPeriodHours=48)
    hours = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]["RetentionPeriodHours"]
    assert hours == 48, hours


@case("errors as AWS names them")
def _():
    expect_error("ResourceInUseException", lambda: kinesis.create_stream(StreamName=STREAM, ShardCount=1))
    expect_error("ResourceNotFoundException", lambda: kinesis.describe_stream(StreamName=prefix + "-missing"))
    expect_error("InvalidSignatureException", lambda: client(secret_key="wrong-secret-0123456789").list_streams())
    expect_error("UnrecognizedClientException",
                 lambda: client(access_key="AKIDNOBODY", secret_key="whatever-0123456789").list_streams())
    expect_error("InvalidArgumentException",
                 lambda: kinesis.get_records(ShardIterator="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))


@case("list and delete")
def _():
    names = kinesis.list_streams(Limit=100)["StreamNames"]
    assert STREAM in names, names
    kinesis.delete_stream(StreamName=STREAM)
    expect_error("ResourceNotFoundException", lambda: kinesis.describe_stream_summary(StreamName=STREAM))


passed = sum(1 for r in results if r["ok"])
print(json.dumps({"case": "summary", "ok": passed == len(results), "passed": passed,
                  "failed": len(results) - passed}), flush=True)
