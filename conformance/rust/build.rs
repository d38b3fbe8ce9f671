// Generates the Rust types and the tonic client of proto/k1s0/system/scheduler/v2/scheduler.proto
// into OUT_DIR at build time. protox compiles the proto in Rust, so no protoc is needed.
// google.rpc.Status and ErrorInfo come from tonic-types, as the Python and Go sides take theirs from
// their languages' standard packages.
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let proto = proto_root.join("k1s0/system/scheduler/v2/scheduler.proto");
    let files = protox::compile([&proto], [&proto_root])?;
    tonic_prost_build::configure()
        .build_server(false)
        .compile_fds(files)?;
    println!("cargo:rerun-if-changed={}", proto.display());
    Ok(())
}
