//! Live interop with FreeRADIUS 3.2 on loopback: radiusd answers requests built by
//! radius-codec, and radclient talks to a responder built on radius-codec.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod dictionaries;
mod dynauth;
mod freeradius;
mod radclient;
mod radsec;
