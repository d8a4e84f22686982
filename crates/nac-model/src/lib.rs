//! # nac-model
//!
//! The typed, I/O-free model of network access control that sits between a RADIUS
//! codec and the systems around it:
//!
//! - [`MacAddress`]: every common spelling in, each vendor's spelling out.
//! - [`clearpass`] and [`cos_core`]: the exact JSON (and form) shapes of Aruba
//!   ClearPass and Clavister cOS Core `/api/oper/userauth`, with requests described
//!   as data for any HTTP client.
//! - [`Session`]: NAS and session identification (RFC 5176 §3), read from an
//!   Access-Request or Accounting-Request.
//! - [`Intent`] + [`Profile`] → [`PacketPlan`]: Disconnect or CoA, port, ordered
//!   attributes and Message-Authenticator for Cisco, Juniper, Aruba, HP, Extreme,
//!   MikroTik, Meraki, Fortinet, Ruckus or plain RFC 5176, checked against the RFC
//!   5176 §3.6 table ([`rfc5176`]).
//! - [`Reply`] → [`Outcome`]: applied, session not found, rejected with
//!   [`ErrorCause`]s, Authorize-Only started, or a protocol violation.
//! - [`planner`]: what to do to live sessions when an endpoint changes.
//!
//! Time, identifiers, secrets and sockets are the caller's: nothing here does I/O.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use nac_model::{Intent, MacAddress, Profile, ReauthKind, Session, StationId};
//! use radius_codec::{Packet, SharedSecret};
//!
//! // A session as the switch reported it.
//! let mut session = Session::default();
//! session.nas.ipv4 = Some("192.0.2.10".parse()?);
//! session.id.acct_session_id = Some("0A1B2C3D-00000042".into());
//! session.id.calling_station = Some(StationId::Mac("b0ee.7b97.7f33".parse::<MacAddress>()?));
//!
//! // Re-authenticate it on a Cisco switch.
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let plan = Profile::CISCO_IOS.plan(&session, &Intent::Reauthenticate(ReauthKind::Last), now)?;
//! assert_eq!(plan.port, 1700);
//! let secret = SharedSecret::from("testing123");
//! let packet = plan.encode(42, &secret)?; // owned and validated: send packet.as_bytes()
//! packet.verify_request(&secret)?;
//! assert!(packet.message_authenticator().is_some());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    test,
    allow(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic
    )
)]

mod attr;
pub mod clearpass;
pub mod cos_core;
mod error;
mod error_cause;
pub mod http;
mod intent;
pub mod mac;
mod outcome;
mod plan;
pub mod planner;
mod profile;
pub mod rfc5176;
mod session;

pub use attr::AttrSpec;
pub use error::{Error, JsonError};
pub use error_cause::{ErrorCause, ErrorClass};
pub use intent::{Intent, IntentKind, RateLimit, ReauthKind, ServiceRef};
pub use mac::{CalledStationId, HexCase, MacAddress, MacFormat, Separator, StationId};
pub use outcome::{Outcome, ProtocolViolation, Reply};
pub use plan::{Deviation, PacketPlan, RequestKind};
pub use profile::{IdField, Profile, RoleChange, Vendor};
pub use session::{NasIdentity, Session, SessionIdentity, SessionKind, VendorSessionId};
