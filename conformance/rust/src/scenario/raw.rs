//! A pass-through codec: the request goes out as the bytes given, and the response comes back as
//! the bytes received. It sends requests that the generated (prost) serializer cannot write, such
//! as a string field holding malformed UTF-8: a prost `String` is always valid UTF-8.
//!
//! Use it with `tonic::client::Grpc` on the same channel as the generated client, with the RPC's
//! path (`/k1s0.system.scheduler.v2.SchedulerService/CreateJob`); decode the response bytes with
//! `prost::Message::decode`.
use prost::bytes::{Buf, BufMut, Bytes};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::Status;

#[derive(Debug, Clone, Copy, Default)]
pub struct RawCodec;

impl Codec for RawCodec {
    type Encode = Bytes;
    type Decode = Bytes;
    type Encoder = RawCodec;
    type Decoder = RawCodec;

    fn encoder(&mut self) -> Self::Encoder {
        RawCodec
    }

    fn decoder(&mut self) -> Self::Decoder {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Bytes;
    type Error = Status;

    fn encode(&mut self, item: Bytes, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put(item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Bytes;
    type Error = Status;

    /// `src` holds exactly one message (tonic has already read the gRPC frame header).
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Bytes>, Status> {
        Ok(Some(src.copy_to_bytes(src.remaining())))
    }
}
