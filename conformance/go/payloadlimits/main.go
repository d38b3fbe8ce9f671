// Command payloadlimits computes the size and depth of every payload of
// proto/testdata/limits/payloads.json by the rule of scheduler.proto ("Payload size and depth") and
// checks them against the file.
//
// The size is the byte length of the UTF-8 text that ECMAScript's JSON.stringify writes. Go's
// encoding/json differs from it, so this program writes the text itself:
//
//   - json.Marshal escapes <, > and & (\u003c, \u003e, \u0026) and U+2028, U+2029 (\u2028,
//     \u2029), which JSON.stringify writes raw (SetEscapeHTML(false) stops only the first three),
//     and it writes invalid UTF-8 as U+FFFD. Controls it writes as JSON.stringify does.
//   - json.Marshal formats a float64 as JSON.stringify does (1e-7, 100000000000000000000,
//     1e+21), except -0, which it writes "-0" where JSON.stringify writes "0". Numbers are
//     formatted here from the shortest digits of strconv.FormatFloat(x, 'e', -1, 64) by the rule
//     of Number::toString, so that the rule is visible in one place.
//   - Objects decode into maps, whose order is lost; the order does not change the size.
//
// Usage, from conformance/go:
//
//	go run ./payloadlimits [../../proto/testdata/limits/payloads.json]
//
// Prints one JSON line per case ({"name", "bytes", "depth", "accepted"}) and exits 1 on any
// mismatch.
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

type testCase struct {
	Name      string          `json:"name"`
	Payload   json.RawMessage `json:"payload"`
	Build     json.RawMessage `json:"build"`
	Canonical *string         `json:"canonical"`
	Bytes     int             `json:"bytes"`
	Depth     int             `json:"depth"`
	Accepted  bool            `json:"accepted"`
}

type document struct {
	Limits struct {
		MaxBytes int `json:"max_bytes"`
		MaxDepth int `json:"max_depth"`
	} `json:"limits"`
	Cases []testCase `json:"cases"`
}

// formatNumber is ECMAScript's Number::toString of a finite double.
func formatNumber(x float64) string {
	if x == 0 {
		return "0" // 0 and -0 alike
	}
	if x < 0 {
		return "-" + formatNumber(-x)
	}
	// "d.ddddde±XX": the shortest digits that read back as x.
	text := strconv.FormatFloat(x, 'e', -1, 64)
	mantissa, exponent, _ := strings.Cut(text, "e")
	e, _ := strconv.Atoi(exponent)
	s := strings.TrimRight(strings.Replace(mantissa, ".", "", 1), "0")
	k := len(s)
	n := e + 1
	switch {
	case k <= n && n <= 21:
		return s + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return s[:n] + "." + s[n:]
	case -6 < n && n <= 0:
		return "0." + strings.Repeat("0", -n) + s
	}
	out := s[:1]
	if k > 1 {
		out += "." + s[1:]
	}
	sign := "+"
	if n-1 < 0 {
		sign = "-"
	}
	return out + "e" + sign + strconv.Itoa(int(math.Abs(float64(n-1))))
}

func formatString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// canonical writes the canonical JSON text of a decoded value.
func canonical(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	case float64:
		return formatNumber(t)
	case string:
		return formatString(t)
	case []any:
		parts := make([]string, len(t))
		for i, item := range t {
			parts[i] = canonical(item)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case map[string]any:
		parts := make([]string, 0, len(t))
		for k, item := range t {
			parts = append(parts, formatString(k)+":"+canonical(item))
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	panic(fmt.Sprintf("not a JSON value: %T", v))
}

// depth: a scalar is 0; an array or object is 1 more than its deepest item (1 when empty).
func depth(v any) int {
	deepest := 0
	switch t := v.(type) {
	case []any:
		for _, item := range t {
			deepest = max(deepest, depth(item))
		}
		return deepest + 1
	case map[string]any:
		for _, item := range t {
			deepest = max(deepest, depth(item))
		}
		return deepest + 1
	}
	return 0
}

// build expands a "build" spec of payloads.json (see its README); anything else is itself.
func build(spec any) any {
	m, ok := spec.(map[string]any)
	if !ok {
		return spec
	}
	if n, ok := m["number"].(string); ok {
		x, err := strconv.ParseFloat(n, 64)
		if err != nil {
			panic(err)
		}
		return x
	}
	if s, ok := m["string"].(map[string]any); ok {
		suffix, _ := s["suffix"].(string)
		return strings.Repeat(s["repeat"].(string), int(s["count"].(float64))) + suffix
	}
	if a, ok := m["nested_arrays"].(map[string]any); ok {
		v := build(a["inner"])
		for i := 0; i < int(a["depth"].(float64)); i++ {
			v = []any{v}
		}
		return v
	}
	if o, ok := m["nested_objects"].(map[string]any); ok {
		v := build(o["inner"])
		for i := 0; i < int(o["depth"].(float64)); i++ {
			v = map[string]any{o["key"].(string): v}
		}
		return v
	}
	if o, ok := m["object"].(map[string]any); ok {
		return map[string]any{o["key"].(string): build(o["value"])}
	}
	if a, ok := m["array"].(map[string]any); ok {
		out := []any{}
		for i := 0; i < int(a["count"].(float64)); i++ {
			out = append(out, build(a["repeat"]))
		}
		suffix, _ := a["suffix"].([]any)
		for _, item := range suffix {
			out = append(out, build(item))
		}
		return out
	}
	return spec
}

func main() {
	path := "../../proto/testdata/limits/payloads.json"
	if len(os.Args) > 1 {
		path = os.Args[1]
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var doc document
	if err := json.Unmarshal(raw, &doc); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	failures := 0
	for _, c := range doc.Cases {
		var value any
		if c.Build != nil {
			var spec any
			if err := json.Unmarshal(c.Build, &spec); err != nil {
				panic(err)
			}
			value = build(spec)
		} else if err := json.Unmarshal(c.Payload, &value); err != nil {
			panic(err)
		}
		text := canonical(value)
		size := len(text)
		d := depth(value)
		accepted := size <= doc.Limits.MaxBytes && d <= doc.Limits.MaxDepth
		line, _ := json.Marshal(map[string]any{"name": c.Name, "bytes": size, "depth": d, "accepted": accepted})
		fmt.Println(string(line))
		// Object members come out of a map in any order: the text is compared only for scalars and arrays.
		textDiffers := c.Canonical != nil && *c.Canonical != text && !strings.Contains(*c.Canonical, "{")
		if size != c.Bytes || d != c.Depth || accepted != c.Accepted || textDiffers {
			failures++
			fmt.Fprintf(os.Stderr, "MISMATCH %s: got %d bytes, depth %d, accepted %v, text %.80q; expected %d, %d, %v\n", c.Name, size, d, accepted, text, c.Bytes, c.Depth, c.Accepted)
		}
	}
	if failures > 0 {
		os.Exit(1)
	}
}
