//! Arbitrary approval values: sign -> verify succeeds and the parsed approval is the
//! one that was signed.
#![no_main]
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use ecp_sigv4::{Approval, Keyring, Secret, Signer, Verifier};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    token: String,
    wlan: String,
    username: String,
    dest: Option<String>,
    role: Option<String>,
    opt27: Option<u32>,
    port: u16,
    secs: u32,
    expires: u16,
    secret: Vec<u8>,
}

fuzz_target!(|i: Input| {
    if i.token.is_empty() || i.wlan.is_empty() || i.username.is_empty() || i.port == 0 {
        return;
    }
    let a = Approval {
        token: i.token,
        wlan: i.wlan,
        username: i.username,
        dest: i.dest.filter(|d| !d.is_empty()),
        role: i.role.filter(|r| !r.is_empty()),
        opt27: i.opt27,
    };
    let signer = Signer::new("portal", Secret::new(i.secret.clone())).expires(u64::from(i.expires));
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(i.secs));
    let url = a
        .signed_url("192.0.2.1", i.port, &signer, now)
        .expect("valid approval signs");
    let mut keys = Keyring::new();
    keys.insert("portal", Secret::new(i.secret));
    let v = Verifier::new(keys).max_expires(u64::MAX).max_url_len(usize::MAX);
    let q = v.verify_url(&url, now).expect("what we sign verifies");
    assert_eq!(Approval::from_query(&q).expect("parses"), a);
});
