"""Checks the Python stubs generated from scheduler.proto against every conformance vector.

For each file in proto/testdata (see its README): binary_base64 and proto3_json decode to equal
messages, deterministic re-encoding gives back binary_base64 byte for byte, and the proto3 JSON
printer's output equals proto3_json as a JSON value. binary_base64_map_reordered, where a vector has
it (the same message with its map entries in another order), decodes to the same message and
re-encodes to binary_base64. For google.rpc.Status it also unpacks the
ErrorInfo; for JobCompletedEvent it checks that the Kafka encoder of produce_events.py writes
snake_case_json byte for byte. Every timestamp of a domain value (exact RFC 3339 text) and an event's
snake_case_json completed_at are read with timestamps.py and must equal the message's Timestamp to
the nanosecond; so are those of a nested domain value (the job of an ApplyJobResponse or a
DescribeJobResponse, the execution of a WatchExecutionsResponse, a job's running executions).

    conformance/.venv/bin/python conformance/python/vectors.py [proto/testdata]

Prints one line per vector and exits 1 on any mismatch.
"""

from __future__ import annotations

import base64
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "gen" / "python"))  # the stubs that setup.sh generates

from google.protobuf import descriptor_pool, json_format, message_factory  # noqa: E402
from google.protobuf.message import DecodeError, Message  # noqa: E402
from google.rpc import error_details_pb2, status_pb2  # noqa: E402

from k1s0.system.scheduler.v2 import scheduler_pb2  # noqa: E402, F401  (registers the messages)
from produce_events import encode_event  # noqa: E402
from timestamps import parse_timestamp  # noqa: E402

# The domain keys whose timestamps are carried exactly, with their proto field names.
EXACT_KEYS = {
    "createdAt": "created_at",
    "nextRunAt": "next_run_at",
    "startedAt": "started_at",
    "finishedAt": "finished_at",
    "completedAt": "completed_at",
    "updatedAt": "updated_at",
    "lastRunAt": "last_run_at",
}
# Nested domain values whose timestamps are checked too, with their proto field names.
NESTED_KEYS = {"job": "job", "execution": "execution"}
# Nested lists of domain values whose timestamps are checked too, item by item.
REPEATED_KEYS = {"runningExecutions": "running_executions"}

ERROR_DOMAIN = "scheduler.k1s0.system"


def message_class(full_name: str) -> type[Message]:
    return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(full_name))


def repack_any(message: Message) -> None:
    """Re-packs every google.protobuf.Any inside `message` with deterministic serialization.

    json_format.Parse packs an Any's message without it, so an ErrorInfo's metadata map lands in
    Any.value in arbitrary order; its bytes (and message equality) then depend on map iteration
    order. Go's protojson packs deterministically and needs no such step.
    """
    if message.DESCRIPTOR.full_name == "google.protobuf.Any":
        inner = message_class(message.TypeName())()
        message.Unpack(inner)
        repack_any(inner)
        message.Pack(inner, type_url_prefix=message.type_url[: -len(message.TypeName())], deterministic=True)
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            values = value.values() if field.message_type.fields_by_name["value"].message_type else []
        else:
            values = value if field.is_repeated else [value]
        for item in values:
            repack_any(item)


def check(vector: dict) -> list[str]:
    problems: list[str] = []
    cls = message_class(vector["message"])
    wire = base64.b64decode(vector["binary_base64"])
    try:
        from_binary = cls.FromString(wire)
    except DecodeError as error:
        return [f"decoding binary_base64: {error}"]
    try:
        from_json = json_format.Parse(json.dumps(vector["proto3_json"]), cls())
    except json_format.ParseError as error:
        return [f"parsing proto3_json: {error}"]
    repack_any(from_json)

    if from_binary != from_json:
        problems.append(f"binary and proto3_json decode to different messages:\n    binary: {from_binary}\n    json:   {from_json}")
    for name, msg in (("decoded binary", from_binary), ("parsed proto3_json", from_json)):
        encoded = msg.SerializeToString(deterministic=True)
        if encoded != wire:
            problems.append(
                f"re-encoding the {name} gives other bytes:\n    want {vector['binary_base64']}\n"
                f"    got  {base64.b64encode(encoded).decode()}"
            )
    if "binary_base64_map_reordered" in vector:
        reordered = base64.b64decode(vector["binary_base64_map_reordered"])
        try:
            from_reordered = cls.FromString(reordered)
        except DecodeError as error:
            return problems + [f"decoding binary_base64_map_reordered: {error}"]
        if reordered == wire:
            problems.append("binary_base64_map_reordered is binary_base64 itself")
        if from_reordered != from_binary:
            problems.append(f"binary_base64_map_reordered decodes to another message:\n    {from_reordered}")
        elif from_reordered.SerializeToString(deterministic=True) != wire:
            problems.append("re-encoding binary_base64_map_reordered deterministically does not give binary_base64")
    printed = json.loads(json_format.MessageToJson(from_binary))
    if printed != vector["proto3_json"]:
        problems.append(f"proto3 JSON output differs from proto3_json:\n    want {vector['proto3_json']}\n    got  {printed}")

    if isinstance(from_binary, status_pb2.Status):
        problems.extend(check_status(from_binary, vector["domain"]))
    else:
        problems.extend(check_timestamps(from_binary, vector["domain"], vector.get("snake_case_json")))
    if isinstance(from_binary, scheduler_pb2.JobCompletedEvent) and "snake_case_json" in vector:
        produced = encode_event(from_binary).decode("utf-8")
        if produced != vector["snake_case_json"]:
            problems.append(
                f"produce_events.encode_event differs from snake_case_json:\n    want {vector['snake_case_json']}\n    got  {produced}"
            )
    return problems


def check_timestamps(message: Message, domain: dict, snake_case_json: str | None = None, at: str = "domain") -> list[str]:
    problems = []

    def compare(what: str, text: str, field: str) -> None:
        if not message.HasField(field):
            problems.append(f"{what} is {text!r}, but the message has no {field}")
            return
        ts = getattr(message, field)
        try:
            got = parse_timestamp(text)
        except ValueError as error:
            problems.append(f"{what}: {error}")
            return
        if got != (ts.seconds, ts.nanos):
            problems.append(f"{what} {text!r} reads as {got}, the message has {(ts.seconds, ts.nanos)}")

    for key, field in EXACT_KEYS.items():
        if isinstance(domain.get(key), str):
            compare(f"{at}.{key}", domain[key], field)
    for key, field in NESTED_KEYS.items():
        if isinstance(domain.get(key), dict):
            if message.HasField(field):
                problems.extend(check_timestamps(getattr(message, field), domain[key], at=f"{at}.{key}"))
            else:
                problems.append(f"{at}.{key} is set, but the message has no {field}")
    for key, field in REPEATED_KEYS.items():
        items = domain.get(key)
        if isinstance(items, list):
            got = getattr(message, field)
            if len(got) != len(items):
                problems.append(f"{at}.{key} has {len(items)} items, the message's {field} {len(got)}")
                continue
            for i, item in enumerate(items):
                problems.extend(check_timestamps(got[i], item, at=f"{at}.{key}[{i}]"))
    if snake_case_json is not None:
        compare("snake_case_json completed_at", json.loads(snake_case_json)["completed_at"], "completed_at")
    return problems


def check_status(status: status_pb2.Status, domain: dict) -> list[str]:
    problems = []
    if (status.code, status.message) != (domain["grpcCode"], domain["message"]):
        problems.append(f"status {status.code} {status.message!r}, want {domain['grpcCode']} {domain['message']!r}")
    if len(status.details) != 1 or not status.details[0].Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
        return problems + [f"details {list(status.details)}, want exactly one ErrorInfo"]
    info = error_details_pb2.ErrorInfo()
    status.details[0].Unpack(info)
    want_metadata = {"operation": domain["operation"], "job_id": domain["jobId"]}
    if (info.reason, info.domain, dict(info.metadata)) != (domain["code"], ERROR_DOMAIN, want_metadata):
        problems.append(f"ErrorInfo {info}, want reason {domain['code']}, domain {ERROR_DOMAIN}, metadata {want_metadata}")
    return problems


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else HERE.parents[1] / "proto" / "testdata"
    paths = sorted(directory.glob("*.json"))
    if not paths:
        print(f"vectors: no *.json in {directory}", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        problems = check(json.loads(path.read_text(encoding="utf-8")))
        if problems:
            failed += 1
            print(f"FAIL {path.name}\n  - " + "\n  - ".join(problems))
        else:
            print(f"ok   {path.name}")
    print(f"{len(paths)} vector(s), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
