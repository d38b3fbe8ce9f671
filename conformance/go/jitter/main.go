// Command jitter checks the proto's jitter and retry backoff ("Schedule policies") in Go against
// the vectors of proto/testdata/jitter: every delay, capped due time and retry wait is computed
// by package policy from the proto's formulas (crypto/sha256, uint64 arithmetic, float64 products)
// and compared.
//
//	conformance/go/bin/jitter [proto/testdata/jitter]
//
// Prints `ok   <what>` or `FAIL <what>: <why>` per case, then `N case(s), M failed`; exits 1 on any
// mismatch.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/k1s0/scheduler-client/conformance/go/policy"
	"github.com/k1s0/scheduler-client/conformance/go/rfc3339"
)

type delayCase struct {
	JobID           string `json:"job_id"`
	ScheduledAt     string `json:"scheduled_at"`
	ScheduledMs     int64  `json:"scheduled_ms"`
	JitterMs        int64  `json:"jitter_ms"`
	HashU64         string `json:"hash_u64"`
	DelayMs         int64  `json:"delay_ms"`
	NextScheduledAt string `json:"next_scheduled_at"`
	NextScheduledMs *int64 `json:"next_scheduled_ms"`
	DueAt           string `json:"due_at"`
	DueMs           int64  `json:"due_ms"`
}

type backoff struct {
	InitialMs  int64   `json:"initial_ms"`
	MaxMs      int64   `json:"max_ms"`
	Multiplier float64 `json:"multiplier"`
	WaitsMs    []int64 `json:"waits_ms"`
}

// textOf is RFC 3339 UTC text with 3 fraction digits.
func textOf(ms int64) string {
	seconds, millis := ms/1000, ms%1000
	if millis < 0 {
		seconds, millis = seconds-1, millis+1000
	}
	return rfc3339.Format(seconds, int32(millis*1_000_000))
}

func main() {
	dir := "proto/testdata/jitter"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	var delays struct {
		Delays []delayCase `json:"delays"`
		Capped []delayCase `json:"capped"`
	}
	var backoffs struct {
		Backoffs []backoff `json:"backoffs"`
	}
	for file, into := range map[string]any{"delays.json": &delays, "backoff.json": &backoffs} {
		raw, err := os.ReadFile(filepath.Join(dir, file))
		if err == nil {
			err = json.Unmarshal(raw, into)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "jitter: %s: %v (run from the repository root, or pass the folder)\n", file, err)
			os.Exit(2)
		}
	}
	total, failed := 0, 0
	report := func(what string, problems []string) {
		total++
		if len(problems) == 0 {
			fmt.Printf("ok   %s\n", what)
			return
		}
		failed++
		fmt.Printf("FAIL %s: %s\n", what, strings.Join(problems, "; "))
	}
	checkDelay := func(c delayCase) []string {
		var problems []string
		if h := strconv.FormatUint(policy.JitterHash(c.JobID, c.ScheduledMs), 10); h != c.HashU64 {
			problems = append(problems, fmt.Sprintf("H is %s, want %s", h, c.HashU64))
		}
		if d := policy.JitterDelay(c.JobID, c.ScheduledMs, c.JitterMs); d != c.DelayMs {
			problems = append(problems, fmt.Sprintf("delay %d, want %d", d, c.DelayMs))
		}
		if t := textOf(c.ScheduledMs); t != c.ScheduledAt {
			problems = append(problems, fmt.Sprintf("scheduled_at %s, want %s", t, c.ScheduledAt))
		}
		return problems
	}
	name := func(c delayCase) string {
		quoted, _ := json.Marshal(c.JobID)
		return fmt.Sprintf("%s %d jitter %d", strings.ReplaceAll(string(quoted), `\u0026`, "&"), c.ScheduledMs, c.JitterMs)
	}
	for _, c := range delays.Delays {
		report("delay "+name(c), checkDelay(c))
	}
	for _, c := range delays.Capped {
		problems := checkDelay(c)
		if c.NextScheduledMs == nil {
			problems = append(problems, "no next_scheduled_ms")
		} else {
			if due := policy.DueTime(c.JobID, c.ScheduledMs, c.JitterMs, c.NextScheduledMs); due != c.DueMs {
				problems = append(problems, fmt.Sprintf("due %d, want %d", due, c.DueMs))
			}
			if t := textOf(*c.NextScheduledMs); t != c.NextScheduledAt {
				problems = append(problems, fmt.Sprintf("next_scheduled_at %s, want %s", t, c.NextScheduledAt))
			}
		}
		if t := textOf(c.DueMs); t != c.DueAt {
			problems = append(problems, fmt.Sprintf("due_at %s, want %s", t, c.DueAt))
		}
		next := int64(0)
		if c.NextScheduledMs != nil {
			next = *c.NextScheduledMs
		}
		report(fmt.Sprintf("capped %s next %d", name(c), next), problems)
	}
	for _, b := range backoffs.Backoffs {
		var problems []string
		if got := policy.RetryWaits(b.InitialMs, b.MaxMs, b.Multiplier, len(b.WaitsMs)); fmt.Sprint(got) != fmt.Sprint(b.WaitsMs) {
			problems = append(problems, fmt.Sprintf("waits %v, want %v", got, b.WaitsMs))
		}
		report(fmt.Sprintf("backoff %d/%d/%s", b.InitialMs, b.MaxMs, strconv.FormatFloat(b.Multiplier, 'f', -1, 64)), problems)
	}
	fmt.Printf("%d case(s), %d failed\n", total, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
