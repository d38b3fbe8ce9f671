// Command croncorpus checks the cron corpus (proto/testdata/cron/corpus.json) with
// github.com/robfig/cron/v3 and an adapter.
//
//	conformance/go/bin/croncorpus [corpus.json]
//
// robfig/cron walks wall-clock times that match an expression; the adapter around it does what the
// contract defines and robfig/cron does differently (see "Cron corpus" in conformance/README.md):
//
//  1. the dialect check: robfig/cron accepts more (?, `a/n`, @every, @annually, @midnight, TZ=
//     prefixes) and less (day-of-week 7), so every expression is checked here first;
//  2. the expression is handed to robfig/cron in a canonical form: seconds first, each field `*` or
//     a plain list of its values, day-of-week 7 as 0, so robfig's day rule (AND when either day
//     field carries its star bit, which `*/1` and `*,5` also set) cannot change the meaning;
//  3. robfig/cron gives up after 5 years (a Feb 29 across 2100 is 8 years away): the search resumes;
//  4. daylight saving: robfig/cron runs in UTC here, as naive wall-clock times, and the adapter maps
//     each wall time to instants with the contract's rules (a fixed time in a gap runs at the first
//     instant after the gap if that is still the same local day; in a repeat it runs once, at the
//     earlier instant; other expressions skip gap times and run at both instants of a repeat).
//
// Prints `N case(s), M failed` (N counts the cases and the invalid expressions) and exits 1 on any
// mismatch.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

type field struct {
	name              string
	min, max, starMax int
	stepMax           int
	names             []string
}

var (
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	fields     = []field{
		{"second", 0, 59, 59, 59, nil},
		{"minute", 0, 59, 59, 59, nil},
		{"hour", 0, 23, 23, 23, nil},
		{"day-of-month", 1, 31, 31, 31, nil},
		{"month", 1, 12, 12, 12, monthNames},
		{"day-of-week", 0, 7, 6, 7, dayNames},
	}
	monthDays = []int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
	nicknames = map[string]string{
		"@hourly":  "0 * * * *",
		"@daily":   "0 0 * * *",
		"@weekly":  "0 0 * * 0",
		"@monthly": "0 0 1 * *",
		"@yearly":  "0 0 1 1 *",
	}
	digits    = regexp.MustCompile(`^[0-9]{1,2}$`)
	name3     = regexp.MustCompile(`^[A-Za-z]{3}$`)
	allowed   = regexp.MustCompile(`^[ \t0-9A-Za-z*,\-/@]*$`)
	separator = regexp.MustCompile(`[ \t]+`)
	parser    = cron.NewParser(cron.Second | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
)

const near = 26 * time.Hour

type parsed struct {
	schedule cron.Schedule
	fixed    bool
}

func value(text string, f field) (int, error) {
	if digits.MatchString(text) {
		n, _ := strconv.Atoi(text)
		if n < f.min || n > f.max {
			return 0, fmt.Errorf("%s value %s out of range %d-%d", f.name, text, f.min, f.max)
		}
		return n, nil
	}
	if f.names != nil && name3.MatchString(text) {
		for i, n := range f.names {
			if n == strings.ToUpper(text) {
				if f.name == "month" {
					return i + 1, nil
				}
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("%s %q is not a number or name", f.name, text)
}

func values(text string, f field) ([]int, error) {
	if text == "" {
		return nil, fmt.Errorf("%s is empty", f.name)
	}
	set := map[int]bool{}
	for _, item := range strings.Split(text, ",") {
		parts := strings.Split(item, "/")
		if item == "" || len(parts) > 2 {
			return nil, fmt.Errorf("%s %q is malformed", f.name, item)
		}
		step := 1
		if len(parts) == 2 {
			if !digits.MatchString(parts[1]) {
				return nil, fmt.Errorf("%s step %q", f.name, parts[1])
			}
			step, _ = strconv.Atoi(parts[1])
			if step < 1 || step > f.stepMax {
				return nil, fmt.Errorf("%s step %d not in 1-%d", f.name, step, f.stepMax)
			}
		}
		var low, high int
		if parts[0] == "*" {
			low, high = f.min, f.starMax
		} else {
			ends := strings.Split(parts[0], "-")
			var err error
			switch len(ends) {
			case 1:
				if len(parts) == 2 {
					return nil, fmt.Errorf("%s %q: a step needs * or a range", f.name, item)
				}
				if low, err = value(ends[0], f); err != nil {
					return nil, err
				}
				high = low
			case 2:
				if low, err = value(ends[0], f); err != nil {
					return nil, err
				}
				if high, err = value(ends[1], f); err != nil {
					return nil, err
				}
				if low > high {
					return nil, fmt.Errorf("%s range %q is reversed", f.name, parts[0])
				}
			default:
				return nil, fmt.Errorf("%s %q has two dashes", f.name, item)
			}
		}
		for v := low; v <= high; v += step {
			if f.name == "day-of-week" && v == 7 {
				set[0] = true // 7 is Sunday too
			} else {
				set[v] = true
			}
		}
	}
	out := make([]int, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Ints(out)
	return out, nil
}

// parse checks an expression against the dialect and builds robfig's schedule of its canonical form.
func parse(expression string) (*parsed, error) {
	if expression == "" || !allowed.MatchString(expression) {
		return nil, errors.New("empty or a character outside the dialect")
	}
	if strings.ContainsAny(expression[:1], " \t") || strings.ContainsAny(expression[len(expression)-1:], " \t") {
		return nil, errors.New("white space before or after")
	}
	text := expression
	if strings.Contains(expression, "@") {
		expanded, ok := nicknames[expression]
		if !ok {
			return nil, errors.New("unknown nickname")
		}
		text = expanded
	}
	parts := separator.Split(text, -1)
	if len(parts) == 5 {
		parts = append([]string{"0"}, parts...)
	} else if len(parts) != 6 {
		return nil, fmt.Errorf("%d fields", len(parts))
	}
	vals := make([][]int, 6)
	canonical := make([]string, 6)
	for i, p := range parts {
		v, err := values(p, fields[i])
		if err != nil {
			return nil, err
		}
		vals[i] = v
		if p == "*" {
			canonical[i] = "*"
		} else {
			strs := make([]string, len(v))
			for j, n := range v {
				strs[j] = strconv.Itoa(n)
			}
			canonical[i] = strings.Join(strs, ",")
		}
	}
	if parts[3] != "*" && parts[5] == "*" {
		fires := false
		for _, m := range vals[4] {
			fires = fires || vals[3][0] <= monthDays[m-1]
		}
		if !fires {
			return nil, errors.New("never fires")
		}
	}
	fixed := true
	for i := 0; i < 3; i++ {
		fixed = fixed && !strings.ContainsAny(parts[i], "*/") && len(vals[i]) == 1
	}
	schedule, err := parser.Parse("CRON_TZ=UTC " + strings.Join(canonical, " "))
	if err != nil {
		return nil, fmt.Errorf("robfig/cron refused the canonical form %q: %w", strings.Join(canonical, " "), err)
	}
	return &parsed{schedule: schedule, fixed: fixed}, nil
}

func offset(loc *time.Location, t time.Time) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}

// wall is the local wall-clock time of an instant, as a UTC time.
func wall(loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func offsetsNear(loc *time.Location, t time.Time) []time.Duration {
	return []time.Duration{offset(loc, t.Add(-near)), offset(loc, t), offset(loc, t.Add(near))}
}

func minMax(ds []time.Duration) (time.Duration, time.Duration) {
	lo, hi := ds[0], ds[0]
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
	}
	return lo, hi
}

// instants are the instants at which a matching wall time fires, by the contract's DST rules.
func instants(loc *time.Location, w time.Time, fixed bool) []time.Time {
	var out []time.Time
	for _, off := range offsetsNear(loc, w) {
		t := w.Add(-off)
		if wall(loc, t).Equal(w) && !containsTime(out, t) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	if len(out) > 0 {
		if fixed {
			return out[:1]
		}
		return out
	}
	if !fixed {
		return nil
	}
	// A gap: the transition lies between w - max offset and w - min offset.
	lowOff, highOff := minMax(offsetsNear(loc, w))
	lo, hi := w.Add(-highOff), w.Add(-lowOff)
	after := offset(loc, hi)
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / time.Second / 2 * time.Second)
		if offset(loc, mid) == after {
			hi = mid
		} else {
			lo = mid
		}
	}
	if y, m, d := wall(loc, hi).Date(); y == w.Year() && m == w.Month() && d == w.Day() {
		return []time.Time{hi}
	}
	return nil
}

func containsTime(ts []time.Time, t time.Time) bool {
	for _, u := range ts {
		if u.Equal(t) {
			return true
		}
	}
	return false
}

// nextWall is robfig's next matching wall time, resuming where it gives up after 5 years.
func nextWall(s cron.Schedule, t time.Time) time.Time {
	for i := 0; i < 100; i++ {
		if n := s.Next(t); !n.IsZero() {
			return n
		}
		t = t.AddDate(5, 0, 0)
	}
	panic("no matching time in 500 years")
}

// nextAfter is the first fire instant strictly after `after`.
func nextAfter(p *parsed, loc *time.Location, after time.Time) time.Time {
	// Wall time W fires at instants t = W - offset(t). Only instants after `after` count, so wall
	// times before wall(after) - (offset(after) - smallest offset soon after) cannot fire in time
	// (that difference is positive only before a repeat); and once best is found, a later wall
	// time W can only give an earlier instant if W - (largest offset shortly before best) < best.
	floor := after.Truncate(time.Second)
	now := offset(loc, floor)
	spread := max(0, now-min(now, offset(loc, floor.Add(near))))
	cursor := wall(loc, floor).Add(-spread).Add(-time.Second)
	var best time.Time
	var bestMax time.Duration
	for {
		cursor = nextWall(p.schedule, cursor)
		if !best.IsZero() && !cursor.Add(-bestMax).Before(best) {
			return best
		}
		for _, t := range instants(loc, cursor, p.fixed) {
			if t.After(after) && (best.IsZero() || t.Before(best)) {
				best = t
				bestMax = max(offset(loc, best.Add(-near)), offset(loc, best))
			}
		}
	}
}

type corpus struct {
	Cases []struct {
		Name       string   `json:"name"`
		Expression string   `json:"expression"`
		Timezone   string   `json:"timezone"`
		Start      string   `json:"start"`
		Next       []string `json:"next"`
	} `json:"cases"`
	Invalid []struct {
		Expression string `json:"expression"`
		Why        string `json:"why"`
	} `json:"invalid"`
}

func main() {
	path := filepath.Join("..", "..", "proto", "testdata", "cron", "corpus.json")
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var c corpus
	if err := json.Unmarshal(data, &c); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	total, failed := 0, 0
	for _, k := range c.Cases {
		total++
		label := fmt.Sprintf("%q in %s after %s (%s)", k.Expression, k.Timezone, k.Start, k.Name)
		p, err := parse(k.Expression)
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", label, err)
			continue
		}
		loc, err := time.LoadLocation(k.Timezone)
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", label, err)
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, k.Start)
		if err != nil {
			failed++
			fmt.Printf("FAIL %s: %v\n", label, err)
			continue
		}
		got := make([]string, 0, len(k.Next))
		for range k.Next {
			at = nextAfter(p, loc, at)
			got = append(got, at.UTC().Format("2006-01-02T15:04:05.000Z"))
		}
		if strings.Join(got, " ") != strings.Join(k.Next, " ") {
			failed++
			fmt.Printf("FAIL %s:\n  expected %v\n  got      %v\n", label, k.Next, got)
		}
	}
	for _, inv := range c.Invalid {
		total++
		if _, err := parse(inv.Expression); err == nil {
			failed++
			fmt.Printf("FAIL %q (%s) was accepted\n", inv.Expression, inv.Why)
		}
	}
	fmt.Printf("%d case(s), %d failed\n", total, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
