// Command vectors checks the Go stubs generated from scheduler.proto against every conformance
// vector in proto/testdata (see its README): binary and proto3 JSON decode to equal messages,
// deterministic re-encoding gives back binary_base64 byte for byte, and protojson output equals
// proto3_json as a JSON value. binary_base64_map_reordered, where a vector has it (the same message
// with its map entries in another order), decodes to the same message and re-encodes to
// binary_base64. For google.rpc.Status it also unpacks the ErrorInfo. Every timestamp of a domain
// value (exact RFC 3339 text), also in a nested value (the job of an ApplyJobResponse or a
// DescribeJobResponse, the execution of a WatchExecutionsResponse, each of a job's running
// executions), is read with package rfc3339 and must equal the message's Timestamp to the
// nanosecond, and an event's snake_case_json completed_at must be that value as rfc3339.Format
// writes it.
//
//	conformance/go/bin/vectors [proto/testdata]
//
// Prints one line per vector and exits 1 on any mismatch.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"

	"github.com/k1s0/scheduler-client/conformance/go/rfc3339"
	// Registers k1s0.system.scheduler.v2.* in the global registry.
	_ "github.com/k1s0/scheduler/gen/go/k1s0/system/scheduler/v2"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	statuspb "google.golang.org/genproto/googleapis/rpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// vector is one file of proto/testdata.
type vector struct {
	Message      string          `json:"message"`
	Domain       json.RawMessage `json:"domain"`
	Proto3JSON   json.RawMessage `json:"proto3_json"`
	BinaryBase64 string          `json:"binary_base64"`
	Reordered    *string         `json:"binary_base64_map_reordered"`
	SnakeJSON    *string         `json:"snake_case_json"`
}

// exactKeys are the domain keys whose timestamps are carried exactly, with their proto field names.
var exactKeys = map[string]protoreflect.Name{
	"createdAt":   "created_at",
	"nextRunAt":   "next_run_at",
	"startedAt":   "started_at",
	"finishedAt":  "finished_at",
	"completedAt": "completed_at",
	"updatedAt":   "updated_at",
	"lastRunAt":   "last_run_at",
}

// nestedKeys are the nested domain values whose timestamps are checked too, with their proto field names.
var nestedKeys = map[string]protoreflect.Name{"job": "job", "execution": "execution"}

// repeatedKeys are the nested lists of domain values whose timestamps are checked too, item by item.
var repeatedKeys = map[string]protoreflect.Name{"runningExecutions": "running_executions"}

// statusDomain is the domain of the google.rpc.Status vector.
type statusDomain struct {
	Code      string `json:"code"`
	GrpcCode  int32  `json:"grpcCode"`
	Message   string `json:"message"`
	Operation string `json:"operation"`
	JobID     string `json:"jobId"`
}

func check(path string) []string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return []string{err.Error()}
	}
	var v vector
	if err := json.Unmarshal(raw, &v); err != nil {
		return []string{"not a vector: " + err.Error()}
	}
	mt, err := protoregistry.GlobalTypes.FindMessageByName(protoreflect.FullName(v.Message))
	if err != nil {
		return []string{fmt.Sprintf("unknown message %q: %v", v.Message, err)}
	}
	wire, err := base64.StdEncoding.DecodeString(v.BinaryBase64)
	if err != nil {
		return []string{"binary_base64: " + err.Error()}
	}

	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	fromBinary := mt.New().Interface()
	if err := proto.Unmarshal(wire, fromBinary); err != nil {
		return []string{"decoding binary_base64: " + err.Error()}
	}
	fromJSON := mt.New().Interface()
	if err := protojson.Unmarshal(v.Proto3JSON, fromJSON); err != nil {
		return []string{"parsing proto3_json: " + err.Error()}
	}
	if !proto.Equal(fromBinary, fromJSON) {
		fail("binary and proto3_json decode to different messages:\n    binary: %v\n    json:   %v", fromBinary, fromJSON)
	}
	for name, m := range map[string]proto.Message{"decoded binary": fromBinary, "parsed proto3_json": fromJSON} {
		encoded, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		if err != nil {
			fail("re-encoding the %s: %v", name, err)
		} else if !bytes.Equal(encoded, wire) {
			fail("re-encoding the %s gives other bytes:\n    want %s\n    got  %s", name, v.BinaryBase64, base64.StdEncoding.EncodeToString(encoded))
		}
	}
	if v.Reordered != nil {
		reordered, err := base64.StdEncoding.DecodeString(*v.Reordered)
		fromReordered := mt.New().Interface()
		switch {
		case err != nil:
			fail("binary_base64_map_reordered: %v", err)
		case bytes.Equal(reordered, wire):
			fail("binary_base64_map_reordered is binary_base64 itself")
		case proto.Unmarshal(reordered, fromReordered) != nil:
			fail("binary_base64_map_reordered does not decode")
		case !proto.Equal(fromReordered, fromBinary):
			fail("binary_base64_map_reordered decodes to another message: %v", fromReordered)
		default:
			if encoded, err := (proto.MarshalOptions{Deterministic: true}).Marshal(fromReordered); err != nil || !bytes.Equal(encoded, wire) {
				fail("re-encoding binary_base64_map_reordered deterministically does not give binary_base64")
			}
		}
	}
	printed, err := protojson.Marshal(fromBinary)
	if err != nil {
		fail("printing proto3 JSON: %v", err)
	} else if same, err := sameJSON(printed, v.Proto3JSON); err != nil || !same {
		fail("proto3 JSON output differs from proto3_json:\n    want %s\n    got  %s", compact(v.Proto3JSON), printed)
	}

	if status, ok := fromBinary.(*statuspb.Status); ok {
		problems = append(problems, checkStatus(status, v.Domain)...)
	} else {
		var domain map[string]any
		if err := json.Unmarshal(v.Domain, &domain); err != nil {
			return append(problems, "domain: "+err.Error())
		}
		problems = append(problems, checkTimestamps(fromBinary.ProtoReflect(), domain, "domain")...)
		problems = append(problems, checkSnakeTimestamp(fromBinary.ProtoReflect(), v)...)
	}
	return problems
}

// compareTimestamp reads text strictly and compares it with the Timestamp field of m; it returns
// the problem, or "".
func compareTimestamp(m protoreflect.Message, what, text string, field protoreflect.Name) string {
	fd := m.Descriptor().Fields().ByName(field)
	if fd == nil || !m.Has(fd) {
		return fmt.Sprintf("%s is %q, but the message has no %s", what, text, field)
	}
	ts := m.Get(fd).Message()
	seconds := ts.Get(ts.Descriptor().Fields().ByName("seconds")).Int()
	nanos := int32(ts.Get(ts.Descriptor().Fields().ByName("nanos")).Int())
	s, n, err := rfc3339.Parse(text)
	if err != nil {
		return fmt.Sprintf("%s: %v", what, err)
	} else if s != seconds || n != nanos {
		return fmt.Sprintf("%s %q reads as {%d %d}, the message has {%d %d}", what, text, s, n, seconds, nanos)
	}
	return ""
}

// checkTimestamps compares every exact timestamp of a domain value, and of its nested values, with
// the message's.
func checkTimestamps(m protoreflect.Message, domain map[string]any, at string) []string {
	var problems []string
	keys := make([]string, 0, len(exactKeys))
	for k := range exactKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if text, ok := domain[key].(string); ok {
			if p := compareTimestamp(m, at+"."+key, text, exactKeys[key]); p != "" {
				problems = append(problems, p)
			}
		}
	}
	for key, field := range nestedKeys {
		nested, ok := domain[key].(map[string]any)
		if !ok {
			continue
		}
		fd := m.Descriptor().Fields().ByName(field)
		if fd == nil || !m.Has(fd) {
			problems = append(problems, fmt.Sprintf("%s.%s is set, but the message has no %s", at, key, field))
			continue
		}
		problems = append(problems, checkTimestamps(m.Get(fd).Message(), nested, at+"."+key)...)
	}
	for key, field := range repeatedKeys {
		items, ok := domain[key].([]any)
		if !ok {
			continue
		}
		fd := m.Descriptor().Fields().ByName(field)
		if fd == nil || !fd.IsList() {
			problems = append(problems, fmt.Sprintf("%s.%s is set, but the message has no list %s", at, key, field))
			continue
		}
		list := m.Get(fd).List()
		if list.Len() != len(items) {
			problems = append(problems, fmt.Sprintf("%s.%s has %d items, the message's %s %d", at, key, len(items), field, list.Len()))
			continue
		}
		for i, item := range items {
			if nested, ok := item.(map[string]any); ok {
				problems = append(problems, checkTimestamps(list.Get(i).Message(), nested, fmt.Sprintf("%s.%s[%d]", at, key, i))...)
			}
		}
	}
	return problems
}

// checkSnakeTimestamp compares an event's snake_case_json completed_at with the message's, and
// with the text a producer writes.
func checkSnakeTimestamp(m protoreflect.Message, v vector) []string {
	if v.SnakeJSON == nil {
		return nil
	}
	var snake struct {
		CompletedAt string `json:"completed_at"`
	}
	if err := json.Unmarshal([]byte(*v.SnakeJSON), &snake); err != nil {
		return []string{"snake_case_json: " + err.Error()}
	}
	var problems []string
	if p := compareTimestamp(m, "snake_case_json completed_at", snake.CompletedAt, "completed_at"); p != "" {
		problems = append(problems, p)
	}
	if s, n, err := rfc3339.Parse(snake.CompletedAt); err == nil && rfc3339.Format(s, n) != snake.CompletedAt {
		problems = append(problems, fmt.Sprintf("snake_case_json completed_at %q is not written as a producer writes it: %q", snake.CompletedAt, rfc3339.Format(s, n)))
	}
	return problems
}

// checkStatus unpacks the ErrorInfo of a google.rpc.Status and compares it with the domain form.
func checkStatus(status *statuspb.Status, rawDomain json.RawMessage) []string {
	var want statusDomain
	if err := json.Unmarshal(rawDomain, &want); err != nil {
		return []string{"domain: " + err.Error()}
	}
	var problems []string
	if status.GetCode() != want.GrpcCode || status.GetMessage() != want.Message {
		problems = append(problems, fmt.Sprintf("status code/message %d %q, want %d %q", status.GetCode(), status.GetMessage(), want.GrpcCode, want.Message))
	}
	if len(status.GetDetails()) != 1 {
		return append(problems, fmt.Sprintf("%d details, want exactly one ErrorInfo", len(status.GetDetails())))
	}
	var info errdetails.ErrorInfo
	if err := status.GetDetails()[0].UnmarshalTo(&info); err != nil {
		return append(problems, "details[0] is not an ErrorInfo: "+err.Error())
	}
	wantMetadata := map[string]string{"operation": want.Operation, "job_id": want.JobID}
	if info.GetReason() != want.Code || info.GetDomain() != "scheduler.k1s0.system" || !reflect.DeepEqual(info.GetMetadata(), wantMetadata) {
		problems = append(problems, fmt.Sprintf("ErrorInfo %v, want reason %s, domain scheduler.k1s0.system, metadata %v", &info, want.Code, wantMetadata))
	}
	return problems
}

func sameJSON(a, b []byte) (bool, error) {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, &y); err != nil {
		return false, err
	}
	return reflect.DeepEqual(x, y), nil
}

func compact(raw []byte) string {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

func main() {
	dir := "proto/testdata"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		fmt.Fprintf(os.Stderr, "vectors: no *.json in %s (run from the repository root, or pass the directory)\n", dir)
		os.Exit(2)
	}
	sort.Strings(paths)
	failed := 0
	for _, path := range paths {
		problems := check(path)
		if len(problems) == 0 {
			fmt.Printf("ok   %s\n", filepath.Base(path))
			continue
		}
		failed++
		fmt.Printf("FAIL %s\n  - %s\n", filepath.Base(path), strings.Join(problems, "\n  - "))
	}
	fmt.Printf("%d vector(s), %d failed\n", len(paths), failed)
	if failed > 0 {
		os.Exit(1)
	}
}
