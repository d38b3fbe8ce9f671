//! Checks the cron corpus (proto/testdata/cron/corpus.json) with the `cron` crate and an adapter.
//!
//! ```sh
//! conformance/rust/target/debug/cron_corpus [corpus.json]
//! ```
//!
//! The `cron` crate walks wall-clock times that match an expression; the adapter around it does what
//! the contract defines and the crate does differently (see "Cron corpus" in conformance/README.md):
//!
//!  1. the dialect check: the crate accepts more (`?`, `a/n`, full names and `Tues`/`Thurs`, any
//!     number of digits, a year field, white space almost anywhere, none at all between `**`) and
//!     less (5 fields, day-of-week 0), so every expression is checked here first;
//!  2. the expression is handed to the crate in a canonical form: seconds first, each field `*` or
//!     a plain list of its values, day-of-week renumbered to the crate's 1-7 with Sunday = 1 (its 7
//!     is Saturday, the contract's 7 is Sunday);
//!  3. the crate always ANDs day-of-month and day-of-week; where the contract ORs them (neither
//!     field exactly `*`), the adapter asks the crate twice, once per day field, and takes the
//!     earlier wall time;
//!  4. the crate knows only the years 1970 to 2100: outside them the adapter searches year by year
//!     in a year of the crate's range with the same calendar (leap or not, January 1 on the same
//!     weekday), pinned with the crate's own year field;
//!  5. daylight saving: the crate runs in UTC here, on naive wall-clock times, and the adapter maps
//!     each wall time to instants with the contract's rules (a fixed time in a gap runs at the first
//!     instant after the gap if that is still the same local day; in a repeat it runs once, at the
//!     earlier instant; other expressions skip gap times and run at both instants of a repeat). Run
//!     in the zone itself, the crate drops a fixed time in a gap, and in a repeat it yields both
//!     instants and then goes back in time (02:00 CEST, 02:00 CET, 02:30 CEST, ...).
//!
//! Prints a `FAIL` line per mismatch, then `N case(s), M failed` (N counts the cases and the
//! invalid expressions), and exits 1 on any mismatch (2 when the corpus cannot be read).
use std::collections::BTreeSet;
use std::process::ExitCode;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, SubsecRound, TimeZone, Utc,
};
use chrono_tz::Tz;
use cron::Schedule;
use k1s0_parity::testdata;
use serde::Deserialize;

/// A field of the dialect: its values, what `*` stands for, its largest step and its names.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    star_max: u32,
    step_max: u32,
    names: &'static [&'static str],
}

const MONTH_NAMES: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DAY_NAMES: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const SECOND: usize = 0;
const MINUTE: usize = 1;
const HOUR: usize = 2;
const DAY_OF_MONTH: usize = 3;
const MONTH: usize = 4;
const DAY_OF_WEEK: usize = 5;
const FIELDS: [Field; 6] = [
    Field {
        name: "second",
        min: 0,
        max: 59,
        star_max: 59,
        step_max: 59,
        names: &[],
    },
    Field {
        name: "minute",
        min: 0,
        max: 59,
        star_max: 59,
        step_max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        star_max: 23,
        step_max: 23,
        names: &[],
    },
    Field {
        name: "day-of-month",
        min: 1,
        max: 31,
        star_max: 31,
        step_max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        star_max: 12,
        step_max: 12,
        names: MONTH_NAMES,
    },
    // 0 and 7 are both Sunday; `*` is 0-6, but a step may reach 7 (`0-7/7`).
    Field {
        name: "day-of-week",
        min: 0,
        max: 7,
        star_max: 6,
        step_max: 7,
        names: DAY_NAMES,
    },
];
/// The longest each month can be (February 29 in leap years).
const MONTH_DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const NICKNAMES: [(&str, &str); 5] = [
    ("@hourly", "0 * * * *"),
    ("@daily", "0 0 * * *"),
    ("@weekly", "0 0 * * 0"),
    ("@monthly", "0 0 1 * *"),
    ("@yearly", "0 0 1 1 *"),
];
/// The years the crate's year field knows (`Years::inclusive_min()` and `inclusive_max()`).
const CRATE_YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;
/// How many years the search for a matching wall time goes on before it gives up.
const SEARCH_YEARS: usize = 500;

/// How far around an instant the offsets are looked at: longer than any offset change is wide.
fn near() -> Duration {
    Duration::hours(26)
}

/// An expression outside the contract's cron dialect (or, the adapter's own fault, one the crate
/// refused in its canonical form).
#[derive(Debug)]
struct DialectError(String);

impl std::fmt::Display for DialectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, DialectError> {
    Err(DialectError(why.into()))
}

/// One or two digits, as the dialect writes numbers.
fn is_number(text: &str) -> bool {
    (1..=2).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

fn value(text: &str, field: &Field) -> Result<u32, DialectError> {
    if is_number(text) {
        let n: u32 = text.parse().expect("one or two ASCII digits");
        if n < field.min || n > field.max {
            return refuse(format!(
                "{} value {text} out of range {}-{}",
                field.name, field.min, field.max
            ));
        }
        return Ok(n);
    }
    // Names: exactly three letters, in any case (the crate would also take "Tues" or "January").
    if text.len() == 3 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        if let Some(i) = field
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(text))
        {
            let i = u32::try_from(i).expect("12 names at most");
            return Ok(if field.name == "month" { i + 1 } else { i });
        }
    }
    refuse(format!("{} {text:?} is not a number or name", field.name))
}

/// The values a field's text stands for, in the contract's numbering (Sunday 0, 7 read as 0).
fn values(text: &str, field: &Field) -> Result<BTreeSet<u32>, DialectError> {
    if text.is_empty() {
        return refuse(format!("{} is empty", field.name));
    }
    let mut set = BTreeSet::new();
    for item in text.split(',') {
        let parts: Vec<&str> = item.split('/').collect();
        if item.is_empty() || parts.len() > 2 {
            return refuse(format!("{} {item:?} is malformed", field.name));
        }
        let mut step = 1;
        if let Some(&text) = parts.get(1) {
            if !is_number(text) {
                return refuse(format!("{} step {text:?}", field.name));
            }
            step = text.parse().expect("one or two ASCII digits");
            if step < 1 || step > field.step_max {
                return refuse(format!(
                    "{} step {step} not in 1-{}",
                    field.name, field.step_max
                ));
            }
        }
        let (low, high) = if parts[0] == "*" {
            (field.min, field.star_max)
        } else {
            let ends: Vec<&str> = parts[0].split('-').collect();
            match ends[..] {
                // `5/15` is `5-59/15` for the crate (and for robfig/cron and croniter); not here.
                [_] if parts.len() == 2 => {
                    return refuse(format!(
                        "{} {item:?}: a step needs * or a range",
                        field.name
                    ))
                }
                [one] => {
                    let v = value(one, field)?;
                    (v, v)
                }
                [from, to] => {
                    let (low, high) = (value(from, field)?, value(to, field)?);
                    if low > high {
                        return refuse(format!("{} range {:?} is reversed", field.name, parts[0]));
                    }
                    (low, high)
                }
                _ => return refuse(format!("{} {item:?} has two dashes", field.name)),
            }
        };
        for v in (low..=high).step_by(step as usize) {
            // 7 is Sunday too.
            set.insert(if field.name == "day-of-week" && v == 7 {
                0
            } else {
                v
            });
        }
    }
    Ok(set)
}

/// An expression read by the dialect, and the crate's schedules for it.
struct Parsed {
    /// The canonical 6-field forms the crate reads: one, or one per day field where the contract
    /// ORs day-of-month and day-of-week.
    forms: Vec<String>,
    schedules: Vec<Schedule>,
    /// Second, minute and hour are each a single number: the gap rule moves such a time, and a
    /// repeat runs it once.
    fixed: bool,
}

/// A field in the crate's terms: `*` only where the text is exactly `*`, otherwise the plain list.
fn canonical(text: &str, values: &BTreeSet<u32>, day_of_week: bool) -> String {
    if text == "*" {
        return "*".to_string();
    }
    // The crate numbers the days of the week 1-7 from Sunday (its 0 is refused, its 7 is Saturday).
    let shown: Vec<String> = values
        .iter()
        .map(|v| if day_of_week { v + 1 } else { *v }.to_string())
        .collect();
    shown.join(",")
}

fn parse(expression: &str) -> Result<Parsed, DialectError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || " \t*,-/@".contains(c);
    if expression.is_empty() || !expression.chars().all(allowed) {
        return refuse("empty or a character outside the dialect");
    }
    if expression.starts_with([' ', '\t']) || expression.ends_with([' ', '\t']) {
        return refuse("white space before or after");
    }
    let mut text = expression;
    if expression.contains('@') {
        match NICKNAMES.iter().find(|(nick, _)| *nick == expression) {
            Some((_, expanded)) => text = expanded,
            None => return refuse("unknown nickname"),
        }
    }
    // Fields are separated by runs of spaces and tabs (there are none before or after).
    let mut parts: Vec<&str> = text.split([' ', '\t']).filter(|p| !p.is_empty()).collect();
    match parts.len() {
        // The crate refuses 5 fields (its seconds field comes first and is required).
        5 => parts.insert(0, "0"),
        6 => {}
        n => return refuse(format!("{n} fields")),
    }
    let mut vals = Vec::with_capacity(6);
    for (text, field) in parts.iter().zip(&FIELDS) {
        vals.push(values(text, field)?);
    }
    let first = |set: &BTreeSet<u32>| *set.first().expect("a field has at least one value");
    let dom_restricted = parts[DAY_OF_MONTH] != "*";
    let dow_restricted = parts[DAY_OF_WEEK] != "*";
    // Whether some listed month has the first listed day (February 29 counts: leap years come).
    let dom_can_fire = vals[MONTH]
        .iter()
        .any(|&m| first(&vals[DAY_OF_MONTH]) <= MONTH_DAYS[m as usize - 1]);
    if dom_restricted && !dow_restricted && !dom_can_fire {
        return refuse("never fires");
    }
    let fixed = [SECOND, MINUTE, HOUR]
        .iter()
        .all(|&i| !parts[i].contains(['*', '/']) && vals[i].len() == 1);
    let fields: Vec<String> = (0..6)
        .map(|i| canonical(parts[i], &vals[i], i == DAY_OF_WEEK))
        .collect();
    let form = |dom: &str, dow: &str| {
        let [s, m, h, _, mon, _] = &fields[..] else {
            unreachable!("six fields")
        };
        format!("{s} {m} {h} {dom} {mon} {dow}")
    };
    // The contract: OR when neither day field is exactly `*`, otherwise the restricted one (AND
    // with `*` is the same). The crate always ANDs them, so the OR is asked as two schedules; a
    // day-of-month that never comes (`30 2 MON`) leaves the day-of-week alone, for the crate would
    // search such a schedule up to 2100 and the adapter on for its 500 years.
    let forms = if dom_restricted && dow_restricted && dom_can_fire {
        vec![
            form(&fields[DAY_OF_MONTH], "*"),
            form("*", &fields[DAY_OF_WEEK]),
        ]
    } else if dom_restricted && dow_restricted {
        vec![form("*", &fields[DAY_OF_WEEK])]
    } else {
        vec![form(&fields[DAY_OF_MONTH], &fields[DAY_OF_WEEK])]
    };
    let schedules = forms
        .iter()
        .map(|f| {
            Schedule::from_str(f).map_err(|e| {
                DialectError(format!(
                    "the cron crate refused the canonical form {f:?}: {e}"
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Parsed {
        forms,
        schedules,
        fixed,
    })
}

/// A year of the crate's range with the same calendar as `year`: leap or not, and January 1 on the
/// same weekday (such a year exists for every one of the 14 calendars within 1970-1997).
fn same_calendar(year: i32) -> i32 {
    let leap = |y: i32| NaiveDate::from_ymd_opt(y, 2, 29).is_some();
    let jan1 = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .expect("January 1 exists")
            .weekday()
    };
    CRATE_YEARS
        .clone()
        .find(|&y| leap(y) == leap(year) && jan1(y) == jan1(year))
        .expect("every calendar occurs in 1970-2100")
}

fn start_of_year(year: i32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .expect("January 1 exists")
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
}

impl Parsed {
    /// The first wall time strictly after `after` that the crate matches with the form `i`.
    fn next_wall_of(&self, i: usize, mut after: NaiveDateTime) -> Result<NaiveDateTime, String> {
        for _ in 0..SEARCH_YEARS {
            // The crate starts at the next whole second, so that second's year is the one searched.
            let year = (after.trunc_subsecs(0) + Duration::seconds(1)).year();
            if CRATE_YEARS.contains(&year) {
                // The schedule runs in UTC: its times are the wall times themselves.
                if let Some(t) = self.schedules[i]
                    .after(&Utc.from_utc_datetime(&after))
                    .next()
                {
                    return Ok(t.naive_utc());
                }
                // Nothing up to 2100 (the crate's last year): go on with 2101.
                after = start_of_year(CRATE_YEARS.end() + 1) - Duration::seconds(1);
                continue;
            }
            // Outside the crate's years: search `year` alone, in a year with the same calendar,
            // pinned by the crate's 7th (year) field.
            let stand_in = same_calendar(year);
            let pinned = format!("{} {stand_in}", self.forms[i]);
            let schedule = Schedule::from_str(&pinned)
                .map_err(|e| format!("the cron crate refused {pinned:?}: {e}"))?;
            let from = if after.year() == year {
                after
                    .with_year(stand_in)
                    .expect("the same calendar has the same dates")
            } else {
                start_of_year(stand_in) - Duration::seconds(1)
            };
            if let Some(t) = schedule.after(&Utc.from_utc_datetime(&from)).next() {
                return Ok(t
                    .naive_utc()
                    .with_year(year)
                    .expect("the same calendar has the same dates"));
            }
            after = start_of_year(year + 1) - Duration::seconds(1);
        }
        Err(format!(
            "no matching wall time in {SEARCH_YEARS} years after {after}"
        ))
    }

    /// The first matching wall time strictly after `after`: the earliest of the forms'.
    fn next_wall(&self, after: NaiveDateTime) -> Result<NaiveDateTime, String> {
        let mut best: Option<NaiveDateTime> = None;
        for i in 0..self.forms.len() {
            let t = self.next_wall_of(i, after)?;
            best = Some(best.map_or(t, |b| b.min(t)));
        }
        Ok(best.expect("at least one form"))
    }
}

/// The zone's offset from UTC at an instant.
fn offset(tz: Tz, t: DateTime<Utc>) -> Duration {
    Duration::seconds(i64::from(
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
    ))
}

/// The local wall-clock time of an instant.
fn wall(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// The instants at which a matching wall time fires, by the contract's daylight-saving rules.
fn instants(tz: Tz, w: NaiveDateTime, fixed: bool) -> Vec<DateTime<Utc>> {
    // The wall time read as if it were UTC: an instant within a day of its real instants.
    let naive = Utc.from_utc_datetime(&w);
    let offsets = [
        offset(tz, naive - near()),
        offset(tz, naive),
        offset(tz, naive + near()),
    ];
    let mut out: Vec<DateTime<Utc>> = Vec::new();
    for off in offsets {
        let t = naive - off;
        if wall(tz, t) == w && !out.contains(&t) {
            out.push(t);
        }
    }
    out.sort();
    if !out.is_empty() {
        // A repeat: a fixed time runs at the earlier instant only.
        if fixed {
            out.truncate(1);
        }
        return out;
    }
    if !fixed {
        // A gap: other expressions skip the times that do not exist.
        return out;
    }
    // A gap and a fixed time: it runs at the first instant after the gap (the change), if that is
    // still the same local date. The change lies between w - largest offset and w - smallest one.
    let (low_off, high_off) = (
        *offsets.iter().min().expect("three offsets"),
        *offsets.iter().max().expect("three offsets"),
    );
    let (mut lo, mut hi) = (naive - high_off, naive - low_off);
    let after = offset(tz, hi);
    while hi - lo > Duration::seconds(1) {
        let mid = lo + Duration::seconds((hi - lo).num_seconds() / 2);
        if offset(tz, mid) == after {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if wall(tz, hi).date() == w.date() {
        vec![hi]
    } else {
        Vec::new()
    }
}

/// The first fire instant strictly after `after`.
fn next_after(parsed: &Parsed, tz: Tz, after: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    // Wall time W fires at instants t = W - offset(t). Only instants after `after` count, so wall
    // times before wall(after) - (offset(after) - smallest offset soon after) cannot fire in time
    // (that difference is positive only before a repeat); and once best is found, a later wall
    // time W can only give an earlier instant if W - (largest offset shortly before best) < best.
    let floor = after.trunc_subsecs(0);
    let now = offset(tz, floor);
    let spread = (now - now.min(offset(tz, floor + near()))).max(Duration::zero());
    let mut cursor = wall(tz, floor) - spread - Duration::seconds(1);
    let mut best: Option<(DateTime<Utc>, Duration)> = None;
    loop {
        cursor = parsed.next_wall(cursor)?;
        if let Some((b, b_max)) = best {
            if Utc.from_utc_datetime(&cursor) - b_max >= b {
                return Ok(b);
            }
        }
        for t in instants(tz, cursor, parsed.fixed) {
            if t > after && best.is_none_or(|(b, _)| t < b) {
                best = Some((t, offset(tz, t - near()).max(offset(tz, t))));
            }
        }
    }
}

#[derive(Deserialize)]
struct Corpus {
    cases: Vec<Case>,
    invalid: Vec<Invalid>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    expression: String,
    timezone: String,
    start: String,
    next: Vec<String>,
}

#[derive(Deserialize)]
struct Invalid {
    expression: String,
    why: String,
}

/// RFC 3339 in UTC with exactly three fractional digits, as the corpus writes instants.
fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The case's instants, or why they could not be computed.
fn run_case(case: &Case) -> Result<Vec<String>, String> {
    let parsed = parse(&case.expression).map_err(|e| e.to_string())?;
    let tz: Tz = case
        .timezone
        .parse()
        .map_err(|e| format!("time zone: {e}"))?;
    let mut at = DateTime::parse_from_rfc3339(&case.start)
        .map_err(|e| format!("start: {e}"))?
        .with_timezone(&Utc);
    let mut got = Vec::with_capacity(case.next.len());
    for _ in &case.next {
        at = next_after(&parsed, tz, at)?;
        got.push(iso(at));
    }
    Ok(got)
}

fn main() -> ExitCode {
    let path = testdata::path(1, "proto/testdata/cron/corpus.json");
    let corpus: Corpus = match testdata::read_json(&path) {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut total, mut failed) = (0, 0);
    for case in &corpus.cases {
        total += 1;
        let label = format!(
            "{:?} in {} after {} ({})",
            case.expression, case.timezone, case.start, case.name
        );
        match run_case(case) {
            Err(e) => {
                failed += 1;
                println!("FAIL {label}: {e}");
            }
            Ok(got) if got != case.next => {
                failed += 1;
                println!(
                    "FAIL {label}:\n  expected [{}]\n  got      [{}]",
                    case.next.join(" "),
                    got.join(" ")
                );
            }
            Ok(_) => {}
        }
    }
    for invalid in &corpus.invalid {
        total += 1;
        if parse(&invalid.expression).is_ok() {
            failed += 1;
            println!(
                "FAIL {:?} ({}) was accepted",
                invalid.expression, invalid.why
            );
        }
    }
    println!("{total} case(s), {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What the `cron` crate itself does, as the adapter above relies on it (`cargo test --bin
/// cron_corpus`): the facts of its column in the table of conformance/README.md.
#[cfg(test)]
mod crate_facts {
    use super::*;
    use chrono_tz::Europe::Berlin;

    fn accepts(expression: &str) -> bool {
        Schedule::from_str(expression).is_ok()
    }

    /// The next `n` times after `start` (UTC), as "Www YYYY-MM-DD HH:MM:SS".
    fn next(expression: &str, start: &str, n: usize) -> Vec<String> {
        let schedule = Schedule::from_str(expression).expect("accepted");
        let start = DateTime::parse_from_rfc3339(start)
            .expect("RFC 3339")
            .with_timezone(&Utc);
        schedule
            .after(&start)
            .take(n)
            .map(|t| t.format("%a %Y-%m-%d %H:%M:%S").to_string())
            .collect()
    }

    /// The next `n` instants after `start` with the schedule run in Europe/Berlin, as UTC "HH:MM".
    fn berlin(expression: &str, start: &str, n: usize) -> Vec<String> {
        let schedule = Schedule::from_str(expression).expect("accepted");
        let start = DateTime::parse_from_rfc3339(start)
            .expect("RFC 3339")
            .with_timezone(&Berlin);
        schedule
            .after(&start)
            .take(n)
            .map(|t| t.with_timezone(&Utc).format("%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn fields_seconds_first_and_an_optional_year_from_1970_to_2100() {
        assert!(!accepts("0 0 * * *"), "5 fields are refused");
        assert_eq!(
            next("5 0 0 * * *", "2026-01-01T00:00:00Z", 1),
            ["Thu 2026-01-01 00:00:05"]
        );
        assert_eq!(
            next("0 0 0 * * * 2027", "2026-01-01T00:00:00Z", 1),
            ["Fri 2027-01-01 00:00:00"]
        );
        assert!(!accepts("0 0 0 * * * 2101") && !accepts("0 0 0 * * * 1969"));
        assert!(!accepts("0 0 0 * * * * *"));
    }

    #[test]
    fn its_search_ends_with_2100() {
        assert_eq!(
            next("0 0 0 1 1 *", "2098-06-01T00:00:00Z", 5),
            ["Thu 2099-01-01 00:00:00", "Fri 2100-01-01 00:00:00"]
        );
        assert!(
            next("0 0 0 29 2 *", "2096-03-01T00:00:00Z", 1).is_empty(),
            "2104-02-29 is out of its reach"
        );
        // A date that never comes is accepted, and yields nothing.
        assert!(next("0 0 0 30 2 *", "2026-01-01T00:00:00Z", 1).is_empty());
    }

    #[test]
    fn day_of_week_is_1_to_7_from_sunday() {
        assert_eq!(
            next("0 0 0 * * 1", "2026-01-01T00:00:00Z", 1),
            ["Sun 2026-01-04 00:00:00"]
        );
        assert_eq!(
            next("0 0 0 * * 7", "2026-01-01T00:00:00Z", 1),
            ["Sat 2026-01-03 00:00:00"]
        );
        assert!(!accepts("0 0 0 * * 0") && !accepts("0 0 0 * * 8"));
        // `*/2` is 1,3,5,7: Sunday, Tuesday, Thursday, Saturday.
        assert_eq!(
            next("0 0 0 * * */2", "2026-01-01T00:00:00Z", 3),
            [
                "Sat 2026-01-03 00:00:00",
                "Sun 2026-01-04 00:00:00",
                "Tue 2026-01-06 00:00:00"
            ]
        );
    }

    #[test]
    fn names_of_any_case_and_length() {
        for e in [
            "0 0 0 * * sunday",
            "0 0 0 * * Tues",
            "0 0 0 * * THURS",
            "0 0 0 * JANUARY *",
            "0 0 0 * jan *",
            "0 0 0 * * Mon-Fri/2",
        ] {
            assert!(accepts(e), "{e}");
        }
        assert!(!accepts("0 0 0 * * Mon/2"), "a step after a single name");
        assert!(
            !accepts("0 0 0 * * FRI-SUN") && !accepts("0 0 0 * DEC-JAN *"),
            "reversed named ranges"
        );
    }

    #[test]
    fn question_mark_but_no_l_w_hash_or_h() {
        assert!(accepts("0 0 0 ? * MON") && accepts("0 0 0 * * ?"));
        assert!(!accepts("? 0 0 * * *"), "? only in the day fields");
        for e in [
            "0 0 0 L * *",
            "0 0 0 * * 5L",
            "0 0 0 15W * *",
            "0 0 0 * * 1#2",
            "H 0 0 * * *",
        ] {
            assert!(!accepts(e), "{e}");
        }
    }

    #[test]
    fn ranges_and_steps() {
        assert_eq!(
            next("5/15 0 0 * * *", "2026-01-01T00:00:00Z", 2),
            ["Thu 2026-01-01 00:00:05", "Thu 2026-01-01 00:00:20"],
            "a/n is a-max/n"
        );
        assert_eq!(
            next("5-5 0 0 * * *", "2026-01-01T00:00:00Z", 2),
            ["Thu 2026-01-01 00:00:05", "Fri 2026-01-02 00:00:05"]
        );
        assert!(!accepts("30-10 0 0 * * *"), "reversed range");
        assert!(
            !accepts("*/0 0 0 * * *") && !accepts("*/60 0 0 * * *") && !accepts("0 0 0 * * */8")
        );
        assert!(
            accepts("0 0 0 * * */7") && accepts("00005 0 0 * * *"),
            "a step up to the field's maximum; any number of digits"
        );
    }

    #[test]
    fn day_of_month_and_day_of_week_are_always_anded() {
        assert_eq!(
            next("0 0 0 1 * MON", "2026-01-01T00:00:00Z", 2),
            ["Mon 2026-06-01 00:00:00", "Mon 2027-02-01 00:00:00"]
        );
        assert_eq!(
            next("0 0 0 1-31 * MON", "2026-01-01T00:00:00Z", 1),
            ["Mon 2026-01-05 00:00:00"]
        );
    }

    #[test]
    fn white_space_almost_anywhere() {
        for e in [
            " 0 0 0 * * * ",
            "0\t0\t0\t*\t*\t*",
            "0\n0 0 * * *",
            " @daily ",
        ] {
            assert!(accepts(e), "{e:?}");
        }
        assert!(!accepts("0\u{a0}0 0 * * *"), "a no-break space");
        // No white space is needed between fields: `**` is two of them; and a list may hold spaces.
        assert_eq!(
            next("0 0 0 ** *", "2026-01-01T00:00:00Z", 1),
            ["Fri 2026-01-02 00:00:00"]
        );
        assert_eq!(
            next("0 0 0 1 , 2 * *", "2026-01-01T00:00:00Z", 2),
            ["Fri 2026-01-02 00:00:00", "Sun 2026-02-01 00:00:00"]
        );
        assert_eq!(
            next("1 - 5 0 0 * * *", "2026-01-01T00:00:00Z", 1),
            ["Thu 2026-01-01 00:00:01"]
        );
        assert_eq!(
            next("*/ 5 0 0 * * *", "2026-01-01T00:00:00Z", 1),
            ["Thu 2026-01-01 00:00:05"]
        );
    }

    #[test]
    fn the_five_nicknames_in_lower_case() {
        for e in ["@yearly", "@monthly", "@weekly", "@daily", "@hourly"] {
            assert!(accepts(e), "{e}");
        }
        for e in [
            "@annually",
            "@midnight",
            "@every 1h",
            "@Daily",
            "@DAILY",
            "TZ=UTC 0 0 0 * * *",
        ] {
            assert!(!accepts(e), "{e}");
        }
        assert_eq!(
            next("@weekly", "2026-01-01T00:00:00Z", 1),
            ["Sun 2026-01-04 00:00:00"]
        );
    }

    #[test]
    fn the_next_whole_second_after_a_fraction() {
        assert_eq!(
            next("* * * * * *", "2026-01-01T00:00:00.500Z", 1),
            ["Thu 2026-01-01 00:00:01"]
        );
    }

    #[test]
    fn daylight_saving_in_a_chrono_tz_zone() {
        // Europe/Berlin, 2026: 02:00-03:00 does not exist on March 29, and 02:00-03:00 comes twice
        // on October 25 (00:00-01:00 UTC in CEST, then 01:00-02:00 UTC in CET).
        assert_eq!(
            berlin("0 30 2 * * *", "2026-03-28T11:00:00Z", 2),
            ["03-30 00:30", "03-31 00:30"],
            "a fixed time in the gap is skipped"
        );
        assert_eq!(
            berlin("0 30 2 * * *", "2026-10-24T10:00:00Z", 3),
            ["10-25 00:30", "10-25 01:30", "10-26 01:30"],
            "and runs twice in the repeat"
        );
        // Both instants of each repeated time, so the times go back: 02:00 CEST, 02:00 CET, 02:30 CEST ...
        assert_eq!(
            berlin("0 */30 * * * *", "2026-10-24T23:00:00Z", 5),
            [
                "10-24 23:30",
                "10-25 00:00",
                "10-25 01:00",
                "10-25 00:30",
                "10-25 01:30"
            ]
        );
        // From 02:10 CET (the second 02:10) the first time is 02:30 CEST, before the start.
        assert_eq!(
            berlin("0 30 2 * * *", "2026-10-25T01:10:00Z", 1),
            ["10-25 00:30"]
        );
    }
}

/// The adapter's own parts.
#[cfg(test)]
mod adapter {
    use super::*;

    fn walls(expression: &str, after: &str, n: usize) -> Vec<String> {
        let parsed = parse(expression).expect("in the dialect");
        let mut at =
            NaiveDateTime::parse_from_str(after, "%Y-%m-%d %H:%M:%S").expect("a wall time");
        (0..n)
            .map(|_| {
                at = parsed.next_wall(at).expect("a matching time");
                at.format("%a %Y-%m-%d %H:%M:%S").to_string()
            })
            .collect()
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(
            parse("*/15 0 * * 7").expect("valid").forms,
            ["0 0,15,30,45 0 * * 1"]
        );
        assert_eq!(
            parse("0 0 1 * 0-7").expect("valid").forms,
            ["0 0 0 1 * *", "0 0 0 * * 1,2,3,4,5,6,7"]
        );
        assert_eq!(parse("0 0 30 2 MON").expect("valid").forms, ["0 0 0 * 2 2"]);
        assert_eq!(parse("@weekly").expect("valid").forms, ["0 0 0 * * 1"]);
    }

    #[test]
    fn the_day_fields_or() {
        assert_eq!(
            walls("0 0 1 * MON", "2026-01-01 00:00:00", 3),
            [
                "Mon 2026-01-05 00:00:00",
                "Mon 2026-01-12 00:00:00",
                "Mon 2026-01-19 00:00:00"
            ]
        );
        assert_eq!(
            walls("0 0 1 * MON", "2026-01-26 00:00:00", 2),
            ["Sun 2026-02-01 00:00:00", "Mon 2026-02-02 00:00:00"]
        );
    }

    #[test]
    fn years_outside_the_crates() {
        assert_eq!(same_calendar(2104), 1980, "leap, January 1 a Tuesday");
        assert_eq!(
            walls("0 0 29 2 *", "2096-03-01 00:00:00", 2),
            ["Fri 2104-02-29 00:00:00", "Wed 2108-02-29 00:00:00"]
        );
        assert_eq!(
            walls("0 0 * * SUN", "2100-12-28 00:00:00", 2),
            ["Sun 2101-01-02 00:00:00", "Sun 2101-01-09 00:00:00"]
        );
        assert_eq!(
            walls("0 0 1 1 *", "1968-06-01 00:00:00", 2),
            ["Wed 1969-01-01 00:00:00", "Thu 1970-01-01 00:00:00"]
        );
    }
}
