//! The parity scenario with a tonic client generated from scheduler.proto: one line per step, in
//! the transcript format of conformance/ts/scenario.ts (the reference). The steps are listed under
//! "The scenario" in conformance/README.md.
//!
//!     conformance/rust/target/debug/scenario [HOST:PORT]
//!
//! The address defaults to $K1S0_SCHEDULER_ADDR. Run it against a fresh parity server
//! (conformance/run-scenario.ts), whose virtual clock never moves and which honours the
//! x-k1s0-test-delay-ms request header.
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Duration;

use k1s0_parity::pb::scheduler_service_client::SchedulerServiceClient;
use k1s0_parity::pb::{
    schedule, ApplyJobRequest, ApplyJobResponse, CancelJobRequest, CreateJobRequest,
    CreateJobResponse, CronSchedule, DeleteJobRequest, DescribeJobRequest, DescribeJobResponse,
    ExecutionResult, GetJobRequest, GetJobResponse, IntervalSchedule, Job, JobExecution, JobSpec,
    JobStatus, ListExecutionsRequest, ListJobsRequest, OneShotSchedule, OverlapPolicy,
    PauseJobRequest, ResumeJobRequest, RetryBackoff, Schedule, SchedulePolicy, TriggerJobRequest,
    UpdateJobRequest, WatchExecutionsRequest, WatchExecutionsResponse,
};
use k1s0_parity::policy::jitter_delay;
use k1s0_parity::scenario::format::{
    at_ms, describe_apply, describe_execution, describe_executions, describe_job, describe_jobs,
    describe_stream, duration_ms, fmt_time, ms_of,
};
use k1s0_parity::scenario::outcome::error_outcome;
use k1s0_parity::scenario::raw::RawCodec;
use prost::bytes::Bytes;
use prost::Message;
use prost_types::value::Kind;
use prost_types::{FieldMask, NullValue, Timestamp, Value};
use serde_json::json;
use tokio::time::Instant;
use tonic::codec::Streaming;
use tonic::codegen::http::uri::PathAndQuery;
use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, Endpoint};
use tonic::{Request, Status};

const DELAY_HEADER: &str = "x-k1s0-test-delay-ms";
const SERVER_DELAY_MS: u64 = 10_000;
const TINY_DEADLINE_MS: u64 = 100;
const MISSING: &str = "parity-no-such-job";
const CRON_REQUEST_ID: &str = "parity-cron-request";
const SERVICE: &str = "/k1s0.system.scheduler.v2.SchedulerService";
/// The interval in seconds that the contract accepted before it had to keep next_run_at inside
/// year 9999.
const LONGEST_OLD_INTERVAL_SECS: i64 = 315_576_000_000;
// The keyed job of steps 58 to 75: applied, updated, paused and deleted by its key.
const KEY: &str = "parity-key-日次";
const RENAMED: &str = "parity-keyed-renamed";
// The policy job of steps 76 to 117: one fire an hour from start_at = T0 + 1 h to end_at =
// T0 + 11 h, at most 3 runs, each fire up to 30 min late by its jitter.
const HOUR_MS: i64 = 3_600_000;
const POLICY_EVERY_MS: i64 = HOUR_MS;
const POLICY_JITTER_MS: i64 = 1_800_000;
const MISSING_EXECUTION: &str = "parity-no-such-execution";
/// Streams must end by themselves at once; this only keeps a broken server from hanging the scenario.
const WATCH_TIMEOUT: Duration = Duration::from_secs(30);

/// Requests written byte by byte, sent without a serializer: a CreateJobRequest whose name is the
/// malformed UTF-8 `6f 6b c3` (with a valid schedule, interval {every {seconds: 60}}), and a
/// GetJobRequest whose job_id claims 5 bytes where 3 follow.
const MALFORMED_NAME_CREATE: &[u8] = &[
    0x0a, 0x03, 0x6f, 0x6b, 0xc3, 0x12, 0x06, 0x1a, 0x04, 0x0a, 0x02, 0x08, 0x3c,
];
const TRUNCATED_GET: &[u8] = &[0x0a, 0x05, 0x6a, 0x6f, 0x62];

// --- Printing ----------------------------------------------------------------------------------

fn report(label: &str, outcome: &str) {
    println!("{label} -> {outcome}");
}

/// Prints a step's line, the result described or the error's outcome, and gives the result back
/// for the steps that use it.
fn step<T>(
    label: &str,
    result: Result<T, Status>,
    describe: impl FnOnce(&T) -> String,
) -> Option<T> {
    match result {
        Ok(value) => {
            report(label, &describe(&value));
            Some(value)
        }
        Err(status) => {
            report(label, &error_outcome(&status));
            None
        }
    }
}

/// Stops the scenario when something that later steps need is missing, or the server broke the
/// contract in a way no transcript line can show.
fn fatal(message: &str) -> ! {
    eprintln!("scenario: {message}");
    std::process::exit(1);
}

/// The result of a step that later steps use; stops the scenario when that step failed.
fn need<T>(value: Option<T>, what: &str) -> T {
    value.unwrap_or_else(|| fatal(&format!("cannot go on without {what}")))
}

/// The describe outcome: the job, its upcoming due times, the scheduled instants they belong to
/// (the policy job fires every hour from start_at, and its jitter is shorter than an hour), and
/// whether each due time is its instant plus the jitter delay that this client computes.
fn describe_description(r: &DescribeJobResponse, start_at_ms: i64) -> String {
    let job = r.job.clone().unwrap_or_default();
    let due: Vec<i64> = r.upcoming_runs.iter().map(ms_of).collect();
    let scheduled: Vec<i64> = due
        .iter()
        .map(|t| start_at_ms + (t - start_at_ms).div_euclid(POLICY_EVERY_MS) * POLICY_EVERY_MS)
        .collect();
    let jitter_ok = due
        .iter()
        .zip(&scheduled)
        .all(|(t, s)| t - s == jitter_delay(&job.id, *s, POLICY_JITTER_MS));
    let times = |list: &[i64]| {
        list.iter()
            .map(|ms| fmt_time(Some(&at_ms(*ms))))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{} upcoming=[{}] scheduled=[{}] jitter_ok={jitter_ok}",
        describe_job(&job),
        times(&due),
        times(&scheduled)
    )
}

// --- Requests ----------------------------------------------------------------------------------

/// A JSON value as a `google.protobuf.Value` (numbers become doubles, as in every language).
fn value_of(json: serde_json::Value) -> Value {
    match json {
        serde_json::Value::Null => Kind::NullValue(NullValue::NullValue.into()).into(),
        serde_json::Value::Bool(b) => b.into(),
        serde_json::Value::Number(n) => n
            .as_f64()
            .expect("a serde_json number without arbitrary_precision is a double")
            .into(),
        serde_json::Value::String(s) => s.into(),
        serde_json::Value::Array(items) => {
            items.into_iter().map(value_of).collect::<Vec<_>>().into()
        }
        serde_json::Value::Object(members) => members
            .into_iter()
            .map(|(k, v)| (k, value_of(v)))
            .collect::<BTreeMap<_, _>>()
            .into(),
    }
}

/// A `google.protobuf.Value` as a JSON value, to compare payloads as JSON (NaN would be null).
fn json_of(value: Option<&Value>) -> serde_json::Value {
    match value.and_then(|v| v.kind.as_ref()) {
        None | Some(Kind::NullValue(_)) => serde_json::Value::Null,
        Some(Kind::BoolValue(b)) => (*b).into(),
        Some(Kind::NumberValue(x)) => {
            serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into)
        }
        Some(Kind::StringValue(s)) => s.as_str().into(),
        Some(Kind::ListValue(list)) => list.values.iter().map(|v| json_of(Some(v))).collect(),
        Some(Kind::StructValue(object)) => object
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), json_of(Some(v))))
            .collect(),
    }
}

fn cron(expression: &str, timezone: &str) -> Schedule {
    Schedule {
        kind: Some(schedule::Kind::Cron(CronSchedule {
            expression: expression.to_owned(),
            timezone: timezone.to_owned(),
        })),
    }
}

fn interval(every: prost_types::Duration) -> Schedule {
    Schedule {
        kind: Some(schedule::Kind::Interval(IntervalSchedule {
            every: Some(every),
        })),
    }
}

fn interval_ms(ms: i64) -> Schedule {
    interval(duration_ms(ms))
}

fn one_shot(run_at: Timestamp) -> Schedule {
    Schedule {
        kind: Some(schedule::Kind::OneShot(OneShotSchedule {
            run_at: Some(run_at),
        })),
    }
}

/// `ts` moved by whole seconds and nanoseconds, exactly (a timestamp's nanos stay in 0..1e9).
fn shifted(ts: &Timestamp, seconds: i64, nanos: i64) -> Timestamp {
    let total = i64::from(ts.nanos) + nanos;
    Timestamp {
        seconds: ts.seconds + seconds + total.div_euclid(1_000_000_000),
        nanos: total.rem_euclid(1_000_000_000) as i32,
    }
}

/// `[[[…]]]`: `levels` arrays, each inside the one before, the innermost one empty.
fn nested_arrays(levels: usize) -> serde_json::Value {
    (1..levels).fold(json!([]), |inner, _| json!([inner]))
}

/// VALID: the request that steps 29 to 52 and others change in one field (`..valid()`).
fn valid() -> CreateJobRequest {
    CreateJobRequest {
        name: "parity-invalid".to_owned(),
        schedule: Some(interval_ms(60_000)),
        payload: Some(value_of(json!(null))),
        ..Default::default()
    }
}

fn get_by_id(id: &str) -> GetJobRequest {
    GetJobRequest {
        job_id: id.to_owned(),
        ..Default::default()
    }
}

/// A request with the `x-k1s0-test-delay-ms` header: the parity server sends its response headers
/// at once, but its message and status only after that many milliseconds.
fn delayed<T>(message: T) -> Request<T> {
    let mut request = Request::new(message);
    request
        .metadata_mut()
        .insert(DELAY_HEADER, MetadataValue::from(SERVER_DELAY_MS));
    request
}

// --- Calls -------------------------------------------------------------------------------------

/// Runs a call under a deadline, as grpc-go's context deadline and grpc-python's `timeout` do.
///
/// tonic trap: `Request::set_timeout` only sends the `grpc-timeout` header. tonic's channel
/// enforces that header until the response headers arrive, no longer (the parity server sends its
/// headers at once, then holds the message), and reports its expiry as CANCELLED ("Timeout
/// expired"), not DEADLINE_EXCEEDED. A server that honours `grpc-timeout` (the reference server
/// does) ends the call itself with DEADLINE_EXCEEDED, but a client must not count on that: this
/// bounds the whole call on the client. Dropping the call's future resets its HTTP/2 stream, which
/// the server sees as a cancelled call.
async fn with_deadline<T>(
    deadline: Instant,
    call: impl Future<Output = Result<T, Status>>,
) -> Result<T, Status> {
    match tokio::time::timeout_at(deadline, call).await {
        Err(_) => Err(Status::deadline_exceeded("the client's deadline passed")),
        Ok(Err(status))
            if status.code() == tonic::Code::Cancelled && Instant::now() >= deadline =>
        {
            Err(Status::deadline_exceeded(status.message().to_owned()))
        }
        Ok(result) => result,
    }
}

/// `request` with the `grpc-timeout` header that tells the server the deadline.
fn with_timeout<T>(mut request: Request<T>, timeout: Duration) -> Request<T> {
    request.set_timeout(timeout);
    request
}

/// The generated client, and the channel it runs on for the calls it cannot make.
struct Scheduler {
    client: SchedulerServiceClient<Channel>,
    channel: Channel,
}

/// Defines, for each `name(Request)`, the method that calls the RPC of that name and answers with
/// the response's job.
macro_rules! job_rpcs {
    ($($name:ident($request:ty);)*) => {$(
        async fn $name(
            &mut self,
            request: impl tonic::IntoRequest<$request>,
        ) -> Result<Job, Status> {
            Ok(self.client.$name(request).await?.into_inner().job.unwrap_or_default())
        }
    )*};
}

impl Scheduler {
    async fn connect(address: &str) -> Result<Self, tonic::transport::Error> {
        let channel = Endpoint::from_shared(format!("http://{address}"))?
            .connect()
            .await?;
        Ok(Self {
            client: SchedulerServiceClient::new(channel.clone()),
            channel,
        })
    }

    // The RPCs, each answering with the message that the transcript describes. A response without
    // its job reads as a default Job, whose line then differs from the reference.
    job_rpcs! {
        create_job(CreateJobRequest);
        get_job(GetJobRequest);
        pause_job(PauseJobRequest);
        resume_job(ResumeJobRequest);
        cancel_job(CancelJobRequest);
        update_job(UpdateJobRequest);
        delete_job(DeleteJobRequest);
    }

    async fn apply_job(&mut self, request: ApplyJobRequest) -> Result<ApplyJobResponse, Status> {
        Ok(self.client.apply_job(request).await?.into_inner())
    }

    async fn describe_job(
        &mut self,
        request: DescribeJobRequest,
    ) -> Result<DescribeJobResponse, Status> {
        Ok(self.client.describe_job(request).await?.into_inner())
    }

    async fn trigger_job(&mut self, request: TriggerJobRequest) -> Result<JobExecution, Status> {
        Ok(self
            .client
            .trigger_job(request)
            .await?
            .into_inner()
            .execution
            .unwrap_or_default())
    }

    /// ListJobs, following next_page_token to the last page.
    async fn list_jobs(&mut self, mut request: ListJobsRequest) -> Result<Vec<Job>, Status> {
        let mut jobs = Vec::new();
        loop {
            let page = self.client.list_jobs(request.clone()).await?.into_inner();
            jobs.extend(page.jobs);
            if page.next_page_token.is_empty() {
                return Ok(jobs);
            }
            request.page_token = page.next_page_token;
        }
    }

    /// ListExecutions of a job, following next_page_token to the last page.
    async fn list_executions(&mut self, job_id: &str) -> Result<Vec<JobExecution>, Status> {
        let mut request = ListExecutionsRequest {
            job_id: job_id.to_owned(),
            ..Default::default()
        };
        let mut executions = Vec::new();
        loop {
            let page = self
                .client
                .list_executions(request.clone())
                .await?
                .into_inner();
            executions.extend(page.executions);
            if page.next_page_token.is_empty() {
                return Ok(executions);
            }
            request.page_token = page.next_page_token;
        }
    }

    /// WatchExecutions, open: the call answers once the response headers have arrived (an error
    /// status that comes without a message, as a trailers-only response, is the call's error).
    async fn open_watch(
        &mut self,
        request: WatchExecutionsRequest,
    ) -> Result<Streaming<WatchExecutionsResponse>, Status> {
        Ok(self
            .client
            .watch_executions(with_timeout(Request::new(request), WATCH_TIMEOUT))
            .await?
            .into_inner())
    }

    /// A watch: WatchExecutions read to its end (the stream's OK status), under a 30 s deadline.
    async fn watch(
        &mut self,
        request: WatchExecutionsRequest,
    ) -> Result<Vec<JobExecution>, Status> {
        with_deadline(Instant::now() + WATCH_TIMEOUT, async {
            let stream = self.open_watch(request).await?;
            read_to_end(stream).await
        })
        .await
    }

    /// A wait (the TypeScript client's waitForExecution): a watch on one execution; the execution
    /// of its last message, which must have ended.
    async fn wait_for(&mut self, execution_id: &str) -> Result<JobExecution, Status> {
        let messages = self
            .watch(WatchExecutionsRequest {
                execution_id: execution_id.to_owned(),
                ..Default::default()
            })
            .await?;
        match messages.into_iter().last() {
            Some(last) if last.result != ExecutionResult::Running as i32 => Ok(last),
            _ => fatal(&format!(
                "the watch of {execution_id} ended while it was running"
            )),
        }
    }

    /// A unary call whose request bytes go out as they are (RawCodec), on the client's channel; its
    /// response is decoded as the RPC's response message `M`.
    async fn raw<M: Message + Default>(
        &mut self,
        rpc: &str,
        request: &'static [u8],
    ) -> Result<M, Status> {
        let path = PathAndQuery::try_from(format!("{SERVICE}/{rpc}"))
            .expect("the service path and an RPC name form a path");
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready()
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let response = grpc
            .unary(Request::new(Bytes::from_static(request)), path, RawCodec)
            .await?
            .into_inner();
        M::decode(response)
            .map_err(|e| Status::internal(format!("the {rpc} response does not decode: {e}")))
    }

    /// GetJob with the delay header, cancelled once its response headers have arrived (step 42).
    ///
    /// tonic trap: a unary call gives back its response headers only with its message, so the
    /// call cannot be cancelled "once it is on the server". Made as a server-streaming call on the
    /// same path, which is the same on the wire, it answers with the headers; dropping the stream
    /// then resets the HTTP/2 stream (RST_STREAM CANCEL), and the call ends CANCELLED.
    async fn get_cancelled_on_server(&mut self, job_id: &str) -> Result<Job, Status> {
        let path = PathAndQuery::try_from(format!("{SERVICE}/GetJob"))
            .expect("the service path and an RPC name form a path");
        let mut grpc = tonic::client::Grpc::new(self.channel.clone());
        grpc.ready()
            .await
            .map_err(|e| Status::unavailable(e.to_string()))?;
        let codec = tonic_prost::ProstCodec::<GetJobRequest, GetJobResponse>::default();
        let mut stream = grpc
            .server_streaming(delayed(get_by_id(job_id)), path, codec)
            .await?
            .into_inner();
        // The headers are here. Had the message come with them, the call would have ended before
        // the cancel (as `call.cancel()` after the response is a no-op in grpc-python).
        tokio::select! {
            biased;
            message = stream.message() => match message? {
                Some(response) => Ok(response.job.unwrap_or_default()),
                None => Err(Status::internal("GetJob ended without a message")),
            },
            () = std::future::ready(()) => {
                drop(stream);
                Err(Status::cancelled("cancelled by the client once the response headers arrived"))
            }
        }
    }
}

/// The steps that differ only in their label and request: each makes its call, prints its line and
/// gives the result back.
impl Scheduler {
    async fn create(&mut self, label: &str, request: CreateJobRequest) -> Option<Job> {
        step(label, self.create_job(request).await, describe_job)
    }

    async fn get(&mut self, label: &str, job_id: &str) -> Option<Job> {
        step(label, self.get_job(get_by_id(job_id)).await, describe_job)
    }

    async fn pause(&mut self, label: &str, job_id: &str) -> Option<Job> {
        let request = PauseJobRequest {
            job_id: job_id.to_owned(),
            ..Default::default()
        };
        step(label, self.pause_job(request).await, describe_job)
    }

    async fn resume(&mut self, label: &str, job_id: &str) -> Option<Job> {
        let request = ResumeJobRequest {
            job_id: job_id.to_owned(),
            ..Default::default()
        };
        step(label, self.resume_job(request).await, describe_job)
    }

    async fn cancel(&mut self, label: &str, job_id: &str) -> Option<Job> {
        let request = CancelJobRequest {
            job_id: job_id.to_owned(),
            ..Default::default()
        };
        step(label, self.cancel_job(request).await, describe_job)
    }

    async fn trigger(&mut self, label: &str, job_id: &str) -> Option<JobExecution> {
        self.trigger_with(label, job_id, OverlapPolicy::Unspecified)
            .await
    }

    async fn trigger_with(
        &mut self,
        label: &str,
        job_id: &str,
        overlap: OverlapPolicy,
    ) -> Option<JobExecution> {
        let request = TriggerJobRequest {
            job_id: job_id.to_owned(),
            overlap: overlap.into(),
            ..Default::default()
        };
        step(label, self.trigger_job(request).await, describe_execution)
    }

    async fn list(&mut self, label: &str, filter: ListJobsRequest) -> Option<Vec<Job>> {
        step(label, self.list_jobs(filter).await, |jobs| {
            describe_jobs(jobs)
        })
    }

    async fn executions(&mut self, label: &str, job_id: &str) -> Option<Vec<JobExecution>> {
        step(label, self.list_executions(job_id).await, |executions| {
            describe_executions(executions)
        })
    }
}

/// The rest of a WatchExecutions stream: every message, until the status (an error status is the
/// call's error).
async fn read_to_end(
    mut stream: Streaming<WatchExecutionsResponse>,
) -> Result<Vec<JobExecution>, Status> {
    let mut executions = Vec::new();
    while let Some(message) = stream.message().await? {
        executions.push(message.execution.unwrap_or_default());
    }
    Ok(executions)
}

// --- The scenario ------------------------------------------------------------------------------

/// The steps of conformance/README.md, in order.
async fn run(address: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut s = Scheduler::connect(address).await?;

    let cron_payload = json!({"report": "日次", "pages": [1, 2.5], "draft": false, "owner": null});
    let cron_request = CreateJobRequest {
        name: "parity-cron-日次".to_owned(),
        schedule: Some(cron("0 9 * * MON-FRI", "Asia/Tokyo")),
        payload: Some(value_of(cron_payload.clone())),
        // max_retries and timeout_secs are `optional int32`: prost makes them Option<i32>, and
        // only Some(…) is sent. Some(0) is an explicit 0; None takes the server's default.
        max_retries: Some(2),
        timeout_secs: Some(30),
        request_id: CRON_REQUEST_ID.to_owned(),
        ..Default::default()
    };

    // 1. One job of each kind; the same request_id again returns the same job.
    let cron_job = need(
        s.create("create cron", cron_request.clone()).await,
        "the cron job",
    );
    s.create("create cron again, same request_id", cron_request.clone())
        .await;
    let t0 = cron_job
        .created_at
        .unwrap_or_else(|| fatal("the cron job has no created_at"));
    let one_shot_job = need(
        s.create(
            "create one-shot",
            CreateJobRequest {
                name: "parity-one-shot".to_owned(),
                schedule: Some(one_shot(shifted(&t0, 3600, 0))),
                payload: Some(value_of(json!(null))),
                ..Default::default()
            },
        )
        .await,
        "the one-shot job",
    );
    let interval_job = need(
        s.create(
            "create interval",
            CreateJobRequest {
                name: "parity-interval".to_owned(),
                schedule: Some(interval_ms(90_000)),
                payload: Some(value_of(json!(["x", 1, true, {"k": []}]))),
                max_retries: Some(0), // explicitly 0: sent, and kept (None would give the default 3)
                timeout_secs: Some(86_400),
                ..Default::default()
            },
        )
        .await,
        "the interval job",
    );

    // 2. Get and list with each filter.
    let status_filter = |status: JobStatus, name_prefix: &str| ListJobsRequest {
        status: status.into(),
        name_prefix: name_prefix.to_owned(),
        ..Default::default()
    };
    s.get("get one-shot", &one_shot_job.id).await;
    s.pause("pause interval", &interval_job.id).await;
    s.pause("pause interval again", &interval_job.id).await;
    s.list("list status=PAUSED", status_filter(JobStatus::Paused, ""))
        .await;
    s.list("list status=PENDING", status_filter(JobStatus::Pending, ""))
        .await;
    s.list(
        "list name_prefix=parity-o",
        status_filter(JobStatus::Unspecified, "parity-o"),
    )
    .await;
    s.list(
        "list status=PENDING name_prefix=parity-c",
        status_filter(JobStatus::Pending, "parity-c"),
    )
    .await;

    // 3. Resume, trigger, executions, cancel.
    s.resume("resume interval", &interval_job.id).await;
    s.resume("resume interval again", &interval_job.id).await;
    s.trigger("trigger interval", &interval_job.id).await;
    s.executions("list executions interval", &interval_job.id)
        .await;
    s.get("get interval", &interval_job.id).await;
    s.cancel("cancel one-shot", &one_shot_job.id).await;
    s.cancel("cancel one-shot again", &one_shot_job.id).await;
    s.executions("list executions one-shot", &one_shot_job.id)
        .await;
    s.pause("pause cron", &cron_job.id).await;
    s.trigger("trigger paused cron", &cron_job.id).await;
    s.resume("resume cron", &cron_job.id).await;

    // 4. Every error a client can provoke.
    s.get("get missing", MISSING).await;
    s.pause("pause missing", MISSING).await;
    s.resume("resume missing", MISSING).await;
    s.cancel("cancel missing", MISSING).await;
    s.trigger("trigger missing", MISSING).await;
    s.executions("list executions missing", MISSING).await;
    s.create(
        "create bad cron",
        CreateJobRequest {
            schedule: Some(cron("61 * * * *", "")),
            ..valid()
        },
    )
    .await;
    s.create(
        "create unknown time zone",
        CreateJobRequest {
            schedule: Some(cron("0 9 * * *", "Mars/Olympus_Mons")),
            ..valid()
        },
    )
    .await;
    s.create(
        "create one-shot in the past",
        CreateJobRequest {
            schedule: Some(one_shot(shifted(&t0, -3600, 0))),
            ..valid()
        },
    )
    .await;
    s.create(
        "create interval under 1 s",
        CreateJobRequest {
            schedule: Some(interval_ms(999)),
            ..valid()
        },
    )
    .await;
    s.create(
        "create empty name",
        CreateJobRequest {
            name: String::new(),
            ..valid()
        },
    )
    .await;
    s.create(
        "create max_retries 101",
        CreateJobRequest {
            max_retries: Some(101),
            ..valid()
        },
    )
    .await;
    s.create(
        "create timeout_secs 0",
        CreateJobRequest {
            timeout_secs: Some(0),
            ..valid()
        },
    )
    .await;
    s.create(
        "create reused request_id",
        CreateJobRequest {
            name: "parity-other".to_owned(),
            ..cron_request.clone()
        },
    )
    .await;
    s.get("get empty id", "").await;
    s.pause("pause cancelled", &one_shot_job.id).await;
    s.resume("resume cancelled", &one_shot_job.id).await;
    s.trigger("trigger cancelled", &one_shot_job.id).await;

    let tiny_deadline = Duration::from_millis(TINY_DEADLINE_MS);
    let timed_out = with_deadline(
        Instant::now() + tiny_deadline,
        s.get_job(with_timeout(
            delayed(get_by_id(&cron_job.id)),
            tiny_deadline,
        )),
    )
    .await;
    step(
        &format!("get, deadline {TINY_DEADLINE_MS} ms, server delays {SERVER_DELAY_MS} ms"),
        timed_out,
        describe_job,
    );
    step(
        "get, cancelled once on the server",
        s.get_cancelled_on_server(&cron_job.id).await,
        describe_job,
    );

    // 5. The failed creates made no job.
    s.list("list all", ListJobsRequest::default()).await;
    step(
        "get cron",
        s.get_job(get_by_id(&cron_job.id)).await,
        |job| {
            // Compared as JSON values, both sides read back from a google.protobuf.Value.
            let round_trips =
                json_of(job.payload.as_ref()) == json_of(Some(&value_of(cron_payload.clone())));
            format!("{} payload_round_trips={round_trips}", describe_job(job))
        },
    );

    // 6. Strict rules: each bad request names the field at fault, the first in field-number order.
    s.create(
        "create lower-case time zone",
        CreateJobRequest {
            schedule: Some(cron("0 9 * * *", "asia/tokyo")),
            ..valid()
        },
    )
    .await;
    s.create(
        "create interval past year 9999",
        CreateJobRequest {
            schedule: Some(interval(prost_types::Duration {
                seconds: LONGEST_OLD_INTERVAL_SECS,
                nanos: 0,
            })),
            ..valid()
        },
    )
    .await;
    s.create(
        "create blank name",
        CreateJobRequest {
            name: "\u{3000} \t".to_owned(),
            ..valid()
        },
    )
    .await;
    // serde_json has no NaN, so this payload is built as a Value; prost sends the double as it is.
    let nan_payload: Value = BTreeMap::from([("x".to_owned(), Value::from(f64::NAN))]).into();
    s.create(
        "create bad name and NaN payload",
        CreateJobRequest {
            name: String::new(),
            payload: Some(nan_payload),
            ..valid()
        },
    )
    .await;
    s.create(
        "create bad schedule and bad max_retries",
        CreateJobRequest {
            schedule: Some(interval_ms(500)),
            max_retries: Some(101),
            ..valid()
        },
    )
    .await;
    s.create(
        "create one-shot with microseconds",
        CreateJobRequest {
            schedule: Some(one_shot(shifted(&t0, 3600, 1_000))),
            ..valid()
        },
    )
    .await;
    s.create(
        "create cron with L",
        CreateJobRequest {
            schedule: Some(cron("0 0 L * *", "")),
            ..valid()
        },
    )
    .await;
    s.create(
        "create payload too deep",
        CreateJobRequest {
            payload: Some(value_of(nested_arrays(33))),
            ..valid()
        },
    )
    .await;
    let created: Result<CreateJobResponse, _> = s.raw("CreateJob", MALFORMED_NAME_CREATE).await;
    step("create name with malformed UTF-8", created, |r| {
        describe_job(&r.job.clone().unwrap_or_default())
    });
    let got: Result<GetJobResponse, _> = s.raw("GetJob", TRUNCATED_GET).await;
    step("get with truncated request", got, |r| {
        describe_job(&r.job.clone().unwrap_or_default())
    });

    // 7. Paging: page_size may change between pages; a ListExecutions token is bound to its job.
    let mut pages: Vec<Vec<Job>> = Vec::new();
    let paged = async {
        let mut request = ListJobsRequest {
            page_size: 1,
            ..Default::default()
        };
        loop {
            let page = s.client.list_jobs(request.clone()).await?.into_inner();
            pages.push(page.jobs);
            if page.next_page_token.is_empty() {
                return Ok::<_, Status>(());
            }
            request = ListJobsRequest {
                page_size: 2,
                page_token: page.next_page_token,
                ..Default::default()
            };
        }
    }
    .await;
    step("list page_size 1 then 2", paged.map(|()| pages), |pages| {
        let sizes: Vec<String> = pages.iter().map(|page| page.len().to_string()).collect();
        format!(
            "{} pages=[{}]",
            describe_jobs(&pages.concat()),
            sizes.join(",")
        )
    });
    s.trigger("trigger interval again", &interval_job.id).await;
    let first_page = s
        .client
        .list_executions(ListExecutionsRequest {
            job_id: interval_job.id.clone(),
            page_size: 1,
            ..Default::default()
        })
        .await
        .map(|r| r.into_inner().next_page_token);
    let other = match first_page {
        Ok(token) if token.is_empty() => Ok(None),
        Ok(token) => s
            .client
            .list_executions(ListExecutionsRequest {
                job_id: cron_job.id.clone(),
                page_size: 1,
                page_token: token,
                ..Default::default()
            })
            .await
            .map(|r| Some(r.into_inner().executions)),
        Err(status) => Err(status),
    };
    step("list executions with another job's token", other, |other| {
        other
            .as_deref()
            .map_or_else(|| "no next_page_token".to_owned(), describe_executions)
    });

    // 8. Keys, apply, update, delete and labels. A request "by key" leaves job_id empty.
    let keyed_labels = HashMap::from([
        ("team".to_owned(), "parity".to_owned()),
        ("tier".to_owned(), "batch".to_owned()),
    ]);
    let keyed = |name: &str, version: i32| JobSpec {
        name: name.to_owned(),
        schedule: Some(interval_ms(120_000)),
        payload: Some(value_of(json!({"version": version}))),
        labels: keyed_labels.clone(),
        ..Default::default()
    };
    let apply = |spec: JobSpec, dry_run: bool| ApplyJobRequest {
        key: KEY.to_owned(),
        spec: Some(spec),
        dry_run,
        ..Default::default()
    };
    let rename = |name: &str| UpdateJobRequest {
        key: KEY.to_owned(),
        spec: Some(JobSpec {
            name: name.to_owned(),
            ..Default::default()
        }),
        // google.protobuf.FieldMask is prost-types' FieldMask: its paths are the proto field names.
        update_mask: Some(FieldMask {
            paths: vec!["name".to_owned()],
        }),
        expected_revision: Some(2),
        ..Default::default()
    };
    let by_key = || GetJobRequest {
        key: KEY.to_owned(),
        ..Default::default()
    };
    let delete_by_key = |expected_revision: Option<i64>| DeleteJobRequest {
        key: KEY.to_owned(),
        expected_revision,
        ..Default::default()
    };
    let with_labels = |pairs: &[(&str, &str)]| ListJobsRequest {
        labels: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..Default::default()
    };

    let keyed_job = need(
        step(
            "apply keyed",
            s.apply_job(apply(keyed("parity-keyed", 1), false)).await,
            describe_apply,
        ),
        "the keyed job",
    )
    .job
    .unwrap_or_else(|| fatal("apply keyed returned no job"));
    step(
        "apply keyed again, same spec",
        s.apply_job(apply(keyed("parity-keyed", 1), false)).await,
        describe_apply,
    );
    step(
        "apply keyed, payload changed",
        s.apply_job(apply(keyed("parity-keyed", 2), false)).await,
        describe_apply,
    );
    step(
        "apply keyed, dry run, name changed",
        s.apply_job(apply(keyed(RENAMED, 2), true)).await,
        describe_apply,
    );
    step("get keyed by key", s.get_job(by_key()).await, describe_job);
    step(
        "update keyed name by key, expected_revision 2",
        s.update_job(rename(RENAMED)).await,
        describe_job,
    );
    step(
        "update keyed, stale expected_revision 2",
        s.update_job(rename("parity-keyed-stale")).await,
        describe_job,
    );
    let empty_mask = UpdateJobRequest {
        key: KEY.to_owned(),
        update_mask: Some(FieldMask::default()),
        ..Default::default()
    };
    step(
        "update keyed, empty update_mask",
        s.update_job(empty_mask).await,
        describe_job,
    );
    s.create(
        "create with a taken key",
        CreateJobRequest {
            name: "parity-taken-key".to_owned(),
            key: KEY.to_owned(),
            ..valid()
        },
    )
    .await;
    let both = GetJobRequest {
        key: KEY.to_owned(),
        ..get_by_id(&keyed_job.id)
    };
    step(
        "get with job_id and key",
        s.get_job(both).await,
        describe_job,
    );
    s.create(
        "create labelled",
        CreateJobRequest {
            name: "parity-labelled".to_owned(),
            schedule: Some(interval_ms(60_000)),
            payload: Some(value_of(json!(null))),
            labels: HashMap::from([
                ("team".to_owned(), "parity".to_owned()),
                ("tier".to_owned(), "web".to_owned()),
            ]),
            ..Default::default()
        },
    )
    .await;
    s.list(
        "list labels team=parity",
        with_labels(&[("team", "parity")]),
    )
    .await;
    s.list(
        "list labels team=parity tier=batch",
        with_labels(&[("team", "parity"), ("tier", "batch")]),
    )
    .await;
    step(
        "pause keyed by key",
        s.pause_job(PauseJobRequest {
            key: KEY.to_owned(),
            ..Default::default()
        })
        .await,
        describe_job,
    );
    step(
        "delete keyed by key",
        s.delete_job(delete_by_key(None)).await,
        describe_job,
    );
    step(
        "get keyed by key after delete",
        s.get_job(by_key()).await,
        describe_job,
    );
    step(
        "apply keyed after delete",
        s.apply_job(apply(keyed("parity-keyed", 1), false)).await,
        describe_apply,
    );
    step(
        "delete keyed, stale expected_revision 2",
        s.delete_job(delete_by_key(Some(2))).await,
        describe_job,
    );

    // 9. Policies, describe, waiting and watching.
    let t0_ms = ms_of(&t0);
    let start_at = t0_ms + HOUR_MS;
    let policy_request = CreateJobRequest {
        name: "parity-policy".to_owned(),
        schedule: Some(interval_ms(POLICY_EVERY_MS)),
        payload: Some(value_of(json!(null))),
        policy: Some(SchedulePolicy {
            overlap: OverlapPolicy::Skip.into(),
            catchup_window: Some(duration_ms(300_000)),
            start_at: Some(at_ms(start_at)),
            end_at: Some(at_ms(t0_ms + 11 * HOUR_MS)),
            max_runs: 3,
            jitter: Some(duration_ms(POLICY_JITTER_MS)),
            retry_backoff: Some(RetryBackoff {
                initial: Some(duration_ms(500)),
                maximum: Some(duration_ms(4_000)),
                multiplier: 3.0,
            }),
            pause_on_failure: false,
        }),
        ..Default::default()
    };
    let policy_job = need(
        s.create("create with policy", policy_request).await,
        "the policy job",
    );
    let describe = |upcoming: i32| DescribeJobRequest {
        job_id: policy_job.id.clone(),
        upcoming,
        ..Default::default()
    };
    let by_execution = |id: &str| WatchExecutionsRequest {
        execution_id: id.to_owned(),
        ..Default::default()
    };
    let by_job = |id: &str| WatchExecutionsRequest {
        job_id: id.to_owned(),
        ..Default::default()
    };
    let pause_note = |note: &str| PauseJobRequest {
        job_id: policy_job.id.clone(),
        note: note.to_owned(),
        ..Default::default()
    };
    let resume_note = |note: &str| ResumeJobRequest {
        job_id: policy_job.id.clone(),
        note: note.to_owned(),
        ..Default::default()
    };
    let described = |r: &DescribeJobResponse| describe_description(r, start_at);
    let streamed = |executions: &Vec<JobExecution>| describe_stream(executions);

    step(
        "describe policy, upcoming 2",
        s.describe_job(describe(2)).await,
        described,
    );
    step(
        "describe policy",
        s.describe_job(describe(0)).await,
        described,
    );
    step(
        "describe policy, upcoming 101",
        s.describe_job(describe(101)).await,
        described,
    );
    let first = need(
        s.trigger("trigger policy", &policy_job.id).await,
        "the policy job's execution",
    );
    step(
        "watch the trigger's execution",
        s.watch(by_execution(&first.id)).await,
        streamed,
    );
    step(
        "wait for the trigger's execution",
        s.wait_for(&first.id).await,
        describe_execution,
    );
    s.get("get policy", &policy_job.id).await;
    step(
        "describe policy after the trigger",
        s.describe_job(describe(0)).await,
        described,
    );
    step(
        "pause policy with a note",
        s.pause_job(pause_note("maintenance 窓")).await,
        describe_job,
    );
    step(
        "pause policy again, another note",
        s.pause_job(pause_note("ignored")).await,
        describe_job,
    );
    s.trigger("trigger paused policy", &policy_job.id).await;
    step(
        "describe paused policy",
        s.describe_job(describe(0)).await,
        described,
    );
    step(
        "resume policy with a note",
        s.resume_job(resume_note("back")).await,
        describe_job,
    );
    step(
        "resume policy again, no note",
        s.resume_job(resume_note("")).await,
        describe_job,
    );
    step(
        "pause with a note of 513 code points",
        s.pause_job(pause_note(&"あ".repeat(513))).await,
        describe_job,
    );

    // Runs in flight: the held job's runs stay RUNNING until it is cancelled.
    let held = need(
        s.create(
            "create held",
            CreateJobRequest {
                name: "parity-held".to_owned(),
                schedule: Some(interval_ms(60_000)),
                payload: Some(value_of(json!({"parity": "hold"}))),
                policy: Some(SchedulePolicy {
                    overlap: OverlapPolicy::AllowAll.into(),
                    max_runs: 3,
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await,
        "the held job",
    );
    s.trigger("trigger held", &held.id).await;
    s.get("get held", &held.id).await;
    // One deadline for the whole held watch, which stays open across the next steps.
    let held_deadline = Instant::now() + WATCH_TIMEOUT;
    let first_message = with_deadline(held_deadline, async {
        let mut stream = s.open_watch(by_job(&held.id)).await?;
        match stream.message().await? {
            Some(message) => Ok((stream, message.execution.unwrap_or_default())),
            None => fatal("the watch of the held job ended before its first message"),
        }
    })
    .await;
    let held_watch = step(
        "watch held, first message",
        first_message,
        |(_, execution)| describe_execution(execution),
    )
    .map(|(stream, _)| stream);
    s.trigger("trigger held again", &held.id).await;
    s.trigger_with("trigger held, overlap skip", &held.id, OverlapPolicy::Skip)
        .await;
    s.get("get held, two runs in flight", &held.id).await;
    s.cancel("cancel held", &held.id).await;
    match held_watch {
        Some(stream) => {
            step(
                "watch held, to the end",
                with_deadline(held_deadline, read_to_end(stream)).await,
                streamed,
            );
        }
        None => report("watch held, to the end", "no watch"),
    }
    s.get("get held after cancel", &held.id).await;

    // Pause on failure.
    let failing = need(
        s.create(
            "create failing",
            CreateJobRequest {
                name: "parity-failing".to_owned(),
                schedule: Some(interval_ms(60_000)),
                payload: Some(value_of(json!({"parity": "fail"}))),
                max_retries: Some(0), // explicitly 0
                policy: Some(SchedulePolicy {
                    pause_on_failure: true,
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await,
        "the failing job",
    );
    let failed = s.trigger("trigger failing", &failing.id).await;
    let failed_id = failed.map_or_else(|| MISSING_EXECUTION.to_owned(), |e| e.id);
    step(
        "wait for failing",
        s.wait_for(&failed_id).await,
        describe_execution,
    );
    s.get("get failing", &failing.id).await;

    // max_runs: the policy job's last two runs, then it completes.
    s.trigger("trigger policy, second run", &policy_job.id)
        .await;
    s.trigger("trigger policy, third run", &policy_job.id).await;
    s.get("get policy, max_runs reached", &policy_job.id).await;
    s.trigger("trigger policy, no run left", &policy_job.id)
        .await;
    step(
        "describe completed policy",
        s.describe_job(describe(0)).await,
        described,
    );
    step(
        "watch completed policy",
        s.watch(by_job(&policy_job.id)).await,
        streamed,
    );
    s.executions("list executions policy", &policy_job.id).await;

    // Errors.
    let both = WatchExecutionsRequest {
        job_id: policy_job.id.clone(),
        execution_id: first.id.clone(),
        ..Default::default()
    };
    step(
        "watch with job_id and execution_id",
        s.watch(both).await,
        streamed,
    );
    step(
        "wait for unknown execution",
        s.wait_for(MISSING_EXECUTION).await,
        describe_execution,
    );
    step("watch missing", s.watch(by_job(MISSING)).await, streamed);
    s.create(
        "create policy jitter over 1 day",
        CreateJobRequest {
            policy: Some(SchedulePolicy {
                jitter: Some(duration_ms(86_400_001)),
                ..Default::default()
            }),
            ..valid()
        },
    )
    .await;
    s.create(
        "create policy end_at before start_at",
        CreateJobRequest {
            policy: Some(SchedulePolicy {
                start_at: Some(at_ms(start_at)),
                end_at: Some(at_ms(start_at - 1)),
                ..Default::default()
            }),
            ..valid()
        },
    )
    .await;
    Ok(())
}

#[tokio::main]
async fn main() {
    let address = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("K1S0_SCHEDULER_ADDR").ok())
        .unwrap_or_default();
    if address.is_empty() {
        eprintln!("usage: scenario HOST:PORT (or set K1S0_SCHEDULER_ADDR)");
        std::process::exit(2);
    }
    if let Err(e) = run(&address).await {
        fatal(&e.to_string());
    }
}
