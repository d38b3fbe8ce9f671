//! What the proto's "Schedule policies" section defines for every language: the jitter delay of a
//! fire, its capped due time, and the waits of a retry backoff.
use sha2::{Digest, Sha256};

/// H: the first 8 bytes, unsigned big-endian, of SHA-256 of the UTF-8 bytes of `job_id + "\n" + M`,
/// M being `scheduled_ms` in ASCII decimal (`-` before a negative value, `0` for zero). The id's
/// bytes are hashed as they are, with no Unicode normalisation.
pub fn jitter_hash(job_id: &str, scheduled_ms: i64) -> u64 {
    let digest = Sha256::digest(format!("{job_id}\n{scheduled_ms}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    // Unsigned: read as i64, every H at or above 2^63 would give another delay.
    u64::from_be_bytes(first)
}

/// The delay before the cap: H mod `jitter_ms` in unsigned 64-bit arithmetic; 0 without a jitter.
pub fn jitter_delay(job_id: &str, scheduled_ms: i64, jitter_ms: i64) -> i64 {
    if jitter_ms <= 0 {
        return 0;
    }
    // The remainder is below jitter_ms, which fits in an i64.
    (jitter_hash(job_id, scheduled_ms) % jitter_ms as u64) as i64
}

/// The instant plus its delay, capped to stay before the next scheduled instant (`None`: there is none).
pub fn due_time(job_id: &str, scheduled_ms: i64, jitter_ms: i64, next_ms: Option<i64>) -> i64 {
    let mut delay = jitter_delay(job_id, scheduled_ms, jitter_ms);
    if let Some(next) = next_ms {
        delay = delay.min(next - scheduled_ms - 1);
    }
    scheduled_ms + delay
}

/// w(1)..w(k): w(1) = `initial_ms`, w(n+1) = min(floor(w(n) × multiplier), `max_ms`), the product an
/// f64 (an iterative rule, so no `powf` differences between languages).
pub fn retry_waits(initial_ms: i64, max_ms: i64, multiplier: f64, k: usize) -> Vec<i64> {
    let mut waits = vec![initial_ms];
    while waits.len() < k {
        let last = *waits.last().expect("waits starts with w(1)");
        let next = (last as f64 * multiplier).floor() as i64;
        waits.push(next.min(max_ms));
    }
    waits
}
