"""A foreign producer of JobCompletedEvents: publishes them to Kafka as another language's
scheduler would, in the snake_case JSON of the proto's JobCompletedEvent comment (SPEC section 7),
including the edge cases a consumer must read and messages it must refuse as invalid. It prints,
one JSON line per message, the event a correct consumer decodes from it, so that a TypeScript test
can compare.

    conformance/.venv/bin/python conformance/python/produce_events.py --brokers 127.0.0.1:9092 \\
        --topic k1s0.system.scheduler.job_completed.v1

Each printed line is {"jobId", "executionId", "completedAt" (the exact instant as RFC 3339 UTC text
with the fewest of 3, 6 or 9 fraction digits that hold it: every digit the producer wrote is kept),
"result", "error" (null if none), "attempt" (null if none)}, or null for a message that a consumer
must refuse as an invalid event (malformed UTF-8, a day that does not exist, an unknown result, ...).
With --dry-run nothing is sent, and each line is {"what", "key", "headers", "value" (the value as
text, null when it is not well-formed UTF-8), "value_base64" (the exact bytes), "expected" (the
event, or null)} instead: the message as it would be sent.
"""

from __future__ import annotations

import argparse
import json
import sys
import base64
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gen" / "python"))  # setup.sh's stubs

from google.protobuf import timestamp_pb2  # noqa: E402

from k1s0.system.scheduler.v2 import scheduler_pb2 as pb  # noqa: E402
from timestamps import format_timestamp  # noqa: E402

CONTENT_TYPE = "application/json"
RESULTS = {
    pb.EXECUTION_RESULT_SUCCEEDED: "succeeded",
    pb.EXECUTION_RESULT_FAILED: "failed",
    pb.EXECUTION_RESULT_TIMED_OUT: "timed_out",
}


def rfc3339_exact(ts: timestamp_pb2.Timestamp) -> str:
    """UTC with the fewest of 3, 6 or 9 fraction digits that hold the value: nothing is dropped."""
    return format_timestamp(ts.seconds, ts.nanos)


def encode_event(event: pb.JobCompletedEvent) -> bytes:
    """The Kafka value of an event: compact snake_case JSON, fields in proto order, as the
    reference producer writes it (proto/testdata's snake_case_json, byte for byte)."""
    value: dict[str, object] = {
        "job_id": event.job_id,
        "execution_id": event.execution_id,
        "completed_at": rfc3339_exact(event.completed_at),
        "result": RESULTS[event.result],
    }
    if event.HasField("error"):
        value["error"] = event.error
    if event.attempt != 0:  # 0 means unknown
        value["attempt"] = event.attempt
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def event(job_id: str, execution_id: str, completed_at: str, result: int, error: str | None = None, attempt: int = 0) -> bytes:
    ts = timestamp_pb2.Timestamp()
    ts.FromJsonString(completed_at)
    message = pb.JobCompletedEvent(job_id=job_id, execution_id=execution_id, completed_at=ts, result=result, attempt=attempt)
    if error is not None:
        message.error = error
    return encode_event(message)


def expected(job_id: str, execution_id: str, completed_at: str, result: str, error: str | None = None, attempt: int | None = None) -> dict:
    return {"jobId": job_id, "executionId": execution_id, "completedAt": completed_at, "result": result, "error": error, "attempt": attempt}


def raw(value: dict) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


# (what it covers, Kafka value, the event a consumer must decode from it or None if it must refuse it)
CASES: list[tuple[str, bytes, dict | None]] = [
    (
        "canonical succeeded event, as the reference producer writes it",
        event("parity-job-1", "parity-exec-1", "2026-11-22T10:00:00Z", pb.EXECUTION_RESULT_SUCCEEDED, attempt=1),
        expected("parity-job-1", "parity-exec-1", "2026-11-22T10:00:00.000Z", "succeeded", attempt=1),
    ),
    (
        "canonical failed event with an error",
        event("parity-job-1", "parity-exec-2", "2026-11-22T10:00:01.500Z", pb.EXECUTION_RESULT_FAILED, "upstream returned 503", 2),
        expected("parity-job-1", "parity-exec-2", "2026-11-22T10:00:01.500Z", "failed", "upstream returned 503", 2),
    ),
    (
        "6 fraction digits: every digit kept (a chrono producer's microseconds)",
        raw(
            {
                "job_id": "parity-job-2",
                "execution_id": "parity-exec-3",
                "completed_at": "2026-11-22T10:00:02.123999Z",
                "result": "succeeded",
                "attempt": 1,
            }
        ),
        expected("parity-job-2", "parity-exec-3", "2026-11-22T10:00:02.123999Z", "succeeded", attempt=1),
    ),
    (
        "9 fraction digits, every digit kept, timed out with an error",
        raw(
            {
                "job_id": "parity-job-2",
                "execution_id": "parity-exec-4",
                "completed_at": "2026-11-22T10:00:03.987654321Z",
                "result": "timed_out",
                "error": "timed out after 60 s",
                "attempt": 3,
            }
        ),
        expected("parity-job-2", "parity-exec-4", "2026-11-22T10:00:03.987654321Z", "timed_out", "timed out after 60 s", 3),
    ),
    (
        "+09:00 offset",
        raw(
            {
                "job_id": "parity-job-3",
                "execution_id": "parity-exec-5",
                "completed_at": "2026-11-22T19:00:04.250+09:00",
                "result": "succeeded",
                "attempt": 1,
            }
        ),
        expected("parity-job-3", "parity-exec-5", "2026-11-22T10:00:04.250Z", "succeeded", attempt=1),
    ),
    (
        "-05:30 offset, no fraction",
        raw(
            {
                "job_id": "parity-job-3",
                "execution_id": "parity-exec-6",
                "completed_at": "2026-11-22T04:30:05-05:30",
                "result": "succeeded",
                "attempt": 2,
            }
        ),
        expected("parity-job-3", "parity-exec-6", "2026-11-22T10:00:05.000Z", "succeeded", attempt=2),
    ),
    (
        "unicode ids (Japanese and emoji) and error text",
        event("ジョブ-日次-🚀", "実行-✨-0001", "2026-11-22T10:00:06.001Z", pb.EXECUTION_RESULT_FAILED, "接続できません ☔", 1),
        expected("ジョブ-日次-🚀", "実行-✨-0001", "2026-11-22T10:00:06.001Z", "failed", "接続できません ☔", 1),
    ),
    (
        "unknown extra fields are ignored",
        raw(
            {
                "job_id": "parity-job-4",
                "execution_id": "parity-exec-7",
                "completed_at": "2026-11-22T10:00:07.000Z",
                "result": "succeeded",
                "attempt": 1,
                "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736",
                "schema_version": 2,
                "meta": {"nested": [1, {"x": None}], "ok": True},
            }
        ),
        expected("parity-job-4", "parity-exec-7", "2026-11-22T10:00:07.000Z", "succeeded", attempt=1),
    ),
    (
        "no error and no attempt (an older producer)",
        raw({"job_id": "parity-job-4", "execution_id": "parity-exec-8", "completed_at": "2026-11-22T10:00:08.000Z", "result": "succeeded"}),
        expected("parity-job-4", "parity-exec-8", "2026-11-22T10:00:08.000Z", "succeeded"),
    ),
    (
        "error null and attempt 0 mean none",
        raw(
            {
                "job_id": "parity-job-4",
                "execution_id": "parity-exec-9",
                "completed_at": "2026-11-22T10:00:09.000Z",
                "result": "failed",
                "error": None,
                "attempt": 0,
            }
        ),
        expected("parity-job-4", "parity-exec-9", "2026-11-22T10:00:09.000Z", "failed"),
    ),
    (
        "proto3 JSON form (lowerCamelCase names, enum names)",
        raw(
            {
                "jobId": "parity-job-5",
                "executionId": "parity-exec-10",
                "completedAt": "2026-11-22T10:00:10Z",
                "result": "EXECUTION_RESULT_TIMED_OUT",
                "error": "timed out after 30 s",
                "attempt": 4,
            }
        ),
        expected("parity-job-5", "parity-exec-10", "2026-11-22T10:00:10.000Z", "timed_out", "timed out after 30 s", 4),
    ),
    (
        'result "success", as the Rust sibling writes it: the four fields only, 6 fraction digits',
        raw({"job_id": "parity-job-6", "execution_id": "parity-exec-11", "completed_at": "2026-11-22T10:00:11.000001Z", "result": "success"}),
        expected("parity-job-6", "parity-exec-11", "2026-11-22T10:00:11.000001Z", "succeeded"),
    ),
    (
        'result "failure", the Rust sibling\'s failed',
        raw({"job_id": "parity-job-6", "execution_id": "parity-exec-12", "completed_at": "2026-11-22T10:00:12.5+00:00", "result": "failure"}),
        expected("parity-job-6", "parity-exec-12", "2026-11-22T10:00:12.500Z", "failed"),
    ),
    (
        "result aliases match ASCII letters in any case",
        raw({"job_id": "parity-job-6", "execution_id": "parity-exec-13", "completed_at": "2026-11-22T10:00:13.000000500Z", "result": "Success", "attempt": 2}),
        expected("parity-job-6", "parity-exec-13", "2026-11-22T10:00:13.000000500Z", "succeeded", attempt=2),
    ),
    (
        "result as the enum number (4 = TIMED_OUT)",
        raw({"job_id": "parity-job-6", "execution_id": "parity-exec-14", "completed_at": "2026-11-22T10:00:14Z", "result": 4, "error": "timed out after 5 s"}),
        expected("parity-job-6", "parity-exec-14", "2026-11-22T10:00:14.000Z", "timed_out", "timed out after 5 s"),
    ),
    (
        "invalid: not well-formed UTF-8 (job_id ends in the bytes 6f 6b c3), never read with U+FFFD",
        b'{"job_id":"parity-job-7-ok\xc3","execution_id":"parity-exec-15","completed_at":"2026-11-22T10:00:15.000Z","result":"succeeded"}',
        None,
    ),
    (
        "invalid: 30 February does not exist, never rolled over into March",
        raw({"job_id": "parity-job-7", "execution_id": "parity-exec-16", "completed_at": "2026-02-30T10:00:16.000Z", "result": "succeeded"}),
        None,
    ),
    (
        "invalid: hour 24",
        raw({"job_id": "parity-job-7", "execution_id": "parity-exec-17", "completed_at": "2026-11-22T24:00:00Z", "result": "succeeded"}),
        None,
    ),
    (
        "invalid: a lone surrogate in execution_id",
        b'{"job_id":"parity-job-7","execution_id":"parity-exec-18-\\ud800","completed_at":"2026-11-22T10:00:18.000Z","result":"succeeded"}',
        None,
    ),
    (
        'invalid: an unknown result ("timeout")',
        raw({"job_id": "parity-job-7", "execution_id": "parity-exec-19", "completed_at": "2026-11-22T10:00:19.000Z", "result": "timeout"}),
        None,
    ),
]


def key_of(value: bytes) -> str:
    """The job id, as the reference producer keys messages; a fixed key for a value that is not JSON text."""
    try:
        decoded = json.loads(value.decode("utf-8"))
    except ValueError:
        return "parity-invalid"
    return decoded.get("job_id", decoded.get("jobId"))


def as_text(value: bytes) -> str | None:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--brokers", help="comma-separated host:port list (required unless --dry-run)")
    parser.add_argument("--topic", default="k1s0.system.scheduler.job_completed.v1")
    parser.add_argument("--dry-run", action="store_true", help="send nothing; print each message and what it decodes to")
    args = parser.parse_args(argv)

    if args.dry_run:
        for what, value, want in CASES:
            line = {
                "what": what,
                "key": key_of(value),
                "headers": {"content-type": CONTENT_TYPE},
                "value": as_text(value),
                "value_base64": base64.b64encode(value).decode("ascii"),
                "expected": want,
            }
            print(json.dumps(line, ensure_ascii=False))
        return 0
    if not args.brokers:
        parser.error("--brokers is required unless --dry-run")

    from kafka import KafkaProducer  # only needed when sending

    producer = KafkaProducer(bootstrap_servers=args.brokers.split(","), acks="all", client_id="k1s0-parity-foreign-producer")
    try:
        for what, value, _ in CASES:
            metadata = producer.send(
                args.topic,
                key=key_of(value).encode("utf-8"),  # per-job order, as the reference producer keys them
                value=value,
                headers=[("content-type", CONTENT_TYPE.encode("ascii"))],
            ).get(timeout=30)
            print(f"produce_events: {what}: partition {metadata.partition} offset {metadata.offset}", file=sys.stderr)
        producer.flush()
    finally:
        producer.close()
    for _, _, want in CASES:
        print(json.dumps(want, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
