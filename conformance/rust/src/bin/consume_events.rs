//! An rdkafka consumer of JobCompletedEvents, as a Rust sibling would run one: a consumer group with
//! MANUAL commit. Each message is decoded by its `content-type` header (the snake_case or proto3
//! JSON of the proto's JobCompletedEvent comment, or binary protobuf decoded with prost), printed,
//! and only then its offset is committed, synchronously. A message that is not a valid event stops
//! the program with exit code 1 and is not committed: the group resumes at it.
//!
//!     consume_events --brokers 127.0.0.1:9092 --topic T --group G [--count N] [--timeout-ms MS]
//!
//! Prints one JSON line per event, in the order consumed:
//!   {"job_id", "execution_id",
//!    "completed_at" (the exact instant as UTC RFC 3339 text with the fewest of 3, 6 or 9 fraction
//!    digits that hold it), "completed_at_seconds", "completed_at_nanos" (the same instant as the
//!    proto's Timestamp), "result" (the proto enum name, e.g. "EXECUTION_RESULT_SUCCEEDED"),
//!    "error" (null if none), "attempt" (0 if unknown), "ignored_fields" (JSON members the event
//!    carried that the contract does not define), "format" ("json" or "protobuf"),
//!    "key" (the message key as text, null if none), "partition", "offset"}.
//! It stops after --count events, or once no message has arrived for --timeout-ms (default 30000):
//! exit code 0 if --count events were read (or no --count was given), 2 if fewer arrived, 1 on a
//! message that is not a valid event, 3 on a Kafka error it cannot go on from.
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::message::{BorrowedMessage, Headers, Message};
use serde_json::json;

use k1s0_parity::kafka_event::{self, Event, Format};
use k1s0_parity::rfc3339;

struct Args {
    brokers: String,
    topic: String,
    group: String,
    count: Option<u64>,
    timeout: Duration,
}

const USAGE: &str =
    "usage: consume_events --brokers HOST:PORT[,...] --topic TOPIC --group GROUP [--count N] [--timeout-ms MS]";

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (mut brokers, mut topic, mut group, mut count, mut timeout_ms) =
        (None, None, None, None, 30_000u64);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--brokers" => brokers = Some(value()?),
            "--topic" => topic = Some(value()?),
            "--group" => group = Some(value()?),
            "--count" => count = Some(value()?.parse().map_err(|e| format!("--count: {e}"))?),
            "--timeout-ms" => {
                timeout_ms = value()?.parse().map_err(|e| format!("--timeout-ms: {e}"))?
            }
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    Ok(Args {
        brokers: brokers.ok_or("--brokers is required")?,
        topic: topic.ok_or("--topic is required")?,
        group: group.ok_or("--group is required")?,
        count,
        timeout: Duration::from_millis(timeout_ms),
    })
}

/// The first `content-type` header, its name matched case-insensitively.
fn content_type<'a>(m: &'a BorrowedMessage<'a>) -> Option<&'a [u8]> {
    let headers = m.headers()?;
    headers
        .iter()
        .find(|h| h.key.eq_ignore_ascii_case("content-type"))
        .and_then(|h| h.value)
}

/// Decodes one message: its format from the header, then the value.
fn decode(m: &BorrowedMessage<'_>) -> Result<(Format, Event), String> {
    let format = Format::of_content_type(content_type(m))?;
    let event = kafka_event::decode(format, m.payload().unwrap_or_default())?;
    Ok((format, event))
}

fn line(m: &BorrowedMessage<'_>, format: Format, e: &Event) -> String {
    let completed_at = rfc3339::format(e.completed_at_seconds, e.completed_at_nanos)
        .expect("a decoded instant lies in the contract's range");
    json!({
        "job_id": e.job_id,
        "execution_id": e.execution_id,
        "completed_at": completed_at,
        "completed_at_seconds": e.completed_at_seconds,
        "completed_at_nanos": e.completed_at_nanos,
        "result": e.result.as_str_name(),
        "error": e.error,
        "attempt": e.attempt,
        "ignored_fields": e.ignored_fields,
        "format": format.name(),
        "key": m.key().and_then(|k| std::str::from_utf8(k).ok()),
        "partition": m.partition(),
        "offset": m.offset(),
    })
    .to_string()
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("consume_events: {e}\n{USAGE}");
            return ExitCode::from(64);
        }
    };
    let consumer: BaseConsumer = match ClientConfig::new()
        .set("bootstrap.servers", &args.brokers)
        .set("group.id", &args.group)
        .set("client.id", "k1s0-parity-rust-consumer")
        // Manual commit: an offset is committed only once its event has been decoded and printed.
        // (enable.auto.offset.store stays on, but without auto commit it commits nothing.)
        .set("enable.auto.commit", "false")
        // A new group starts at the earliest event, as the TypeScript subscriber's does.
        .set("auto.offset.reset", "earliest")
        .create()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("consume_events: cannot create the consumer: {e}");
            return ExitCode::from(3);
        }
    };
    if let Err(e) = consumer.subscribe(&[&args.topic]) {
        eprintln!("consume_events: cannot subscribe to {}: {e}", args.topic);
        return ExitCode::from(3);
    }

    let mut stdout = std::io::stdout().lock();
    let mut read = 0u64;
    let mut last = Instant::now();
    let code = loop {
        if args.count.is_some_and(|n| read >= n) {
            break ExitCode::SUCCESS;
        }
        let idle = last.elapsed();
        if idle >= args.timeout {
            match args.count {
                Some(n) => {
                    eprintln!(
                        "consume_events: {read} of {n} event(s) after {} ms without a message",
                        idle.as_millis()
                    );
                    break ExitCode::from(2);
                }
                None => break ExitCode::SUCCESS,
            }
        }
        let m = match consumer.poll(args.timeout - idle) {
            None => continue,
            // librdkafka reports transient conditions here (a topic not yet known, a broker
            // reconnecting) and recovers by itself; the idle bound ends a wait that never does.
            Some(Err(e)) => {
                eprintln!("consume_events: kafka: {e}");
                continue;
            }
            Some(Ok(m)) => m,
        };
        last = Instant::now();
        let where_ = format!("{}/{}@{}", m.topic(), m.partition(), m.offset());
        let (format, event) = match decode(&m) {
            Ok(d) => d,
            Err(e) => {
                // Not committed: a consumer that starts again in this group meets it again.
                eprintln!("consume_events: {where_}: not a valid JobCompletedEvent: {e}");
                break ExitCode::from(1);
            }
        };
        if let Err(e) =
            writeln!(stdout, "{}", line(&m, format, &event)).and_then(|()| stdout.flush())
        {
            eprintln!("consume_events: cannot write to stdout: {e}");
            break ExitCode::from(3);
        }
        // Commits offset + 1 of this message's partition, and waits for the broker's answer.
        if let Err(e) = consumer.commit_message(&m, CommitMode::Sync) {
            eprintln!("consume_events: {where_}: commit failed: {e}");
            break ExitCode::from(3);
        }
        read += 1;
    };
    // Dropping the consumer leaves the group cleanly (rd_kafka_consumer_close).
    drop(consumer);
    code
}
