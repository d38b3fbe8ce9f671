#!/usr/bin/env bash
# Installs the parity kit's tools, every one at a pinned version, into git-ignored folders,
# generates the Python and Go stubs from proto/, and builds the Rust programs (whose build.rs
# generates their code from proto/). Safe to run again: what is already installed at
# the pinned version is kept, and the stubs are regenerated (that takes about a second).
#
#   bash conformance/setup.sh
#
# Needs python3 (3.9 or newer), go (1.26 or newer: grpc-go v1.85 requires it) and cargo (Rust 1.85
# or newer). Reaches PyPI, the Go module proxy and crates.io on a cold cache only; after that it
# runs offline. Installs nothing outside the repository except into Go's module and build caches,
# Cargo's registry cache, and the Debian packages that the Rust Kafka client's build needs (cmake,
# and the libcurl headers that librdkafka's sources include), with apt-get when they are missing.
#
#   conformance/.venv/        Python venv: grpcio, grpcio-tools (bundles protoc), grpcio-status,
#                             protobuf, googleapis-common-protos, kafka-python (python/requirements.txt)
#   conformance/go/bin/       protoc-gen-go, protoc-gen-go-grpc, and the built Go programs
#   conformance/gen/python/   scheduler_pb2.py, scheduler_pb2.pyi, scheduler_pb2_grpc.py
#   conformance/gen/go/       scheduler.pb.go, scheduler_grpc.pb.go and a go.mod for them
#   conformance/rust/target/  the Rust programs (Cargo.toml and Cargo.lock pin every crate)
#
# Progress goes to stderr.
set -euo pipefail

# --- Pins ------------------------------------------------------------------------------------------
# Python packages: conformance/python/requirements.txt. Go modules the programs link against:
# conformance/go/go.mod and go.sum. The code generators, which must match those runtimes:
PROTOC_GEN_GO_VERSION=v1.36.12        # module google.golang.org/protobuf, as in go/go.mod
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2     # module google.golang.org/grpc/cmd/protoc-gen-go-grpc
GRPC_GO_VERSION=v1.85.0               # module google.golang.org/grpc, as in go/go.mod
# The import path that scheduler.proto's go_package gives the generated Go package.
GO_GEN_MODULE=github.com/k1s0/scheduler/gen/go

say() { printf 'setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
conformance=$root/conformance
venv=$conformance/.venv
gobin=$conformance/go/bin
gen=$conformance/gen
started=$SECONDS

# Go must never fetch a toolchain, nor edit go.mod/go.sum behind our back.
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly

# --- Checks ----------------------------------------------------------------------------------------
python=${PYTHON:-python3}
command -v "$python" >/dev/null || die "$python not found (Python 3.9 or newer is needed)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || die "$python is older than 3.9"
command -v go >/dev/null || die "go not found (Go 1.26 or newer is needed)"
command -v cargo >/dev/null || die "cargo not found (Rust 1.85 or newer is needed)"
# go.mod is the source of truth for the Go runtime modules; the generators must match it.
for pin in "google.golang.org/protobuf $PROTOC_GEN_GO_VERSION" "google.golang.org/grpc $GRPC_GO_VERSION"; do
  grep -q "^[[:space:]]*$pin\$" "$conformance/go/go.mod" || die "conformance/go/go.mod does not require $pin: update the pins in setup.sh and go.mod together"
done

# --- Python venv -----------------------------------------------------------------------------------
requirements=$conformance/python/requirements.txt
stamp=$venv/.k1s0-requirements.sha256
wanted=$( { "$python" --version; cat "$requirements"; } | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ]; then
  say "python venv is up to date ($venv)"
else
  say "creating the python venv in $venv with $("$python" --version 2>&1)"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  say "installing $(grep -c '==' "$requirements") pinned packages from conformance/python/requirements.txt"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements" >&2
  "$venv/bin/python" -m pip check >&2
  echo "$wanted" >"$stamp"
fi

# --- Go code generators ----------------------------------------------------------------------------
install_go_tool() { # package version binary
  local have
  have=$("$gobin/$3" --version 2>/dev/null || true)
  if [[ "$have" == *"${2#v}" ]]; then
    say "$3 ${2} is installed"
  else
    say "installing $1@$2 into conformance/go/bin"
    GOBIN=$gobin go install "$1@$2"
  fi
}
mkdir -p "$gobin"
install_go_tool google.golang.org/protobuf/cmd/protoc-gen-go "$PROTOC_GEN_GO_VERSION" protoc-gen-go
install_go_tool google.golang.org/grpc/cmd/protoc-gen-go-grpc "$PROTOC_GEN_GO_GRPC_VERSION" protoc-gen-go-grpc

# --- Stubs -----------------------------------------------------------------------------------------
# Only our own proto is generated. google.rpc.Status/ErrorInfo come from the languages' standard
# packages (googleapis-common-protos, google.golang.org/genproto/googleapis/rpc): generating our
# local copies in proto/google/rpc would register a second google/rpc/status.proto in each
# runtime's global registry (a conflict) and, for error_details.proto, a partial one.
protoc() { "$venv/bin/python" -m grpc_tools.protoc -I "$root/proto" "$@"; }
say "protoc: $(protoc --version)"
rm -rf "$gen.tmp" && mkdir -p "$gen.tmp/python" "$gen.tmp/go"

say "generating python stubs into conformance/gen/python"
protoc --python_out="$gen.tmp/python" --pyi_out="$gen.tmp/python" --grpc_python_out="$gen.tmp/python" \
  k1s0/system/scheduler/v2/scheduler.proto

say "generating go stubs into conformance/gen/go"
protoc --plugin=protoc-gen-go="$gobin/protoc-gen-go" --plugin=protoc-gen-go-grpc="$gobin/protoc-gen-go-grpc" \
  --go_out="$gen.tmp/go" --go_opt=module=$GO_GEN_MODULE \
  --go-grpc_out="$gen.tmp/go" --go-grpc_opt=module=$GO_GEN_MODULE \
  k1s0/system/scheduler/v2/scheduler.proto
# The generated package is its own module; conformance/go/go.mod points at it with a replace.
cat >"$gen.tmp/go/go.mod" <<EOF
// Generated by conformance/setup.sh from proto/k1s0/system/scheduler/v2/scheduler.proto.
module $GO_GEN_MODULE

go 1.26.0

require (
	google.golang.org/grpc $GRPC_GO_VERSION
	google.golang.org/protobuf $PROTOC_GEN_GO_VERSION
)
EOF
mkdir -p "$gen"
for lang in python go; do
  rm -rf "${gen:?}/$lang"
  mv "$gen.tmp/$lang" "$gen/$lang"
done
rm -rf "$gen.tmp"

# --- Go programs -----------------------------------------------------------------------------------
say "downloading the go modules of conformance/go (go.sum is pinned)"
(cd "$conformance/go" && go mod download && go mod verify >&2)
say "building the go programs into conformance/go/bin"
(cd "$conformance/go" && go build -o "$gobin/" ./scenario ./vectors)

# --- Rust programs ---------------------------------------------------------------------------------
# rdkafka builds librdkafka from its bundled sources with cmake; librdkafka's sources include
# <curl/curl.h> even when built without curl.
rust_debs=(cmake libcurl4-openssl-dev)
missing_debs=()
for deb in "${rust_debs[@]}"; do
  dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q 'install ok installed' || missing_debs+=("$deb")
done
if [ ${#missing_debs[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "the Rust programs need the Debian packages ${missing_debs[*]} (or their equivalents), and apt-get is not here"
  sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
  say "installing the Debian packages ${missing_debs[*]}"
  $sudo apt-get install -y -q --no-install-recommends "${missing_debs[@]}" >&2 || {
    $sudo apt-get update -q >&2 && $sudo apt-get install -y -q --no-install-recommends "${missing_debs[@]}" >&2
  } || die "could not install ${missing_debs[*]}"
fi
say "fetching the crates of conformance/rust (Cargo.lock is pinned)"
(cd "$conformance/rust" && cargo fetch --locked >&2)
say "building the rust programs into conformance/rust/target/debug"
(cd "$conformance/rust" && cargo build --offline --locked --bins >&2)

say "done in $((SECONDS - started)) s"
