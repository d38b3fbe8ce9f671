//! The transcript format (conformance/README.md, "The transcript format"), the same in every
//! language: one line per step, `<label> -> <outcome>`.
use std::collections::BTreeMap;

use chrono::DateTime;
use prost_types::value::Kind;
use prost_types::{Duration, Timestamp, Value};

use crate::js_number;
use crate::pb::{
    schedule, ApplyAction, ApplyJobResponse, ExecutionResult, Job, JobExecution, JobStats,
    JobStatus, OverlapPolicy, Schedule, SchedulePolicy,
};

/// An enum field by its proto name. prost keeps enum fields as `i32`; its getters (`job.status()`)
/// turn a number the client does not know into the default value, so this reads the number
/// itself and prints an unknown one as it is.
fn enum_name<E: TryFrom<i32>>(number: i32, name: fn(&E) -> &'static str) -> String {
    E::try_from(number).map_or_else(|_| number.to_string(), |e| name(&e).to_owned())
}

pub fn job_status_name(number: i32) -> String {
    enum_name(number, JobStatus::as_str_name)
}

pub fn result_name(number: i32) -> String {
    enum_name(number, ExecutionResult::as_str_name)
}

pub fn overlap_name(number: i32) -> String {
    enum_name(number, OverlapPolicy::as_str_name)
}

pub fn action_name(number: i32) -> String {
    enum_name(number, ApplyAction::as_str_name)
}

// --- Times and durations ---------------------------------------------------------------------

/// A timestamp in milliseconds since the epoch (the nanos below a millisecond dropped).
pub fn ms_of(ts: &Timestamp) -> i64 {
    ts.seconds * 1000 + i64::from(ts.nanos).div_euclid(1_000_000)
}

/// The timestamp of a number of milliseconds since the epoch (nanos are never negative).
pub fn at_ms(ms: i64) -> Timestamp {
    Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }
}

/// A duration of whole milliseconds.
pub fn duration_ms(ms: i64) -> Duration {
    Duration {
        seconds: ms / 1000,
        nanos: (ms % 1000 * 1_000_000) as i32,
    }
}

/// RFC 3339 in UTC with exactly three fraction digits (truncated, not rounded), or `-` when unset.
pub fn fmt_time(ts: Option<&Timestamp>) -> String {
    let Some(ts) = ts else { return "-".to_owned() };
    u32::try_from(ts.nanos)
        .ok()
        .and_then(|nanos| DateTime::from_timestamp(ts.seconds, nanos))
        .map_or_else(
            || format!("invalid-timestamp({}s,{}ns)", ts.seconds, ts.nanos),
            |t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        )
}

/// A duration in whole milliseconds: `300000ms`, or `-` when unset. It is computed from seconds
/// and nanos: `std::time::Duration` cannot hold a negative duration, and chrono's `TimeDelta`
/// stops at about 292 million years.
pub fn fmt_duration(d: Option<&Duration>) -> String {
    d.map_or_else(
        || "-".to_owned(),
        |d| format!("{}ms", d.seconds * 1000 + i64::from(d.nanos) / 1_000_000),
    )
}

// --- JSON ------------------------------------------------------------------------------------

/// A string as JSON text: `"`, `\` and control characters escaped, everything else as it is.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a str always serialises")
}

/// A `google.protobuf.Value` as JSON text with no white space and object keys sorted (a Struct's
/// fields are a BTreeMap, so by their UTF-8 bytes). An unset Value is JSON null.
pub fn canonical_json(value: Option<&Value>) -> String {
    fn write(out: &mut String, value: Option<&Value>) {
        match value.and_then(|v| v.kind.as_ref()) {
            None | Some(Kind::NullValue(_)) => out.push_str("null"),
            Some(Kind::BoolValue(b)) => out.push_str(if *b { "true" } else { "false" }),
            Some(Kind::NumberValue(x)) => out.push_str(&js_number::json(*x)),
            Some(Kind::StringValue(s)) => out.push_str(&json_string(s)),
            Some(Kind::ListValue(list)) => {
                out.push('[');
                for (i, item) in list.values.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(out, Some(item));
                }
                out.push(']');
            }
            Some(Kind::StructValue(object)) => {
                out.push('{');
                for (i, (key, item)) in object.fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string(key));
                    out.push(':');
                    write(out, Some(item));
                }
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    write(&mut out, value);
    out
}

/// The labels as a JSON object with sorted keys and no white space (`{}` when there are none).
pub fn canonical_labels<'a>(labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> String {
    let sorted: BTreeMap<_, _> = labels.into_iter().collect();
    serde_json::to_string(&sorted).expect("a map of strings always serialises")
}

// --- Messages --------------------------------------------------------------------------------

pub fn describe_schedule(s: Option<&Schedule>) -> String {
    match s.and_then(|s| s.kind.as_ref()) {
        Some(schedule::Kind::Cron(c)) => format!("cron({}, {})", c.expression, c.timezone),
        Some(schedule::Kind::OneShot(o)) => format!("one_shot({})", fmt_time(o.run_at.as_ref())),
        Some(schedule::Kind::Interval(i)) => {
            format!("interval({})", fmt_duration(i.every.as_ref()))
        }
        None => "none".to_owned(),
    }
}

/// The policy as the server returns it; `-` for the whole policy, the whole backoff or a field left unset.
pub fn describe_policy(p: Option<&SchedulePolicy>) -> String {
    let Some(p) = p else { return "-".to_owned() };
    let backoff = p.retry_backoff.as_ref().map_or_else(
        || "-".to_owned(),
        |b| {
            format!(
                "{}/{}/{}",
                fmt_duration(b.initial.as_ref()),
                fmt_duration(b.maximum.as_ref()),
                js_number::json(b.multiplier)
            )
        },
    );
    let fields = [
        format!("overlap={}", overlap_name(p.overlap)),
        format!("catchup_window={}", fmt_duration(p.catchup_window.as_ref())),
        format!("start_at={}", fmt_time(p.start_at.as_ref())),
        format!("end_at={}", fmt_time(p.end_at.as_ref())),
        format!("max_runs={}", p.max_runs),
        format!("jitter={}", fmt_duration(p.jitter.as_ref())),
        format!("retry_backoff={backoff}"),
        format!("pause_on_failure={}", p.pause_on_failure),
    ];
    format!("{{{}}}", fields.join(","))
}

pub fn describe_stats(s: Option<&JobStats>) -> String {
    let s = s.copied().unwrap_or_default();
    format!(
        "{{runs:{},succeeded:{},failed:{},timed_out:{},skipped:{},missed:{}}}",
        s.runs, s.succeeded, s.failed, s.timed_out, s.skipped, s.missed
    )
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "-"
    } else {
        s
    }
}

pub fn describe_job(j: &Job) -> String {
    let running: Vec<String> = j
        .running_executions
        .iter()
        .map(|e| format!("exec={}", e.id))
        .collect();
    [
        job_status_name(j.status),
        format!("job={}", j.id),
        format!("name={}", j.name),
        format!("schedule={}", describe_schedule(j.schedule.as_ref())),
        format!("payload={}", canonical_json(j.payload.as_ref())),
        format!("max_retries={}", j.max_retries),
        format!("timeout_secs={}", j.timeout_secs),
        format!("created_at={}", fmt_time(j.created_at.as_ref())),
        format!("next_run_at={}", fmt_time(j.next_run_at.as_ref())),
        format!("key={}", or_dash(&j.key)),
        format!("labels={}", canonical_labels(&j.labels)),
        format!("revision={}", j.revision),
        format!("policy={}", describe_policy(j.policy.as_ref())),
        format!("stats={}", describe_stats(j.stats.as_ref())),
        format!("last_run_at={}", fmt_time(j.last_run_at.as_ref())),
        format!("last_result={}", result_name(j.last_result)),
        format!("running=({})", running.join(",")),
        format!("remaining_runs={}", j.remaining_runs),
        // Last: the note is free text.
        format!("status_note={}", or_dash(&j.status_note)),
    ]
    .join(" ")
}

/// `<n> <noun>`, then `: ` and the items when there are any.
fn join_counted(noun: &str, items: &[String], separator: &str) -> String {
    if items.is_empty() {
        format!("0 {noun}")
    } else {
        format!("{} {noun}: {}", items.len(), items.join(separator))
    }
}

pub fn describe_jobs(jobs: &[Job]) -> String {
    let items: Vec<String> = jobs
        .iter()
        .map(|j| format!("{} ({} job={})", j.name, job_status_name(j.status), j.id))
        .collect();
    join_counted("job(s)", &items, ", ")
}

pub fn describe_execution(e: &JobExecution) -> String {
    [
        result_name(e.result),
        format!("exec={}", e.id),
        format!("job={}", e.job_id),
        format!("attempt={}", e.attempt),
        format!("started_at={}", fmt_time(e.started_at.as_ref())),
        format!("finished_at={}", fmt_time(e.finished_at.as_ref())),
        // `error` is `optional`: None is unset, and prints `-`; an empty text prints as it is.
        format!("error={}", e.error.as_deref().unwrap_or("-")),
    ]
    .join(" ")
}

pub fn describe_executions(executions: &[JobExecution]) -> String {
    let items: Vec<String> = executions.iter().map(describe_execution).collect();
    join_counted("execution(s)", &items, "; ")
}

/// The messages of a WatchExecutions stream that ended OK.
pub fn describe_stream(executions: &[JobExecution]) -> String {
    let items: Vec<String> = executions.iter().map(describe_execution).collect();
    join_counted("message(s)", &items, "; ")
}

/// The action, the changed fields, then the job (`no job` when a dry run would create it).
pub fn describe_apply(r: &ApplyJobResponse) -> String {
    let job = r
        .job
        .as_ref()
        .map_or_else(|| "no job".to_owned(), describe_job);
    format!(
        "{} changed_fields=[{}] {job}",
        action_name(r.action),
        r.changed_fields.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_keep_three_fraction_digits_truncated() {
        assert_eq!(
            fmt_time(Some(&Timestamp {
                seconds: 4_102_444_800,
                nanos: 1_999_999
            })),
            "2100-01-01T00:00:00.001Z"
        );
        assert_eq!(fmt_time(Some(&at_ms(-1))), "1969-12-31T23:59:59.999Z");
        assert_eq!(fmt_time(None), "-");
    }
}
