//! Packet plans: the request a vendor profile decided on, as numbers and typed values
//! in wire order, ready for radius-codec's builder.

use std::borrow::Cow;

use radius_codec::{Code, Packet, PacketBuilder, SharedSecret};

use crate::attr::AttrSpec;
use crate::rfc5176::Violation;

/// Disconnect-Request or CoA-Request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequestKind {
    /// Disconnect-Request (40).
    Disconnect,
    /// CoA-Request (43).
    Coa,
}

impl RequestKind {
    /// The packet code.
    #[must_use]
    pub const fn code(self) -> Code {
        match self {
            Self::Disconnect => Code::DisconnectRequest,
            Self::Coa => Code::CoaRequest,
        }
    }
}

/// A planned Disconnect-Request or CoA-Request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PacketPlan {
    /// Disconnect or CoA: some "disconnects" are CoAs (Cisco ISG account-logoff,
    /// AOS-Switch port bounce).
    pub kind: RequestKind,
    /// UDP destination port at the NAS.
    pub port: u16,
    /// Attributes in order; repeats allowed (three Cisco-AVPairs).
    pub attrs: Vec<AttrSpec>,
    /// Put a Message-Authenticator first.
    pub message_authenticator: bool,
    /// The request is an Authorize-Only CoA (RFC 5176 §3.2): its success is a CoA-NAK
    /// with Error-Cause 507.
    pub authorize_only: bool,
    /// RFC 5176 §3.6 departures this profile makes on purpose, with the reason.
    pub deviations: Vec<Deviation>,
}

/// An RFC 5176 departure the vendor profile makes knowingly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deviation {
    /// What the table says.
    pub violation: Violation,
    /// Why the profile does it anyway (device behaviour, with its source).
    pub reason: Cow<'static, str>,
}

impl PacketPlan {
    /// The packet code.
    #[must_use]
    pub const fn code(&self) -> Code {
        self.kind.code()
    }

    /// Encodes the request: Message-Authenticator first if planned, attributes in
    /// order, Request Authenticator computed (RFC 5176 §3.3).
    ///
    /// Returns the owned, validated packet: send [`Packet::as_bytes`], read it back
    /// without re-wrapping. Keep it for retransmission: a retransmit must be identical.
    pub fn encode(
        &self,
        identifier: u8,
        secret: &SharedSecret,
    ) -> Result<Packet<Vec<u8>>, radius_codec::Error> {
        let mut b = match self.kind {
            RequestKind::Disconnect => PacketBuilder::disconnect_request(identifier),
            RequestKind::Coa => PacketBuilder::coa_request(identifier),
        };
        if self.message_authenticator {
            b.add_message_authenticator();
        }
        for a in &self.attrs {
            a.encode(&mut b)?;
        }
        b.finish_packet(secret)
    }
}
