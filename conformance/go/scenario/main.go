// Command scenario runs the parity scenario with a Go client generated from scheduler.proto and
// prints one line per step, in the transcript format of conformance/ts/scenario.ts (the
// reference). The steps are listed in conformance/README.md.
//
//	conformance/go/bin/scenario [HOST:PORT]
//
// The address defaults to $K1S0_SCHEDULER_ADDR. Run it against a fresh parity server
// (conformance/run-scenario.ts), whose virtual clock never moves and which honours the
// x-k1s0-test-delay-ms request header.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/k1s0/scheduler-client/conformance/go/policy"
	schedulerv2 "github.com/k1s0/scheduler/gen/go/k1s0/system/scheduler/v2"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/structpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

const (
	delayHeader    = "x-k1s0-test-delay-ms"
	serverDelay    = 10 * time.Second
	tinyDeadline   = 100 * time.Millisecond
	errorDomain    = "scheduler.k1s0.system"
	missing        = "parity-no-such-job"
	cronRequestID  = "parity-cron-request"
	statusPending  = schedulerv2.JobStatus_JOB_STATUS_PENDING
	statusPaused   = schedulerv2.JobStatus_JOB_STATUS_PAUSED
	statusAnything = schedulerv2.JobStatus_JOB_STATUS_UNSPECIFIED
	service        = "/k1s0.system.scheduler.v2.SchedulerService/"
	// The interval in seconds that the contract accepted before it had to keep next_run_at
	// inside year 9999 (more than a time.Duration holds).
	longestOldIntervalSecs = 315_576_000_000
	// The keyed job of steps 58 to 75: applied, updated, paused and deleted by its key.
	key     = "parity-key-日次"
	renamed = "parity-keyed-renamed"
	// The policy job of steps 76 to 117: one fire an hour from start_at = T0 + 1 h to end_at =
	// T0 + 11 h, at most 3 runs, each fire up to 30 min late by its jitter.
	hourMs           = int64(3_600_000)
	policyEveryMs    = hourMs
	policyJitterMs   = int64(1_800_000)
	missingExecution = "parity-no-such-execution"
	// Streams must end by themselves at once; this only keeps a broken server from hanging the scenario.
	watchTimeout = 30 * time.Second
)

// Requests written byte by byte, sent without a serializer: a CreateJobRequest whose name is the
// malformed UTF-8 `6f 6b c3` (with a valid schedule, interval {every {seconds: 60}}), and a
// GetJobRequest whose job_id claims 5 bytes where 3 follow.
var (
	malformedNameCreate = []byte{0x0a, 0x03, 0x6f, 0x6b, 0xc3, 0x12, 0x06, 0x1a, 0x04, 0x0a, 0x02, 0x08, 0x3c}
	truncatedGet        = []byte{0x0a, 0x05, 0x6a, 0x6f, 0x62}
)

// rawCodec sends a []byte request as it is and keeps the response bytes, for requests that the
// generated serializer cannot write.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return v.([]byte), nil }
func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

// The proto's error table: the gRPC status of each reason, and the reason of a status that came
// without an ErrorInfo (TIMEOUT and CANCELLED are always the client's own statuses). CONFLICT has
// two statuses: ALREADY_EXISTS for a key that another job has (field key), ABORTED for an
// expected_revision; ABORTED alone is a retryable SERVER_ERROR.
var statusOfReason = map[string]codes.Code{
	"JOB_NOT_FOUND":    codes.NotFound,
	"INVALID_SCHEDULE": codes.InvalidArgument,
	"INVALID_ARGUMENT": codes.InvalidArgument,
	"INVALID_STATE":    codes.FailedPrecondition,
	"CONFLICT":         codes.Aborted,
	"TIMEOUT":          codes.DeadlineExceeded,
	"CANCELLED":        codes.Canceled,
}

var reasonOfStatus = map[codes.Code]string{
	codes.NotFound:           "JOB_NOT_FOUND",
	codes.InvalidArgument:    "INVALID_ARGUMENT",
	codes.FailedPrecondition: "INVALID_STATE",
	codes.AlreadyExists:      "CONFLICT",
	codes.DeadlineExceeded:   "TIMEOUT",
	codes.Canceled:           "CANCELLED",
}

// expectedStatus is the gRPC status of a reason in the proto's error table.
func expectedStatus(reason, field string) (codes.Code, bool) {
	if reason == "CONFLICT" && field == "key" {
		return codes.AlreadyExists, true
	}
	code, known := statusOfReason[reason]
	return code, known
}

// errorCode is the outcome of a failed call: ErrorInfo.reason (else the table's code), then its field.
func errorCode(err error) string {
	st := status.Convert(err)
	if st.Code() == codes.DeadlineExceeded || st.Code() == codes.Canceled {
		return reasonOfStatus[st.Code()]
	}
	for _, detail := range st.Details() { // decoded from the grpc-status-details-bin trailer
		info, ok := detail.(*errdetails.ErrorInfo)
		if !ok {
			continue
		}
		outcome := info.GetReason()
		field := info.GetMetadata()["field"]
		if field != "" {
			outcome += " field=" + field
		}
		if info.GetDomain() != errorDomain {
			return fmt.Sprintf("%s (domain %q)", outcome, info.GetDomain())
		}
		if want, known := expectedStatus(info.GetReason(), field); known && want != st.Code() {
			return fmt.Sprintf("%s (but gRPC status %s)", outcome, grpcStatusName(st.Code()))
		}
		return outcome
	}
	reason, ok := reasonOfStatus[st.Code()]
	if !ok {
		reason = "SERVER_ERROR"
	}
	return reason + " (no ErrorInfo)"
}

// grpcStatusName is the proto name of a status code, such as INVALID_ARGUMENT.
func grpcStatusName(c codes.Code) string {
	switch c {
	case codes.OK:
		return "OK"
	case codes.Canceled:
		return "CANCELLED"
	}
	var name []rune
	for i, r := range c.String() {
		if i > 0 && r >= 'A' && r <= 'Z' {
			name = append(name, '_')
		}
		name = append(name, r)
	}
	return strings.ToUpper(string(name))
}

// --- The transcript format: the same in every language ----------------------------------------

func fmtTime(ts *timestamppb.Timestamp) string {
	if ts == nil {
		return "-"
	}
	return ts.AsTime().UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// canonicalJSON is JSON with sorted keys and no white space (encoding/json sorts map keys).
func canonicalJSON(v *structpb.Value) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.AsInterface()); err != nil { // a nil Value is JSON null
		return "unprintable: " + err.Error()
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

func describeSchedule(s *schedulerv2.Schedule) string {
	switch kind := s.GetKind().(type) {
	case *schedulerv2.Schedule_Cron:
		return fmt.Sprintf("cron(%s, %s)", kind.Cron.GetExpression(), kind.Cron.GetTimezone())
	case *schedulerv2.Schedule_OneShot:
		return fmt.Sprintf("one_shot(%s)", fmtTime(kind.OneShot.GetRunAt()))
	case *schedulerv2.Schedule_Interval:
		every := kind.Interval.GetEvery() // in milliseconds without AsDuration, which stops at 292 years
		return fmt.Sprintf("interval(%dms)", every.GetSeconds()*1000+int64(every.GetNanos())/1_000_000)
	}
	return "none"
}

// msOf is a timestamp in milliseconds since the epoch.
func msOf(ts *timestamppb.Timestamp) int64 {
	return ts.GetSeconds()*1000 + int64(ts.GetNanos())/1_000_000
}

// atMs is a timestamp of milliseconds since the epoch.
func atMs(ms int64) *timestamppb.Timestamp {
	seconds, millis := ms/1000, ms%1000
	if millis < 0 {
		seconds, millis = seconds-1, millis+1000
	}
	return &timestamppb.Timestamp{Seconds: seconds, Nanos: int32(millis * 1_000_000)}
}

// durationMs is a duration of whole milliseconds.
func durationMs(ms int64) *durationpb.Duration {
	return &durationpb.Duration{Seconds: ms / 1000, Nanos: int32(ms % 1000 * 1_000_000)}
}

// fmtDuration is a duration in milliseconds, or - when unset.
func fmtDuration(d *durationpb.Duration) string {
	if d == nil {
		return "-"
	}
	return fmt.Sprintf("%dms", d.GetSeconds()*1000+int64(d.GetNanos())/1_000_000)
}

// describePolicy is the policy as the server returns it; - for a field left unset.
func describePolicy(p *schedulerv2.SchedulePolicy) string {
	if p == nil {
		return "-"
	}
	backoff := "-"
	if b := p.GetRetryBackoff(); b != nil {
		backoff = fmtDuration(b.GetInitial()) + "/" + fmtDuration(b.GetMaximum()) + "/" + strconv.FormatFloat(b.GetMultiplier(), 'f', -1, 64)
	}
	return "{" + strings.Join([]string{
		"overlap=" + p.GetOverlap().String(),
		"catchup_window=" + fmtDuration(p.GetCatchupWindow()),
		"start_at=" + fmtTime(p.GetStartAt()),
		"end_at=" + fmtTime(p.GetEndAt()),
		fmt.Sprintf("max_runs=%d", p.GetMaxRuns()),
		"jitter=" + fmtDuration(p.GetJitter()),
		"retry_backoff=" + backoff,
		fmt.Sprintf("pause_on_failure=%t", p.GetPauseOnFailure()),
	}, ",") + "}"
}

func describeStats(s *schedulerv2.JobStats) string {
	return fmt.Sprintf("{runs:%d,succeeded:%d,failed:%d,timed_out:%d,skipped:%d,missed:%d}",
		s.GetRuns(), s.GetSucceeded(), s.GetFailed(), s.GetTimedOut(), s.GetSkipped(), s.GetMissed())
}

// describeDescription is the job, its upcoming due times, the scheduled instants they belong to
// (the policy job fires every hour from start_at, and its jitter is shorter than an hour), and
// whether each due time is its instant plus the jitter delay that this client computes.
func describeDescription(r *schedulerv2.DescribeJobResponse, startAtMs int64) string {
	var due, scheduled []string
	jitterOK := true
	for _, t := range r.GetUpcomingRuns() {
		ms := msOf(t)
		// Floor division: every due time lies at or after start_at.
		s := startAtMs + (ms-startAtMs)/policyEveryMs*policyEveryMs
		if ms-s != policy.JitterDelay(r.GetJob().GetId(), s, policyJitterMs) {
			jitterOK = false
		}
		due = append(due, fmtTime(t))
		scheduled = append(scheduled, fmtTime(atMs(s)))
	}
	return fmt.Sprintf("%s upcoming=[%s] scheduled=[%s] jitter_ok=%t", describeJob(r.GetJob()), strings.Join(due, ","), strings.Join(scheduled, ","), jitterOK)
}

// describeStream is the messages of a WatchExecutions stream that ended OK.
func describeStream(executions []*schedulerv2.JobExecution) string {
	items := make([]string, len(executions))
	for i, e := range executions {
		items[i] = describeExecution(e)
	}
	return joinCounted(len(executions), "message(s)", items, "; ")
}

func describeJob(j *schedulerv2.Job) string {
	running := make([]string, len(j.GetRunningExecutions()))
	for i, e := range j.GetRunningExecutions() {
		running[i] = "exec=" + e.GetId()
	}
	return strings.Join([]string{
		j.GetStatus().String(),
		"job=" + j.GetId(),
		"name=" + j.GetName(),
		"schedule=" + describeSchedule(j.GetSchedule()),
		"payload=" + canonicalJSON(j.GetPayload()),
		fmt.Sprintf("max_retries=%d", j.GetMaxRetries()),
		fmt.Sprintf("timeout_secs=%d", j.GetTimeoutSecs()),
		"created_at=" + fmtTime(j.GetCreatedAt()),
		"next_run_at=" + fmtTime(j.GetNextRunAt()),
		"key=" + orDash(j.GetKey()),
		"labels=" + canonicalLabels(j.GetLabels()),
		fmt.Sprintf("revision=%d", j.GetRevision()),
		"policy=" + describePolicy(j.GetPolicy()),
		"stats=" + describeStats(j.GetStats()),
		"last_run_at=" + fmtTime(j.GetLastRunAt()),
		"last_result=" + j.GetLastResult().String(),
		"running=(" + strings.Join(running, ",") + ")",
		fmt.Sprintf("remaining_runs=%d", j.GetRemainingRuns()),
		// Last: the note is free text.
		"status_note=" + orDash(j.GetStatusNote()),
	}, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// canonicalLabels is the labels as a JSON object with sorted keys and no white space ({} when none).
func canonicalLabels(labels map[string]string) string {
	if labels == nil {
		labels = map[string]string{} // a nil map is JSON null
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(labels); err != nil {
		return "unprintable: " + err.Error()
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// describeApply is the action, the changed fields, then the job (`no job` when a dry run would create it).
func describeApply(r *schedulerv2.ApplyJobResponse) string {
	job := "no job"
	if r.GetJob() != nil {
		job = describeJob(r.GetJob())
	}
	return fmt.Sprintf("%s changed_fields=[%s] %s", r.GetAction(), strings.Join(r.GetChangedFields(), ","), job)
}

func describeJobs(jobs []*schedulerv2.Job) string {
	items := make([]string, len(jobs))
	for i, j := range jobs {
		items[i] = fmt.Sprintf("%s (%s job=%s)", j.GetName(), j.GetStatus(), j.GetId())
	}
	return joinCounted(len(jobs), "job(s)", items, ", ")
}

func describeExecution(e *schedulerv2.JobExecution) string {
	errText := "-"
	if e.Error != nil {
		errText = e.GetError()
	}
	return strings.Join([]string{
		e.GetResult().String(),
		"exec=" + e.GetId(),
		"job=" + e.GetJobId(),
		fmt.Sprintf("attempt=%d", e.GetAttempt()),
		"started_at=" + fmtTime(e.GetStartedAt()),
		"finished_at=" + fmtTime(e.GetFinishedAt()),
		"error=" + errText,
	}, " ")
}

func describeExecutions(executions []*schedulerv2.JobExecution) string {
	items := make([]string, len(executions))
	for i, e := range executions {
		items[i] = describeExecution(e)
	}
	return joinCounted(len(executions), "execution(s)", items, "; ")
}

func joinCounted(n int, noun string, items []string, sep string) string {
	if n == 0 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %s: %s", n, noun, strings.Join(items, sep))
}

// --- Seeing when a call reaches the server ----------------------------------------------------

type onHeadersKey struct{}

// withOnHeaders returns a context whose call runs fn once the server's response headers arrive.
func withOnHeaders(ctx context.Context, fn func()) context.Context {
	return context.WithValue(ctx, onHeadersKey{}, sync.OnceFunc(fn))
}

// headerWatch is a stats.Handler that runs the withOnHeaders callback of a call.
type headerWatch struct{}

func (headerWatch) HandleRPC(ctx context.Context, s stats.RPCStats) {
	if _, ok := s.(*stats.InHeader); ok {
		if fn, ok := ctx.Value(onHeadersKey{}).(func()); ok {
			fn()
		}
	}
}
func (headerWatch) TagRPC(ctx context.Context, _ *stats.RPCTagInfo) context.Context   { return ctx }
func (headerWatch) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }
func (headerWatch) HandleConn(context.Context, stats.ConnStats)                       {}

// --- The scenario ------------------------------------------------------------------------------

func report(label, outcome string) { fmt.Printf("%s -> %s\n", label, outcome) }

// step runs one call and reports its outcome; it returns the result and whether the call succeeded.
func step[T any](label string, call func() (T, error), describe func(T) string) (T, bool) {
	result, err := call()
	if err != nil {
		report(label, errorCode(err))
		return result, false
	}
	report(label, describe(result))
	return result, true
}

// need stops the scenario when a step whose result later steps use has failed.
func need[T any](value T, ok bool) T {
	if !ok {
		log.Fatal("scenario: cannot go on without the job that step should have created")
	}
	return value
}

func valueOf(v any) *structpb.Value {
	value, err := structpb.NewValue(v)
	if err != nil {
		log.Fatalf("scenario: payload: %v", err)
	}
	return value
}

func interval(d time.Duration) *schedulerv2.Schedule {
	return &schedulerv2.Schedule{Kind: &schedulerv2.Schedule_Interval{Interval: &schedulerv2.IntervalSchedule{Every: durationpb.New(d)}}}
}

func oneShot(at time.Time) *schedulerv2.Schedule {
	return &schedulerv2.Schedule{Kind: &schedulerv2.Schedule_OneShot{OneShot: &schedulerv2.OneShotSchedule{RunAt: timestamppb.New(at)}}}
}

// nestedArrays is `[[[…]]]`: levels arrays, each inside the one before.
func nestedArrays(levels int) any {
	value := []any{}
	for i := 1; i < levels; i++ {
		value = []any{value}
	}
	return value
}

func cronSchedule(expression, timezone string) *schedulerv2.Schedule {
	return &schedulerv2.Schedule{Kind: &schedulerv2.Schedule_Cron{Cron: &schedulerv2.CronSchedule{Expression: expression, Timezone: timezone}}}
}

func run(address string) error {
	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithStatsHandler(headerWatch{}))
	if err != nil {
		return err
	}
	defer conn.Close()
	client := schedulerv2.NewSchedulerServiceClient(conn)
	ctx := context.Background()

	listJobs := func(status schedulerv2.JobStatus, namePrefix string, labels map[string]string) ([]*schedulerv2.Job, error) {
		var jobs []*schedulerv2.Job
		req := &schedulerv2.ListJobsRequest{Status: status, NamePrefix: namePrefix, Labels: labels}
		for {
			page, err := client.ListJobs(ctx, req)
			if err != nil {
				return nil, err
			}
			jobs = append(jobs, page.GetJobs()...)
			if req.PageToken = page.GetNextPageToken(); req.PageToken == "" {
				return jobs, nil
			}
		}
	}
	listExecutions := func(jobID string) ([]*schedulerv2.JobExecution, error) {
		var executions []*schedulerv2.JobExecution
		req := &schedulerv2.ListExecutionsRequest{JobId: jobID}
		for {
			page, err := client.ListExecutions(ctx, req)
			if err != nil {
				return nil, err
			}
			executions = append(executions, page.GetExecutions()...)
			if req.PageToken = page.GetNextPageToken(); req.PageToken == "" {
				return executions, nil
			}
		}
	}
	list := func(label string, status schedulerv2.JobStatus, namePrefix string) {
		step(label, func() ([]*schedulerv2.Job, error) { return listJobs(status, namePrefix, nil) }, describeJobs)
	}
	executions := func(label, jobID string) {
		step(label, func() ([]*schedulerv2.JobExecution, error) { return listExecutions(jobID) }, describeExecutions)
	}
	create := func(label string, req *schedulerv2.CreateJobRequest) (*schedulerv2.Job, bool) {
		return step(label, func() (*schedulerv2.Job, error) {
			res, err := client.CreateJob(ctx, req)
			return res.GetJob(), err
		}, describeJob)
	}
	get := func(label, id string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.GetJob(ctx, &schedulerv2.GetJobRequest{JobId: id})
			return res.GetJob(), err
		}, describeJob)
	}
	pause := func(label, id string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.PauseJob(ctx, &schedulerv2.PauseJobRequest{JobId: id})
			return res.GetJob(), err
		}, describeJob)
	}
	resume := func(label, id string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.ResumeJob(ctx, &schedulerv2.ResumeJobRequest{JobId: id})
			return res.GetJob(), err
		}, describeJob)
	}
	cancel := func(label, id string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.CancelJob(ctx, &schedulerv2.CancelJobRequest{JobId: id})
			return res.GetJob(), err
		}, describeJob)
	}
	raw := func(rpc string, request []byte) ([]byte, error) {
		var response []byte
		err := conn.Invoke(ctx, service+rpc, request, &response, grpc.ForceCodec(rawCodec{}))
		return response, err
	}
	trigger := func(label, id string) {
		step(label, func() (*schedulerv2.JobExecution, error) {
			res, err := client.TriggerJob(ctx, &schedulerv2.TriggerJobRequest{JobId: id})
			return res.GetExecution(), err
		}, describeExecution)
	}

	cronPayload := map[string]any{"report": "日次", "pages": []any{1, 2.5}, "draft": false, "owner": nil}
	cronRequest := &schedulerv2.CreateJobRequest{
		Name:        "parity-cron-日次",
		Schedule:    cronSchedule("0 9 * * MON-FRI", "Asia/Tokyo"),
		Payload:     valueOf(cronPayload),
		MaxRetries:  proto.Int32(2),
		TimeoutSecs: proto.Int32(30),
		RequestId:   cronRequestID,
	}
	valid := func(edit func(*schedulerv2.CreateJobRequest)) *schedulerv2.CreateJobRequest {
		req := &schedulerv2.CreateJobRequest{Name: "parity-invalid", Schedule: interval(time.Minute), Payload: valueOf(nil)}
		edit(req)
		return req
	}

	// 1. One job of each kind; the same request_id again returns the same job.
	cron := need(create("create cron", cronRequest))
	create("create cron again, same request_id", cronRequest)
	serverNow := cron.GetCreatedAt().AsTime()
	oneShotJob := need(create("create one-shot", &schedulerv2.CreateJobRequest{
		Name: "parity-one-shot", Schedule: oneShot(serverNow.Add(time.Hour)), Payload: valueOf(nil),
	}))
	intervalJob := need(create("create interval", &schedulerv2.CreateJobRequest{
		Name:        "parity-interval",
		Schedule:    interval(90 * time.Second),
		Payload:     valueOf([]any{"x", 1, true, map[string]any{"k": []any{}}}),
		MaxRetries:  proto.Int32(0), // explicitly 0: an optional field, so it is sent and kept
		TimeoutSecs: proto.Int32(86_400),
	}))

	// 2. Get and list with each filter.
	get("get one-shot", oneShotJob.GetId())
	pause("pause interval", intervalJob.GetId())
	pause("pause interval again", intervalJob.GetId())
	list("list status=PAUSED", statusPaused, "")
	list("list status=PENDING", statusPending, "")
	list("list name_prefix=parity-o", statusAnything, "parity-o")
	list("list status=PENDING name_prefix=parity-c", statusPending, "parity-c")

	// 3. Resume, trigger, executions, cancel.
	resume("resume interval", intervalJob.GetId())
	resume("resume interval again", intervalJob.GetId())
	trigger("trigger interval", intervalJob.GetId())
	executions("list executions interval", intervalJob.GetId())
	get("get interval", intervalJob.GetId())
	cancel("cancel one-shot", oneShotJob.GetId())
	cancel("cancel one-shot again", oneShotJob.GetId())
	executions("list executions one-shot", oneShotJob.GetId())
	pause("pause cron", cron.GetId())
	trigger("trigger paused cron", cron.GetId())
	resume("resume cron", cron.GetId())

	// 4. Every error a client can provoke.
	get("get missing", missing)
	pause("pause missing", missing)
	resume("resume missing", missing)
	cancel("cancel missing", missing)
	trigger("trigger missing", missing)
	executions("list executions missing", missing)
	create("create bad cron", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = cronSchedule("61 * * * *", "") }))
	create("create unknown time zone", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = cronSchedule("0 9 * * *", "Mars/Olympus_Mons") }))
	create("create one-shot in the past", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = oneShot(serverNow.Add(-time.Hour)) }))
	create("create interval under 1 s", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = interval(999 * time.Millisecond) }))
	create("create empty name", valid(func(r *schedulerv2.CreateJobRequest) { r.Name = "" }))
	create("create max_retries 101", valid(func(r *schedulerv2.CreateJobRequest) { r.MaxRetries = proto.Int32(101) }))
	create("create timeout_secs 0", valid(func(r *schedulerv2.CreateJobRequest) { r.TimeoutSecs = proto.Int32(0) }))
	reused := proto.Clone(cronRequest).(*schedulerv2.CreateJobRequest)
	reused.Name = "parity-other"
	create("create reused request_id", reused)
	get("get empty id", "")
	pause("pause cancelled", oneShotJob.GetId())
	resume("resume cancelled", oneShotJob.GetId())
	trigger("trigger cancelled", oneShotJob.GetId())

	delayed := metadata.AppendToOutgoingContext(ctx, delayHeader, fmt.Sprint(serverDelay.Milliseconds()))
	step(fmt.Sprintf("get, deadline %d ms, server delays %d ms", tinyDeadline.Milliseconds(), serverDelay.Milliseconds()),
		func() (*schedulerv2.Job, error) {
			callCtx, done := context.WithTimeout(delayed, tinyDeadline)
			defer done()
			res, err := client.GetJob(callCtx, &schedulerv2.GetJobRequest{JobId: cron.GetId()})
			return res.GetJob(), err
		}, describeJob)
	step("get, cancelled once on the server", func() (*schedulerv2.Job, error) {
		callCtx, cancelCall := context.WithCancel(delayed)
		defer cancelCall()
		res, err := client.GetJob(withOnHeaders(callCtx, cancelCall), &schedulerv2.GetJobRequest{JobId: cron.GetId()})
		return res.GetJob(), err
	}, describeJob)

	// 5. The failed creates made no job.
	list("list all", statusAnything, "")
	step("get cron", func() (*schedulerv2.Job, error) {
		res, err := client.GetJob(ctx, &schedulerv2.GetJobRequest{JobId: cron.GetId()})
		return res.GetJob(), err
	}, func(j *schedulerv2.Job) string {
		return fmt.Sprintf("%s payload_round_trips=%t", describeJob(j), reflect.DeepEqual(j.GetPayload().AsInterface(), valueOf(cronPayload).AsInterface()))
	})

	// 6. Strict rules: each bad request names the field at fault, the first in field-number order.
	create("create lower-case time zone", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = cronSchedule("0 9 * * *", "asia/tokyo") }))
	create("create interval past year 9999", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Schedule = &schedulerv2.Schedule{Kind: &schedulerv2.Schedule_Interval{Interval: &schedulerv2.IntervalSchedule{Every: &durationpb.Duration{Seconds: longestOldIntervalSecs}}}}
	}))
	create("create blank name", valid(func(r *schedulerv2.CreateJobRequest) { r.Name = "\u3000 \t" }))
	create("create bad name and NaN payload", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Name = ""
		r.Payload = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"x": structpb.NewNumberValue(math.NaN())}})
	}))
	create("create bad schedule and bad max_retries", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Schedule = interval(500 * time.Millisecond)
		r.MaxRetries = proto.Int32(101)
	}))
	create("create one-shot with microseconds", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Schedule = oneShot(serverNow.Add(time.Hour + time.Microsecond))
	}))
	create("create cron with L", valid(func(r *schedulerv2.CreateJobRequest) { r.Schedule = cronSchedule("0 0 L * *", "") }))
	create("create payload too deep", valid(func(r *schedulerv2.CreateJobRequest) { r.Payload = valueOf(nestedArrays(33)) }))
	step("create name with malformed UTF-8", func() (*schedulerv2.Job, error) {
		data, err := raw("CreateJob", malformedNameCreate)
		if err != nil {
			return nil, err
		}
		res := &schedulerv2.CreateJobResponse{}
		err = proto.Unmarshal(data, res)
		return res.GetJob(), err
	}, describeJob)
	step("get with truncated request", func() (*schedulerv2.Job, error) {
		data, err := raw("GetJob", truncatedGet)
		if err != nil {
			return nil, err
		}
		res := &schedulerv2.GetJobResponse{}
		err = proto.Unmarshal(data, res)
		return res.GetJob(), err
	}, describeJob)

	// 7. Paging: page_size may change between pages; a ListExecutions token is bound to its job.
	step("list page_size 1 then 2", func() ([][]*schedulerv2.Job, error) {
		var pages [][]*schedulerv2.Job
		req := &schedulerv2.ListJobsRequest{PageSize: 1}
		for {
			page, err := client.ListJobs(ctx, req)
			if err != nil {
				return nil, err
			}
			pages = append(pages, page.GetJobs())
			req.PageSize = 2
			if req.PageToken = page.GetNextPageToken(); req.PageToken == "" {
				return pages, nil
			}
		}
	}, func(pages [][]*schedulerv2.Job) string {
		var all []*schedulerv2.Job
		sizes := make([]string, len(pages))
		for i, page := range pages {
			all = append(all, page...)
			sizes[i] = fmt.Sprint(len(page))
		}
		return fmt.Sprintf("%s pages=[%s]", describeJobs(all), strings.Join(sizes, ","))
	})
	trigger("trigger interval again", intervalJob.GetId())
	step("list executions with another job's token", func() (*schedulerv2.ListExecutionsResponse, error) {
		first, err := client.ListExecutions(ctx, &schedulerv2.ListExecutionsRequest{JobId: intervalJob.GetId(), PageSize: 1})
		if err != nil || first.GetNextPageToken() == "" {
			return nil, err
		}
		return client.ListExecutions(ctx, &schedulerv2.ListExecutionsRequest{JobId: cron.GetId(), PageSize: 1, PageToken: first.GetNextPageToken()})
	}, func(other *schedulerv2.ListExecutionsResponse) string {
		if other == nil {
			return "no next_page_token"
		}
		return describeExecutions(other.GetExecutions())
	})

	// 8. Keys, apply, update, delete and labels.
	keyedLabels := map[string]string{"team": "parity", "tier": "batch"}
	spec := func(name string, version int) *schedulerv2.JobSpec {
		return &schedulerv2.JobSpec{Name: name, Schedule: interval(2 * time.Minute), Payload: valueOf(map[string]any{"version": version}), Labels: keyedLabels}
	}
	apply := func(label string, s *schedulerv2.JobSpec, dryRun bool) (*schedulerv2.ApplyJobResponse, bool) {
		return step(label, func() (*schedulerv2.ApplyJobResponse, error) {
			return client.ApplyJob(ctx, &schedulerv2.ApplyJobRequest{Key: key, Spec: s, DryRun: dryRun})
		}, describeApply)
	}
	update := func(label string, req *schedulerv2.UpdateJobRequest) {
		req.Key = key
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.UpdateJob(ctx, req)
			return res.GetJob(), err
		}, describeJob)
	}
	getByKey := func(label string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.GetJob(ctx, &schedulerv2.GetJobRequest{Key: key})
			return res.GetJob(), err
		}, describeJob)
	}
	deleteByKey := func(label string, expectedRevision *int64) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.DeleteJob(ctx, &schedulerv2.DeleteJobRequest{Key: key, ExpectedRevision: expectedRevision})
			return res.GetJob(), err
		}, describeJob)
	}
	listLabels := func(label string, labels map[string]string) {
		step(label, func() ([]*schedulerv2.Job, error) { return listJobs(statusAnything, "", labels) }, describeJobs)
	}

	keyed := need(apply("apply keyed", spec("parity-keyed", 1), false)).GetJob()
	apply("apply keyed again, same spec", spec("parity-keyed", 1), false)
	apply("apply keyed, payload changed", spec("parity-keyed", 2), false)
	apply("apply keyed, dry run, name changed", spec(renamed, 2), true)
	getByKey("get keyed by key")
	update("update keyed name by key, expected_revision 2", &schedulerv2.UpdateJobRequest{
		Spec: &schedulerv2.JobSpec{Name: renamed}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}, ExpectedRevision: proto.Int64(2),
	})
	update("update keyed, stale expected_revision 2", &schedulerv2.UpdateJobRequest{
		Spec: &schedulerv2.JobSpec{Name: "parity-keyed-stale"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}, ExpectedRevision: proto.Int64(2),
	})
	update("update keyed, empty update_mask", &schedulerv2.UpdateJobRequest{UpdateMask: &fieldmaskpb.FieldMask{}})
	create("create with a taken key", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Name = "parity-taken-key"
		r.Key = key
	}))
	step("get with job_id and key", func() (*schedulerv2.Job, error) {
		res, err := client.GetJob(ctx, &schedulerv2.GetJobRequest{JobId: keyed.GetId(), Key: key})
		return res.GetJob(), err
	}, describeJob)
	create("create labelled", &schedulerv2.CreateJobRequest{
		Name: "parity-labelled", Schedule: interval(time.Minute), Payload: valueOf(nil), Labels: map[string]string{"team": "parity", "tier": "web"},
	})
	listLabels("list labels team=parity", map[string]string{"team": "parity"})
	listLabels("list labels team=parity tier=batch", map[string]string{"team": "parity", "tier": "batch"})
	step("pause keyed by key", func() (*schedulerv2.Job, error) {
		res, err := client.PauseJob(ctx, &schedulerv2.PauseJobRequest{Key: key})
		return res.GetJob(), err
	}, describeJob)
	deleteByKey("delete keyed by key", nil)
	getByKey("get keyed by key after delete")
	apply("apply keyed after delete", spec("parity-keyed", 1), false)
	deleteByKey("delete keyed, stale expected_revision 2", proto.Int64(2))

	// 9. Policies, describe, waiting and watching.
	t0 := msOf(cron.GetCreatedAt())
	startAt := t0 + hourMs
	policyJob := need(create("create with policy", &schedulerv2.CreateJobRequest{
		Name:     "parity-policy",
		Schedule: interval(time.Duration(policyEveryMs) * time.Millisecond),
		Payload:  valueOf(nil),
		Policy: &schedulerv2.SchedulePolicy{
			Overlap:       schedulerv2.OverlapPolicy_OVERLAP_POLICY_SKIP,
			CatchupWindow: durationMs(300_000),
			StartAt:       atMs(startAt),
			EndAt:         atMs(t0 + 11*hourMs),
			MaxRuns:       3,
			Jitter:        durationMs(policyJitterMs),
			RetryBackoff:  &schedulerv2.RetryBackoff{Initial: durationMs(500), Maximum: durationMs(4_000), Multiplier: 3},
		},
	}))
	describe := func(label string, upcoming int32) {
		step(label, func() (*schedulerv2.DescribeJobResponse, error) {
			return client.DescribeJob(ctx, &schedulerv2.DescribeJobRequest{JobId: policyJob.GetId(), Upcoming: upcoming})
		}, func(r *schedulerv2.DescribeJobResponse) string { return describeDescription(r, startAt) })
	}
	// watch is WatchExecutions read to its end (io.EOF after an OK status).
	watch := func(req *schedulerv2.WatchExecutionsRequest) ([]*schedulerv2.JobExecution, error) {
		wctx, cancelWatch := context.WithTimeout(ctx, watchTimeout)
		defer cancelWatch()
		stream, err := client.WatchExecutions(wctx, req)
		if err != nil {
			return nil, err
		}
		var executions []*schedulerv2.JobExecution
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return executions, nil
			}
			if err != nil {
				return nil, err
			}
			executions = append(executions, m.GetExecution())
		}
	}
	// waitFor is waitForExecution: WatchExecutions on one execution to its end; its last message.
	waitFor := func(id string) (*schedulerv2.JobExecution, error) {
		messages, err := watch(&schedulerv2.WatchExecutionsRequest{ExecutionId: id})
		if err != nil {
			return nil, err
		}
		if len(messages) == 0 || messages[len(messages)-1].GetResult() == schedulerv2.ExecutionResult_EXECUTION_RESULT_RUNNING {
			log.Fatalf("scenario: the watch of %s ended while it was running", id)
		}
		return messages[len(messages)-1], nil
	}
	triggerWith := func(label, id string, overlap schedulerv2.OverlapPolicy) (*schedulerv2.JobExecution, bool) {
		return step(label, func() (*schedulerv2.JobExecution, error) {
			res, err := client.TriggerJob(ctx, &schedulerv2.TriggerJobRequest{JobId: id, Overlap: overlap})
			return res.GetExecution(), err
		}, describeExecution)
	}
	const overlapUnset = schedulerv2.OverlapPolicy_OVERLAP_POLICY_UNSPECIFIED
	pauseNote := func(label, id, note string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.PauseJob(ctx, &schedulerv2.PauseJobRequest{JobId: id, Note: note})
			return res.GetJob(), err
		}, describeJob)
	}
	resumeNote := func(label, id, note string) {
		step(label, func() (*schedulerv2.Job, error) {
			res, err := client.ResumeJob(ctx, &schedulerv2.ResumeJobRequest{JobId: id, Note: note})
			return res.GetJob(), err
		}, describeJob)
	}
	watchStep := func(label string, req *schedulerv2.WatchExecutionsRequest) {
		step(label, func() ([]*schedulerv2.JobExecution, error) { return watch(req) }, describeStream)
	}

	describe("describe policy, upcoming 2", 2)
	describe("describe policy", 0)
	describe("describe policy, upcoming 101", 101)
	first := need(triggerWith("trigger policy", policyJob.GetId(), overlapUnset))
	watchStep("watch the trigger's execution", &schedulerv2.WatchExecutionsRequest{ExecutionId: first.GetId()})
	step("wait for the trigger's execution", func() (*schedulerv2.JobExecution, error) { return waitFor(first.GetId()) }, describeExecution)
	get("get policy", policyJob.GetId())
	describe("describe policy after the trigger", 0)
	pauseNote("pause policy with a note", policyJob.GetId(), "maintenance 窓")
	pauseNote("pause policy again, another note", policyJob.GetId(), "ignored")
	trigger("trigger paused policy", policyJob.GetId())
	describe("describe paused policy", 0)
	resumeNote("resume policy with a note", policyJob.GetId(), "back")
	resumeNote("resume policy again, no note", policyJob.GetId(), "")
	pauseNote("pause with a note of 513 code points", policyJob.GetId(), strings.Repeat("あ", 513))

	// Runs in flight: the held job's runs stay RUNNING until it is cancelled.
	held := need(create("create held", &schedulerv2.CreateJobRequest{
		Name: "parity-held", Schedule: interval(time.Minute), Payload: valueOf(map[string]any{"parity": "hold"}),
		Policy: &schedulerv2.SchedulePolicy{Overlap: schedulerv2.OverlapPolicy_OVERLAP_POLICY_ALLOW_ALL, MaxRuns: 3},
	}))
	trigger("trigger held", held.GetId())
	get("get held", held.GetId())
	heldCtx, stopHeld := context.WithTimeout(ctx, watchTimeout)
	defer stopHeld()
	heldWatch, heldErr := client.WatchExecutions(heldCtx, &schedulerv2.WatchExecutionsRequest{JobId: held.GetId()})
	_, opened := step("watch held, first message", func() (*schedulerv2.JobExecution, error) {
		if heldErr != nil {
			return nil, heldErr
		}
		m, err := heldWatch.Recv()
		return m.GetExecution(), err
	}, describeExecution)
	trigger("trigger held again", held.GetId())
	triggerWith("trigger held, overlap skip", held.GetId(), schedulerv2.OverlapPolicy_OVERLAP_POLICY_SKIP)
	get("get held, two runs in flight", held.GetId())
	cancel("cancel held", held.GetId())
	if !opened {
		report("watch held, to the end", "no watch")
	} else {
		step("watch held, to the end", func() ([]*schedulerv2.JobExecution, error) {
			var rest []*schedulerv2.JobExecution
			for {
				m, err := heldWatch.Recv()
				if errors.Is(err, io.EOF) {
					return rest, nil
				}
				if err != nil {
					return nil, err
				}
				rest = append(rest, m.GetExecution())
			}
		}, describeStream)
	}
	get("get held after cancel", held.GetId())

	// Pause on failure.
	failing := need(create("create failing", &schedulerv2.CreateJobRequest{
		Name: "parity-failing", Schedule: interval(time.Minute), Payload: valueOf(map[string]any{"parity": "fail"}),
		MaxRetries: proto.Int32(0), Policy: &schedulerv2.SchedulePolicy{PauseOnFailure: true},
	}))
	failed, ok := triggerWith("trigger failing", failing.GetId(), overlapUnset)
	failedID := missingExecution
	if ok {
		failedID = failed.GetId()
	}
	step("wait for failing", func() (*schedulerv2.JobExecution, error) { return waitFor(failedID) }, describeExecution)
	get("get failing", failing.GetId())

	// max_runs: the policy job's last two runs, then it completes.
	trigger("trigger policy, second run", policyJob.GetId())
	trigger("trigger policy, third run", policyJob.GetId())
	get("get policy, max_runs reached", policyJob.GetId())
	trigger("trigger policy, no run left", policyJob.GetId())
	describe("describe completed policy", 0)
	watchStep("watch completed policy", &schedulerv2.WatchExecutionsRequest{JobId: policyJob.GetId()})
	executions("list executions policy", policyJob.GetId())

	// Errors.
	watchStep("watch with job_id and execution_id", &schedulerv2.WatchExecutionsRequest{JobId: policyJob.GetId(), ExecutionId: first.GetId()})
	step("wait for unknown execution", func() (*schedulerv2.JobExecution, error) { return waitFor(missingExecution) }, describeExecution)
	watchStep("watch missing", &schedulerv2.WatchExecutionsRequest{JobId: missing})
	create("create policy jitter over 1 day", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Policy = &schedulerv2.SchedulePolicy{Jitter: durationMs(86_400_001)}
	}))
	create("create policy end_at before start_at", valid(func(r *schedulerv2.CreateJobRequest) {
		r.Policy = &schedulerv2.SchedulePolicy{StartAt: atMs(startAt), EndAt: atMs(startAt - 1)}
	}))
	return nil
}

func main() {
	address := os.Getenv("K1S0_SCHEDULER_ADDR")
	if len(os.Args) > 1 {
		address = os.Args[1]
	}
	if address == "" {
		log.Fatal("usage: scenario HOST:PORT (or set K1S0_SCHEDULER_ADDR)")
	}
	if err := run(address); err != nil {
		log.Fatalf("scenario: %v", err)
	}
}
