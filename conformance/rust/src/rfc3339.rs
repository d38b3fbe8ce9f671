//! The proto's "Timestamps" rule in Rust: RFC 3339 text read strictly, to an exact instant, and
//! written as the producers write it.
//!
//! The rule accepts exactly `YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)`, F being 1 to 9 digits, with
//! a real day of the month, hours 00-23, minutes and seconds 00-59, an offset of at most 23:59 either
//! way, and the instant (once the offset is applied) in 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z.
//!
//! The adapter: chrono's `DateTime::parse_from_rfc3339` checks the calendar (30 February, hour 24,
//! minute 60) and refuses offsets of 24:00 or more and offset minutes of 60 or more, but it also
//! accepts what the rule refuses:
//!
//! - a lower-case `t` or `z`, and a space instead of `T`;
//! - more than 9 fraction digits (the digits after the ninth are dropped, not rounded);
//! - a leap second, `:60`, at the end of any minute (read as second 59 with 1,000,000,000 nanos
//!   more, so `timestamp()` alone hides it);
//! - U+2212 MINUS SIGN as the sign of the offset;
//! - year 0000, and instants that an offset moves outside the years 0001-9999.
//!
//! So the text must first match the rule's exact shape (ASCII digits, upper-case `T` and `Z`, 1 to
//! 9 fraction digits, an ASCII `+` or `-` offset), and the year, the leap second, the offset and the
//! instant are checked after chrono has read it.
use chrono::format::ParseErrorKind;
use chrono::{DateTime, Datelike, Timelike};

/// 0001-01-01T00:00:00Z in seconds since the epoch.
pub const MIN_SECONDS: i64 = -62_135_596_800;
/// 9999-12-31T23:59:59Z in seconds since the epoch.
pub const MAX_SECONDS: i64 = 253_402_300_799;

/// The rule's form, as the refusals name it.
const FORM: &str = "YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)";

/// Whether `text` has the rule's exact shape; the calendar is checked apart.
fn has_shape(text: &str) -> bool {
    // Bytes, not chars: a byte of a multi-byte UTF-8 sequence is never an ASCII digit or sign, so
    // full-width digits, U+2212 and the like fail here.
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    let date_time = digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && at(10, b'T')
        && digits(11..13)
        && at(13, b':')
        && digits(14..16)
        && at(16, b':')
        && digits(17..19);
    if !date_time {
        return false;
    }
    let mut i = 19;
    if at(i, b'.') {
        let fraction = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if !(1..=9).contains(&fraction) {
            return false;
        }
        i += 1 + fraction;
    }
    match &b[i..] {
        [b'Z'] => true,
        [b'+' | b'-', ..] => {
            b.len() == i + 6 && digits(i + 1..i + 3) && at(i + 3, b':') && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

/// Reads `text` by the rule: the exact seconds since 1970-01-01T00:00:00Z and the nanos
/// (0 to 999,999,999), or why the text is refused.
pub fn parse(text: &str) -> Result<(i64, i32), String> {
    if !has_shape(text) {
        return Err(format!("{text:?} is not of the form {FORM}"));
    }
    // The shape holds, so every byte is ASCII and these slices fall on char boundaries.
    let t = DateTime::parse_from_rfc3339(text).map_err(|e| match e.kind() {
        ParseErrorKind::OutOfRange => {
            format!("{text:?} has a month, day, hour, minute, second or offset that does not exist")
        }
        _ => format!("{text:?}: {e}"),
    })?;
    if t.year() == 0 {
        return Err(format!("{text:?} has year 0000"));
    }
    // chrono keeps a leap second as second 59 with nanos of 1,000,000,000 or more.
    if t.nanosecond() >= 1_000_000_000 {
        return Err(format!("{text:?} has second 60 (a leap second)"));
    }
    // chrono refuses these already; the rule is checked here so that it does not rest on that.
    if let Some(zone) = text
        .get(text.len() - 6..)
        .filter(|z| z.starts_with(['+', '-']))
    {
        if &zone[1..3] > "23" || &zone[4..6] > "59" {
            return Err(format!("{text:?} has an offset outside -23:59..+23:59"));
        }
    }
    let seconds = t.timestamp();
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) {
        return Err(format!(
            "{text:?} is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z"
        ));
    }
    let nanos = i32::try_from(t.nanosecond()).expect("nanos below 1,000,000,000 fit an i32");
    Ok((seconds, nanos))
}

/// Writes a Timestamp as UTC text with `Z` and the fewest of 3, 6 or 9 fraction digits that hold
/// `nanos` (`2026-11-22T10:00:00.000Z`, `2026-11-22T10:00:00.123456Z`), as the Kafka JSON event
/// carries it; a value outside the rule's range, or nanos outside 0..=999,999,999, is refused.
pub fn format(seconds: i64, nanos: i32) -> Result<String, String> {
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&seconds) || !(0..1_000_000_000).contains(&nanos) {
        return Err(format!("{{seconds: {seconds}, nanos: {nanos}}} is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z"));
    }
    let t = DateTime::from_timestamp(seconds, 0)
        .expect("every second of 0001..9999 is a chrono DateTime");
    let fraction = if nanos % 1_000_000 == 0 {
        format!("{:03}", nanos / 1_000_000)
    } else if nanos % 1000 == 0 {
        format!("{:06}", nanos / 1000)
    } else {
        format!("{nanos:09}")
    };
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{fraction}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What chrono's own reader accepts beyond the rule: the reason for the adapter.
    #[test]
    fn chrono_alone_accepts_more_than_the_rule() {
        for text in [
            "2026-11-22t10:00:00Z",
            "2026-11-22T10:00:00z",
            "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00.1234567890Z",
            "2016-12-31T23:59:60Z",
            "2026-01-01T10:00:60Z",
            "2026-11-22T10:00:00\u{2212}05:00",
            "0000-01-01T00:00:00Z",
            "0001-01-01T00:30:00+01:00",
            "9999-12-31T23:30:00-01:00",
        ] {
            assert!(
                DateTime::parse_from_rfc3339(text).is_ok(),
                "chrono refuses {text:?}"
            );
            assert!(parse(text).is_err(), "the adapter accepts {text:?}");
        }
        // Digits past the ninth are dropped, not rounded.
        let t = DateTime::parse_from_rfc3339("2026-11-22T10:00:00.1234567899Z")
            .expect("chrono reads 10 digits");
        assert_eq!(t.nanosecond(), 123_456_789);
        // What chrono refuses as the rule does.
        for text in [
            "2026-11-22T10:00:00+24:00",
            "2026-11-22T10:00:00+05:60",
            "2026-02-30T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-11-22T10:00:00,5Z",
        ] {
            assert!(
                DateTime::parse_from_rfc3339(text).is_err(),
                "chrono accepts {text:?}"
            );
        }
    }

    /// What prost-types' reader (`Timestamp::from_str`, which prost-reflect uses for a Timestamp in
    /// proto3 JSON, adding only the 0001-9999 range check) accepts beyond the rule: proto3 JSON read
    /// with prost-reflect needs this module's reader where the rule applies.
    #[test]
    fn prost_types_alone_accepts_more_than_the_rule() {
        use prost_types::Timestamp;
        for text in [
            "2026-11-22t10:00:00Z",
            "2026-11-22T10:00:00z",
            "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00 Z",
            "2026-11-22T10:00:00.1234567890Z",
            "2026-11-22T10:00:00+0900",
            "2026-11-22T10:00:00+09",
            "2026-11-22T10:00:00",
            "2026-11-22",
            "0000-01-01T00:00:00Z",
            "-0001-01-01T00:00:00Z",
        ] {
            assert!(
                text.parse::<Timestamp>().is_ok(),
                "prost-types refuses {text:?}"
            );
            assert!(parse(text).is_err(), "the adapter accepts {text:?}");
        }
        // No zone is read as UTC, and a leap second as second 59: a value the text does not hold.
        let read = |text: &str| text.parse::<Timestamp>().map(|t| (t.seconds, t.nanos));
        assert_eq!(read("2026-11-22T10:00:00"), Ok((1_795_341_600, 0)));
        assert_eq!(read("2016-12-31T23:59:60Z"), Ok((1_483_228_799, 0)));
        // Its writer (Display) gives 0, 3, 6 or 9 fraction digits: the proto3 JSON form.
        assert_eq!(
            Timestamp {
                seconds: 0,
                nanos: 0
            }
            .to_string(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp {
                seconds: 0,
                nanos: 500_000_000
            }
            .to_string(),
            "1970-01-01T00:00:00.500Z"
        );
        assert_eq!(
            Timestamp {
                seconds: 0,
                nanos: 1
            }
            .to_string(),
            "1970-01-01T00:00:00.000000001Z"
        );
    }

    #[test]
    fn reads_exactly_and_writes_the_fewest_of_3_6_or_9_digits() {
        assert_eq!(
            parse("2026-11-22T19:00:00.5+09:00"),
            Ok((1_795_341_600, 500_000_000))
        );
        assert_eq!(
            parse("9999-12-31T23:59:59.999999999-00:00"),
            Ok((MAX_SECONDS, 999_999_999))
        );
        assert_eq!(format(0, 0).as_deref(), Ok("1970-01-01T00:00:00.000Z"));
        assert_eq!(
            format(-1, 999_999_999).as_deref(),
            Ok("1969-12-31T23:59:59.999999999Z")
        );
        assert_eq!(
            format(MIN_SECONDS, 123_400_000).as_deref(),
            Ok("0001-01-01T00:00:00.123400Z")
        );
        assert!(format(MAX_SECONDS + 1, 0).is_err());
        assert!(format(0, 1_000_000_000).is_err());
    }
}
