"""A foreign producer of compressed batches: publishes JobCompletedEvents with kafka-python, its
record batches compressed with gzip, snappy, lz4 or zstd as a producer in another language would,
so that a TypeScript test can check that the subscriber reads every codec.

    conformance/.venv/bin/python conformance/python/produce_compressed.py --brokers 127.0.0.1:9092 \\
        --topic t --compression lz4 --count 200

The events are encoded by produce_events.py's encoder (the snake_case JSON of the proto's
JobCompletedEvent comment). All of them are queued before the producer is flushed, so that many
share one record batch. kafka-python sends a batch uncompressed when compressing would not make it
smaller; this script counts the batches its codec compressed and fails unless every record went
out in a compressed batch.

Output, one JSON line each: first every event as a correct consumer decodes it ({"jobId",
"executionId", "completedAt" (ISO 8601 UTC with milliseconds), "result", "error" (null if none),
"attempt" (null if none)}), then a summary: {"compression", "batches", "records",
"uncompressedBytes", "compressedBytes"}.

With --corrupt (lz4 only) every batch is written as an LZ4 frame that declares a content checksum
and carries a wrong one: the broker stores it (it does not verify that checksum), and a consumer
that checks it must refuse the batch. The events printed are then the ones that were sent, not
ones a consumer can decode.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from produce_events import CONTENT_TYPE, encode_event, pb  # noqa: E402  (also puts the stubs on sys.path)

from google.protobuf import timestamp_pb2  # noqa: E402

CODECS = ("gzip", "snappy", "lz4", "zstd")
RESULTS = [
    (pb.EXECUTION_RESULT_SUCCEEDED, "succeeded"),
    (pb.EXECUTION_RESULT_FAILED, "failed"),
    (pb.EXECUTION_RESULT_TIMED_OUT, "timed_out"),
]
# 2026-11-22T10:00:00Z
BASE_SECONDS = 1_795_341_600


def make_events(tag: str, count: int, jobs: int) -> list[tuple[bytes, bytes, dict]]:
    """(key, value, expected) of `count` events spread over `jobs` jobs."""
    out = []
    for i in range(count):
        result, result_name = RESULTS[i % len(RESULTS)]
        job_id = f"{tag}-job-{i % jobs}"
        execution_id = f"{tag}-exec-{i}"
        millis = i * 7
        ts = timestamp_pb2.Timestamp(seconds=BASE_SECONDS + millis // 1000, nanos=(millis % 1000) * 1_000_000)
        error = None if result == pb.EXECUTION_RESULT_SUCCEEDED else f"attempt {i} did not succeed"
        attempt = 1 + i % 3
        message = pb.JobCompletedEvent(job_id=job_id, execution_id=execution_id, completed_at=ts, result=result, attempt=attempt)
        if error is not None:
            message.error = error
        at = datetime.fromtimestamp(ts.seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis % 1000:03d}Z"
        expected = {"jobId": job_id, "executionId": execution_id, "completedAt": at, "result": result_name, "error": error, "attempt": attempt}
        out.append((job_id.encode("utf-8"), encode_event(message), expected))
    return out


class BatchCounter:
    """Wraps kafka-python's encoder of one codec, counting what it compresses."""

    def __init__(self, codec: str, corrupt: bool) -> None:
        import kafka.record.default_records as records

        self.batches = 0
        self.uncompressed = 0
        self.compressed = 0
        self.not_smaller = 0
        name = f"{codec}_encode"
        original = getattr(records, name)
        if corrupt:
            import lz4.frame

            def encode(data: bytes) -> bytes:
                frame = bytearray(lz4.frame.compress(data, block_linked=False, content_checksum=True))
                frame[-4:] = bytes(b ^ 0xFF for b in frame[-4:])  # the content checksum, inverted
                return bytes(frame)
        else:
            encode = original

        def counting(data: bytes) -> bytes:
            out = encode(data)
            if len(out) < len(data):
                self.batches += 1
                self.uncompressed += len(data)
                self.compressed += len(out)
            else:
                self.not_smaller += 1  # kafka-python will send this batch uncompressed
            return out

        setattr(records, name, counting)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", required=True, help="comma-separated host:port list")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--compression", required=True, choices=CODECS)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=10, help="events are keyed by job id, spread over this many jobs")
    parser.add_argument("--tag", default="compressed", help="prefix of the job and execution ids")
    parser.add_argument("--corrupt", action="store_true", help="lz4 only: write frames with a wrong content checksum")
    args = parser.parse_args(argv)
    if args.corrupt and args.compression != "lz4":
        parser.error("--corrupt needs --compression lz4")

    from kafka import KafkaProducer

    counter = BatchCounter(args.compression, args.corrupt)
    events = make_events(args.tag, args.count, args.jobs)
    producer = KafkaProducer(
        bootstrap_servers=args.brokers.split(","),
        acks="all",
        client_id="k1s0-parity-compressed-producer",
        compression_type=args.compression,
        # Nothing is sent before flush(): every event queued below shares its partition's batch.
        linger_ms=60_000,
        batch_size=1024 * 1024,
    )
    try:
        futures = [
            producer.send(args.topic, key=key, value=value, headers=[("content-type", CONTENT_TYPE.encode("ascii"))]) for key, value, _ in events
        ]
        producer.flush(timeout=60)
        for future in futures:
            future.get(timeout=30)
    finally:
        producer.close()

    if counter.not_smaller > 0 or counter.batches == 0:
        print(f"produce_compressed: {counter.not_smaller} batch(es) did not shrink and went out uncompressed", file=sys.stderr)
        return 1
    for _, _, want in events:
        print(json.dumps(want, ensure_ascii=False))
    summary = {
        "compression": args.compression,
        "batches": counter.batches,
        "records": len(events),
        "uncompressedBytes": counter.uncompressed,
        "compressedBytes": counter.compressed,
    }
    print(json.dumps(summary))
    print(f"produce_compressed: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
