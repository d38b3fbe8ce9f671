// Package policy computes what the proto's "Schedule policies" section defines for every language:
// the jitter delay of a fire, its capped due time, and the waits of a retry backoff.
package policy

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"strconv"
)

// JitterHash is H: the first 8 bytes, unsigned big-endian, of SHA-256 of UTF-8 `jobID + "\n" + M`,
// M being scheduledMs in ASCII decimal ("-" before a negative value, "0" for zero).
func JitterHash(jobID string, scheduledMs int64) uint64 {
	sum := sha256.Sum256([]byte(jobID + "\n" + strconv.FormatInt(scheduledMs, 10)))
	return binary.BigEndian.Uint64(sum[:8])
}

// JitterDelay is the delay before the cap: H mod jitterMs, in unsigned 64-bit arithmetic; 0 without a jitter.
func JitterDelay(jobID string, scheduledMs, jitterMs int64) int64 {
	if jitterMs <= 0 {
		return 0
	}
	return int64(JitterHash(jobID, scheduledMs) % uint64(jitterMs))
}

// DueTime is the instant plus its delay, capped to stay before the next scheduled instant (nil: none).
func DueTime(jobID string, scheduledMs, jitterMs int64, next *int64) int64 {
	d := JitterDelay(jobID, scheduledMs, jitterMs)
	if next != nil && *next-scheduledMs-1 < d {
		d = *next - scheduledMs - 1
	}
	return scheduledMs + d
}

// RetryWaits is w(1)..w(k): w(1) = initialMs, w(n+1) = min(floor(w(n) x multiplier), maxMs), the
// product a float64.
func RetryWaits(initialMs, maxMs int64, multiplier float64, k int) []int64 {
	waits := []int64{initialMs}
	for len(waits) < k {
		w := int64(math.Floor(float64(waits[len(waits)-1]) * multiplier))
		waits = append(waits, min(w, maxMs))
	}
	return waits
}
