//! ECMAScript's `Number::toString` of a double, which `JSON.stringify` writes for a number: the
//! shortest digits that read back as it, without a fraction when integral, and with an exponent
//! only below 1e-6 or from 1e21 (`1e-7`, `1e+21`). Rust's `Display` never writes an exponent, and
//! serde_json writes `1.0` for an integral double and an exponent from 1e16 up.

/// The shortest digits that read back as x (finite, positive), in Rust's `{:e}` form
/// ("d.ddddde-7", "1e21": no "+").
///
/// `{:e}` finds how many digits that takes, but where two such digit strings are equally close to
/// x it takes the higher one (-1025327443834615.25 as 1.0253274438346153e15), and Number::toString
/// the even one (…152). So the digits are written again, correctly rounded to that many with ties
/// to even (`{:.N$e}`), and kept when they still read back as x (they could not only at a power of
/// two, where the doubles below x lie closer together than those above).
fn shortest_digits(x: f64) -> String {
    let shortest = format!("{x:e}");
    let digits = shortest
        .split('e')
        .next()
        .map_or(0, |m| m.replace('.', "").len());
    let nearest = format!("{x:.*e}", digits.saturating_sub(1));
    if nearest.parse::<f64>() == Ok(x) {
        nearest
    } else {
        shortest
    }
}

/// ECMAScript's `Number::toString` of x: `NaN`, `Infinity` and `-Infinity` included.
pub fn to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x == 0.0 {
        return "0".to_owned(); // 0 and -0 alike
    }
    if x < 0.0 {
        return format!("-{}", to_string(-x));
    }
    if x.is_infinite() {
        return "Infinity".to_owned();
    }
    let text = shortest_digits(x);
    let (mantissa, exponent) = text.split_once('e').expect("{:e} writes an exponent");
    let e: i32 = exponent.parse().expect("{:e} writes a decimal exponent");
    let s = mantissa.replacen('.', "", 1);
    let s = s.trim_end_matches('0');
    let k = s.len() as i32; // the number of digits
    let n = e + 1; // the position of the decimal point: x = 0.<s> × 10^n
    if k <= n && n <= 21 {
        format!("{s}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &s[..n as usize], &s[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{s}", "0".repeat(-n as usize))
    } else {
        let (first, rest) = s.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let sign = if n - 1 < 0 { '-' } else { '+' };
        format!("{first}{fraction}e{sign}{}", (n - 1).abs())
    }
}

/// A double as `JSON.stringify` writes it: `Number::toString`, and `null` for NaN and the
/// infinities.
pub fn json(x: f64) -> String {
    if x.is_finite() {
        to_string(x)
    } else {
        "null".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_ecmascript_writes_them() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (2.5, "2.5"),
            (-3.0, "-3"),
            (0.1, "0.1"),
            (123456.789, "123456.789"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.25e22, "1.25e+22"),
            (9007199254740993.0, "9007199254740992"),
            (f64::MAX, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ];
        for (x, text) in cases {
            assert_eq!(to_string(x), text, "{x:e}");
        }
    }

    #[test]
    fn equally_near_digits_round_to_even() {
        // `{:e}` writes 1.0253274438346153e15 (the higher of two equally near 17-digit strings).
        assert_eq!(to_string(-1025327443834615.25), "-1025327443834615.2");
    }

    #[test]
    fn json_writes_null_for_what_is_not_finite() {
        assert_eq!(json(f64::NAN), "null");
        assert_eq!(json(f64::INFINITY), "null");
        assert_eq!(json(-2.5), "-2.5");
    }
}
