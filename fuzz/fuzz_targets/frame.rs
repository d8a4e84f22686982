//! Stream framing (RFC 6613/6614) on random chunking: feeding a byte stream in any
//! pieces yields exactly the frames (and the same error) as framing it whole; Partial
//! always asks for more than is buffered; Complete lengths are the Length field.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radius_codec::exchange::{frame, Frame};

#[derive(Arbitrary, Debug)]
struct Input {
    max_len: u16,
    stream: Vec<u8>,
    chunks: Vec<u8>,
}

/// Frames everything `buf` holds; returns the frames and whether framing failed.
fn drain(buf: &mut Vec<u8>, max_len: usize, out: &mut Vec<Vec<u8>>) -> bool {
    loop {
        match frame(buf, max_len) {
            Ok(Frame::Complete(n)) => {
                assert!(n >= 20 && n <= max_len && n <= buf.len(), "{n} of {}", buf.len());
                assert_eq!(usize::from(u16::from_be_bytes([buf[2], buf[3]])), n);
                out.push(buf.drain(..n).collect());
            }
            Ok(Frame::Partial(n)) => {
                assert!(n > buf.len(), "Partial({n}) with {} buffered", buf.len());
                assert!(n >= 20);
                return false;
            }
            Err(_) => {
                assert!(buf.len() >= 4, "an error needs the Length field");
                return true;
            }
        }
    }
}

fuzz_target!(|i: Input| {
    let max_len = usize::from(i.max_len);
    let mut whole = i.stream.clone();
    let mut expected = Vec::new();
    let whole_failed = drain(&mut whole, max_len, &mut expected);

    let mut buf = Vec::new();
    let mut got = Vec::new();
    let mut failed = false;
    let mut rest = &i.stream[..];
    let mut sizes = i.chunks.iter().copied().cycle();
    while !rest.is_empty() && !failed {
        let n = usize::from(sizes.next().unwrap_or(255)).max(1).min(rest.len());
        buf.extend_from_slice(&rest[..n]);
        rest = &rest[n..];
        failed = drain(&mut buf, max_len, &mut got);
    }
    if i.stream.is_empty() {
        failed = drain(&mut buf, max_len, &mut got);
    }
    assert_eq!(got, expected, "chunking changed the frames");
    assert_eq!(failed, whole_failed, "chunking changed the error");
    if !failed {
        assert_eq!(buf, whole, "chunking changed the unframed tail");
    }
});
