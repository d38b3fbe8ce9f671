"""The parity scenario with a Python client generated from scheduler.proto.

Prints one line per step, in the transcript format of conformance/ts/scenario.ts (the reference);
the steps are listed in conformance/README.md.

    conformance/.venv/bin/python conformance/python/scenario.py [HOST:PORT]

The address defaults to $K1S0_SCHEDULER_ADDR. Run it against a fresh parity server
(conformance/run-scenario.ts), whose virtual clock never moves and which honours the
x-k1s0-test-delay-ms request header.
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Iterable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

# The stubs that conformance/setup.sh generates.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "gen" / "python"))

import grpc  # noqa: E402
from google.protobuf import duration_pb2, field_mask_pb2, json_format, message, struct_pb2, timestamp_pb2  # noqa: E402
from google.rpc import error_details_pb2  # noqa: E402
from grpc_status import rpc_status  # noqa: E402

from k1s0.system.scheduler.v2 import scheduler_pb2 as pb  # noqa: E402
from k1s0.system.scheduler.v2 import scheduler_pb2_grpc as pb_grpc  # noqa: E402

from jitter import jitter_delay  # noqa: E402  (conformance/python/jitter.py)

DELAY_HEADER = "x-k1s0-test-delay-ms"
SERVER_DELAY_MS = 10_000
TINY_DEADLINE_MS = 100
ERROR_DOMAIN = "scheduler.k1s0.system"
MISSING = "parity-no-such-job"
CRON_REQUEST_ID = "parity-cron-request"
CRON_PAYLOAD = {"report": "日次", "pages": [1, 2.5], "draft": False, "owner": None}
SERVICE = "k1s0.system.scheduler.v2.SchedulerService"
# 315,576,000,000 s: the interval that the contract accepted before it had to keep next_run_at
# inside year 9999.
LONGEST_OLD_INTERVAL_MS = 315_576_000_000_000
# Requests written byte by byte, sent without a serializer: a CreateJobRequest whose name is the
# malformed UTF-8 `6f 6b c3` (with a valid schedule, interval {every {seconds: 60}}), and a
# GetJobRequest whose job_id claims 5 bytes where 3 follow.
MALFORMED_NAME_CREATE = bytes.fromhex("0a036f6bc312061a040a02083c")
TRUNCATED_GET = bytes.fromhex("0a056a6f62")
# The keyed job of steps 58 to 75: applied, updated, paused and deleted by its key.
KEY = "parity-key-日次"
KEYED_LABELS = {"team": "parity", "tier": "batch"}
RENAMED = "parity-keyed-renamed"
# The policy job of steps 76 to 117: one fire an hour from start_at = T0 + 1 h to end_at = T0 + 11 h,
# at most 3 runs, each fire up to 30 min late by its jitter.
HOUR_MS = 3_600_000
POLICY_EVERY_MS = HOUR_MS
POLICY_JITTER_MS = 1_800_000
MISSING_EXECUTION = "parity-no-such-execution"
# Streams must end by themselves at once; this only keeps a broken server from hanging the scenario.
WATCH_TIMEOUT_S = 30

# The proto's error table: the gRPC status of each reason, and the reason of a status that came
# without an ErrorInfo (TIMEOUT and CANCELLED are always the client's own statuses). CONFLICT has
# two statuses: ALREADY_EXISTS for a key that another job has (field key), ABORTED for an
# expected_revision; ABORTED alone is a retryable SERVER_ERROR.
STATUS_OF_REASON = {
    "JOB_NOT_FOUND": grpc.StatusCode.NOT_FOUND,
    "INVALID_SCHEDULE": grpc.StatusCode.INVALID_ARGUMENT,
    "INVALID_ARGUMENT": grpc.StatusCode.INVALID_ARGUMENT,
    "INVALID_STATE": grpc.StatusCode.FAILED_PRECONDITION,
    "CONFLICT": grpc.StatusCode.ABORTED,
    "TIMEOUT": grpc.StatusCode.DEADLINE_EXCEEDED,
    "CANCELLED": grpc.StatusCode.CANCELLED,
}
REASON_OF_STATUS = {
    status: reason for reason, status in STATUS_OF_REASON.items() if reason not in ("INVALID_SCHEDULE", "CONFLICT")
} | {grpc.StatusCode.ALREADY_EXISTS: "CONFLICT"}


def status_of_reason(reason: str, field: str) -> grpc.StatusCode | None:
    if reason == "CONFLICT" and field == "key":
        return grpc.StatusCode.ALREADY_EXISTS
    return STATUS_OF_REASON.get(reason)

T = TypeVar("T")


def error_code(call: grpc.Call) -> str:
    """The outcome of a failed call: ErrorInfo.reason (else the table's code), then its field."""
    code = call.code()
    if code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED):
        return REASON_OF_STATUS[code]
    status = rpc_status.from_call(call)  # parses the grpc-status-details-bin trailer
    for detail in status.details if status else []:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            field = info.metadata.get("field", "")
            outcome = f"{info.reason} field={field}" if field else info.reason
            if info.domain != ERROR_DOMAIN:
                return f'{outcome} (domain "{info.domain}")'
            if (status_of_reason(info.reason, field) or code) != code:
                return f"{outcome} (but gRPC status {code.name})"
            return outcome
    return f"{REASON_OF_STATUS.get(code, 'SERVER_ERROR')} (no ErrorInfo)"


# --- The transcript format: the same in every language ------------------------------------------


def fmt_time(ts: timestamp_pb2.Timestamp | None) -> str:
    if ts is None:
        return "-"
    return ts.ToDatetime().strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.nanos // 1_000_000:03d}Z"


def canonical_json(value: object) -> str:
    """JSON with sorted keys and no white space; integral numbers without a fraction."""

    def tidy(v: object) -> object:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, list):
            return [tidy(x) for x in v]
        if isinstance(v, dict):
            return {k: tidy(x) for k, x in v.items()}
        return v

    return json.dumps(tidy(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def payload_of(job: pb.Job) -> object:
    return json.loads(json_format.MessageToJson(job.payload)) if job.HasField("payload") else None


def describe_schedule(s: pb.Schedule) -> str:
    kind = s.WhichOneof("kind")
    if kind == "cron":
        return f"cron({s.cron.expression}, {s.cron.timezone})"
    if kind == "one_shot":
        return f"one_shot({fmt_time(s.one_shot.run_at)})"
    if kind == "interval":
        return f"interval({s.interval.every.ToMilliseconds()}ms)"
    return "none"


def ms_of(ts: timestamp_pb2.Timestamp) -> int:
    return ts.seconds * 1000 + ts.nanos // 1_000_000


def fmt_ms_time(ms: int) -> str:
    ts = timestamp_pb2.Timestamp(seconds=ms // 1000, nanos=ms % 1000 * 1_000_000)
    return fmt_time(ts)


def fmt_number(x: float) -> str:
    """A double as the shortest text that reads back as it, without a fraction when integral."""
    return str(int(x)) if x.is_integer() else repr(x)


def fmt_duration(holder: message.Message, field: str) -> str:
    return f"{getattr(holder, field).ToMilliseconds()}ms" if holder.HasField(field) else "-"


def describe_policy(job: pb.Job) -> str:
    """The policy as the server returns it; `-` for a field left unset."""
    if not job.HasField("policy"):
        return "-"
    p = job.policy
    if p.HasField("retry_backoff"):
        b = p.retry_backoff
        backoff = f"{fmt_duration(b, 'initial')}/{fmt_duration(b, 'maximum')}/{fmt_number(b.multiplier)}"
    else:
        backoff = "-"
    fields = [
        f"overlap={pb.OverlapPolicy.Name(p.overlap)}",
        f"catchup_window={fmt_duration(p, 'catchup_window')}",
        f"start_at={fmt_time(p.start_at if p.HasField('start_at') else None)}",
        f"end_at={fmt_time(p.end_at if p.HasField('end_at') else None)}",
        f"max_runs={p.max_runs}",
        f"jitter={fmt_duration(p, 'jitter')}",
        f"retry_backoff={backoff}",
        f"pause_on_failure={'true' if p.pause_on_failure else 'false'}",
    ]
    return "{" + ",".join(fields) + "}"


def describe_stats(s: pb.JobStats) -> str:
    return f"{{runs:{s.runs},succeeded:{s.succeeded},failed:{s.failed},timed_out:{s.timed_out},skipped:{s.skipped},missed:{s.missed}}}"


def describe_job(job: pb.Job) -> str:
    return " ".join(
        [
            pb.JobStatus.Name(job.status),
            f"job={job.id}",
            f"name={job.name}",
            f"schedule={describe_schedule(job.schedule)}",
            f"payload={canonical_json(payload_of(job))}",
            f"max_retries={job.max_retries}",
            f"timeout_secs={job.timeout_secs}",
            f"created_at={fmt_time(job.created_at if job.HasField('created_at') else None)}",
            f"next_run_at={fmt_time(job.next_run_at if job.HasField('next_run_at') else None)}",
            f"key={job.key or '-'}",
            f"labels={canonical_json(dict(job.labels))}",
            f"revision={job.revision}",
            f"policy={describe_policy(job)}",
            f"stats={describe_stats(job.stats)}",
            f"last_run_at={fmt_time(job.last_run_at if job.HasField('last_run_at') else None)}",
            f"last_result={pb.ExecutionResult.Name(job.last_result)}",
            f"running=({','.join(f'exec={e.id}' for e in job.running_executions)})",
            f"remaining_runs={job.remaining_runs}",
            # Last: the note is free text.
            f"status_note={job.status_note or '-'}",
        ]
    )


def describe_description(response: pb.DescribeJobResponse, start_at_ms: int) -> str:
    """The job, its upcoming due times, the scheduled instants they belong to (the policy job fires
    every hour from start_at, and its jitter is shorter than an hour), and whether each due time is
    its instant plus the jitter delay that this client computes."""
    due = [ms_of(t) for t in response.upcoming_runs]
    scheduled = [start_at_ms + (t - start_at_ms) // POLICY_EVERY_MS * POLICY_EVERY_MS for t in due]
    jitter_ok = all(t - s == jitter_delay(response.job.id, s, POLICY_JITTER_MS) for t, s in zip(due, scheduled))
    times = lambda values: "[" + ",".join(fmt_ms_time(v) for v in values) + "]"  # noqa: E731
    return f"{describe_job(response.job)} upcoming={times(due)} scheduled={times(scheduled)} jitter_ok={'true' if jitter_ok else 'false'}"


def describe_stream(executions: list[pb.JobExecution]) -> str:
    """The messages of a WatchExecutions stream that ended OK."""
    items = "; ".join(describe_execution(e) for e in executions)
    return f"{len(executions)} message(s)" + (f": {items}" if executions else "")


def describe_apply(response: pb.ApplyJobResponse) -> str:
    """The action, the changed fields, then the job (`no job` when a dry run would create it)."""
    job = describe_job(response.job) if response.HasField("job") else "no job"
    return f"{pb.ApplyAction.Name(response.action)} changed_fields=[{','.join(response.changed_fields)}] {job}"


def describe_jobs(jobs: list[pb.Job]) -> str:
    items = ", ".join(f"{j.name} ({pb.JobStatus.Name(j.status)} job={j.id})" for j in jobs)
    return f"{len(jobs)} job(s)" + (f": {items}" if jobs else "")


def describe_execution(e: pb.JobExecution) -> str:
    return " ".join(
        [
            pb.ExecutionResult.Name(e.result),
            f"exec={e.id}",
            f"job={e.job_id}",
            f"attempt={e.attempt}",
            f"started_at={fmt_time(e.started_at if e.HasField('started_at') else None)}",
            f"finished_at={fmt_time(e.finished_at if e.HasField('finished_at') else None)}",
            f"error={e.error if e.HasField('error') else '-'}",
        ]
    )


def describe_executions(executions: list[pb.JobExecution]) -> str:
    items = "; ".join(describe_execution(e) for e in executions)
    return f"{len(executions)} execution(s)" + (f": {items}" if executions else "")


# --- The scenario --------------------------------------------------------------------------------


def report(label: str, outcome: str) -> None:
    print(f"{label} -> {outcome}", flush=True)


def step(label: str, call: Callable[[], T], describe: Callable[[T], str]) -> T | None:
    """Runs one step and reports its outcome; returns the result, or None on an error."""
    try:
        result = call()
    except grpc.RpcError as error:
        report(label, error_code(error))  # type: ignore[arg-type]  # a failed call's error is its grpc.Call
        return None
    report(label, describe(result))
    return result


def need(value: T | None, what: str) -> T:
    if value is None:
        sys.exit(f"scenario: cannot go on without {what}")
    return value


def value_of(data: object) -> struct_pb2.Value:
    return json_format.ParseDict(data, struct_pb2.Value())


def nested_arrays(levels: int) -> list:
    """`[[[…]]]`: `levels` arrays, each inside the one before."""
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def nan_object() -> struct_pb2.Value:
    """`{"x": NaN}`, which JSON cannot write but a protobuf Value can carry."""
    value = struct_pb2.Value()
    value.struct_value.fields["x"].number_value = math.nan
    return value


def interval(ms: int) -> pb.Schedule:
    return pb.Schedule(interval=pb.IntervalSchedule(every=duration_pb2.Duration(seconds=ms // 1000, nanos=ms % 1000 * 1_000_000)))


def one_shot(ts: timestamp_pb2.Timestamp, shift: timedelta) -> pb.Schedule:
    run_at = timestamp_pb2.Timestamp()
    run_at.FromDatetime(ts.ToDatetime() + shift)
    return pb.Schedule(one_shot=pb.OneShotSchedule(run_at=run_at))


def run(address: str) -> None:
    with grpc.insecure_channel(address) as channel:
        stub = pb_grpc.SchedulerServiceStub(channel)

        def list_jobs(status: int = pb.JOB_STATUS_UNSPECIFIED, name_prefix: str = "", labels: dict[str, str] | None = None) -> list[pb.Job]:
            jobs, token = [], ""
            while True:
                page = stub.ListJobs(pb.ListJobsRequest(status=status, name_prefix=name_prefix, labels=labels, page_token=token))
                jobs.extend(page.jobs)
                token = page.next_page_token
                if not token:
                    return jobs

        def raw(rpc: str, request: bytes) -> bytes:
            """Sends request bytes as they are, with no serializer, and returns the response bytes."""
            return channel.unary_unary(f"/{SERVICE}/{rpc}")(request)

        def list_executions(job_id: str) -> list[pb.JobExecution]:
            executions, token = [], ""
            while True:
                page = stub.ListExecutions(pb.ListExecutionsRequest(job_id=job_id, page_token=token))
                executions.extend(page.executions)
                token = page.next_page_token
                if not token:
                    return executions

        def create(label: str, request: pb.CreateJobRequest) -> pb.Job | None:
            return step(label, lambda: stub.CreateJob(request).job, describe_job)

        def by_id(label: str, rpc: Callable, request_type: type, job_id: str) -> pb.Job | None:
            return step(label, lambda: rpc(request_type(job_id=job_id)).job, describe_job)

        def trigger(label: str, job_id: str) -> None:
            step(label, lambda: stub.TriggerJob(pb.TriggerJobRequest(job_id=job_id)).execution, describe_execution)

        def get(label: str, job_id: str) -> pb.Job | None:
            return by_id(label, stub.GetJob, pb.GetJobRequest, job_id)

        def pause(label: str, job_id: str) -> None:
            by_id(label, stub.PauseJob, pb.PauseJobRequest, job_id)

        def resume(label: str, job_id: str) -> None:
            by_id(label, stub.ResumeJob, pb.ResumeJobRequest, job_id)

        def cancel(label: str, job_id: str) -> None:
            by_id(label, stub.CancelJob, pb.CancelJobRequest, job_id)

        cron_request = pb.CreateJobRequest(
            name="parity-cron-日次",
            schedule=pb.Schedule(cron=pb.CronSchedule(expression="0 9 * * MON-FRI", timezone="Asia/Tokyo")),
            payload=value_of(CRON_PAYLOAD),
            max_retries=2,
            timeout_secs=30,
            request_id=CRON_REQUEST_ID,
        )

        def valid(**fields: object) -> pb.CreateJobRequest:
            request = pb.CreateJobRequest(name="parity-invalid", schedule=interval(60_000), payload=value_of(None))
            for name, value in fields.items():
                if isinstance(value, message.Message):
                    getattr(request, name).CopyFrom(value)
                else:
                    setattr(request, name, value)
            return request

        # 1. One job of each kind; the same request_id again returns the same job.
        cron = need(create("create cron", cron_request), "the cron job")
        create("create cron again, same request_id", cron_request)
        one_shot_job = need(
            create(
                "create one-shot",
                pb.CreateJobRequest(name="parity-one-shot", schedule=one_shot(cron.created_at, timedelta(hours=1)), payload=value_of(None)),
            ),
            "the one-shot job",
        )
        interval_job = need(
            create(
                "create interval",
                pb.CreateJobRequest(
                    name="parity-interval",
                    schedule=interval(90_000),
                    payload=value_of(["x", 1, True, {"k": []}]),
                    max_retries=0,  # explicitly 0: an optional field, so it is sent and kept
                    timeout_secs=86_400,
                ),
            ),
            "the interval job",
        )

        # 2. Get and list with each filter.
        get("get one-shot", one_shot_job.id)
        pause("pause interval", interval_job.id)
        pause("pause interval again", interval_job.id)
        step("list status=PAUSED", lambda: list_jobs(status=pb.JOB_STATUS_PAUSED), describe_jobs)
        step("list status=PENDING", lambda: list_jobs(status=pb.JOB_STATUS_PENDING), describe_jobs)
        step("list name_prefix=parity-o", lambda: list_jobs(name_prefix="parity-o"), describe_jobs)
        step(
            "list status=PENDING name_prefix=parity-c",
            lambda: list_jobs(status=pb.JOB_STATUS_PENDING, name_prefix="parity-c"),
            describe_jobs,
        )

        # 3. Resume, trigger, executions, cancel.
        resume("resume interval", interval_job.id)
        resume("resume interval again", interval_job.id)
        trigger("trigger interval", interval_job.id)
        step("list executions interval", lambda: list_executions(interval_job.id), describe_executions)
        get("get interval", interval_job.id)
        cancel("cancel one-shot", one_shot_job.id)
        cancel("cancel one-shot again", one_shot_job.id)
        step("list executions one-shot", lambda: list_executions(one_shot_job.id), describe_executions)
        pause("pause cron", cron.id)
        trigger("trigger paused cron", cron.id)
        resume("resume cron", cron.id)

        # 4. Every error a client can provoke.
        get("get missing", MISSING)
        pause("pause missing", MISSING)
        resume("resume missing", MISSING)
        cancel("cancel missing", MISSING)
        trigger("trigger missing", MISSING)
        step("list executions missing", lambda: list_executions(MISSING), describe_executions)
        create("create bad cron", valid(schedule=pb.Schedule(cron=pb.CronSchedule(expression="61 * * * *"))))
        create(
            "create unknown time zone",
            valid(schedule=pb.Schedule(cron=pb.CronSchedule(expression="0 9 * * *", timezone="Mars/Olympus_Mons"))),
        )
        create("create one-shot in the past", valid(schedule=one_shot(cron.created_at, -timedelta(hours=1))))
        create("create interval under 1 s", valid(schedule=interval(999)))
        create("create empty name", valid(name=""))
        create("create max_retries 101", valid(max_retries=101))
        create("create timeout_secs 0", valid(timeout_secs=0))
        reused = pb.CreateJobRequest()
        reused.CopyFrom(cron_request)
        reused.name = "parity-other"
        create("create reused request_id", reused)
        get("get empty id", "")
        pause("pause cancelled", one_shot_job.id)
        resume("resume cancelled", one_shot_job.id)
        trigger("trigger cancelled", one_shot_job.id)

        delay = ((DELAY_HEADER, str(SERVER_DELAY_MS)),)
        step(
            f"get, deadline {TINY_DEADLINE_MS} ms, server delays {SERVER_DELAY_MS} ms",
            lambda: stub.GetJob(pb.GetJobRequest(job_id=cron.id), timeout=TINY_DEADLINE_MS / 1000, metadata=delay).job,
            describe_job,
        )

        # grpc-python receives a unary call's response headers in the same batch as its response, so
        # a unary call cannot tell when it has reached the server. On the wire a unary call is a
        # server-streaming call with one response: made as one, GetJob shows the headers first.
        method = pb.DESCRIPTOR.services_by_name["SchedulerService"].methods_by_name["GetJob"]
        get_job_as_stream = channel.unary_stream(
            f"/{method.containing_service.full_name}/{method.name}",
            request_serializer=pb.GetJobRequest.SerializeToString,
            response_deserializer=pb.GetJobResponse.FromString,
        )
        call = get_job_as_stream(pb.GetJobRequest(job_id=cron.id), metadata=delay)
        call.initial_metadata()  # returns once the server has sent its response headers
        call.cancel()
        report("get, cancelled once on the server", error_code(call) if call.code() != grpc.StatusCode.OK else describe_job(next(call).job))

        # 5. The failed creates made no job.
        step("list all", list_jobs, describe_jobs)
        step(
            "get cron",
            lambda: stub.GetJob(pb.GetJobRequest(job_id=cron.id)).job,
            lambda job: f"{describe_job(job)} payload_round_trips={'true' if payload_of(job) == CRON_PAYLOAD else 'false'}",
        )

        # 6. Strict rules: each bad request names the field at fault, the first in field-number order.
        create(
            "create lower-case time zone",
            valid(schedule=pb.Schedule(cron=pb.CronSchedule(expression="0 9 * * *", timezone="asia/tokyo"))),
        )
        create("create interval past year 9999", valid(schedule=interval(LONGEST_OLD_INTERVAL_MS)))
        create("create blank name", valid(name="\u3000 \t"))
        create("create bad name and NaN payload", valid(name="", payload=nan_object()))
        create("create bad schedule and bad max_retries", valid(schedule=interval(500), max_retries=101))
        create("create one-shot with microseconds", valid(schedule=one_shot(cron.created_at, timedelta(hours=1, microseconds=1))))
        create("create cron with L", valid(schedule=pb.Schedule(cron=pb.CronSchedule(expression="0 0 L * *"))))
        create("create payload too deep", valid(payload=value_of(nested_arrays(33))))
        step(
            "create name with malformed UTF-8",
            lambda: pb.CreateJobResponse.FromString(raw("CreateJob", MALFORMED_NAME_CREATE)).job,
            describe_job,
        )
        step("get with truncated request", lambda: pb.GetJobResponse.FromString(raw("GetJob", TRUNCATED_GET)).job, describe_job)

        # 7. Paging: page_size may change between pages; a ListExecutions token is bound to its job.
        def pages_of_1_then_2() -> list[list[pb.Job]]:
            pages: list[list[pb.Job]] = []
            token = ""
            while True:
                page = stub.ListJobs(pb.ListJobsRequest(page_size=1 if not pages else 2, page_token=token))
                pages.append(list(page.jobs))
                token = page.next_page_token
                if not token:
                    return pages

        step(
            "list page_size 1 then 2",
            pages_of_1_then_2,
            lambda pages: f"{describe_jobs([j for p in pages for j in p])} pages=[{','.join(str(len(p)) for p in pages)}]",
        )
        trigger("trigger interval again", interval_job.id)

        def executions_with_foreign_token() -> list[pb.JobExecution] | None:
            first = stub.ListExecutions(pb.ListExecutionsRequest(job_id=interval_job.id, page_size=1))
            if not first.next_page_token:
                return None
            other = stub.ListExecutions(pb.ListExecutionsRequest(job_id=cron.id, page_size=1, page_token=first.next_page_token))
            return list(other.executions)

        step(
            "list executions with another job's token",
            executions_with_foreign_token,
            lambda executions: "no next_page_token" if executions is None else describe_executions(executions),
        )

        # 8. Keys, apply, update, delete and labels.
        def spec(name: str = "parity-keyed", version: int = 1) -> pb.JobSpec:
            return pb.JobSpec(name=name, schedule=interval(120_000), payload=value_of({"version": version}), labels=KEYED_LABELS)

        def apply(label: str, job_spec: pb.JobSpec, dry_run: bool = False) -> pb.ApplyJobResponse | None:
            return step(label, lambda: stub.ApplyJob(pb.ApplyJobRequest(key=KEY, spec=job_spec, dry_run=dry_run)), describe_apply)

        def update(label: str, **fields: object) -> None:
            step(label, lambda: stub.UpdateJob(pb.UpdateJobRequest(key=KEY, **fields)).job, describe_job)

        def by_key(label: str, rpc: Callable, request_type: type, **fields: object) -> None:
            step(label, lambda: rpc(request_type(key=KEY, **fields)).job, describe_job)

        keyed = need(apply("apply keyed", spec()), "the keyed job").job
        apply("apply keyed again, same spec", spec())
        apply("apply keyed, payload changed", spec(version=2))
        apply("apply keyed, dry run, name changed", spec(name=RENAMED, version=2), dry_run=True)
        by_key("get keyed by key", stub.GetJob, pb.GetJobRequest)
        update(
            "update keyed name by key, expected_revision 2",
            spec=pb.JobSpec(name=RENAMED),
            update_mask=field_mask_pb2.FieldMask(paths=["name"]),
            expected_revision=2,
        )
        update(
            "update keyed, stale expected_revision 2",
            spec=pb.JobSpec(name="parity-keyed-stale"),
            update_mask=field_mask_pb2.FieldMask(paths=["name"]),
            expected_revision=2,
        )
        update("update keyed, empty update_mask", update_mask=field_mask_pb2.FieldMask())
        create("create with a taken key", valid(name="parity-taken-key", key=KEY))
        step("get with job_id and key", lambda: stub.GetJob(pb.GetJobRequest(job_id=keyed.id, key=KEY)).job, describe_job)
        create(
            "create labelled",
            pb.CreateJobRequest(name="parity-labelled", schedule=interval(60_000), payload=value_of(None), labels={"team": "parity", "tier": "web"}),
        )
        step("list labels team=parity", lambda: list_jobs(labels={"team": "parity"}), describe_jobs)
        step("list labels team=parity tier=batch", lambda: list_jobs(labels={"team": "parity", "tier": "batch"}), describe_jobs)
        by_key("pause keyed by key", stub.PauseJob, pb.PauseJobRequest)
        by_key("delete keyed by key", stub.DeleteJob, pb.DeleteJobRequest)
        by_key("get keyed by key after delete", stub.GetJob, pb.GetJobRequest)
        apply("apply keyed after delete", spec())
        by_key("delete keyed, stale expected_revision 2", stub.DeleteJob, pb.DeleteJobRequest, expected_revision=2)

        # 9. Policies, describe, waiting and watching.
        t0 = ms_of(cron.created_at)
        start_at = t0 + HOUR_MS

        def at(ms: int) -> timestamp_pb2.Timestamp:
            return timestamp_pb2.Timestamp(seconds=ms // 1000, nanos=ms % 1000 * 1_000_000)

        def duration(ms: int) -> duration_pb2.Duration:
            return duration_pb2.Duration(seconds=ms // 1000, nanos=ms % 1000 * 1_000_000)

        policy_request = pb.CreateJobRequest(
            name="parity-policy",
            schedule=interval(POLICY_EVERY_MS),
            payload=value_of(None),
            policy=pb.SchedulePolicy(
                overlap=pb.OVERLAP_POLICY_SKIP,
                catchup_window=duration(300_000),
                start_at=at(start_at),
                end_at=at(t0 + 11 * HOUR_MS),
                max_runs=3,
                jitter=duration(POLICY_JITTER_MS),
                retry_backoff=pb.RetryBackoff(initial=duration(500), maximum=duration(4_000), multiplier=3),
            ),
        )
        policy_job = need(create("create with policy", policy_request), "the policy job")

        def describe(label: str, upcoming: int = 0) -> None:
            step(
                label,
                lambda: stub.DescribeJob(pb.DescribeJobRequest(job_id=policy_job.id, upcoming=upcoming)),
                lambda r: describe_description(r, start_at),
            )

        def watch(request: pb.WatchExecutionsRequest) -> list[pb.JobExecution]:
            """WatchExecutions read to its end (an error raises the failed call)."""
            return [m.execution for m in stub.WatchExecutions(request, timeout=WATCH_TIMEOUT_S)]

        def wait_for(execution_id: str) -> pb.JobExecution:
            """waitForExecution: WatchExecutions on one execution to its end; its last message."""
            messages = watch(pb.WatchExecutionsRequest(execution_id=execution_id))
            if not messages or messages[-1].result == pb.EXECUTION_RESULT_RUNNING:
                raise RuntimeError(f"the watch of {execution_id} ended while it was running")
            return messages[-1]

        def trigger_(label: str, job_id: str, overlap: int = pb.OVERLAP_POLICY_UNSPECIFIED) -> pb.JobExecution | None:
            return step(label, lambda: stub.TriggerJob(pb.TriggerJobRequest(job_id=job_id, overlap=overlap)).execution, describe_execution)

        def note(label: str, rpc: Callable, request_type: type, job_id: str, text: str = "") -> None:
            step(label, lambda: rpc(request_type(job_id=job_id, note=text)).job, describe_job)

        describe("describe policy, upcoming 2", 2)
        describe("describe policy")
        describe("describe policy, upcoming 101", 101)
        first = need(trigger_("trigger policy", policy_job.id), "the policy job's execution")
        step("watch the trigger's execution", lambda: watch(pb.WatchExecutionsRequest(execution_id=first.id)), describe_stream)
        step("wait for the trigger's execution", lambda: wait_for(first.id), describe_execution)
        get("get policy", policy_job.id)
        describe("describe policy after the trigger")
        note("pause policy with a note", stub.PauseJob, pb.PauseJobRequest, policy_job.id, "maintenance 窓")
        note("pause policy again, another note", stub.PauseJob, pb.PauseJobRequest, policy_job.id, "ignored")
        trigger_("trigger paused policy", policy_job.id)
        describe("describe paused policy")
        note("resume policy with a note", stub.ResumeJob, pb.ResumeJobRequest, policy_job.id, "back")
        note("resume policy again, no note", stub.ResumeJob, pb.ResumeJobRequest, policy_job.id)
        note("pause with a note of 513 code points", stub.PauseJob, pb.PauseJobRequest, policy_job.id, "あ" * 513)

        # Runs in flight: the held job's runs stay RUNNING until it is cancelled.
        held = need(
            create(
                "create held",
                pb.CreateJobRequest(
                    name="parity-held",
                    schedule=interval(60_000),
                    payload=value_of({"parity": "hold"}),
                    policy=pb.SchedulePolicy(overlap=pb.OVERLAP_POLICY_ALLOW_ALL, max_runs=3),
                ),
            ),
            "the held job",
        )
        trigger_("trigger held", held.id)
        get("get held", held.id)
        held_watch = stub.WatchExecutions(pb.WatchExecutionsRequest(job_id=held.id), timeout=WATCH_TIMEOUT_S)
        opened = step("watch held, first message", lambda: next(held_watch).execution, describe_execution)
        trigger_("trigger held again", held.id)
        trigger_("trigger held, overlap skip", held.id, pb.OVERLAP_POLICY_SKIP)
        get("get held, two runs in flight", held.id)
        cancel("cancel held", held.id)
        if opened is None:
            report("watch held, to the end", "no watch")
        else:
            step("watch held, to the end", lambda: [m.execution for m in held_watch], describe_stream)
        get("get held after cancel", held.id)

        # Pause on failure.
        failing = need(
            create(
                "create failing",
                pb.CreateJobRequest(
                    name="parity-failing",
                    schedule=interval(60_000),
                    payload=value_of({"parity": "fail"}),
                    max_retries=0,
                    policy=pb.SchedulePolicy(pause_on_failure=True),
                ),
            ),
            "the failing job",
        )
        failed = trigger_("trigger failing", failing.id)
        step("wait for failing", lambda: wait_for(failed.id if failed else MISSING_EXECUTION), describe_execution)
        get("get failing", failing.id)

        # max_runs: the policy job's last two runs, then it completes.
        trigger_("trigger policy, second run", policy_job.id)
        trigger_("trigger policy, third run", policy_job.id)
        get("get policy, max_runs reached", policy_job.id)
        trigger_("trigger policy, no run left", policy_job.id)
        describe("describe completed policy")
        step("watch completed policy", lambda: watch(pb.WatchExecutionsRequest(job_id=policy_job.id)), describe_stream)
        step("list executions policy", lambda: list_executions(policy_job.id), describe_executions)

        # Errors.
        step(
            "watch with job_id and execution_id",
            lambda: watch(pb.WatchExecutionsRequest(job_id=policy_job.id, execution_id=first.id)),
            describe_stream,
        )
        step("wait for unknown execution", lambda: wait_for(MISSING_EXECUTION), describe_execution)
        step("watch missing", lambda: watch(pb.WatchExecutionsRequest(job_id=MISSING)), describe_stream)
        create("create policy jitter over 1 day", valid(policy=pb.SchedulePolicy(jitter=duration(86_400_001))))
        create(
            "create policy end_at before start_at",
            valid(policy=pb.SchedulePolicy(start_at=at(start_at), end_at=at(start_at - 1))),
        )


def main(argv: Iterable[str]) -> None:
    args = list(argv)
    address = args[0] if args else os.environ.get("K1S0_SCHEDULER_ADDR")
    if not address:
        sys.exit("usage: scenario.py HOST:PORT (or set K1S0_SCHEDULER_ADDR)")
    run(address)


if __name__ == "__main__":
    main(sys.argv[1:])
