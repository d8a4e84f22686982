//! Splitting a byte stream into RADIUS packets (RFC 6613 §2.6.4, RFC 7930 §2).

use bytes::{Bytes, BytesMut};
use radius_codec::exchange::{frame, Frame};
use radius_codec::{DecodeOptions, Packet, MAX_PACKET_LEN, MAX_PACKET_LEN_TCP};

use crate::FrameError;

/// Collects stream bytes and yields whole, validated packets.
///
/// ```
/// use radius_stream::Deframer;
/// let mut d = Deframer::new();
/// let packet = [5u8, 1, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
/// d.extend(&packet[..7]);
/// assert_eq!(d.next_packet(), Ok(None)); // need more bytes: not an error
/// d.extend(&packet[7..]);
/// assert_eq!(d.next_packet().unwrap().unwrap().as_ref(), &packet[..]);
/// // A Length under 20 is malformed: close the connection.
/// d.extend(&[1, 1, 0, 19]);
/// assert!(d.next_packet().is_err());
/// ```
#[derive(Debug)]
pub struct Deframer {
    buf: BytesMut,
    max_len: usize,
}

impl Default for Deframer {
    fn default() -> Self {
        Self::new()
    }
}

impl Deframer {
    /// A deframer accepting packets up to 65535 octets (RFC 7930 §2).
    #[must_use]
    pub fn new() -> Self {
        Self::with_max_len(MAX_PACKET_LEN_TCP)
    }

    /// A deframer accepting packets up to `max_len` octets, clamped to 4096..=65535: a
    /// stream peer may always send the 4096 octets RFC 2865 §3 allows (RFC 7930 §2 raises
    /// the limit, it does not lower it).
    #[must_use]
    pub fn with_max_len(max_len: usize) -> Self {
        Self {
            buf: BytesMut::with_capacity(4096),
            max_len: max_len.clamp(MAX_PACKET_LEN, MAX_PACKET_LEN_TCP),
        }
    }

    /// Appends received bytes.
    pub fn extend(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The buffer itself, for drivers that read straight into it.
    pub fn buffer_mut(&mut self) -> &mut BytesMut {
        &mut self.buf
    }

    /// Octets held that do not yet form a packet.
    #[must_use]
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// The next whole packet, validated with the stream rules
    /// ([`DecodeOptions::TCP`] up to this deframer's maximum); `Ok(None)` when more
    /// bytes are needed. After an error the stream is out of step: close it.
    pub fn next_packet(&mut self) -> Result<Option<Bytes>, FrameError> {
        match frame(&self.buf, self.max_len) {
            Ok(Frame::Partial(_)) => Ok(None),
            Ok(Frame::Complete(len)) => {
                let packet = self.buf.split_to(len).freeze();
                let opts = DecodeOptions::TCP.max_len(self.max_len);
                Packet::new_checked_with(&packet[..], &opts).map_err(FrameError::Malformed)?;
                Ok(Some(packet))
            }
            Err(radius_codec::Error::LengthOutOfRange { length, max }) => {
                Err(FrameError::BadLength { length, max })
            }
            Err(e) => Err(FrameError::Malformed(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acct(len: u16) -> Vec<u8> {
        let mut p = vec![4u8, 9];
        p.extend_from_slice(&len.to_be_bytes());
        p.resize(usize::from(len), 0);
        // pad with one big attribute run of Class (25) pieces
        let mut off = 20;
        while off < usize::from(len) {
            let n = (usize::from(len) - off).min(255);
            if n < 2 {
                break;
            }
            p[off] = 25;
            p[off + 1] = n as u8;
            off += n;
        }
        p
    }

    #[test]
    fn byte_at_a_time_and_back_to_back() {
        let (a, b) = (acct(20), acct(300));
        let stream: Vec<u8> = a.iter().chain(b.iter()).copied().collect();
        let mut d = Deframer::new();
        let mut out = Vec::new();
        for byte in stream {
            d.extend(&[byte]);
            while let Some(p) = d.next_packet().unwrap() {
                out.push(p.to_vec());
            }
        }
        assert_eq!(out, vec![a, b]);
        assert_eq!(d.buffered(), 0);
    }

    #[test]
    fn rfc7930_lengths_up_to_65535() {
        // RFC 7930 §2 raises the maximum packet length over streams from 4096 to 65535.
        let big = acct(65_534);
        let mut d = Deframer::new();
        d.extend(&big);
        assert_eq!(d.next_packet().unwrap().unwrap().len(), 65_534);
        let mut small = Deframer::with_max_len(4096);
        small.extend(&big);
        assert_eq!(
            small.next_packet(),
            Err(FrameError::BadLength {
                length: 65_534,
                max: 4096
            })
        );
    }

    #[test]
    fn under_20_is_malformed_not_partial() {
        let mut d = Deframer::new();
        d.extend(&[1, 1, 0, 19]);
        assert_eq!(
            d.next_packet(),
            Err(FrameError::BadLength {
                length: 19,
                max: 65_535
            })
        );
        let mut d = Deframer::new();
        d.extend(&[1, 1]);
        assert_eq!(d.next_packet(), Ok(None));
    }

    #[test]
    fn bad_attribute_inside_a_whole_packet_is_malformed() {
        let mut p = acct(24);
        p[21] = 9; // attribute runs past the end
        let mut d = Deframer::new();
        d.extend(&p);
        assert!(matches!(d.next_packet(), Err(FrameError::Malformed(_))));
    }

    #[test]
    fn a_configured_maximum_never_refuses_4096_octets() {
        // RFC 2865 §3 allows 4096 octets on any transport; a smaller configured maximum
        // used to close the connection on a legal packet.
        let p = acct(4096);
        let mut d = Deframer::with_max_len(100);
        d.extend(&p);
        assert_eq!(d.next_packet().unwrap().unwrap().len(), 4096);
        let mut d = Deframer::with_max_len(100);
        d.extend(&acct(4097));
        assert_eq!(
            d.next_packet(),
            Err(FrameError::BadLength {
                length: 4097,
                max: 4096
            })
        );
    }
}
