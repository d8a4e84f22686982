//! Replies to Disconnect and CoA requests, and what they mean for the caller.

use std::fmt;

use radius_codec::{AttrType, Code, DataType, Packet, Value};

use crate::error::Error;
use crate::error_cause::{ErrorCause, ErrorClass};
use crate::plan::PacketPlan;

/// The parts of an ACK or NAK that matter (RFC 5176 §3.5, §3.2, §3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    /// Reply code.
    pub code: Code,
    /// Error-Cause values in order.
    pub error_causes: Vec<ErrorCause>,
    /// Reply-Message texts (lossy UTF-8).
    pub reply_messages: Vec<String>,
    /// State echoed by the NAS.
    pub state: Option<Vec<u8>>,
    /// Service-Type (Authorize-Only is echoed in the CoA-NAK).
    pub service_type: Option<u32>,
    /// Acct-Terminate-Cause (Disconnect-ACK).
    pub acct_terminate_cause: Option<u32>,
}

impl Reply {
    /// Reads a validated (and verified: see radius-codec's `verify_reply`) reply.
    pub fn from_packet<T: AsRef<[u8]>>(packet: &Packet<T>) -> Result<Self, Error> {
        let mut r = Self {
            code: packet.code(),
            error_causes: Vec::new(),
            reply_messages: Vec::new(),
            state: None,
            service_type: None,
            acct_terminate_cause: None,
        };
        let int = |a: &radius_codec::Attribute<'_>| match a.decode(DataType::Integer) {
            Ok(Value::Integer(n)) => Ok(n),
            Ok(_) => Ok(0),
            Err(source) => Err(Error::BadValue {
                attr: a.typ(),
                source,
            }),
        };
        for a in packet.view().attributes() {
            match a.typ() {
                AttrType::ERROR_CAUSE => r.error_causes.push(ErrorCause(int(&a)?)),
                AttrType::REPLY_MESSAGE => r
                    .reply_messages
                    .push(String::from_utf8_lossy(a.value()).into_owned()),
                AttrType::STATE => r.state = Some(a.value().to_vec()),
                AttrType::SERVICE_TYPE => r.service_type = Some(int(&a)?),
                AttrType::ACCT_TERMINATE_CAUSE => r.acct_terminate_cause = Some(int(&a)?),
                _ => {}
            }
        }
        Ok(r)
    }
}

/// Why a reply does not follow RFC 5176.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProtocolViolation {
    /// The reply code does not answer the request (a Disconnect-ACK to a CoA, an
    /// Access-Accept, ...).
    WrongReplyCode {
        /// Request code.
        request: Code,
        /// Reply code.
        reply: Code,
    },
    /// A success cause (2xx) in a NAK, or an error cause (4xx/5xx) in an ACK.
    CauseInWrongReply {
        /// The cause.
        cause: ErrorCause,
        /// The reply code.
        reply: Code,
    },
    /// A CoA-ACK to Authorize-Only, which RFC 5176 §3.2 forbids.
    AckToAuthorizeOnly,
}

impl fmt::Display for ProtocolViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::WrongReplyCode { request, reply } => write!(f, "{reply} does not answer a {request}"),
            Self::CauseInWrongReply { cause, reply } => {
                write!(f, "Error-Cause {cause} is not allowed in a {reply}")
            }
            Self::AckToAuthorizeOnly => f.write_str("CoA-ACK to an Authorize-Only request (RFC 5176 §3.2)"),
        }
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// ACK: the change or disconnect was applied. `residual_only`: the session was
    /// already gone and only residual context was removed (201).
    Applied {
        /// Error-Cause 201 was present.
        residual_only: bool,
    },
    /// Authorize-Only accepted: CoA-NAK with Request-Initiated (507); the NAS will
    /// send an Access-Request.
    AuthorizeOnlyStarted,
    /// NAK with Session-Context-Not-Found (503) only: no such session (often nothing
    /// to do: the endpoint gets its new policy when it next connects).
    SessionNotFound,
    /// NAK for other causes (none, if the NAS sent none).
    Rejected {
        /// The Error-Cause values.
        causes: Vec<ErrorCause>,
    },
    /// The reply breaks the protocol.
    ProtocolViolation(ProtocolViolation),
}

impl Outcome {
    /// Interprets a reply to a request of `request` code (`authorize_only` when the
    /// request was an Authorize-Only CoA).
    #[must_use]
    pub fn interpret(request: Code, authorize_only: bool, reply: &Reply) -> Self {
        let (ack, nak) = match request {
            Code::CoaRequest => (Code::CoaAck, Code::CoaNak),
            Code::DisconnectRequest => (Code::DisconnectAck, Code::DisconnectNak),
            _ => {
                return Self::ProtocolViolation(ProtocolViolation::WrongReplyCode {
                    request,
                    reply: reply.code,
                })
            }
        };
        let causes = &reply.error_causes;
        if reply.code == ack {
            if authorize_only {
                return Self::ProtocolViolation(ProtocolViolation::AckToAuthorizeOnly);
            }
            if let Some(c) = causes.iter().find(|c| c.class() != ErrorClass::Success) {
                return Self::ProtocolViolation(ProtocolViolation::CauseInWrongReply {
                    cause: *c,
                    reply: reply.code,
                });
            }
            // 201 is defined for Disconnect-ACK only; a CoA-ACK carrying it is odd
            // but harmless: it still says the request was applied.
            return Self::Applied {
                residual_only: causes.contains(&ErrorCause::RESIDUAL_CONTEXT_REMOVED),
            };
        }
        if reply.code != nak {
            return Self::ProtocolViolation(ProtocolViolation::WrongReplyCode {
                request,
                reply: reply.code,
            });
        }
        if let Some(c) = causes.iter().find(|c| c.class() == ErrorClass::Success) {
            return Self::ProtocolViolation(ProtocolViolation::CauseInWrongReply {
                cause: *c,
                reply: reply.code,
            });
        }
        if authorize_only && causes.contains(&ErrorCause::REQUEST_INITIATED) {
            return Self::AuthorizeOnlyStarted;
        }
        if !causes.is_empty() && causes.iter().all(|c| *c == ErrorCause::SESSION_CONTEXT_NOT_FOUND) {
            return Self::SessionNotFound;
        }
        Self::Rejected {
            causes: causes.clone(),
        }
    }

    /// True for [`Outcome::Applied`] and [`Outcome::AuthorizeOnlyStarted`].
    #[must_use]
    pub const fn is_success(&self) -> bool {
        matches!(self, Self::Applied { .. } | Self::AuthorizeOnlyStarted)
    }
}

impl PacketPlan {
    /// Interprets the reply to this plan's request.
    #[must_use]
    pub fn outcome(&self, reply: &Reply) -> Outcome {
        Outcome::interpret(self.code(), self.authorize_only, reply)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Applied { residual_only: false } => f.write_str("applied"),
            Self::Applied { residual_only: true } => {
                f.write_str("applied (session already gone; residual context removed)")
            }
            Self::AuthorizeOnlyStarted => {
                f.write_str("authorize-only started (NAS will send an Access-Request)")
            }
            Self::SessionNotFound => f.write_str("session not found"),
            Self::Rejected { causes } if causes.is_empty() => f.write_str("rejected (no Error-Cause)"),
            Self::Rejected { causes } => {
                f.write_str("rejected: ")?;
                for (i, c) in causes.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{c}")?;
                }
                Ok(())
            }
            Self::ProtocolViolation(v) => write!(f, "protocol violation: {v}"),
        }
    }
}
