// The Go side of the parity kit: a scenario and a vector checker built on stubs that
// conformance/setup.sh generates from proto/ into conformance/gen/go (not committed).
module github.com/k1s0/scheduler-client/conformance/go

go 1.26.0

require (
	github.com/k1s0/scheduler/gen/go v0.0.0
	github.com/robfig/cron/v3 v3.0.1
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/net v0.60.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
)

// The generated package, at the import path of scheduler.proto's go_package.
replace github.com/k1s0/scheduler/gen/go => ../gen/go
