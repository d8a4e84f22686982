//! radius-stream's Deframer on random chunking: any split of a byte stream yields the
//! same packets (each one validated with the stream rules) and the same error as the
//! stream fed whole; the packets plus what stays buffered are the stream itself.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::{DecodeOptions, Packet};
use radius_stream::Deframer;

#[derive(Arbitrary, Debug)]
struct Input {
    max_len: u16,
    stream: Vec<u8>,
    chunks: Vec<u8>,
}

fn drain(d: &mut Deframer, out: &mut Vec<Vec<u8>>) -> Option<radius_stream::FrameError> {
    loop {
        match d.next_packet() {
            Ok(Some(p)) => {
                let opts = DecodeOptions::TCP;
                assert!(Packet::new_checked_with(&p[..], &opts).is_ok());
                assert_eq!(usize::from(u16::from_be_bytes([p[2], p[3]])), p.len());
                out.push(p.to_vec());
            }
            Ok(None) => return None,
            Err(e) => return Some(e),
        }
    }
}

fuzz_target!(|i: Input| {
    let max = usize::from(i.max_len);
    let mut whole = Deframer::with_max_len(max);
    whole.extend(&i.stream);
    let mut expected = Vec::new();
    let whole_err = drain(&mut whole, &mut expected);

    let mut d = Deframer::with_max_len(max);
    let mut got = Vec::new();
    let mut err = None;
    let mut rest = &i.stream[..];
    let mut sizes = i.chunks.iter().copied().cycle();
    while !rest.is_empty() && err.is_none() {
        let n = usize::from(sizes.next().unwrap_or(255)).max(1).min(rest.len());
        d.extend(&rest[..n]);
        rest = &rest[n..];
        err = drain(&mut d, &mut got);
    }
    assert_eq!(got, expected, "chunking changed the packets");
    assert_eq!(err, whole_err, "chunking changed the error");
    if err.is_none() {
        // Round trip: the packets and the buffered tail are the stream.
        let consumed: usize = got.iter().map(Vec::len).sum();
        assert_eq!(got.concat(), i.stream[..consumed].to_vec());
        assert_eq!(d.buffered(), i.stream.len() - consumed);
    }
});
