// Package rfc3339 is the proto's "Timestamps" rule in Go: it reads RFC 3339 text strictly, to an
// exact instant, and writes it as the producers do.
//
// The adapter: time.Parse(time.RFC3339Nano) checks the calendar (a real day of the month, hours
// 00-23, minutes and seconds 00-59), but it also accepts what the rule refuses: a ',' as the
// decimal mark, more than 9 fraction digits, year 0000, offsets such as +24:00 and +05:60, and
// instants that an offset moves outside the years 0001-9999. So the text must first match the
// rule's exact shape (ASCII digits, upper-case T and Z, 1 to 9 fraction digits), and the year, the
// offset and the instant are checked after parsing.
package rfc3339

import (
	"fmt"
	"regexp"
	"time"
)

var shape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$`)

const (
	minSeconds = -62135596800 // 0001-01-01T00:00:00Z
	maxSeconds = 253402300799 // 9999-12-31T23:59:59Z
)

// Parse reads text by the rule; the exact seconds since the epoch and nanos.
func Parse(text string) (int64, int32, error) {
	if !shape.MatchString(text) {
		return 0, 0, fmt.Errorf("%q is not of the form YYYY-MM-DDTHH:MM:SS[.F](Z|+HH:MM|-HH:MM)", text)
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return 0, 0, err
	}
	if text[:4] == "0000" {
		return 0, 0, fmt.Errorf("%q has year 0000", text)
	}
	if zone := text[len(text)-6:]; zone[0] == '+' || zone[0] == '-' {
		if zone[1:3] > "23" || zone[4:6] > "59" {
			return 0, 0, fmt.Errorf("%q has an offset outside -23:59..+23:59", text)
		}
	}
	if s := t.Unix(); s < minSeconds || s > maxSeconds {
		return 0, 0, fmt.Errorf("%q is outside 0001-01-01T00:00:00Z..9999-12-31T23:59:59.999999999Z", text)
	}
	return t.Unix(), int32(t.Nanosecond()), nil
}

// Format writes UTC text with the fewest of 3, 6 or 9 fraction digits that hold nanos.
func Format(seconds int64, nanos int32) string {
	base := time.Unix(seconds, 0).UTC().Format("2006-01-02T15:04:05")
	switch {
	case nanos%1_000_000 == 0:
		return fmt.Sprintf("%s.%03dZ", base, nanos/1_000_000)
	case nanos%1000 == 0:
		return fmt.Sprintf("%s.%06dZ", base, nanos/1000)
	default:
		return fmt.Sprintf("%s.%09dZ", base, nanos)
	}
}
