// Command timestamps checks the proto's "Timestamps" rule in Go against the text-timestamp vectors
// (proto/testdata/timestamps/rfc3339.json): every valid text is read as exactly its {seconds,
// nanos} and written back as its utc text, and every invalid one is refused.
//
//	conformance/go/bin/timestamps [proto/testdata/timestamps/rfc3339.json]
//
// The reader and writer are package rfc3339 (see there for the adapter time.Parse needs).
//
// Prints one line per case and exits 1 on any mismatch.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/k1s0/scheduler-client/conformance/go/rfc3339"
)

type vectors struct {
	Valid []struct {
		Text    string `json:"text"`
		Seconds int64  `json:"seconds"`
		Nanos   int32  `json:"nanos"`
		UTC     string `json:"utc"`
	} `json:"valid"`
	Invalid []struct {
		Text string `json:"text"`
		Why  string `json:"why"`
	} `json:"invalid"`
}

func main() {
	path := "proto/testdata/timestamps/rfc3339.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "timestamps: %v (run from the repository root, or pass the file)\n", err)
		os.Exit(2)
	}
	var v vectors
	if err := json.Unmarshal(raw, &v); err != nil {
		fmt.Fprintf(os.Stderr, "timestamps: %s: %v\n", path, err)
		os.Exit(2)
	}
	failed := 0
	report := func(kind, text string, problems []string) {
		quoted, _ := json.Marshal(text)
		if len(problems) == 0 {
			fmt.Printf("ok   %s %s\n", kind, quoted)
			return
		}
		failed++
		fmt.Printf("FAIL %s %s: %s\n", kind, quoted, strings.Join(problems, "; "))
	}
	for _, c := range v.Valid {
		var problems []string
		s, n, err := rfc3339.Parse(c.Text)
		switch {
		case err != nil:
			problems = append(problems, "refused: "+err.Error())
		case s != c.Seconds || n != c.Nanos:
			problems = append(problems, fmt.Sprintf("read as {%d %d}, want {%d %d}", s, n, c.Seconds, c.Nanos))
		case rfc3339.Format(s, n) != c.UTC:
			problems = append(problems, fmt.Sprintf("written as %s, want %s", rfc3339.Format(s, n), c.UTC))
		}
		report("valid", c.Text, problems)
	}
	for _, c := range v.Invalid {
		var problems []string
		if s, n, err := rfc3339.Parse(c.Text); err == nil {
			problems = append(problems, fmt.Sprintf("read as {%d %d}, but it is invalid (%s)", s, n, c.Why))
		}
		report("invalid", c.Text, problems)
	}
	fmt.Printf("%d case(s), %d failed\n", len(v.Valid)+len(v.Invalid), failed)
	if failed > 0 {
		os.Exit(1)
	}
}
