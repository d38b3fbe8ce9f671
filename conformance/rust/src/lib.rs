//! The parity kit's Rust client: the types and the tonic client of the shared proto, generated at
//! build time by build.rs.
pub mod pb {
    tonic::include_proto!("k1s0.system.scheduler.v2");
}

pub mod js_number;
pub mod kafka_event;
pub mod policy;
pub mod rfc3339;
pub mod scenario;
pub mod testdata;
