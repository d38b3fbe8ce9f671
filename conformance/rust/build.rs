// Generates the Rust types and the tonic client of proto/k1s0/system/scheduler/v2/scheduler.proto
// into OUT_DIR at build time. protox compiles the proto in Rust, so no protoc is needed.
// google.rpc.Status and ErrorInfo come from tonic-types, as the Python and Go sides take theirs from
// their languages' standard packages.
//
// For the vector checker (src/bin/vectors.rs) it also writes:
// - OUT_DIR/scheduler.bin: the encoded FileDescriptorSet of the proto and its imports, from which
//   prost-reflect reads and writes proto3 JSON;
// - OUT_DIR/btree_map/: the same messages (no client; each with its prost::Name) with every map a BTreeMap, so that encoding
//   writes map entries sorted by key, as the vectors' deterministic binary_base64 holds them. prost's
//   default HashMap writes them in an order that changes from one run to the next.
use std::path::PathBuf;

use protox::prost::Message as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../proto");
    let proto = proto_root.join("k1s0/system/scheduler/v2/scheduler.proto");
    let files = protox::compile([&proto], [&proto_root])?;
    tonic_prost_build::configure()
        .build_server(false)
        .compile_fds(files.clone())?;

    let out_dir = PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out_dir.join("scheduler.bin"), files.encode_to_vec())?;
    let sorted = out_dir.join("btree_map");
    std::fs::create_dir_all(&sorted)?;
    tonic_prost_build::Config::new()
        .btree_map(["."])
        .enable_type_names()
        .out_dir(&sorted)
        .compile_fds(files)?;

    println!("cargo:rerun-if-changed={}", proto.display());
    Ok(())
}
