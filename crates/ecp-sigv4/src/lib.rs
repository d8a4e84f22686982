//! # ecp-sigv4
//!
//! Sign and verify the signed redirects of Extreme external captive portals
//! (ExtremeCloud IQ Controller, ExtremeWireless): AWS Signature V4 presigned query
//! strings with region `world` and service `ecp`, on a small SigV4 engine ([`sigv4`])
//! built on `hmac` and `sha2`.
//!
//! - **Verifying** uses the query *as received* (raw pairs minus `X-Amz-Signature`,
//!   sorted by raw key, nothing decoded), because a real controller signs its tokens
//!   with a literal `!!`. Signatures are compared in constant time; the identity's
//!   secrets come from a [`SecretLookup`] (several at once during key rotation; a
//!   [`SharedKeyring`] or a callback can change them while serving); time is a
//!   parameter.
//! - **Signing** percent-encodes strictly and emits the query exactly as canonicalized
//!   with `X-Amz-Signature` last, so raw and strict verifiers agree.
//! - [`ControllerRedirect`] and [`Approval`] type the two redirects.
//! - Keep one [`Verifier`] and one [`Signer`] for as long as the secrets live: both
//!   keep the derived signing keys (four HMAC-SHA256 per identity and day), so a
//!   verification or a signature then costs one SHA-256 and one HMAC-SHA256.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use ecp_sigv4::{Approval, ControllerRedirect, Keyring, Secret, Signer, SsidRule, Verifier};
//!
//! let mut keys = Keyring::new();
//! keys.insert("BigAuthInc", Secret::from("s3cret"));
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_764_000_000);
//!
//! // (what a controller sends; here signed by us for the example)
//! let controller = Signer::new("BigAuthInc", Secret::from("s3cret")).expires(20);
//! let url = controller.presign("https", "portal.example", None, "/login",
//!     &[("token", "T7vb1LdUZmsuY0q9V60Iww!!"), ("wlan", "1"), ("dest", "http://example.com/"),
//!       ("hwc_ip", "10.10.21.6"), ("hwc_port", "443"), ("mac", "b0:ee:7b:97:7f:33"),
//!       ("ssid", "Guest-WiFi"), ("vlan", "0")], now)?;
//!
//! // The portal keeps one verifier (owned, `Send + Sync`) and verifies the redirect ...
//! let verifier = Verifier::new(keys);
//! let query = verifier.verify_url(&url, now + Duration::from_secs(2))?;
//! let redirect = ControllerRedirect::from_query(&query)?;
//! assert_eq!(redirect.token, "T7vb1LdUZmsuY0q9V60Iww!!");
//! assert_eq!(redirect.ssid.as_ref().map(|s| s.octets(SsidRule::Auto)).transpose()?, Some(b"Guest-WiFi".to_vec()));
//! assert_eq!(redirect.vlan, None); // vlan=0: no containment VLAN
//!
//! // ... and answers with a signed approval to the controller that signed the redirect.
//! let mut approval = Approval::for_redirect(&redirect, "guest-42");
//! approval.role = Some("Guest_Access".into());
//! approval.opt27 = Some(3600);
//! let (hwc_ip, hwc_port) = redirect.controller()?;
//! let back = approval.signed_url(hwc_ip, hwc_port, &controller, now + Duration::from_secs(30))?;
//! assert!(back.starts_with("https://10.10.21.6/ext_approval.php?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
//! # Ok::<(), ecp_sigv4::Error>(())
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

pub mod ecp;
mod error;
mod models;
pub mod sigv4;
mod time;
mod url;
#[cfg(test)]
mod vectors;

pub use ecp::{
    canonical_request, host_value, parse_unsigned, EmptyPath, Keyring, PortRule, QueryForm, Secret,
    SecretLookup, SharedKeyring, SignatureInfo, SignedQuery, Signer, Verifier,
};
pub use error::Error;
pub use models::{Approval, ControllerRedirect, Mac, MacParam, Ssid, SsidRule};
pub use time::AmzDate;
pub use url::Url;
